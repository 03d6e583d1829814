"""Reads for the people app: scoped, N+1-safe querysets. Every page, export and endpoint uses these."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404

from .access import agency_q, employee_q, scope_for
from .choices import ACTIVE_STATUSES
from .models import Employee, OrgUnit, Position


def employee_list_visible_to(*, user: Any) -> QuerySet[Employee]:
    """Employees the user may see, with the joins every list needs."""
    return Employee.objects.filter(employee_q(user)).select_related("unit", "position", "rank", "agency")


def employee_get_visible(*, user: Any, pk: int) -> Employee:
    """One employee the user may see; anything else (another agency, another unit) is a 404."""
    emp = employee_list_visible_to(user=user).filter(pk=pk).first()
    if emp is None:
        raise Http404("Pegawai tidak ditemukan.")
    return emp


def current_employee(user: Any) -> Employee | None:
    """The employee record linked to the signed-in user (None for pure admin accounts)."""
    scope = scope_for(user)
    if not scope.employee_id:
        return None
    cached = getattr(user, "_portal_employee", None)
    if cached is None:
        cached = Employee.objects.select_related("unit", "position", "rank", "agency").get(pk=scope.employee_id)
        user._portal_employee = cached
    return cached


def position_list_visible_to(*, user: Any) -> QuerySet[Position]:
    return Position.objects.filter(agency_q(user)).select_related("unit", "agency")


def unit_list_visible_to(*, user: Any) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(agency_q(user)).select_related("agency", "head_position")


def _holder_subquery(position_ref: str) -> Subquery:
    return Subquery(
        Employee.objects.filter(position_id=OuterRef(position_ref), status__in=ACTIVE_STATUSES)
        .order_by("position_start_date", "pk")
        .values("pk")[:1]
    )


def supervisor_ids_for(employee_ids: Iterable[int]) -> dict[int, int | None]:
    """Direct superior (atasan langsung) of each employee, set-based: the Plt./Plh. override when set,
    otherwise the holder of the post their post reports to; when that post is vacant, the acting head
    (Plt.) of the unit that post heads."""
    ids = list(employee_ids)
    rows = (
        Employee.objects.filter(pk__in=ids)
        .annotate(_holder=_holder_subquery("position__reports_to_id"))
        .annotate(
            _acting=Subquery(
                OrgUnit.objects.filter(head_position_id=OuterRef("position__reports_to_id"))
                .exclude(acting_head_id=None)
                .values("acting_head_id")[:1]
            )
        )
        .values_list("pk", "supervisor_override_id", "_holder", "_acting")
    )
    out: dict[int, int | None] = {}
    for pk, override, holder, acting in rows:
        sup = override or holder or acting
        out[pk] = sup if sup != pk else None
    return out


def supervisor_of(employee: Employee) -> Employee | None:
    sup_id = supervisor_ids_for([employee.pk]).get(employee.pk)
    if sup_id is None:
        return None
    return Employee.objects.select_related("position", "rank", "unit").get(pk=sup_id)


def subordinate_ids_of(employee: Employee) -> list[int]:
    """Direct reports: holders of posts reporting to the employee's post, plus explicit overrides."""
    qs = Employee.objects.filter(status__in=ACTIVE_STATUSES)
    ids = set(qs.filter(supervisor_override=employee).values_list("pk", flat=True))
    if employee.position_id:
        ids |= set(
            qs.filter(position__reports_to_id=employee.position_id, supervisor_override__isnull=True).values_list(
                "pk", flat=True
            )
        )
    ids.discard(employee.pk)
    return sorted(ids)
