"""ORM reads compiled to SQL once per process (issue #13).

A per-employee page (profile, career timeline, promotion outlook) runs a dozen small reads whose rows cost far
less than building their SQL: Django compiles every queryset again on every request (1-2 ms of CPU each).
`Statement` builds the queryset once with stand-in values, keeps the compiled SQL and swaps the stand-ins for
the request's values when it runs: the same SQL the ORM would send, with the same joins and filters (the
queryset is still written with the ORM), without the compilation. Rows are the driver's tuples (`values_list`
order); fields that need a Python-side converter (JSON, custom fields) must not be selected.

    _PROPOSALS = Statement(
        lambda e: PromotionProposal.objects.filter(employee_id=e).values_list("pk", "status"), e=Param(-7001)
    )
    rows = _PROPOSALS.rows(e=employee.pk)
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import QuerySet


@dataclass(frozen=True)
class Param:
    """A stand-in value: must not occur as any other parameter of the statement (a negative id, a date in
    year 1)."""

    value: Any


class Statement:
    """A queryset compiled on first use; `rows(**values)` runs it with the stand-ins replaced."""

    def __init__(self, build: Callable[..., QuerySet[Any]], **params: Param) -> None:
        self._build = build
        self._params = params
        self._lock = threading.Lock()
        self._compiled: tuple[str, list[tuple[str | None, Any]]] | None = None

    def _compile(self) -> tuple[str, list[tuple[str | None, Any]]]:
        with self._lock:
            if self._compiled is None:
                qs = self._build(**{k: p.value for k, p in self._params.items()})
                sql, params = qs.query.sql_with_params()
                by_value = {_key(p.value): k for k, p in self._params.items()}
                slots = [(by_value.get(_key(v)), v) for v in params]
                missing = set(self._params) - {name for name, _v in slots}
                if missing:
                    raise ValueError(f"stand-ins not found in the compiled SQL: {sorted(missing)}")
                self._compiled = (sql, slots)
            return self._compiled

    def sql(self) -> str:
        return self._compile()[0]

    def rows(self, **values: Any) -> list[tuple[Any, ...]]:
        sql, slots = self._compile()
        params = [v if name is None else values[name] for name, v in slots]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()


def _key(value: Any) -> tuple[type, Any]:
    # 1 == True == 1.0 in Python: the type keeps a stand-in from matching a constant of another type.
    return (type(value), value if not isinstance(value, list) else tuple(value))


FIRST_DAY = dt.date(1, 1, 1)  # a date no record holds: a convenient stand-in for "today"
