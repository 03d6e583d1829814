"""Fan-out of the heavy nightly jobs: one dispatcher, one task per agency or per chunk of employees.

A dispatcher (the scheduled task, e.g. `competencies.tasks.jpm_recompute_all`) plans its parts and calls
`dispatch(job, parts)`. That writes the parent `JobRun` (`counts = {"parts": n, "parts_done": 0, ...}`) and, in
the same transaction, one outbox message per part for the generic task `asn_portal.tasks.job_part`, so several
workers share the work. Each part writes its own child `JobRun` (`parent`, `part`, `agency_id`); when a part
ends the parent is settled from its children (parts done and failed, the children's counts summed; success
or failure once every part has ended). Without a broker (development, tests) the parts run in-process, one
after the other, with the same bookkeeping.

Idempotent: a part whose child run already succeeded is skipped (a redelivered message repeats nothing), and
settling recomputes the parent from the children instead of adding to it. A part that failed or was left
running by a dead worker runs again when its message is redelivered; every part's work is itself an upsert.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import F, Window
from django.db.models.functions import Mod, RowNumber
from django.utils import timezone

from . import registry
from .models import JobRun
from .outbox import enqueue

logger = logging.getLogger(__name__)

PART_TASK = "asn_portal.tasks.job_part"


@dataclass(frozen=True)
class Part:
    """One slice of a fanned-out job: `key` is unique within a run, `params` go to the part function."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)
    agency_id: int | None = None


def pk_ranges(queryset: models.QuerySet[Any], size: int, group: str = "agency_id") -> list[tuple[int, int, int | None]]:
    """Split `queryset` into chunks of at most `size` rows per `group` value, in primary-key order, in one
    query (only each chunk's first row is read). Returns `(group value, first pk, last pk)`; the last chunk
    of a group is open-ended (`None`), so rows added after planning are still covered."""
    firsts = list(
        queryset.annotate(rn=Window(RowNumber(), partition_by=[F(group)], order_by=F("pk").asc()))
        .annotate(pos=Mod(F("rn") - 1, size))
        .filter(pos=0)
        .values_list(group, "pk")
        .order_by(group, "pk")
    )
    ranges: list[tuple[int, int, int | None]] = []
    for i, (value, first) in enumerate(firsts):
        nxt = firsts[i + 1] if i + 1 < len(firsts) else None
        last = nxt[1] - 1 if nxt is not None and nxt[0] == value else None
        ranges.append((value, first, last))
    return ranges


def chunk_parts(queryset: models.QuerySet[Any], size: int, **params: Any) -> list[Part]:
    """One part per chunk of `size` rows of each agency (see pk_ranges); `params` are added to every part."""
    return [
        Part(
            key=f"a{agency}:{lo}", params={**params, "agency_id": agency, "pk_from": lo, "pk_to": hi}, agency_id=agency
        )
        for agency, lo, hi in pk_ranges(queryset, size)
    ]


def dispatch(job: str, parts: list[Part], *, agency_id: int | None = None) -> JobRun:
    """Start a fanned-out run of `job`: the parent run plus one queued task per part (through the outbox,
    so inside a caller's transaction nothing is sent before it commits). Without a broker the parts run
    here. Returns the parent run (refreshed)."""
    from .services import broker_configured

    if job not in registry.registry.job_parts:
        raise LookupError(f"no part function registered for job {job!r}")
    queued = broker_configured()
    with transaction.atomic():
        parent = JobRun.objects.create(job=job, agency_id=agency_id, counts={"parts": len(parts), "parts_done": 0})
        if queued:
            for p in parts:
                enqueue(PART_TASK, job, parent.pk, p.key, p.params, p.agency_id)
    if not parts:
        settle(parent.pk)
    if not queued:
        for p in parts:
            run_part(job, parent.pk, p.key, p.params, p.agency_id)
    parent.refresh_from_db()
    return parent


def _claim(job: str, parent_id: int, key: str, agency_id: int | None) -> JobRun | None:
    """The child run of this part, (re)started; None when the part already succeeded or the run is gone."""
    with transaction.atomic():
        if not JobRun.objects.filter(pk=parent_id).exists():
            return None
        try:
            with transaction.atomic():
                return JobRun.objects.create(job=job, parent_id=parent_id, part=key, agency_id=agency_id)
        except IntegrityError:
            pass
        child = JobRun.objects.select_for_update().get(parent_id=parent_id, part=key)
        if child.status == JobRun.Status.SUCCESS:
            return None
        child.status, child.error, child.finished_at, child.started_at = JobRun.Status.RUNNING, "", None, timezone.now()
        child.save(update_fields=["status", "error", "finished_at", "started_at"])
        return child


def run_part(job: str, parent_id: int, key: str, params: dict[str, Any], agency_id: int | None) -> dict[str, Any]:
    """Do one part once: its child run records the outcome, then the parent is settled. Returns the part's
    counts ({} when it was already done). A failure is recorded and re-raised (the task may retry)."""
    child = _claim(job, parent_id, key, agency_id)
    if child is None:
        return {}
    try:
        counts = registry.registry.job_parts[job](**params)
    except Exception as exc:
        JobRun.objects.filter(pk=child.pk).update(
            status=JobRun.Status.FAILED, finished_at=timezone.now(), error=repr(exc)[:4000]
        )
        settle(parent_id)
        raise
    JobRun.objects.filter(pk=child.pk).update(
        status=JobRun.Status.SUCCESS, finished_at=timezone.now(), counts=dict(counts)
    )
    settle(parent_id)
    return dict(counts)


def _summed(children: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    total: dict[str, Any] = {}
    for child in children:
        for k, v in (child["counts"] or {}).items():
            if isinstance(v, int | float) and not isinstance(v, bool):
                total[k] = total.get(k, 0) + v
    return total


def settle(parent_id: int) -> None:
    """Recompute the parent run from its children (under a row lock, so two parts ending together agree)."""
    with transaction.atomic():
        parent = JobRun.objects.select_for_update().filter(pk=parent_id).first()
        if parent is None:
            return
        children = list(JobRun.objects.filter(parent_id=parent_id).values("status", "counts", "part", "error"))
        done = [c for c in children if c["status"] == JobRun.Status.SUCCESS]
        failed = [c for c in children if c["status"] == JobRun.Status.FAILED]
        parts = int(parent.counts.get("parts", 0))
        parent.counts = {"parts": parts, "parts_done": len(done), **_summed(done)}
        parent.error = "\n".join(f"{c['part']}: {c['error']}" for c in failed)[:4000]
        if failed:
            parent.counts["parts_failed"] = len(failed)
        if len(done) + len(failed) >= parts:
            status = JobRun.Status.FAILED if failed else JobRun.Status.SUCCESS
            if status != parent.status or parent.finished_at is None:
                parent.finished_at = timezone.now()
            parent.status = status
        else:
            parent.status, parent.finished_at = JobRun.Status.RUNNING, None
        parent.save(update_fields=["counts", "status", "finished_at", "error"])
