"""What training writes share: reading a JP figure and the users to notify."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from asn_portal.errors import ApplicationError
from people.access import scope_for
from people.models import Employee


def to_decimal(value: Any, field: str = "jp") -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ApplicationError(_("Nilai JP tidak valid."), {"field": field})


def users_of(employee_ids: list[int | None]) -> list[Any]:
    ids = [i for i in employee_ids if i]
    if not ids:
        return []
    return [e.user for e in Employee.objects.filter(pk__in=ids).exclude(user=None).select_related("user")]


def actor_employee_id(actor: Any) -> int | None:
    return scope_for(actor).employee_id
