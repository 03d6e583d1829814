"""What training writes share: reading a JP figure and the users to notify; what its reads share: `AnyOf`, the
stand-in head and the window statements of precompiled list pages."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Lookup
from django.utils.translation import gettext as _

from asn_portal.errors import ApplicationError
from asn_portal.precompiled import Param, Statement
from people.access import Scope, prefix_patterns, scope_for
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


class StandInHead:
    """A user heading a stand-in unit path (`people.access.scope_for` reads the cached `_portal_scope`): a head's
    statement (`asn_portal.precompiled.Statement`) is compiled once per process from `team_q` of this user, the one
    definition of the team, and run with a real head's values (`head_values`) in place of `STAND_IN_HEAD`."""

    is_authenticated = True
    is_superuser = False
    _portal_scope = Scope(head_unit_paths=("/-13016031/",), employee_id=-13_016_032)


# The statement's parameters `patterns` (the LIKE patterns of the headed paths) and `head` (the head's own record).
STAND_IN_HEAD = {
    "patterns": Param(prefix_patterns(StandInHead._portal_scope.head_unit_paths)),
    "head": Param(StandInHead._portal_scope.employee_id),
}


def head_values(user: Any) -> dict[str, Any] | None:
    """The values of `STAND_IN_HEAD` for a head with an employee record (`team_q` is then the units under their
    headed paths without themself); None for anyone else (their team is read by the ORM)."""
    scope = scope_for(user)
    if not scope.head_unit_paths or not scope.employee_id:
        return None
    return {"patterns": prefix_patterns(scope.head_unit_paths), "head": scope.employee_id}


class WindowStatements:
    """Windows `[start:stop]` of a model queryset (`build(**stand-ins)`, ordered), each window a statement compiled
    once per process (`asn_portal.precompiled.Statement`) up to row `max_rows`: a list page's first pages cost a
    run, not a compilation. `instances` returns None past `max_rows` (the caller reads those through the ORM)."""

    def __init__(self, build: Callable[..., Any], *, max_rows: int, **params: Param) -> None:
        self._build, self._params, self.max_rows = build, params, max_rows
        self._windows: dict[tuple[int, int], Statement] = {}

    def instances(self, window: slice, **values: Any) -> list[Any] | None:
        start, stop = window.start or 0, window.stop
        if stop is None or stop > self.max_rows or window.step is not None:
            return None
        statement = self._windows.get((start, stop))
        if statement is None:
            build = self._build
            statement = self._windows.setdefault(
                (start, stop), Statement(lambda **stand_ins: build(**stand_ins)[start:stop], **self._params)
            )
        return statement.instances(**values)

    def compiled_windows(self) -> list[tuple[int, int]]:
        return sorted(self._windows)
