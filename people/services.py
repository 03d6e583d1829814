"""Writes for the people app. The employee's current post and rank are the latest history entries,
kept consistent here and only here."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from asn_portal.errors import ApplicationError
from asn_portal.services import audit

from .models import Employee, Position, PositionHistory, Rank, RankHistory


def _refresh_current_position(employee: Employee) -> None:
    latest = employee.position_history.order_by("-start_date", "-pk").first()
    if latest is not None:
        employee.position = latest.position
        employee.position_start_date = latest.start_date
        if latest.position is not None:
            employee.unit_id = latest.position.unit_id
        employee.save(update_fields=["position", "position_start_date", "unit", "updated_at"])


def _refresh_current_rank(employee: Employee) -> None:
    latest = employee.rank_history.select_related("rank").order_by("-start_date", "-pk").first()
    if latest is not None:
        employee.rank = latest.rank
        employee.rank_start_date = latest.start_date
        employee.save(update_fields=["rank", "rank_start_date", "updated_at"])


@transaction.atomic
def employee_appoint(
    *,
    employee: Employee,
    position: Position,
    start_date: dt.date,
    decree_number: str = "",
    decree_date: dt.date | None = None,
    is_acting: bool = False,
    actor: Any,
    reason: str = "",
) -> PositionHistory:
    """Appoint an employee to a post: closes the open history entry, adds the new one (riwayat jabatan)
    and makes it current when it is the latest."""
    if position.agency_id != employee.agency_id:
        raise ApplicationError(_("Jabatan berada di instansi lain."), {"field": "position"})
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    before = {"position": employee.position_id, "position_start_date": employee.position_start_date}
    employee.position_history.filter(end_date__isnull=True, start_date__lt=start_date).update(
        end_date=start_date - dt.timedelta(days=1)
    )
    entry = PositionHistory.objects.create(
        employee=employee,
        position=position,
        position_title=position.title,
        unit_name=position.unit.name,
        start_date=start_date,
        decree_number=decree_number,
        decree_date=decree_date,
        is_acting=is_acting,
    )
    _refresh_current_position(employee)
    audit(
        actor=actor,
        action="employee.appoint",
        obj=employee,
        before=before,
        after={"position": employee.position_id, "position_start_date": employee.position_start_date},
        reason=reason or decree_number,
    )
    return entry


@transaction.atomic
def employee_change_rank(
    *,
    employee: Employee,
    rank: Rank,
    start_date: dt.date,
    decree_number: str = "",
    decree_date: dt.date | None = None,
    promotion_kind: str = "",
    actor: Any,
    reason: str = "",
) -> RankHistory:
    """Record a new rank (riwayat pangkat) and make it current when it is the latest TMT."""
    if RankHistory.objects.filter(employee=employee, rank=rank, start_date=start_date).exists():
        raise ApplicationError(_("Riwayat pangkat ini sudah tercatat."), {"field": "rank"})
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    before = {"rank": employee.rank_id, "rank_start_date": employee.rank_start_date}
    entry = RankHistory.objects.create(
        employee=employee,
        rank=rank,
        start_date=start_date,
        decree_number=decree_number,
        decree_date=decree_date,
        promotion_kind=promotion_kind,
    )
    _refresh_current_rank(employee)
    audit(
        actor=actor,
        action="employee.change_rank",
        obj=employee,
        before=before,
        after={"rank": employee.rank_id, "rank_start_date": employee.rank_start_date},
        reason=reason or decree_number,
    )
    return entry
