"""Career plan reads: plans a user may see, their actions, progress and coverage by unit."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from asn_portal.precompiled import Param, Statement
from careers.actors import visible_employee_rows_q
from careers.choices import ActionStatus, PlanStatus
from careers.models import (
    CareerPlan,
    DevelopmentAction,
    PlanCoverageSummary,
)
from people.choices import ACTIVE_STATUSES
from people.models import Employee, OrgUnit


def plan_list_visible_to(*, user: Any) -> QuerySet[CareerPlan]:
    return (
        CareerPlan.objects.filter(visible_employee_rows_q(user))
        .select_related("employee", "employee__unit", "employee__position", "target_position", "agreed_by")
        .prefetch_related("versions")
        .annotate(
            n_actions=Count("actions", filter=~Q(actions__status=ActionStatus.CANCELLED)),
            n_done=Count("actions", filter=Q(actions__status=ActionStatus.DONE)),
        )
    )


def plan_rows_visible_to(*, user: Any) -> QuerySet[CareerPlan]:
    """The plans list's rows: each plan with its employee, unit and target post joined, nothing grouped (the
    action counts of one page come from `with_action_count_columns`, so the page does not group the agency's
    plans by their actions)."""
    return CareerPlan.objects.filter(visible_employee_rows_q(user)).select_related(
        "employee", "employee__unit", "target_position"
    )


def with_action_count_columns(qs: QuerySet[CareerPlan]) -> QuerySet[CareerPlan]:
    """`n_actions` (not cancelled) and `n_done` of each plan as correlated subqueries in the same query: computed
    for the rows a page returns only (nothing grouped, no second query); 0 for a plan without actions."""
    actions = DevelopmentAction.objects.filter(plan_id=OuterRef("pk")).order_by().values("plan_id")
    return qs.annotate(
        n_actions=Coalesce(
            Subquery(actions.exclude(status=ActionStatus.CANCELLED).annotate(n=Count("pk")).values("n")), 0
        ),
        n_done=Coalesce(Subquery(actions.filter(status=ActionStatus.DONE).annotate(n=Count("pk")).values("n")), 0),
    )


def plan_values_visible_to(*, user: Any, keys: list[str]) -> QuerySet[CareerPlan, dict[str, Any]]:
    """The plans API list: visible plans as `values(*keys)` rows in id order with `n_actions` and `n_done`
    (`with_action_count_columns`)."""
    visible = CareerPlan.objects.filter(visible_employee_rows_q(user))
    return with_action_count_columns(visible).values(*keys, "n_actions", "n_done").order_by("pk")


def plan_get_visible(*, user: Any, pk: int) -> CareerPlan:
    plan = plan_list_visible_to(user=user).filter(pk=pk).first()
    if plan is None:
        raise Http404("Rencana karier tidak ditemukan.")
    return plan


def plan_actions(plan: CareerPlan) -> QuerySet[DevelopmentAction]:
    return plan.actions.select_related("competency", "course_offering", "course_offering__course", "mentoring_session")


def current_plans_of(employee_id: int) -> QuerySet[CareerPlan]:
    """The employee's plans not archived, newest first, with their target post, who agreed them and their action
    counts (`n_actions` not cancelled, `n_done`)."""
    return (
        CareerPlan.objects.filter(employee_id=employee_id)
        .exclude(status=PlanStatus.ARCHIVED)
        .select_related("target_position", "agreed_by")
        .annotate(
            n_actions=Count("actions", filter=~Q(actions__status=ActionStatus.CANCELLED)),
            n_done=Count("actions", filter=Q(actions__status=ActionStatus.DONE)),
        )
    )


# `current_plans_of(e).first()` (a grouped query: `first()` orders it by key) compiled once per process (issue #13:
# its SQL cost more to build than to run).
_CURRENT_PLAN = Statement(lambda e: current_plans_of(e).order_by("pk")[:1], e=Param(-13_007_001))


def current_plan_for(employee: Employee) -> CareerPlan | None:
    plans = _CURRENT_PLAN.instances(e=employee.pk)
    return plans[0] if plans else None


def progress_of(plan: Any) -> int:
    n = getattr(plan, "n_actions", 0) or 0
    return round(100 * (getattr(plan, "n_done", 0) or 0) / n) if n else 0


def _top_unit_path(path: str) -> str | None:
    parts = path.strip("/").split("/")
    return f"/{parts[0]}/" if parts and parts[0] else None


def _tally(
    stats: dict[str, dict[str, int]], rows: Iterable[tuple[Any, ...]], total: str, subset: str, subset_status: str
) -> None:
    """Add grouped (unit path, [status,] n) rows into each top-level unit's `total`, and those with
    `subset_status` also into `subset`."""
    for path, status, n in rows:
        top = _top_unit_path(path)
        if top in stats:
            stats[top][total] += n
            if status == subset_status:
                stats[top][subset] += n


def plan_coverage_counts(*, agency_id: int) -> tuple[list[OrgUnit], dict[str, dict[str, int]]]:
    """Active top-level units (OPDs) by name and, per OPD path, staff / plans / agreed / actions / done counted now
    (three grouped queries): the summary's refresher and its test oracle."""
    units = list(OrgUnit.objects.filter(agency_id=agency_id, parent=None, is_active=True).order_by("name"))
    stats: dict[str, dict[str, int]] = {u.path: defaultdict(int) for u in units}
    staff = (
        Employee.objects.filter(agency_id=agency_id, status__in=ACTIVE_STATUSES)
        .values_list("unit__path")
        .annotate(n=Count("pk"))
    )
    _tally(stats, ((path, None, n) for path, n in staff), "staff", "", "")
    plans = (
        CareerPlan.objects.filter(employee__agency_id=agency_id)
        .exclude(status=PlanStatus.ARCHIVED)
        .values_list("employee__unit__path", "status")
        .annotate(n=Count("pk"))
    )
    _tally(stats, plans, "plans", "agreed", PlanStatus.AGREED)
    actions = (
        DevelopmentAction.objects.filter(plan__employee__agency_id=agency_id)
        .exclude(plan__status=PlanStatus.ARCHIVED)
        .exclude(status=ActionStatus.CANCELLED)
        .values_list("plan__employee__unit__path", "status")
        .annotate(n=Count("pk"))
    )
    _tally(stats, actions, "actions", "done", ActionStatus.DONE)
    return units, stats


def _coverage_row(unit: OrgUnit, c: Mapping[str, int]) -> dict[str, Any]:
    return {
        "unit": unit,
        "staff": c["staff"],
        "plans": c["plans"],
        "agreed": c["agreed"],
        "coverage": round(100 * c["plans"] / c["staff"]) if c["staff"] else 0,
        "progress": round(100 * c["done"] / c["actions"]) if c["actions"] else 0,
    }


def plan_coverage_by_unit_live(*, agency_id: int) -> list[dict[str, Any]]:
    """Per top-level unit (OPD): active staff, staff with a plan, agreed plans, and action progress, counted now."""
    units, stats = plan_coverage_counts(agency_id=agency_id)
    return [_coverage_row(u, stats[u.path]) for u in units]


def plan_coverage_by_unit(*, agency_id: int) -> list[dict[str, Any]]:
    """The same figures read from the agency's summary rows (one indexed query; `careers.summaries`)."""
    rows = PlanCoverageSummary.objects.filter(agency_id=agency_id).select_related("unit").order_by("unit__name")
    return [
        _coverage_row(
            r.unit, {"staff": r.staff, "plans": r.plans, "agreed": r.agreed, "actions": r.actions, "done": r.done}
        )
        for r in rows
    ]
