"""`column = ANY(%s::bigint[])`: a list of ids as ONE parameter, so a precompiled statement
(`asn_portal.precompiled.Statement`) can take a list of any length (`__in` writes one placeholder per id)."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Lookup, Q


class _AnyOf(Lookup):  # type: ignore[type-arg]
    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s::bigint[])", [*lhs_params, self.rhs]


def any_of(field: str, ids: list[int]) -> Q:
    """Rows whose `field` (an integer id column) is one of `ids` (same rows as `field__in=ids`)."""
    return Q(_AnyOf(F(field), ids))
