"""Home cards and the profile panel careers registers (asn_portal.registry)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from careers.talent import selectors as talent_selectors
from careers.timeline import selectors as timeline_selectors
from people.access import employee_q, is_head, is_hr_admin, scope_for
from people.models import Employee

from . import home, rules
from .actors import visible_employee_rows_q
from .choices import PlanStatus
from .models import CareerPlan, TalentPlacement


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
    review = talent_selectors.review_list_visible_to(user=user).order_by("-year", "-pk").first()
    pool = TalentPlacement.objects.filter(review=review, box__in=rules.TALENT_POOL_BOXES).count() if review else 0
    plans = CareerPlan.objects.filter(visible_employee_rows_q(user)).exclude(status=PlanStatus.ARCHIVED).count()
    return {"review": review, "pool": pool, "plans": plans}


def profile_panel(request: HttpRequest, employee: Any = None, **_: Any) -> dict[str, Any] | None:
    if employee is None:
        return None
    if not Employee.objects.filter(employee_q(request.user), pk=employee.pk).exists():
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
