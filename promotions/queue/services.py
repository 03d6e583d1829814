"""Queue writes: build an agency's queue for a period, the nightly build of open periods, periods ahead."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from asn_portal import fanout
from asn_portal.services import job_run
from promotions import rules, selectors
from promotions.actors import require_admin
from promotions.choices import (
    QueueStatus,
)
from promotions.models import (
    PromotionPeriod,
    QueueCountSummary,
    QueueEntry,
)


def near_limit_for(period_date: dt.date) -> dt.date:
    """'Hampir memenuhi syarat' = eligible within the next two periods."""
    return rules.period_dates_from(period_date + dt.timedelta(days=1), 2)[-1]


def queue_build(*, period: PromotionPeriod, agency_id: int, actor: Any | None) -> dict[str, int]:
    """Compute a period's KP queue for every PNS of the agency, set-based: load all inputs in a handful of
    queries, evaluate the pure rules in Python, replace the period's rows with one bulk insert.
    `actor` is the BKD admin who asked for it (checked), or None for the scheduled nightly build."""
    if actor is not None:
        require_admin(actor, agency_id)
    with job_run("promotions.queue_build", agency_id=agency_id) as run:
        day = period.period_date
        reference = selectors.load_queue_reference()  # rule tables, rank ids, rule version: once per build
        tables, version, rank_id = reference.tables, reference.version, reference.rank_ids
        bundle = selectors.load_rank_facts(agency_id=agency_id, as_of=day)
        proposed = selectors.open_proposal_ids(period, agency_id)
        near_by = near_limit_for(day)
        now = timezone.now()
        rows: list[tuple[Any, ...]] = []
        counts = dict.fromkeys(QueueStatus.values, 0)
        for facts in bundle.facts:
            ev = rules.evaluate(facts, day, tables, window_opens=period.submission_opens)
            next_date: dt.date | None
            if ev.eligible:
                status, next_date = QueueStatus.ELIGIBLE, day
            else:
                next_date = rules.next_eligible_period(facts, day, tables, now=ev)
                status = QueueStatus.NEAR if next_date and next_date <= near_by else QueueStatus.BLOCKED
            if facts.employee_id in proposed:
                status = QueueStatus.PROPOSED
            counts[status] += 1
            meta = bundle.meta[facts.employee_id]
            rows.append(
                (
                    period.pk,
                    agency_id,
                    facts.employee_id,
                    meta["unit_id"],
                    ev.kind,
                    status,
                    meta["rank_id"],
                    rank_id.get(ev.target_order) if ev.target_order else None,
                    [r.as_dict() for r in ev.failing],
                    next_date,
                    ev.credit_points,
                    version,
                    now,
                )
            )
        with transaction.atomic():
            QueueEntry.objects.filter(period=period, agency_id=agency_id).delete()
            _insert_entries(rows)
            _write_counts(period.pk, agency_id, counts, now)
        run.counts.update(counts)
        run.counts["employees"] = len(rows)
    return run.counts


def _write_counts(period_id: int, agency_id: int, counts: dict[str, int], at: dt.datetime) -> None:
    """Replace the period's summary rows for the agency (one row per status, zeros included)."""
    QueueCountSummary.objects.filter(period_id=period_id, agency_id=agency_id).delete()
    QueueCountSummary.objects.bulk_create(
        [
            QueueCountSummary(
                period_id=period_id, agency_id=agency_id, status=status, n=counts.get(status, 0), computed_at=at
            )  # fmt: skip
            for status in QueueStatus.values
        ]
    )


def queue_counts_refresh(*, period_id: int, agency_id: int) -> None:
    """Recount one agency's queue of a period after people moved between statuses (a proposal, a rejection):
    one grouped query on the (period, agency, status) index, then the summary rows. Called by the proposal
    services inside their transaction."""
    counts = dict(
        QueueEntry.objects.filter(period_id=period_id, agency_id=agency_id)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    with transaction.atomic():
        _write_counts(period_id, agency_id, counts, timezone.now())


QUEUE_COLUMNS = [
    "period_id", "agency_id", "employee_id", "unit_id", "kind", "status", "current_rank_id", "target_rank_id",
    "failing", "next_eligible_date", "credit_points", "rule_version", "computed_at",
]  # fmt: skip


def _insert_entries(rows: list[tuple[Any, ...]]) -> None:
    """One PostgreSQL COPY (no model instances: the queue of 50,000 people in about a second). Row tuples
    follow QUEUE_COLUMNS."""
    if not rows:
        return
    buf = io.StringIO()
    writer = csv.writer(buf)
    for r in rows:
        writer.writerow(
            ["" if v is None else json.dumps(v, ensure_ascii=False) if isinstance(v, list) else
             v.isoformat() if isinstance(v, dt.date) else v for v in r]
        )  # fmt: skip
    buf.seek(0)
    table = QueueEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {table} ({', '.join(QUEUE_COLUMNS)}) FROM STDIN WITH (FORMAT csv)", buf)


def build_open_queues(today: dt.date | None = None) -> int:
    """Daily job: (re)build the queue of each period whose submission window is open, for every agency."""
    from people.models import Agency

    day = today or timezone.localdate()
    built = 0
    for period in PromotionPeriod.objects.filter(submission_opens__lte=day, period_date__gte=day):
        for agency_id in Agency.objects.values_list("pk", flat=True):
            queue_build(period=period, agency_id=agency_id, actor=None)
            built += 1
    return built


OPEN_QUEUES_JOB = "promotions.build_open_queues"


def build_open_queues_dispatch(today: dt.date | None = None, agency_id: int | None = None) -> dict[str, Any]:
    """The daily build fanned out into one task per (open period, agency) (asn_portal.fanout); the largest
    agencies first, so a second worker takes the smaller ones meanwhile."""
    from django.db.models import Count

    from people.models import Agency

    day = today or timezone.localdate()
    agencies = Agency.objects.all() if agency_id is None else Agency.objects.filter(pk=agency_id)
    by_size = list(agencies.annotate(n=Count("employees")).order_by("-n", "pk").values_list("pk", flat=True))
    periods = list(
        PromotionPeriod.objects.filter(submission_opens__lte=day, period_date__gte=day)
        .order_by("period_date")
        .values_list("pk", flat=True)
    )
    parts = [
        fanout.Part(key=f"p{period}:a{agency}", params={"period_id": period, "agency_id": agency}, agency_id=agency)
        for agency in by_size
        for period in periods
    ]
    parent = fanout.dispatch(OPEN_QUEUES_JOB, parts, agency_id=agency_id)
    return {**parent.counts, "run_id": parent.pk}


def queue_build_part(*, period_id: int, agency_id: int) -> dict[str, Any]:
    """One part of the daily build: the scheduled (re)build of one agency's queue for one period."""
    period = PromotionPeriod.objects.filter(pk=period_id).first()
    if period is None:
        return {}
    return queue_build(period=period, agency_id=agency_id, actor=None)


def ensure_periods_for(years: list[int]) -> int:
    from promotions.data import ensure_periods

    return ensure_periods(PromotionPeriod, years)
