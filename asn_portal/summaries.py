"""Summary rows for agency-wide figures, kept current on change instead of aggregated per request.

A report registers its refresher once (in its app's `ready()` or module import):

    summaries.register("training.jp_compliance", refresh_jp_compliance)   # refresh(agency_id) -> None

The refresher rewrites that agency's rows of its own summary model, set-based (one or a few SQL statements).
Every service that changes the report's inputs calls, inside its transaction:

    summaries.touch("training.jp_compliance", agency_id)

The first touch after a refresh marks the kind dirty (compare-and-set on `SummaryState.dirty_since`) and
enqueues one refresh through the durable outbox, sent after commit; further touches before that refresh runs
add nothing. The refresh clears the mark before it computes, so a change committed meanwhile queues another.
Pages read the summary rows in a few indexed queries and say when they were computed (`computed_at`). A nightly
job (`summary_refresh_all`) recomputes every kind for every agency as a safety net.

A refresher may also return a dict of agency-wide figures (whole numbers, or Decimals): they are kept on the kind's
`SummaryState` row in the same transaction as the rows, and `figures(kind, agency_ids)` reads them back, summed
over the agencies, in one indexed query (the BKD admin's home cards: no time cache, no per-request aggregation).
"""

from __future__ import annotations

import datetime as dt
import json
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from .models import SummaryState
from .precompiled import Param, Statement

REFRESH_TASK = "asn_portal.tasks.summary_refresh"
Refresher = Callable[[int], Mapping[str, int | Decimal] | None]
_REFRESHERS: dict[str, Refresher] = {}
_WITH_FIGURES: set[str] = set()  # kinds whose refresher returns agency figures (`figures`)
# Inside `deferred()`: the first moment each (kind, agency) was touched, instead of marking and queueing it.
_HELD: ContextVar[dict[tuple[str, int], dt.datetime] | None] = ContextVar("summaries_held", default=None)


def register(kind: str, refresh: Refresher, *, figures: bool = False) -> None:
    """`figures=True`: the refresher returns the kind's agency figures (`figures()`), see the module docstring."""
    _REFRESHERS[kind] = refresh
    if figures:
        _WITH_FIGURES.add(kind)


def kinds() -> list[str]:
    return sorted(_REFRESHERS)


def touch(kind: str, agency_id: int | None) -> None:
    """Mark `kind` stale for the agency and queue one refresh after commit (once until it has run)."""
    if agency_id is None:
        return
    held = _HELD.get()
    if held is not None:
        held.setdefault((kind, agency_id), timezone.now())
        return
    from . import outbox

    now = timezone.now()
    with transaction.atomic():
        state, created = SummaryState.objects.get_or_create(
            kind=kind, agency_id=agency_id, defaults={"dirty_since": now}
        )
        if created or SummaryState.objects.filter(pk=state.pk, dirty_since__isnull=True).update(dirty_since=now):
            outbox.enqueue(REFRESH_TASK, kind, agency_id)


@contextmanager
def deferred() -> Iterator[None]:
    """Hold touches back during a bulk load that refreshes everything at its end (the demo seed: its story
    steps go through the services, which touch, and with an eager Celery each touch would recompute a whole
    agency's summary at once). On leaving, a kind still not refreshed since it was first touched is touched
    as usual."""
    held: dict[tuple[str, int], dt.datetime] = {}
    token = _HELD.set(held)
    try:
        yield
    finally:
        _HELD.reset(token)
    for (kind, agency_id), since in sorted(held.items()):
        at = computed_at(kind, agency_id)
        if at is None or at < since:
            touch(kind, agency_id)


def touch_all(kinds_: Iterable[str], agency_ids: Iterable[int | None]) -> None:
    agencies = {a for a in agency_ids if a is not None}
    for kind in kinds_:
        for agency_id in sorted(agencies):
            touch(kind, agency_id)


def agency_of(obj: object) -> int | None:
    """The agency an edited row belongs to: its own `agency_id`, or that of its employee or unit; None when the
    row carries none (reference data such as a rank or a national competency)."""
    agency_id = getattr(obj, "agency_id", None)
    if agency_id is not None:
        return int(agency_id)
    for owner in ("employee", "unit"):
        if getattr(obj, f"{owner}_id", None) is not None:
            return agency_of(getattr(obj, owner))
    return None


def touch_after_edit(objects: Iterable[object]) -> None:
    """Rows edited outside the services (the Django admin): every kind goes stale for the agencies they belong
    to, or for every agency that has summary rows when one of them belongs to none (reference data)."""
    agencies = {agency_of(obj) for obj in objects}
    if None in agencies:
        agencies = set(SummaryState.objects.values_list("agency_id", flat=True).distinct())
    touch_all(kinds(), agencies)


def refresh(kind: str, agency_id: int) -> dt.datetime:
    """Recompute one agency's rows of `kind` now (serialised per kind and agency); returns when."""
    refresher = _REFRESHERS[kind]
    SummaryState.objects.get_or_create(kind=kind, agency_id=agency_id)
    # Cleared before computing: a change committed while this runs marks it dirty again and queues a refresh.
    SummaryState.objects.filter(kind=kind, agency_id=agency_id).update(dirty_since=None)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_lock_key(kind), agency_id])
        figures = refresher(agency_id)
        now = timezone.now()
        update: dict[str, Any] = {"computed_at": now}
        if figures is not None:
            update["figures"] = {k: str(v) if isinstance(v, Decimal) else v for k, v in figures.items()}
        SummaryState.objects.filter(kind=kind, agency_id=agency_id).update(**update)
    return now


