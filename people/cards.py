"""Home cards of the people app (admin: agency counts and vacant posts; head: team; staff: own summary)."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.http import HttpRequest

from . import headcount
from .access import agency_for_request, is_head, scope_for, team_sql
from .choices import ACTIVE_STATUSES
from .models import Employee
from .selectors import agency_stats, current_employee, supervisor_of

_ACTIVE = sorted(str(s) for s in ACTIVE_STATUSES)
_ON_LEAVE = sorted(str(s) for s in headcount.ON_LEAVE)


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
    # Unit-wide, not agency-wide: one indexed count over the headed subtrees (unit_id IN the headed units),
    # in plain SQL (`access.team_sql`, the same people as `team_q`): no query compilation per request.
    team, params = team_sql(request.user, "t")
    sql = (
        "SELECT count(*) FILTER (WHERE t.status = ANY(%s)), count(*) FILTER (WHERE t.status = ANY(%s))"
        f" FROM {Employee._meta.db_table} t WHERE {team}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [_ACTIVE, _ON_LEAVE, *params])
        total, on_leave = cursor.fetchone()
    return {"stats": {"total": total, "on_leave": on_leave}}


def staff_card(request: HttpRequest) -> dict[str, Any] | None:
    emp = current_employee(request.user)
    if emp is None:
        return None
    return {"emp": emp, "supervisor": supervisor_of(emp)}


__all__ = ["admin_card", "head_card", "staff_card"]
