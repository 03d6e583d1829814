"""Home cards of the people app (admin: agency counts and vacant posts; head: team; staff: own summary)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .access import agency_for_request, is_head, scope_for, team_members
from .selectors import agency_stats, current_employee_and_supervisor


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
    # Unit-wide, not agency-wide: the team read once per request (`access.team_members`, the same people as
    # `team_q`), which the training and careers head cards count with too.
    team = team_members(request.user)
    return {"stats": {"total": team.active_count, "on_leave": team.on_leave_count}}


def staff_card(request: HttpRequest) -> dict[str, Any] | None:
    emp, supervisor = current_employee_and_supervisor(request.user)  # one statement for both
    if emp is None:
        return None
    return {"emp": emp, "supervisor": supervisor}


__all__ = ["admin_card", "head_card", "staff_card"]
