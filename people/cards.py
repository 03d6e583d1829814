"""Home cards of the people app (admin: agency counts and vacant posts; head: team; staff: own summary)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest

from . import headcount
from .access import agency_for_request, is_head, scope_for, team_q
from .choices import ACTIVE_STATUSES
from .models import Employee
from .selectors import agency_stats, current_employee, supervisor_of


def admin_card(request: HttpRequest) -> dict[str, Any] | None:
    scope = scope_for(request.user)
    ids = sorted(scope.admin_agency_ids)
    if not ids:
        return None
    agency = agency_for_request(request.user)  # the same default agency as the admin pages
    return {"agency": agency, "stats": agency_stats(agency_id=agency.pk), "more_agencies": len(ids) - 1}


def head_card(request: HttpRequest) -> dict[str, Any] | None:
    if not is_head(request.user):
        return None
    # Unit-wide, not agency-wide: one indexed count over the headed subtrees (unit_id IN the headed units).
    stats = Employee.objects.filter(team_q(request.user)).aggregate(
        total=Count("id", filter=Q(status__in=ACTIVE_STATUSES)),
        on_leave=Count("id", filter=Q(status__in=headcount.ON_LEAVE)),
    )
    return {"stats": stats}


def staff_card(request: HttpRequest) -> dict[str, Any] | None:
    emp = current_employee(request.user)
    if emp is None:
        return None
    return {"emp": emp, "supervisor": supervisor_of(emp)}


__all__ = ["admin_card", "head_card", "staff_card"]
