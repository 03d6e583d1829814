"""The figures of careers' home cards, each card in one statement built once per process (issue #13).

Built through the ORM, the staff card's five reads and the head card's four cost 7-9 ms of query compilation
per home page for a handful of counts; here each card is one round trip of plain SQL (the same conditions as
`plans.selectors.current_plan_for`, `talent.selectors.published_boxes`, `agency_settings.settings_for` and
`people.access.team_q`). Nothing is cached: every figure is read live on each request.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

from django.db import connection

from people.access import scope_for, team_members
from people.models import Employee

from .choices import ActionStatus, FollowUpStatus, ItemStatus, PlanStatus, ReviewStatus
from .models import (
    ActionItem,
    AppraisalFollowUp,
    CareerPlan,
    CareerSettings,
    DevelopmentAction,
    MentoringSession,
    SessionMentee,
    TalentPlacement,
    TalentReview,
)


def _table(model: Any) -> str:
    return str(model._meta.db_table)


@dataclass(frozen=True)
class StaffFigures:
    plan: CareerPlan | None
    progress: int
    box: int | None
    to_confirm: int
    overdue: int


@functools.cache
def _staff_sql() -> str:
    return f"""
SELECT p.id, p.status, p.n_actions, p.n_done,
    (SELECT tp.box FROM {_table(TalentPlacement)} tp JOIN {_table(TalentReview)} r ON r.id = tp.review_id
      WHERE tp.employee_id = e.id AND r.status = %s ORDER BY r.published_at DESC, tp.review_id DESC LIMIT 1),
    (SELECT count(*) FROM {_table(SessionMentee)} sm WHERE sm.employee_id = e.id AND sm.confirmed_at IS NULL),
    (SELECT count(*) FROM {_table(ActionItem)} ai WHERE ai.owner_id = e.id AND ai.status = %s AND ai.due_date < %s)
FROM {_table(Employee)} e
LEFT JOIN LATERAL (
    SELECT cp.id, cp.status,
        (SELECT count(*) FROM {_table(DevelopmentAction)} a WHERE a.plan_id = cp.id AND a.status <> %s) AS n_actions,
        (SELECT count(*) FROM {_table(DevelopmentAction)} a WHERE a.plan_id = cp.id AND a.status = %s) AS n_done
    FROM {_table(CareerPlan)} cp WHERE cp.employee_id = e.id AND cp.status <> %s
    ORDER BY cp.created_at DESC LIMIT 1
) p ON true
WHERE e.id = %s
"""


def staff_figures(employee_id: int, today: dt.date) -> StaffFigures | None:
    """The staff card: the current (not archived) career plan and its progress, the latest published talent
    box, sessions waiting for the employee's confirmation and their overdue open action items. None when the
    employee does not exist."""
    params: list[Any] = [
        ReviewStatus.PUBLISHED.value,
        ItemStatus.OPEN.value,
        today,
        ActionStatus.CANCELLED.value,
        ActionStatus.DONE.value,
        PlanStatus.ARCHIVED.value,
        employee_id,
    ]
    with connection.cursor() as cursor:
        cursor.execute(_staff_sql(), params)
        row = cursor.fetchone()
    if row is None:
        return None
    plan_id, status, n_actions, n_done, box, to_confirm, overdue = row
    plan = None
    progress = 0
    if plan_id is not None:
        plan = CareerPlan.from_db(connection.alias, ["id", "status"], [plan_id, status])
        progress = round(100 * n_done / n_actions) if n_actions else 0
    return StaffFigures(plan=plan, progress=progress, box=box, to_confirm=to_confirm, overdue=overdue)


@dataclass(frozen=True)
class HeadFigures:
    days: int
    stale: int
    plans_waiting: int
    follow_ups: int


_DEFAULT_CADENCE = CareerSettings._meta.get_field("cadence_days").get_default()


@functools.cache
def _head_sql() -> str:
    # The team's ids arrive as two array parameters (`people.access.team_members`), unnested and joined: no
    # `= ANY(<constant array>)`, whose per-element estimates cost more planning than the counts themselves.
    settings_table = _table(CareerSettings)
    return f"""
