"""Home cards and the profile panel careers registers (asn_portal.registry)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from careers import agency_settings
from careers.plans import selectors as plan_selectors
from careers.talent import selectors as talent_selectors
from careers.timeline import selectors as timeline_selectors
from people.access import employee_q, is_head, is_hr_admin, scope_for, team_q
from people.choices import ACTIVE_STATUSES
from people.models import Employee

from . import rules
from .choices import FollowUpStatus, ItemStatus, PlanStatus
from .models import ActionItem, AppraisalFollowUp, CareerPlan, SessionMentee, TalentPlacement


def staff_card(request: HttpRequest) -> dict[str, Any] | None:
    scope = scope_for(request.user)
    if not scope.employee_id:
        return None
    me = Employee.objects.filter(pk=scope.employee_id).first()
    if me is None:
        return None
    plan = plan_selectors.current_plan_for(me)
    return {
        "plan": plan,
        "progress": plan_selectors.progress_of(plan) if plan else 0,
        "box": talent_selectors.published_boxes([me.pk]).get(me.pk),
        "to_confirm": SessionMentee.objects.filter(employee=me, confirmed_at=None).count(),
        "overdue": ActionItem.objects.filter(
            owner=me, status=ItemStatus.OPEN, due_date__lt=timezone.localdate()
        ).count(),
    }


def head_card(request: HttpRequest) -> dict[str, Any] | None:
    user = request.user
    if not is_head(user):
        return None
    scope = scope_for(user)
    agency_id = scope.agency_id
    days = agency_settings.settings_for(agency_id).cadence_days
    since = timezone.localdate() - dt.timedelta(days=days)
    team = Employee.objects.filter(team_q(user), status__in=ACTIVE_STATUSES)
    stale = team.exclude(session_participations__session__held_on__gte=since).count()
    return {
        "days": days,
        "stale": stale,
        "plans_waiting": CareerPlan.objects.filter(team_q(user, "employee__"), status=PlanStatus.SUBMITTED).count(),
        "follow_ups": AppraisalFollowUp.objects.filter(
            team_q(user, "employee__"), status=FollowUpStatus.PROPOSED
        ).count(),
    }


def admin_card(request: HttpRequest) -> dict[str, Any] | None:
    user = request.user
    if not is_hr_admin(user):
        return None
    review = talent_selectors.review_list_visible_to(user=user).order_by("-year", "-pk").first()
    pool = TalentPlacement.objects.filter(review=review, box__in=rules.TALENT_POOL_BOXES).count() if review else 0
    plans = CareerPlan.objects.filter(employee_q(user, "employee__")).exclude(status=PlanStatus.ARCHIVED).count()
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
