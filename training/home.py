"""The figures of training's home cards, each card in one statement of plain SQL (issue #13).

The same conditions as `ledger.selectors.jp_totals`, `questionnaires.selectors.due_questionnaires`,
`ledger.selectors.team_below_target_count` and `enrolment.selectors.requests_for_head`, without the ORM's
per-request query compilation (2-5 ms per card); nothing is cached. Every figure is read live, except the
team members who reached 20 JP on the head's card: summary rows per unit, kept current on change.
"""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import Any

from django.db import connection

from people.access import scope_for, team_members
from people.choices import ACTIVE_STATUSES
from people.models import Employee

from . import rules
from .choices import EnrollmentStatus, VerificationStatus
from .models import Enrollment, JpUnitMetSummary, LearningRecord, QuestionnaireResponse

ZERO = Decimal("0")


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


@functools.cache
def _head_sql() -> str:
    # The team's ids and units arrive as array parameters (`people.access.team_members`). Who reached 20 JP is
    # read from the per-unit summary rows of the team's units (kept current on change, `ledger.compliance`), not
    # added up per member on each request; the head's own record, which those rows count when the head works in
    # one of the units, is taken out (the last column: null when it is not counted there).
    return f"""
WITH everyone AS (SELECT unnest(%s::bigint[]) AS id)
SELECT
    (SELECT coalesce(sum(s.met), 0) FROM {JpUnitMetSummary._meta.db_table} s
      WHERE s.unit_id = ANY(%s::bigint[]) AND s.year = %s),
    (SELECT count(*) FROM everyone t JOIN {Enrollment._meta.db_table} en ON en.employee_id = t.id
      WHERE en.status = %s),
    (SELECT coalesce((SELECT sum(lr.jp) FROM {LearningRecord._meta.db_table} lr
                       WHERE lr.employee_id = e.id AND lr.year = %s AND lr.status = %s), 0) >= %s
      FROM {Employee._meta.db_table} e WHERE e.id = %s AND e.unit_id = ANY(%s::bigint[]) AND e.status = ANY(%s))
"""


def head_figures(user: Any, year: int) -> tuple[int, int, int]:
    """(active team members below the JP target in `year`, active team members, team enrolment requests
    waiting) in one round trip, over the team the home page reads once (`people.access.team_members`). The
    members who reached the target come from the per-unit summary rows (`JpUnitMetSummary`), as of their last
    refresh; the head's own record is left out of them as it is of the team."""
    team = team_members(user)
    params: list[Any] = [
        team.everyone,
        team.units,
        year,
        EnrollmentStatus.REQUESTED.value,
        year,
        VerificationStatus.VERIFIED.value,
        rules.JP_TARGET,
        scope_for(user).employee_id or 0,
        team.units,
        sorted(str(s) for s in ACTIVE_STATUSES),
    ]
    with connection.cursor() as cursor:
        cursor.execute(_head_sql(), params)
        met, requests, head_met = cursor.fetchone()
    met -= 1 if head_met else 0
    total = team.active_count
    return min(total, max(0, total - int(met))), total, requests


def admin_figures(user: Any, agency_id: int, year: int) -> tuple[dict[str, Any], int]:
    """The BKD admin card in one statement of plain SQL: the agency's 20 JP compliance total of `year` from the
    summary rows (as `ledger.selectors.compliance_report(...)["total"]`: the year's rows, or the headcount rows
    of year 0 when nobody earned JP in it) and the learning records of the administered agencies waiting for
    verification (as `external.selectors.pending_external(user=...).count()`)."""
    from .models import JpComplianceSummary

    scope = scope_for(user)
    pending_in = "true" if scope.everything else "lr.agency_id = ANY(%s)"
    pending_params: list[Any] = [] if scope.everything else [sorted(scope.admin_agency_ids)]
    sql = f"""
WITH rows AS (
    SELECT s.year, s.headcount, s.met, s.jp, s.with_jp FROM {JpComplianceSummary._meta.db_table} s
    WHERE s.agency_id = %s AND s.year IN (%s, 0)
), chosen AS (
    SELECT * FROM rows WHERE rows.year = CASE WHEN EXISTS (SELECT 1 FROM rows WHERE rows.year = %s) THEN %s ELSE 0 END
)
SELECT coalesce(sum(headcount), 0), coalesce(sum(met), 0), sum(jp), coalesce(sum(headcount - with_jp), 0),
    (SELECT count(*) FROM {LearningRecord._meta.db_table} lr WHERE {pending_in} AND lr.status = %s)
FROM chosen
"""
    params: list[Any] = [agency_id, year, year, year, *pending_params, VerificationStatus.PENDING.value]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        headcount, met, jp, none, pending = cursor.fetchone()
    total: dict[str, Any] = {"headcount": int(headcount), "met": int(met), "jp": ZERO if jp is None else jp}
    total["none"] = int(none)
    total["below"] = total["headcount"] - total["met"]
    total["percent"] = (total["met"] * 100 / total["headcount"]) if total["headcount"] else 0
    total["avg_jp"] = (total["jp"] / total["headcount"]) if total["headcount"] else ZERO
    return total, pending
