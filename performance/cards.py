"""Home cards, the profile panel and timeline entries of the performance app."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from asn_portal.templatetags.portal_builtins import fast_reverse
from people.access import agency_for_request, is_head, scope_for, team_sql
from people.models import Employee
from people.selectors import current_employee
from performance.evaluation.selectors import predikat_records_of
from performance.plans.selectors import INBOX_SECTIONS, SECTION_OF

from .choices import CalibrationStatus, PlanStatus, Predikat
from .models import PerformancePlan, PredikatRecord, UnitCalibration
from .reports import summaries as statistics_summaries


@functools.cache
def _staff_sql() -> str:
    return f"""
SELECT p.id, p.status, r.id, r.year, r.predikat
FROM (SELECT 1) AS one
LEFT JOIN LATERAL (
    SELECT id, status FROM {PerformancePlan._meta.db_table} WHERE employee_id = %s AND year = %s LIMIT 1
) p ON true
LEFT JOIN LATERAL (
    SELECT id, year, predikat FROM {PredikatRecord._meta.db_table} WHERE employee_id = %s ORDER BY year DESC LIMIT 1
) r ON true
"""


def staff_card(request: HttpRequest) -> dict[str, Any] | None:
    emp = current_employee(request.user)
    if emp is None:
        return None
    year = timezone.localdate().year
    # This year's SKP (one per employee and year) and the latest final predikat, in one precompiled statement.
    with connection.cursor() as cursor:
        cursor.execute(_staff_sql(), [emp.pk, year, emp.pk])
        plan_id, status, record_id, record_year, value = cursor.fetchone()
    db = connection.alias
    plan = None if plan_id is None else PerformancePlan.from_db(db, ["id", "status"], [plan_id, status])
    last = (
        None
        if record_id is None
        else PredikatRecord.from_db(db, ["id", "year", "predikat"], [record_id, record_year, value])
    )
    return {"plan": plan, "year": year, "last": last}


def head_card(request: HttpRequest) -> dict[str, Any] | None:
    if not is_head(request.user):
        return None
    counts = _inbox_counts(scope_for(request.user).employee_id)
    return {"counts": counts, "total": sum(counts.values())}


@functools.cache
def _inbox_sql() -> str:
    return f"""
SELECT status, count(*) FROM {PerformancePlan._meta.db_table}
WHERE ((appraiser_id = %s AND status = ANY(%s)) OR (appraiser_superior_id = %s AND status = %s)) AND employee_id <> %s
GROUP BY status
"""


def _inbox_counts(me: int | None) -> dict[str, int]:
    """`plans.selectors.inbox_counts` in one plain-SQL statement (the same inbox: SKPs the employee appraises
    that wait for them, objections their superior decides, never their own), without query compilation."""
    out = dict.fromkeys(INBOX_SECTIONS, 0)
    if not me:
        return out
    waiting = [PlanStatus.SUBMITTED.value, PlanStatus.APPROVED.value, PlanStatus.EVALUATED.value]
    with connection.cursor() as cursor:
        cursor.execute(_inbox_sql(), [me, waiting, me, PlanStatus.OBJECTED.value, me])
        for status, n in cursor.fetchall():
            out[SECTION_OF[status]] += n
    return out


@functools.cache
def _admin_sql() -> str:
    from asn_portal.models import SummaryState

    from .models import EvaluationPeriod, SkpYearSummary

    return f"""
SELECT
    (SELECT coalesce(array_agg(s.value ORDER BY s.value), '{{}}') FROM {SkpYearSummary._meta.db_table} s
      WHERE s.agency_id = %(agency)s AND s.year = %(year)s AND s.measure = %(status)s),
    (SELECT coalesce(array_agg(s.n ORDER BY s.value), '{{}}') FROM {SkpYearSummary._meta.db_table} s
      WHERE s.agency_id = %(agency)s AND s.year = %(year)s AND s.measure = %(status)s),
    (SELECT count(*) FROM {UnitCalibration._meta.db_table} c JOIN {EvaluationPeriod._meta.db_table} p
      ON p.id = c.period_id WHERE p.agency_id = %(agency)s AND c.breaks_rule AND c.status = %(open)s),
    (SELECT st.computed_at FROM {SummaryState._meta.db_table} st
      WHERE st.agency_id = %(agency)s AND st.kind = %(kind)s ORDER BY st.id LIMIT 1)
