"""Single employees and their histories in precompiled statements (issue #13).

The home page's "Data saya" card and every profile read one employee with post, rank, unit and agency, their
direct superior and their post/rank/sanction histories. Built through the ORM, those joins, prefetches and the
superior's nested subqueries cost 8-15 ms of query compilation per request for a handful of rows; here each
statement is built once per process from the models' own metadata and the rows become ordinary model
instances with their related objects in place (what `select_related`/`prefetch_related` give). Who may see
the employee is still decided by `people.access.employee_q` (see `selectors.employee_profile`).
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from django.db import connection
from django.db.models import Model

from .choices import ACTIVE_STATUSES
from .models import Agency, DisciplinarySanction, Employee, OrgUnit, Position, PositionHistory, Rank, RankHistory

EMPLOYEE_RELATIONS: dict[str, type[Model]] = {"unit": OrgUnit, "position": Position, "rank": Rank, "agency": Agency}

Parts = list[tuple[str, type[Model], list[str]]]


def _columns(model: type[Model], alias: str) -> tuple[list[str], str]:
    fields = [f.attname for f in model._meta.concrete_fields]
    cols = ", ".join(f'{alias}."{f.column}"' for f in model._meta.concrete_fields)
    return fields, cols


@functools.cache
def _select(model: type[Model], relations: tuple[str, ...]) -> tuple[str, Parts]:
    """`SELECT t.*, <each forward relation's columns> FROM <model> t LEFT JOIN …` and how to split a row."""
    fields, base_cols = _columns(model, "t")
    parts: Parts = [("", model, fields)]
    cols, joins = [base_cols], []
    for i, name in enumerate(relations):
        field = model._meta.get_field(name)
        related: type[Model] = field.related_model  # type: ignore[assignment]
        rel_fields, rel_cols = _columns(related, f"r{i}")
        cols.append(rel_cols)
        joins.append(f'LEFT JOIN {related._meta.db_table} r{i} ON r{i}."id" = t."{field.column}"')  # type: ignore[union-attr]
        parts.append((name, related, rel_fields))
    return f"SELECT {', '.join(cols)} FROM {model._meta.db_table} t {' '.join(joins)}", parts


def _build(row: tuple[Any, ...], parts: Parts) -> Any:
    db = connection.alias
    start = len(parts[0][2])
    obj = parts[0][1].from_db(db, parts[0][2], row[:start])
    for name, model, fields in parts[1:]:
        values = row[start : start + len(fields)]
        start += len(fields)
        obj._state.fields_cache[name] = None if values[0] is None else model.from_db(db, fields, values)
    return obj


def _fetch(model: type[Model], relations: tuple[str, ...], tail: str, params: Any) -> list[Any]:
    sql, parts = _select(model, relations)
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} {tail}", params)
        return [_build(row, parts) for row in cursor.fetchall()]


def employee_with_relations(
    pk: int, *, visible: tuple[str, Any] | None = None, relations: tuple[str, ...] = tuple(EMPLOYEE_RELATIONS)
) -> Employee | None:
    """Employee `pk` with `relations` (of unit, position, rank, agency) loaded, or None; `visible` is a compiled
    `(sql, params)` subquery of the employee ids the reader may see (None: no restriction)."""
    tail, params = 't."id" = %s', [pk]
    if visible is not None:
        tail += f' AND t."id" IN ({visible[0]})'
        params += list(visible[1])
    rows = _fetch(Employee, relations, f"WHERE {tail}", params)
    return rows[0] if rows else None


_ACTIVE = sorted(str(s.value) for s in ACTIVE_STATUSES)

# The direct superior (people.selectors._supervisor_expr, written out): the Plt./Plh. override, else the
# longest-serving active holder of the post one's post reports to, else the acting head of the unit that post
# heads. The employee themself is never their own superior.
_SUPERVISOR_ID = """(
    SELECT COALESCE(
        me."supervisor_override_id",
        (SELECT h."id" FROM {employee} h
          WHERE h."position_id" = p."reports_to_id" AND h."status" = ANY(%(active)s)
          ORDER BY h."position_start_date", h."id" LIMIT 1),
        (SELECT u."acting_head_id" FROM {unit} u
          WHERE u."head_position_id" = p."reports_to_id" AND u."acting_head_id" IS NOT NULL
          ORDER BY u."path" LIMIT 1)
    )
    FROM {employee} me LEFT JOIN {position} p ON p."id" = me."position_id"
    WHERE me."id" = %(pk)s
)"""


def _supervisor_sql() -> str:
    return _SUPERVISOR_ID.format(
        employee=Employee._meta.db_table, unit=OrgUnit._meta.db_table, position=Position._meta.db_table
    )


def supervisor_with_relations(pk: int, relations: tuple[str, ...] = ("position", "rank", "unit")) -> Employee | None:
    """The direct superior of employee `pk` with `relations` loaded, in one query, or None."""
    sup = _supervisor_sql()
    rows = _fetch(Employee, relations, f'WHERE t."id" = {sup} AND t."id" <> %(pk)s', {"pk": pk, "active": _ACTIVE})
    return rows[0] if rows else None


def employee_and_supervisor(pk: int) -> tuple[Employee | None, Employee | None]:
    """`employee_with_relations(pk)` and `supervisor_with_relations(pk)` in one round trip (the home page's
    "Data saya" card shows both): both rows from one statement, told apart by id; the superior's relations as
    `supervisor_with_relations` loads them."""
    sup = _supervisor_sql()
    tail = f'WHERE t."id" = ANY(ARRAY[%(pk)s::bigint, {sup}])'
    rows = _fetch(Employee, tuple(EMPLOYEE_RELATIONS), tail, {"pk": pk, "active": _ACTIVE})
    employee = next((r for r in rows if r.pk == pk), None)
    supervisor = next((r for r in rows if r.pk != pk), None)
    if supervisor is not None:
        for name in set(EMPLOYEE_RELATIONS) - set(_SUPERVISOR_RELATIONS):
            supervisor._state.fields_cache.pop(name, None)
    return employee, supervisor


# The profile's lists, as `prefetch_related` names them: model, forward relations loaded, order (newest first).
_HISTORIES: tuple[tuple[str, type[Model], tuple[str, ...], str], ...] = (
    ("position_history", PositionHistory, (), 't."start_date" DESC, t."id" DESC'),
    ("rank_history", RankHistory, ("rank",), 't."start_date" DESC'),
    ("sanctions", DisciplinarySanction, (), 't."start_date" DESC'),
)


_SUPERVISOR_RELATIONS = ("position", "rank", "unit")


@functools.cache
def _history_lists_sql(names: tuple[str, ...], supervisor: bool) -> tuple[str, list[Parts]]:
    """One statement returning each list of `names` as a JSON array of rows (one array per column), and with
    `supervisor` the direct superior's row (`supervisor_with_relations`) as a JSON array in the last column, so
    the histories and the superior of an employee are one round trip instead of one query each."""
    cols, parts_of = [], []
    for name, model, relations, order in _HISTORIES:
        if name not in names:
            continue
        columns, tail, parts = _split_select(model, relations)
        cols.append(
            f"(SELECT coalesce(json_agg(json_build_array({columns}) ORDER BY {order}), '[]'::json)"
            f'{tail} WHERE t."employee_id" = %(pk)s)'
        )
        parts_of.append(parts)
    if supervisor:
        columns, tail, parts = _split_select(Employee, _SUPERVISOR_RELATIONS)
        where = f'WHERE t."id" = {_supervisor_sql()} AND t."id" <> %(pk)s'
        cols.append(f"(SELECT json_build_array({columns}){tail} {where})")
        parts_of.append(parts)
    return f"SELECT {', '.join(cols)}", parts_of


def _split_select(model: type[Model], relations: tuple[str, ...]) -> tuple[str, str, Parts]:
    """`_select`'s statement as its column list and its `FROM … JOIN …` part."""
    select, parts = _select(model, relations)
    cut = select.index(f" FROM {model._meta.db_table} t")
    return select[len("SELECT ") : cut], select[cut:], parts