WITH cadence AS (
    SELECT coalesce(
        (SELECT s.cadence_days FROM {settings_table} s WHERE s.agency_id = %s),
        (SELECT s.cadence_days FROM {settings_table} s WHERE s.agency_id IS NULL LIMIT 1),
        %s) AS days
), everyone AS (SELECT unnest(%s::bigint[]) AS id), active AS (SELECT unnest(%s::bigint[]) AS id)
SELECT cadence.days,
    (SELECT count(*) FROM active t WHERE NOT EXISTS (
        SELECT 1 FROM {_table(SessionMentee)} sm JOIN {_table(MentoringSession)} ms ON ms.id = sm.session_id
        WHERE sm.employee_id = t.id AND ms.held_on >= %s::date - cadence.days)),
    (SELECT count(*) FROM everyone t JOIN {_table(CareerPlan)} cp ON cp.employee_id = t.id WHERE cp.status = %s),
    (SELECT count(*) FROM everyone t JOIN {_table(AppraisalFollowUp)} f ON f.employee_id = t.id WHERE f.status = %s)
FROM cadence
"""


def head_figures(user: Any, agency_id: int | None, today: dt.date) -> HeadFigures:
    """The head card: the agency's mentoring cadence (its settings row, else the national default row, else the
    model default), active team members without a session held within it, submitted career plans and proposed
    appraisal follow-ups of the team (the team the home page reads once, `people.access.team_members`)."""
    team = team_members(user)
    params = [
        agency_id,
        _DEFAULT_CADENCE,
        team.everyone,
        team.active,
        today,
        PlanStatus.SUBMITTED.value,
        FollowUpStatus.PROPOSED.value,
    ]
    with connection.cursor() as cursor:
        cursor.execute(_head_sql(), params)
        days, stale, plans_waiting, follow_ups = cursor.fetchone()
    return HeadFigures(days=days, stale=stale, plans_waiting=plans_waiting, follow_ups=follow_ups)


@dataclass(frozen=True)
class AdminFigures:
    review: TalentReview | None
    pool: int
    plans: int


def admin_figures(user: Any) -> AdminFigures:
    """The BKD admin card in one statement of plain SQL: the latest talent review the admin sees (as
    `talent.selectors.review_list_visible_to(...).order_by("-year", "-pk").first()`, with its id, name and
    status), its placements in the talent pool boxes (the talent summary's figure of that review, kept current by
    the talent services) and the administered agencies' career plans not archived (the plan coverage summary's
    figure, `careers.summaries.active_plans`)."""
    from asn_portal.models import SummaryState

    from .summaries import PLAN_COVERAGE
    from .talent.summaries import KIND as TALENT_KIND

    scope = scope_for(user)
    if scope.everything:
        visible, plan_agencies = "true", "true"
        params: list[Any] = []
        plan_params: list[Any] = []
    else:
        visible = "(r.agency_id = ANY(%s) OR (r.agency_id = %s AND r.status = %s))"
        params = [sorted(scope.admin_agency_ids), scope.agency_id, ReviewStatus.PUBLISHED.value]
        plan_agencies = "st.agency_id = ANY(%s)"
        plan_params = [sorted(scope.admin_agency_ids)]
    sql = f"""
SELECT r.id, r.name, r.status,
    (SELECT (st.figures ->> ('pool:' || r.id))::bigint FROM {_table(SummaryState)} st
      WHERE st.kind = %s AND st.agency_id = r.agency_id),
    (SELECT coalesce(sum((st.figures ->> 'plans')::bigint), 0) FROM {_table(SummaryState)} st
      WHERE st.kind = %s AND {plan_agencies})
FROM (SELECT 1) AS one
LEFT JOIN LATERAL (
    SELECT r.id, r.agency_id, r.name, r.status FROM {_table(TalentReview)} r WHERE {visible}
    ORDER BY r.year DESC, r.id DESC LIMIT 1
) r ON true
"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [TALENT_KIND, PLAN_COVERAGE, *plan_params, *params])
        review_id, name, status, pool, plans = cursor.fetchone()
    review = None
    if review_id is not None:
        review = TalentReview.from_db(connection.alias, ["id", "name", "status"], [review_id, name, status])
    return AdminFigures(review=review, pool=int(pool or 0), plans=int(plans))