"""


def admin_figures(agency_id: int, year: int) -> tuple[dict[str, int], int, Any]:
    """The admin card's figures in one statement of plain SQL: ({status: SKPs of `year`} from the statistics
    summary rows, as `statistics_summaries.year_counts`), open unit calibrations breaking the distribution rule,
    and when the statistics were computed (`statistics_summaries.computed_at`)."""
    params: dict[str, Any] = {
        "agency": agency_id,
        "year": year,
        "status": statistics_summaries.STATUS,
        "open": CalibrationStatus.OPEN.value,
        "kind": statistics_summaries.KIND,
    }
    with connection.cursor() as cursor:
        cursor.execute(_admin_sql(), params)
        values, counts, breaking, computed_at = cursor.fetchone()
    return dict(zip(values, counts, strict=True)), breaking, computed_at


def admin_card(request: HttpRequest) -> dict[str, Any] | None:
    scope = scope_for(request.user)
    ids = sorted(scope.admin_agency_ids)
    if not ids:
        return None
    year = timezone.localdate().year
    agency_id = agency_for_request(request.user).pk  # the same default agency as the admin pages
    status, breaking, computed_at = admin_figures(agency_id, year)  # one statement of the summary rows
    not_yet = {PlanStatus.DRAFT, PlanStatus.SUBMITTED, PlanStatus.RETURNED}
    counts = {
        "total": sum(status.values()),
        "approved": sum(n for s, n in status.items() if s not in not_yet),
        "final": sum(n for s, n in status.items() if s in (PlanStatus.FINAL, PlanStatus.RESOLVED)),
    }
    return {"year": year, "counts": counts, "breaking": breaking, "computed_at": computed_at}


def profile_panel(request: HttpRequest, employee: Any = None) -> dict[str, Any] | None:
    if employee is None:
        return None
    history = predikat_records_of(employee)[:6]
    return {"history": history, "plans": _latest_visible_plans(request.user, employee.pk), "employee": employee}


@functools.cache
def _plans_sql(condition: str) -> str:
    return f"""
SELECT p.id, p.year FROM {PerformancePlan._meta.db_table} p JOIN {Employee._meta.db_table} e ON e.id = p.employee_id
WHERE p.employee_id = %s AND ({condition}) ORDER BY p.year DESC LIMIT 3
"""


def _latest_visible_plans(user: Any, employee_id: int) -> list[dict[str, Any]]:
    """The employee's three latest SKPs the user may read (`plan_q`, the same conditions as `plan_q_parts`: the
    admin's agencies, their own SKP, their team's by `people.access.team_sql`, those they appraise or sign
    above) as `{"pk", "year"}` rows, in one plain statement: the ORM compiled `plan_q` on every profile."""
    scope = scope_for(user)
    conditions: list[str] = []
    params: list[Any] = []
    if scope.everything:
        conditions.append("true")
    else:
        if scope.admin_agency_ids:
            conditions.append("p.agency_id = ANY(%s)")
            params.append(sorted(scope.admin_agency_ids))
        if scope.employee_id and scope.agency_id not in scope.admin_agency_ids:
            conditions.append("p.employee_id = %s")
            params.append(scope.employee_id)
        if scope.head_unit_paths:
            team, team_params = team_sql(user, "e")
            conditions.append(team)
            params += team_params
        if scope.employee_id:
            conditions.append("p.appraiser_id = %s OR p.appraiser_superior_id = %s")
            params += [scope.employee_id, scope.employee_id]
    if not conditions:
        return []
    with connection.cursor() as cursor:
        cursor.execute(_plans_sql(" OR ".join(conditions)), [employee_id, *params])
        return [{"pk": pk, "year": year} for pk, year in cursor.fetchall()]


def timeline(employee: Any) -> Iterable[dict[str, Any]]:
    import datetime as dt

    records = predikat_records_of(employee)[:10]
    if not records:
        return
    label, title = _("SKP"), _("Predikat kinerja %(y)s: %(p)s")  # translated once, not once per record
    for rec in records:
        yield {
            "date": dt.date(rec.year, 12, 31),
            "kind": "performance",
            "label": label,
            "title": title % {"y": rec.year, "p": Predikat(rec.predikat).label},
            "detail": rec.get_source_display(),
            "url": fast_reverse("performance:plan-detail", [rec.plan_id], None) if rec.plan_id else "",
        }