def refresh_all(agency_ids: Iterable[int], kinds_: Iterable[str] | None = None) -> int:
    """Recompute every (or the given) kind for each agency; returns how many were computed."""
    done = 0
    for agency_id in agency_ids:
        for kind in kinds_ if kinds_ is not None else kinds():
            refresh(kind, agency_id)
            done += 1
    return done


# Compiled once per process (asn_portal.precompiled): pages with summary figures read it on every request.
_COMPUTED_AT = Statement(
    lambda kind, agency_id: (
        SummaryState.objects.filter(kind=kind, agency_id=agency_id).order_by("pk").values_list("computed_at")[:1]
    ),
    kind=Param("\x00summary-kind-stand-in"),
    agency_id=Param(2_113_016_041),  # in the field's range (positive): the ORM drops an impossible comparison
)


def computed_at(kind: str, agency_id: int | None) -> dt.datetime | None:
    """When the figures a page shows were computed (None: never; the page says so)."""
    if agency_id is None:
        return None
    rows = _COMPUTED_AT.rows(kind=kind, agency_id=agency_id)
    return rows[0][0] if rows else None


_FIGURES_SQL = f"SELECT figures FROM {SummaryState._meta.db_table} WHERE kind = %s AND agency_id = ANY(%s)"
_ALL_FIGURES_SQL = f"SELECT figures FROM {SummaryState._meta.db_table} WHERE kind = %s"


_KINDS_FIGURES_SQL = (
    f"SELECT kind, agency_id, figures FROM {SummaryState._meta.db_table} WHERE kind = ANY(%s) AND agency_id = ANY(%s)"
)
_ALL_KINDS_FIGURES_SQL = f"SELECT kind, agency_id, figures FROM {SummaryState._meta.db_table} WHERE kind = ANY(%s)"
# Inside `figures_read_together()`: {agencies read (None: every agency): {kind: [stored figures per agency]}}.
_READ: ContextVar[dict[frozenset[int] | None, dict[str, dict[int, Any]]] | None] = ContextVar(
    "summaries_figures_read", default=None
)


@contextmanager
def figures_read_together() -> Iterator[None]:
    """Within (one request: the home page's cards), the first `figures()` call reads every figures kind of its
    agencies in one query, and the next calls for those agencies (or some of them) are answered from that read:
    the BKD admin's cards ask several kinds of the same agencies. Nothing outlives the block (no time cache)."""
    token = _READ.set({})
    try:
        yield
    finally:
        _READ.reset(token)


def figures(kind: str, agency_ids: Iterable[int] | None) -> dict[str, int | Decimal]:
    """The figures the refreshes of `kind` returned, summed over the given agencies (None: every agency), in one
    indexed query of plain SQL; an agency not computed yet adds nothing (the nightly refresh, `seed_demo` and
    `fill_missing_figures` compute every agency)."""
    wanted = None if agency_ids is None else frozenset(agency_ids)
    read = _READ.get()
    if read is not None and kind in _WITH_FIGURES:
        return _sum_figures(_read_together(read, wanted)[kind], wanted)
    with connection.cursor() as cursor:
        if wanted is None:
            cursor.execute(_ALL_FIGURES_SQL, [kind])
        else:
            cursor.execute(_FIGURES_SQL, [kind, sorted(wanted)])
        rows = cursor.fetchall()
    return _sum_figures({i: stored for i, (stored,) in enumerate(rows)}, None)


def _read_together(
    read: dict[frozenset[int] | None, dict[str, dict[int, Any]]], wanted: frozenset[int] | None
) -> dict[str, dict[int, Any]]:
    """Every figures kind's stored figures per agency, from an earlier read covering `wanted`, else read now."""
    for agencies, earlier in read.items():
        if agencies is None or (wanted is not None and wanted <= agencies):
            return earlier
    with connection.cursor() as cursor:
        if wanted is None:
            cursor.execute(_ALL_KINDS_FIGURES_SQL, [sorted(_WITH_FIGURES)])
        else:
            cursor.execute(_KINDS_FIGURES_SQL, [sorted(_WITH_FIGURES), sorted(wanted)])
        rows = cursor.fetchall()
    by_kind: dict[str, dict[int, Any]] = {kind: {} for kind in _WITH_FIGURES}
    for kind, agency_id, stored in rows:
        by_kind[kind][agency_id] = stored
    read[wanted] = by_kind
    return by_kind


def _sum_figures(stored_by_agency: dict[int, Any], wanted: frozenset[int] | None) -> dict[str, int | Decimal]:
    out: dict[str, int | Decimal] = {}
    for agency_id, stored in stored_by_agency.items():
        if wanted is not None and agency_id not in wanted:
            continue
        # a raw cursor gives jsonb as text (Django's own loader is the field's)
        for name, value in (json.loads(stored) if isinstance(stored, str) else stored or {}).items():
            number = Decimal(value) if isinstance(value, str) else value
            out[name] = out.get(name, 0) + number
    return out


def fill_missing_figures() -> int:
    """Recompute the agencies computed before their kind's refresher returned figures (a database upgraded past
    asn_portal 0011: the admin's home cards would show zeros until the nightly refresh). Run after migrate
    (asn_portal.apps); returns how many (kind, agency) pairs were computed."""
    pending = SummaryState.objects.filter(kind__in=sorted(_WITH_FIGURES), figures={}, computed_at__isnull=False)
    done = 0
    for kind, agency_id in sorted(pending.values_list("kind", "agency_id")):
        refresh(kind, agency_id)
        done += 1
    return done


def _lock_key(kind: str) -> int:
    return zlib.crc32(kind.encode()) & 0x7FFFFFFF
