"""What training writes share: reading a JP figure and the users to notify; what its reads share: `AnyOf`."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Lookup
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


class AnyOf(Lookup):  # type: ignore[type-arg]
    """`lhs = ANY(%s)`, the whole list of values as one parameter (`Q(AnyOf(F("course_id"), ids))`): the SQL
    text does not depend on how many values there are, so a statement using it is compiled once per process
    (`asn_portal.precompiled.Statement`, stand-in `Param([-13_016_001])`) and serves any list."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*lhs_params, list(self.rhs)]
