"""The shared context handed to every app's demo-data seeder (see registry.register_seeder)."""

from __future__ import annotations

import datetime as dt
import random
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
    50,000 employees most of a seeder's time): the same rows, one multi-row INSERT … RETURNING id per batch
    (psycopg2 execute_values), the new pks set on the objects in order, auto_now(_add) fields filled. No
    signals, no conflict handling (a duplicate raises), exactly like bulk_create."""
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
