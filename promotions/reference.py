"""The KP reference data (PNS rank ladder, education caps, AK thresholds, active rule version), read once per
process instead of in four queries on every outlook (staff page, home card, profile panel, API).

The copy is keyed by a version stamp kept in the Django cache: saving or deleting a row of those tables (the
admin, a data migration) puts a new stamp there, and the next read in any process sharing that cache loads the
tables again. A process whose cache is its own (the default local-memory cache) also reloads after
`MAX_AGE_SECONDS`, so another worker's edit is seen within a minute. Inside a transaction (a service's write, a
test) the tables are read from the database as before: a copy must never outlive a rolled-back edit.
"""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction

from people.models import Rank

from . import rules
from .data import RULE_VERSION
from .models import CreditPointThreshold, EducationRankCap, RuleSet

STAMP_KEY = "promotions:reference-stamp"
MAX_AGE_SECONDS = 60.0


@dataclass(frozen=True)
class Reference:
    tables: rules.Tables
    ranks: dict[int, Rank]  # PNS ranks by order
    version: str  # the active rule set's version

    @property
    def rank_ids(self) -> dict[int, int]:
        return {order: rank.pk for order, rank in self.ranks.items()}


_lock = threading.Lock()
_memo: tuple[str, float, Reference] | None = None  # (stamp, loaded at, reference)


def _load_ladder_and_tables() -> tuple[dict[int, Rank], rules.Tables]:
    ranks = {r.order: r for r in Rank.objects.filter(scheme="pns")}
    return ranks, rules.Tables(
        rank_codes={order: r.code for order, r in ranks.items()},
        education_caps=dict(EducationRankCap.objects.values_list("education_level", "max_rank_code")),
        credit_thresholds={
            (c, r): p for c, r, p in CreditPointThreshold.objects.values_list("category", "rank_code", "points")
        },
    )


def _load_version() -> str:
    return RuleSet.objects.filter(is_active=True).values_list("version", flat=True).first() or RULE_VERSION


def load() -> Reference:
    """The reference data straight from the database (four small queries)."""
    ranks, tables = _load_ladder_and_tables()
    return Reference(tables=tables, ranks=ranks, version=_load_version())


def _stamp() -> str:
    stamp = cache.get(STAMP_KEY)
    if stamp is None:
        cache.add(STAMP_KEY, uuid.uuid4().hex, None)
        stamp = cache.get(STAMP_KEY) or ""
    return str(stamp)


def current() -> Reference:
    """The reference data, from this process's copy while its stamp is current."""
    global _memo
    if connection.in_atomic_block:
        return load()
    stamp = _stamp()
    now = time.monotonic()
    memo = _memo
    if memo is not None and memo[0] == stamp and now - memo[1] < MAX_AGE_SECONDS:
        return memo[2]
    ref = load()
    if ref.ranks and ref.tables.education_caps and ref.tables.credit_thresholds:
        # Never keep a half-seeded copy (a flushed test database before its loaders ran again).
        with _lock:
            _memo = (stamp, now, ref)
    return ref


def ladder_and_tables() -> tuple[dict[int, Rank], rules.Tables]:
    """The PNS ranks by order and the rule tables (three queries inside a transaction, else the copy)."""
    if connection.in_atomic_block:
        return _load_ladder_and_tables()
    ref = current()
    return ref.ranks, ref.tables


def version() -> str:
    """The active rule set's version (one query inside a transaction, else the copy)."""
    return _load_version() if connection.in_atomic_block else current().version


def invalidate(**_kwargs: Any) -> None:
    """A reference row changed: every process reloads (now, and again once the change is committed)."""

    def bump() -> None:
        global _memo
        cache.set(STAMP_KEY, uuid.uuid4().hex, None)
        with _lock:
            _memo = None

    bump()
    transaction.on_commit(bump)


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_migrate, post_save

    # A migration (or a test database flush, which sends post_migrate) may rewrite the tables in bulk.
    post_migrate.connect(invalidate, dispatch_uid="promotions-reference-migrate")
    for model in (Rank, EducationRankCap, CreditPointThreshold, RuleSet):
        post_save.connect(invalidate, sender=model, dispatch_uid=f"promotions-reference-{model.__name__}-save")
        post_delete.connect(invalidate, sender=model, dispatch_uid=f"promotions-reference-{model.__name__}-delete")
