"""The shared context handed to every app's demo-data seeder (see registry.register_seeder)."""

from __future__ import annotations

import contextvars
import datetime as dt
import functools
import io
import json
import random
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

DEMO_PASSWORD = "demo-asn-2026"


@dataclass
class DemoContext:
    """What seeders share: the size asked for, a seeded RNG, 'today', logins to print and data
    earlier seeders leave for later ones (e.g. data["agencies"])."""

    employees: int
    seed: int
    today: dt.date
    rng: random.Random
    data: dict[str, Any] = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (role label, username, note)
    timings: dict[str, float] = field(default_factory=dict)
    verbosity: int = 1
    # True when the seed owns its connection (not inside a caller's transaction, as in tests): independent
    # set-based steps may then run on a second connection at once (`in_parallel`).
    parallel: bool = False

    def add_login(self, role: str, username: str, note: str = "") -> None:
        self.logins.append((role, username, note))


# Field types psycopg2 adapts as they are; any other field's values go through Django's own preparation.
_NATIVE_FIELDS = {
    "AutoField", "BigAutoField", "BigIntegerField", "BooleanField", "CharField", "DateField", "DateTimeField",
    "DecimalField", "EmailField", "ForeignKey", "IntegerField", "OneToOneField", "PositiveBigIntegerField",
    "PositiveIntegerField", "PositiveSmallIntegerField", "SlugField", "SmallIntegerField", "TextField",
}  # fmt: skip


def bulk_insert(model: Any, objs: list[Any], *, batch: int = 5000) -> list[Any]:
    """`model.objects.bulk_create(objs)` for the seeders, without the ORM's per-value SQL compilation (at
    50,000 employees most of a seeder's time): the same rows in one COPY with ids drawn from the table's
    sequence first (copy_insert; a model with a field type other than plain values and JSON: one multi-row
    INSERT … RETURNING id per batch), the new pks set on the objects in order, auto_now(_add) fields filled.
    No signals, no conflict handling (a duplicate raises), exactly like bulk_create."""
    from django.db import connection
    from django.utils import timezone
    from psycopg2.extras import execute_values

    if not objs:
        return objs
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    stamped = [f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    for f in stamped:  # as bulk_create's pre_save on add: always "now"
        for o in objs:
            setattr(o, f.attname, now)
    native = [f.get_internal_type() in _NATIVE_FIELDS for f in fields]
    if all(ok or f.get_internal_type() == "JSONField" for f, ok in zip(fields, native, strict=True)):
        # Every value as it is (a JSON value is written as JSON): one COPY, the ids drawn beforehand.
        names = [f.attname for f in fields]
        as_json = [not ok for ok in native]

        def plain(o: Any) -> tuple[Any, ...]:
            return tuple(
                json.dumps(v) if js and v is not None else v
                for v, js in zip((getattr(o, n) for n in names), as_json, strict=True)
            )

        ids = copy_insert(model, [plain(o) for o in objs], columns=names, ids=True)
        for o, pk in zip(objs, ids, strict=True):
            o.pk = pk
            o._state.adding, o._state.db = False, connection.alias
        return objs
    cols = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({cols}) VALUES %s RETURNING id"

    def row(o: Any) -> tuple[Any, ...]:
        return tuple(
            getattr(o, f.attname) if ok else f.get_db_prep_save(getattr(o, f.attname), connection)
            for f, ok in zip(fields, native, strict=True)
        )

    with connection.cursor() as cursor, connection.wrap_database_errors:  # django.db.IntegrityError, …
        for i in range(0, len(objs), batch):
            chunk = objs[i : i + batch]
            ids = execute_values(cursor.cursor, sql, [row(o) for o in chunk], page_size=batch, fetch=True)
            for o, (pk,) in zip(chunk, ids, strict=True):
                o.pk = pk
                o._state.adding, o._state.db = False, connection.alias
    return objs


def _copy_text(value: Any) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (dict, list)):
        value = json.dumps(value)
    elif isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def copy_insert(
    model: Any,
    rows: Iterable[Mapping[str, Any] | Sequence[Any]],
    *,
    columns: Sequence[str] | None = None,
    ids: bool = False,
    skip_conflicts: bool = False,
) -> list[int]:
    """Insert plain rows with one PostgreSQL COPY: for the seeders' largest tables, no model instance per row
    (its __init__ and signals cost more than the insert itself). Rows are dicts by field attname (e.g.
    "employee_id"), or tuples in the order of `columns`; a field a row leaves out takes its default
    (auto_now(_add): now), as bulk_create would. With `ids`, the rows' ids are drawn from the table's
    sequence first (one query) and returned in row order; else an empty list. With `skip_conflicts`, rows
    that would break a unique constraint are left out (COPY into a temporary table, then one INSERT … SELECT
    … ON CONFLICT DO NOTHING), as bulk_create(ignore_conflicts=True) would."""
    from django.db import connection
    from django.utils import timezone

    now = timezone.now()
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    names = [f.attname for f in fields]
    defaults = [
        _copy_text(now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default())
        for f in fields
    ]
    position = {name: i for i, name in enumerate(names)}
    slots = [position[c] for c in columns] if columns is not None else []
    lines: list[list[str]] = []
    for row in rows:
        line = defaults.copy()
        if columns is None:
            assert isinstance(row, Mapping)
            for k, v in row.items():
                line[position[k]] = _copy_text(v)
        else:
            for i, v in zip(slots, row, strict=True):
                line[i] = _copy_text(v)
        lines.append(line)
    q = connection.ops.quote_name
    cols = [q(f.column) for f in fields]
    new_ids: list[int] = []
    with connection.cursor() as cursor, connection.wrap_database_errors:
        if ids and lines:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, len(lines)],
            )
            new_ids = sorted(pk for (pk,) in cursor.fetchall())
            cols.insert(0, q(meta.pk.column))
            for line, pk in zip(lines, new_ids, strict=True):
                line.insert(0, str(pk))
        buf = io.StringIO()
        buf.writelines("\t".join(line) + "\n" for line in lines)
        buf.seek(0)
        collist = ", ".join(cols)
        if not skip_conflicts:
            cursor.cursor.copy_expert(f"COPY {q(meta.db_table)} ({collist}) FROM STDIN", buf)
            return new_ids
        cursor.execute(f"CREATE TEMP TABLE _seed_copy AS SELECT {collist} FROM {q(meta.db_table)} WITH NO DATA")
        try:
            cursor.cursor.copy_expert(f"COPY _seed_copy ({collist}) FROM STDIN", buf)
            cursor.execute(
                f"INSERT INTO {q(meta.db_table)} ({collist}) SELECT {collist} FROM _seed_copy ON CONFLICT DO NOTHING"
            )
        finally:
            cursor.execute("DROP TABLE _seed_copy")
    return new_ids


