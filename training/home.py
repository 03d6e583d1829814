"""The figures of training's home cards, each card in one statement of plain SQL (issue #13).

The same conditions as `ledger.selectors.jp_totals`, `questionnaires.selectors.due_questionnaires`,
`ledger.selectors.team_below_target_count` and `enrolment.selectors.requests_for_head`, without the ORM's
per-request query compilation (2-5 ms per card); nothing is cached, every figure is read live.
"""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import Any

from django.db import connection

from people.access import team_sql
from people.choices import ACTIVE_STATUSES
from people.models import Employee

from . import rules
from .choices import EnrollmentStatus, VerificationStatus
from .models import Enrollment, LearningRecord, QuestionnaireResponse

ZERO = Decimal("0")
_ACTIVE = sorted(str(s) for s in ACTIVE_STATUSES)


@functools.cache
def _staff_sql() -> str:
    return f"""
SELECT
    (SELECT sum(lr.jp) FROM {LearningRecord._meta.db_table} lr
      WHERE lr.employee_id = %s AND lr.year = %s AND lr.status = %s),
    (SELECT count(*) FROM {QuestionnaireResponse._meta.db_table} q
      WHERE q.respondent_id = %s AND q.answered_at IS NULL)
"""


def staff_figures(employee_id: int, year: int) -> tuple[Decimal, int]:
    """(verified JP of `year`, questionnaires waiting for the employee's answers) in one round trip."""
    with connection.cursor() as cursor:
        cursor.execute(_staff_sql(), [employee_id, year, VerificationStatus.VERIFIED.value, employee_id])
        total, due = cursor.fetchone()
    return (ZERO if total is None else total), due


def head_figures(user: Any, year: int) -> tuple[int, int, int]:
    """(active team members below the JP target in `year`, active team members, team enrolment requests
    waiting) in one round trip."""
    team, team_params = team_sql(user, "t")
    sql = f"""
SELECT count(*) FILTER (WHERE x.jp < %s), count(*),
    (SELECT count(*) FROM {Enrollment._meta.db_table} en JOIN {Employee._meta.db_table} t ON t.id = en.employee_id
      WHERE {team} AND en.status = %s)
FROM (
    SELECT coalesce((SELECT sum(lr.jp) FROM {LearningRecord._meta.db_table} lr
                      WHERE lr.employee_id = t.id AND lr.year = %s AND lr.status = %s), 0) AS jp
    FROM {Employee._meta.db_table} t WHERE {team} AND t.status = ANY(%s)
) x
"""
    params = [
        rules.JP_TARGET,
        *team_params,
        EnrollmentStatus.REQUESTED.value,
        year,
        VerificationStatus.VERIFIED.value,
        *team_params,
        _ACTIVE,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        below, total, requests = cursor.fetchone()
    return below, total, requests
