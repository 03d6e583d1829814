"""Career plan reads: plans a user may see, their actions, progress and coverage by unit."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from careers.choices import ActionStatus, PlanStatus
from careers.models import (
    CareerPlan,
    DevelopmentAction,
)
from people.access import employee_q
from people.choices import ACTIVE_STATUSES
from people.models import Employee, OrgUnit


def plan_list_visible_to(*, user: Any) -> QuerySet[CareerPlan]:
    return (
        CareerPlan.objects.filter(employee_q(user, "employee__"))
        .select_related("employee", "employee__unit", "employee__position", "target_position", "agreed_by")
        .prefetch_related("versions")
        .annotate(
            n_actions=Count("actions", filter=~Q(actions__status=ActionStatus.CANCELLED)),
            n_done=Count("actions", filter=Q(actions__status=ActionStatus.DONE)),
        )
    )


def plan_get_visible(*, user: Any, pk: int) -> CareerPlan:
    plan = plan_list_visible_to(user=user).filter(pk=pk).first()
    if plan is None:
        raise Http404("Rencana karier tidak ditemukan.")
    return plan


def plan_actions(plan: CareerPlan) -> QuerySet[DevelopmentAction]:
    return plan.actions.select_related("competency", "course_offering", "course_offering__course", "mentoring_session")


def current_plan_for(employee: Employee) -> CareerPlan | None:
    return (
        CareerPlan.objects.filter(employee=employee)
        .exclude(status=PlanStatus.ARCHIVED)
        .select_related("target_position", "agreed_by")
        .annotate(
            n_actions=Count("actions", filter=~Q(actions__status=ActionStatus.CANCELLED)),
            n_done=Count("actions", filter=Q(actions__status=ActionStatus.DONE)),
        )
        .first()
    )


def progress_of(plan: Any) -> int:
    n = getattr(plan, "n_actions", 0) or 0
    return round(100 * (getattr(plan, "n_done", 0) or 0) / n) if n else 0


def plan_coverage_by_unit(*, agency_id: int) -> list[dict[str, Any]]:
    """Per top-level unit (OPD): active staff, staff with a plan, agreed plans, and action progress."""
    units = list(OrgUnit.objects.filter(agency_id=agency_id, parent=None, is_active=True).order_by("name"))
    stats: dict[str, dict[str, int]] = {u.path: defaultdict(int) for u in units}

    def top(path: str) -> str | None:
        parts = path.strip("/").split("/")
        return f"/{parts[0]}/" if parts and parts[0] else None

    for path, n in (
        Employee.objects.filter(agency_id=agency_id, status__in=ACTIVE_STATUSES)
        .values_list("unit__path")
        .annotate(n=Count("pk"))
    ):
        t = top(path)
        if t in stats:
            stats[t]["staff"] += n
    for path, status, n in (
        CareerPlan.objects.filter(employee__agency_id=agency_id)
        .exclude(status=PlanStatus.ARCHIVED)
        .values_list("employee__unit__path", "status")
        .annotate(n=Count("pk"))
    ):
        t = top(path)
        if t in stats:
            stats[t]["plans"] += n
            if status == PlanStatus.AGREED:
                stats[t]["agreed"] += n
    for path, status, n in (
        DevelopmentAction.objects.filter(plan__employee__agency_id=agency_id)
        .exclude(plan__status=PlanStatus.ARCHIVED)
        .exclude(status=ActionStatus.CANCELLED)
        .values_list("plan__employee__unit__path", "status")
        .annotate(n=Count("pk"))
    ):
        t = top(path)
        if t in stats:
            stats[t]["actions"] += n
            if status == ActionStatus.DONE:
                stats[t]["done"] += n
    out = []
    for u in units:
        s = stats[u.path]
        out.append(
            {
                "unit": u,
                "staff": s["staff"],
                "plans": s["plans"],
                "agreed": s["agreed"],
                "coverage": round(100 * s["plans"] / s["staff"]) if s["staff"] else 0,
                "progress": round(100 * s["done"] / s["actions"]) if s["actions"] else 0,
            }
        )
    return out
