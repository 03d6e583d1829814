"""Single employees and their histories in precompiled statements (issue #13).

The home page's "Data saya" card and every profile read one employee with post, rank, unit and agency, their
direct superior and their post/rank/sanction histories. Built through the ORM, those joins, prefetches and the
superior's nested subqueries cost 8-15 ms of query compilation per request for a handful of rows; here each
statement is built once per process from the models' own metadata and the rows become ordinary model
instances with their related objects in place (what `select_related`/`prefetch_related` give). Who may see
the employee is still decided by `people.access.employee_q` (see `selectors.employee_profile`).
"""

from __future__ import annotations

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


def supervisor_with_relations(pk: int, relations: tuple[str, ...] = ("position", "rank", "unit")) -> Employee | None:
    """The direct superior of employee `pk` with `relations` loaded, in one query, or None."""
    sup = _SUPERVISOR_ID.format(
        employee=Employee._meta.db_table, unit=OrgUnit._meta.db_table, position=Position._meta.db_table
    )
    rows = _fetch(Employee, relations, f'WHERE t."id" = {sup} AND t."id" <> %(pk)s', {"pk": pk, "active": _ACTIVE})
    return rows[0] if rows else None


def attach_histories(employee: Employee, *, sanctions: bool = True) -> None:
    """Load the employee's posts and ranks (newest first) and disciplinary sanctions (unless `sanctions=False`)
    into the prefetch cache, as `prefetch_related("position_history", "rank_history__rank", "sanctions")` would."""
    where = 'WHERE t."employee_id" = %s ORDER BY t."start_date" DESC'
    lists = {
        "position_history": _fetch(PositionHistory, (), f'{where}, t."id" DESC', [employee.pk]),
        "rank_history": _fetch(RankHistory, ("rank",), where, [employee.pk]),
    }
    if sanctions:
        lists["sanctions"] = _fetch(DisciplinarySanction, (), where, [employee.pk])
    cache = employee.__dict__.setdefault("_prefetched_objects_cache", {})
    for name, rows in lists.items():
        manager = getattr(employee, name)
        qs = manager.get_queryset()
        qs._result_cache = rows
        qs._prefetch_done = True
        cache[name] = qs
