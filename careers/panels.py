"""Home cards and the profile panel careers registers (asn_portal.registry)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from careers.timeline import selectors as timeline_selectors
from people.access import employee_q, is_head, is_hr_admin, scope_for

from . import home, rules, summaries


def staff_card(request: HttpRequest) -> dict[str, Any] | None:
    scope = scope_for(request.user)
    if not scope.employee_id:
        return None
    figures = home.staff_figures(scope.employee_id, timezone.localdate())  # one statement
    if figures is None:
        return None
    return {
        "plan": figures.plan,
        "progress": figures.progress,
        "box": figures.box,
        "to_confirm": figures.to_confirm,
        "overdue": figures.overdue,
    }


def head_card(request: HttpRequest) -> dict[str, Any] | None:
    user = request.user
    if not is_head(user):
        return None
    figures = home.head_figures(user, scope_for(user).agency_id, timezone.localdate())  # one statement
    return {
        "days": figures.days,
        "stale": figures.stale,
        "plans_waiting": figures.plans_waiting,
        "follow_ups": figures.follow_ups,
    }


def admin_card(request: HttpRequest) -> dict[str, Any] | None:
    user = request.user
    if not is_hr_admin(user):
        return None
    figures = home.admin_figures(user)  # one statement: the latest review, its pool, the agencies' plans
    return {"review": figures.review, "pool": figures.pool, "plans": figures.plans + _plans_outside(user)}


def _plans_outside(user: Any) -> int:
    """Career plans not archived among the people the admin sees (`employee_q`) outside the administered
    agencies (the summary figure counts those): only someone whose own record is elsewhere, or who heads
    units, may have any; counted live for them."""
    scope = scope_for(user)
    if scope.everything:
        return 0
    agencies = scope.admin_agency_ids
    if not (scope.head_unit_paths or (scope.employee_id and scope.agency_id not in agencies)):
        return 0
    return summaries.active_plans_live(employee_q(user, "employee__") & ~Q(employee__agency_id__in=agencies))


def profile_panel(request: HttpRequest, employee: Any = None, **_: Any) -> dict[str, Any] | None:
    # The profile passes an employee it read through the visible selector (`people.selectors.employee_profile` /
    # `own_profile`, the `employee_q` rule): no second visibility query (docs/architecture.md, registry).
    if employee is None:
        return None
    data = timeline_selectors.timeline_for(employee, today=timezone.localdate())
    box = data["box"]  # the latest published placement, read with the timeline's talent events
    return {
        "employee": employee,
        "events": data["events"][:8],
        "upcoming": data["upcoming"][:5],
        "box": box,
        "recommendation": rules.recommendation(box) if box else "",
    }
