"""ORM reads compiled to SQL once per process (issue #13).

A per-employee page (profile, career timeline, promotion outlook) runs a dozen small reads whose rows cost far
less than building their SQL: Django compiles every queryset again on every request (1-2 ms of CPU each).
`Statement` builds the queryset once with stand-in values, keeps the compiled SQL and swaps the stand-ins for
the request's values when it runs: the same SQL the ORM would send, with the same joins and filters (the
queryset is still written with the ORM), without the compilation. Rows come back as the ORM would give them
(`values_list` tuples, or model objects with their `select_related` objects).

    _PROPOSALS = Statement(
        lambda e: PromotionProposal.objects.filter(employee_id=e).values_list("pk", "status"), e=Param(-7001)
    )
    rows = _PROPOSALS.rows(e=employee.pk)
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.db.models.query import ModelIterable, ValuesListIterable, get_related_populators
from django.db.models.sql.compiler import SQLCompiler


@dataclass(frozen=True)
class Param:
    """A stand-in value: must not occur as any other parameter of the statement (a negative id, a date in
    year 1)."""

    value: Any


class Statement:
    """A queryset compiled on first use; `rows(**values)` (a `values_list` queryset: its tuples) or
    `instances(**values)` (a model queryset, `select_related` included: its objects) runs it with the stand-ins
    replaced. Rows pass through the fields' converters as the ORM's own iteration does."""

    def __init__(self, build: Callable[..., QuerySet[Any]], **params: Param) -> None:
        self._build = build
        self._params = params
        self._lock = threading.Lock()
        self._compiled: _Compiled | None = None

    def _compile(self) -> _Compiled:
        if self._compiled is not None:
            return self._compiled
        with self._lock:
            if self._compiled is None:
                qs = self._build(**{k: p.value for k, p in self._params.items()})
                compiler = qs.query.get_compiler(using=DEFAULT_DB_ALIAS)
                sql, params = compiler.as_sql()
                by_value = {_key(p.value): k for k, p in self._params.items()}
                slots = [(by_value.get(_key(v)), v) for v in params]
                missing = set(self._params) - {name for name, _v in slots}
                if missing:
                    raise ValueError(f"stand-ins not found in the compiled SQL: {sorted(missing)}")
                self._compiled = _Compiled(sql, slots, compiler, qs)
            return self._compiled

    def sql(self) -> str:
        return self._compile().sql

    def _fetch(self, values: dict[str, Any]) -> tuple[_Compiled, list[Any]]:
        c = self._compile()
        params = [v if name is None else values[name] for name, v in c.slots]
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute(c.sql, params)
            return c, cursor.fetchall()

    def rows(self, **values: Any) -> list[tuple[Any, ...]]:
        """The rows `values_list(...)` gives (fields in the order named there)."""
        c, fetched = self._fetch(values)
        if c.queryset._iterable_class is not ValuesListIterable:  # (Django 5.2 selects in the order named)
            raise TypeError("rows() runs a values_list() queryset; instances() a model queryset")
        rows: list[tuple[Any, ...]] = list(c.compiler.results_iter([fetched], tuple_expected=True))  # type: ignore[arg-type]
        return rows

    def instances(self, **values: Any) -> list[Any]:
        """The model objects the queryset gives, their `select_related` objects in place (ModelIterable's rule)."""
        c, fetched = self._fetch(values)
        if c.queryset._iterable_class is not ModelIterable:
            raise TypeError("instances() runs a model queryset; rows() a values_list() one")
        compiler = c.compiler
        select, klass_info, annotations = compiler.select, compiler.klass_info, compiler.annotation_col_map
        model = klass_info["model"]
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        names = [f[0].target.attname for f in select[start:end]]
        populators = get_related_populators(klass_info, select, DEFAULT_DB_ALIAS)  # type: ignore[call-arg]
        out = []
        for row in compiler.results_iter([fetched]):
            obj = model.from_db(DEFAULT_DB_ALIAS, names, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            for attr, i in (annotations or {}).items():
                setattr(obj, attr, row[i])
            out.append(obj)
        return out


@dataclass(frozen=True)
class Shared:
    """A statement's rows read once, as the common table `name` (columns c0, c1, … in the order `values_list`
    names them) that the SQL of the other reads of `rows_together` may read (e.g. through `RawSQL`)."""

    name: str
    statement: Statement
    values: dict[str, Any]


@dataclass(frozen=True)
class SqlRows:
    """A read of `rows_together` written in SQL (over a `Shared` table): its rows' values come back as JSON gives
    them (ids, numbers, texts)."""

    sql: str
    columns: int
    params: tuple[Any, ...] = ()


def rows_together(
    *reads: tuple[Statement, dict[str, Any]] | SqlRows, shared: Shared | None = None
) -> list[list[tuple[Any, ...]]]:
    """Several `values_list` statements in one round trip: `[stmt.rows(**values) for stmt, values in reads]`, each
    statement's rows aggregated into a JSON array (in the order the statement gives them: its own SQL, ORDER BY
    and LIMIT run as a subquery) in one column of a single-row SELECT (issue #13: a page reading four small lists
    of one employee pays one query instead of four). JSON values come back as the database adapter gives them
    (dates and timestamps parsed from their ISO text, decimals sent as text: exact); a statement selecting another
    kind of column is refused. With `shared`, its statement runs once (a materialized common table) and the reads
    may select from it: two reads of the same rows (a page and its figures) pay for finding them once."""
    parts: list[str] = []
    params: list[Any] = []
    plans: list[tuple[_Compiled, list[Callable[[Any], Any]]] | None] = []
    prefix = ""
    if shared is not None:
        c = shared.statement._compile()
        if c.queryset._iterable_class is not ValuesListIterable:
            raise TypeError("rows_together() shares a values_list() queryset")
        columns = ", ".join(f"c{i}" for i in range(len(c.compiler.select)))
        prefix = f"WITH {shared.name}({columns}) AS MATERIALIZED ({c.sql}) "
        params += [v if name is None else shared.values[name] for name, v in c.slots]
    for read in reads:
        if isinstance(read, SqlRows):
            names = [f"c{i}" for i in range(read.columns)]
            cols = ", ".join(f"s.{n}" for n in names)
            parts.append(
                f"(SELECT coalesce(json_agg(json_build_array({cols})), '[]'::json)"
                f" FROM ({read.sql}) AS s({', '.join(names)}))"
            )
            params += list(read.params)
            plans.append(None)
            continue
        statement, values = read
        c = statement._compile()
        if c.queryset._iterable_class is not ValuesListIterable:
            raise TypeError("rows_together() runs values_list() querysets")
        parsers, casts = _json_columns(c)
        names = [f"c{i}" for i in range(len(parsers))]
        cols = ", ".join(f"s.{n}{cast}" for n, cast in zip(names, casts, strict=True))
        parts.append(
            f"(SELECT coalesce(json_agg(json_build_array({cols})), '[]'::json) FROM ({c.sql}) AS s({', '.join(names)}))"
        )
        params += [v if name is None else values[name] for name, v in c.slots]
        plans.append((c, parsers))
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(f"{prefix}SELECT {', '.join(parts)}", params)
        arrays = cursor.fetchone()
    out: list[list[tuple[Any, ...]]] = []
    for plan, array in zip(plans, arrays, strict=True):
        if plan is None:  # SqlRows: the JSON values as they are
            out.append([tuple(row) for row in array])
            continue
        c, parsers = plan
        if all(parse is _as_is for parse in parsers):  # ids, numbers and texts: the JSON values as they are
            fetched: list[Any] = [tuple(row) for row in array]
        else:
            fetched = [tuple(parse(v) for parse, v in zip(parsers, row, strict=True)) for row in array]
        out.append(list(c.compiler.results_iter([fetched], tuple_expected=True)))  # type: ignore[arg-type]
    return out


_JSON_PARSERS: dict[str, Callable[[Any], Any]] = {
    "DateField": dt.date.fromisoformat,
    "DateTimeField": dt.datetime.fromisoformat,
    "DecimalField": Decimal,
}
_JSON_AS_IS = {
    "AutoField",
    "BigAutoField",
    "SmallAutoField",
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "PositiveBigIntegerField",
    "ForeignKey",
    "OneToOneField",
    "BooleanField",
    "CharField",
    "TextField",
    "SlugField",
    "EmailField",
}


def _json_columns(c: _Compiled) -> tuple[list[Callable[[Any], Any]], list[str]]:
    """Per selected column, how its JSON value becomes the adapter's value (None stays None), and the cast its
    value takes into the JSON (a decimal as text, so no digit is lost to a float)."""
    parsers: list[Callable[[Any], Any]] = []
    casts: list[str] = []
    for expression, _sql, _alias in c.compiler.select:
        internal = expression.output_field.get_internal_type()
        parse = _JSON_PARSERS.get(internal)
        if parse is None and internal not in _JSON_AS_IS:
            raise TypeError(f"rows_together() cannot read a {internal} column back from JSON")
        parsers.append(_as_is if parse is None else functools.partial(_or_none, parse))
        casts.append("::text" if internal == "DecimalField" else "")
    return parsers, casts


def _as_is(value: Any) -> Any:
    return value


def _or_none(parse: Callable[[Any], Any], value: Any) -> Any:
    return None if value is None else parse(value)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    slots: list[tuple[str | None, Any]]
    compiler: SQLCompiler
    queryset: Any  # the QuerySet (its private _fields and _iterable_class are read)


def _key(value: Any) -> tuple[type, Any]:
    # 1 == True == 1.0 in Python: the type keeps a stand-in from matching a constant of another type.
    return (type(value), value if not isinstance(value, list) else tuple(value))


FIRST_DAY = dt.date(1, 1, 1)  # a date no record holds: a convenient stand-in for "today"