@contextmanager
def indexes_built_after(model: Any) -> Iterator[None]:
    """Bulk-load a table without maintaining its plain indexes row by row: they are dropped here (unique ones
    and those behind a constraint stay, so duplicates are still refused) and built again, each in one sort,
    when the block ends. Inside the seeder's transaction, so a failure rolls the drop back too."""
    from django.db import connection

    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
            WHERE x.indrelid = %s::regclass AND NOT x.indisunique
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
            ORDER BY i.relname
            """,
            [table],
        )
        indexes = cursor.fetchall()
        for name, _ddl in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no index is built over rows with checks pending
        for _name, ddl in indexes:
            cursor.execute(ddl)
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's foreign keys: INITIALLY DEFERRED


@contextmanager
def foreign_keys_checked_at_the_end() -> Iterator[bool]:
    """Bulk-load without PostgreSQL's per-row foreign-key checks, then check every foreign key set-based.

    Django creates foreign keys DEFERRABLE INITIALLY DEFERRED: each inserted row queues one lookup per key,
    run at commit (at 50,000 employees, millions of single-row lookups, much of the seed's commit time). With
    `session_replication_role = replica` (superusers only; this session only, so nothing outlives a killed
    seed) those row triggers are skipped, and `foreign_key_violations` checks each key with one anti-join
    per constraint afterwards. Yields False (and checks row by row, as before) when the role cannot be set."""
    from django.db import DatabaseError, connection, transaction

    try:
        with transaction.atomic(), connection.cursor() as cursor:  # a savepoint inside a caller's transaction
            cursor.execute("SET session_replication_role = replica")
    except DatabaseError:  # not a superuser: keep PostgreSQL's own checks
        yield False
        return
    try:
        yield True
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET session_replication_role")


def in_parallel(steps: Sequence[Callable[[], Any]], *, parallel: bool, workers: int = 2) -> list[Any]:
    """Run independent, committed, set-based steps (each in its own transaction), two at a time on their own
    connections when `parallel` (PostgreSQL then works on both cores), else one after another here. Each
    step must only read committed data: a thread's connection does not see this one's open transaction."""
    if not parallel or len(steps) < 2:
        return [step() for step in steps]
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    def run(step: Callable[[], Any]) -> Any:
        try:
            return step()
        finally:
            connections.close_all()  # this thread's connection

    with ThreadPoolExecutor(max_workers=workers) as pool:  # each step sees this context (summaries.deferred)
        futures = [pool.submit(contextvars.copy_context().run, run, step) for step in steps]
        return [f.result() for f in futures]


def as_ready(
    steps: Sequence[tuple[str, frozenset[str], Callable[[], Any]]], *, parallel: bool, workers: int = 2
) -> list[str]:
    """Run keyed steps, each once all the keys it waits for are done: in the order given when not `parallel`
    (the order must list a step after what it waits for), else up to `workers` at a time on their own
    connections, each started as soon as its own inputs are done (not when a whole group of them is).
    Returns the keys in the order they finished. A step's failure is raised once the running ones end."""
    if not parallel:
        for _key, _after, step in steps:
            step()
        return [key for key, _after, _step in steps]
    from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

    from django.db import connections

    def run(step: Callable[[], Any]) -> Any:
        try:
            return step()
        finally:
            connections.close_all()  # this thread's connection

    pending, done, finished = list(steps), set[str](), list[str]()
    running: dict[Future[Any], str] = {}
    with ThreadPoolExecutor(max_workers=workers) as pool:  # each step sees this context (summaries.deferred)
        while pending or running:
            for item in [s for s in pending if s[1] <= done][: workers - len(running)]:
                pending.remove(item)
                running[pool.submit(contextvars.copy_context().run, run, item[2])] = item[0]
            if not running:
                raise ValueError(f"steps wait for keys never run: {[(k, sorted(a - done)) for k, a, _s in pending]}")
            ended, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in ended:
                key = running.pop(future)
                future.result()
                done.add(key)
                finished.append(key)
    return finished


def foreign_key_violations(*, parallel: bool = False) -> list[str]:
    """Every foreign key of the public schema checked set-based (one anti-join per constraint, as
    `ALTER TABLE … VALIDATE CONSTRAINT` does): the constraints and how many rows point nowhere."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT con.conname, con.conrelid::regclass::text, con.confrelid::regclass::text,
                   array_agg(ca.attname ORDER BY k.ord), array_agg(fa.attname ORDER BY k.ord)
            FROM pg_constraint con
            JOIN pg_namespace n ON n.oid = con.connamespace AND n.nspname = 'public'
            CROSS JOIN LATERAL unnest(con.conkey, con.confkey) WITH ORDINALITY AS k(col, fcol, ord)
            JOIN pg_attribute ca ON ca.attrelid = con.conrelid AND ca.attnum = k.col
            JOIN pg_attribute fa ON fa.attrelid = con.confrelid AND fa.attnum = k.fcol
            WHERE con.contype = 'f'
            GROUP BY con.oid, con.conname, con.conrelid, con.confrelid
            """
        )
        constraints = cursor.fetchall()

    def check(name: str, child: str, parent: str, cols: list[str], pcols: list[str]) -> str | None:
        q = connection.ops.quote_name
        match = " AND ".join(f"p.{q(pc)} = c.{q(cc)}" for cc, pc in zip(cols, pcols, strict=True))
        present = " AND ".join(f"c.{q(cc)} IS NOT NULL" for cc in cols)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM {child} c WHERE {present} "  # noqa: S608 - names from the catalogue
                f"AND NOT EXISTS (SELECT 1 FROM {parent} p WHERE {match})"
            )
            (n,) = cursor.fetchone()
        return f"{name} ({child} → {parent}): {n}" if n else None

    found = in_parallel([functools.partial(check, *c) for c in constraints], parallel=parallel)
    return [f for f in found if f]