def _from_json(value: Any, field: Any) -> Any:
    """A JSON value back to what the database adapter gives for `field` (dates and timestamps are ISO text)."""
    if value is None:
        return None
    internal = field.get_internal_type()
    if internal == "DateField":
        return dt.date.fromisoformat(value)
    if internal == "DateTimeField":
        return dt.datetime.fromisoformat(value)
    return value


@functools.cache
def _field_objects(parts: tuple[tuple[str, type[Model], tuple[str, ...]], ...]) -> list[list[Any]]:
    return [[model._meta.get_field(f) for f in fields] for _name, model, fields in parts]


def _build_json(row: list[Any], parts: Parts) -> Any:
    fields_of = _field_objects(tuple((n, m, tuple(f)) for n, m, f in parts))
    values = [_from_json(v, f) for v, f in zip(row, (f for fs in fields_of for f in fs), strict=True)]
    return _build(tuple(values), parts)


def attach_histories(employee: Employee, *, sanctions: bool = True, supervisor: bool = False) -> Employee | None:
    """Load the employee's posts and ranks (newest first) and disciplinary sanctions (unless `sanctions=False`)
    into the prefetch cache, as `prefetch_related("position_history", "rank_history__rank", "sanctions")` would,
    in one query (each list a JSON array, the rows rebuilt as model instances with the adapter's types). With
    `supervisor`, the same query also reads the direct superior and returns them (`supervisor_with_relations`),
    else None."""
    names = ("position_history", "rank_history", "sanctions") if sanctions else ("position_history", "rank_history")
    sql, parts_of = _history_lists_sql(names, supervisor)
    with connection.cursor() as cursor:
        cursor.execute(sql, {"pk": employee.pk, "active": _ACTIVE})
        arrays = cursor.fetchone()
    cache = employee.__dict__.setdefault("_prefetched_objects_cache", {})
    for name, array, parts in zip(names, arrays, parts_of, strict=False):
        rows = [_build_json(r, parts) for r in array]
        manager = getattr(employee, name)
        qs = manager.get_queryset()
        qs._result_cache = rows
        qs._prefetch_done = True
        cache[name] = qs
    if not supervisor or arrays[-1] is None:
        return None
    return _build_json(arrays[-1], parts_of[-1])  # type: ignore[no-any-return]
