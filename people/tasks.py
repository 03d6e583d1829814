"""Background work of the people app: thin tasks that call services."""

from __future__ import annotations

from celery import shared_task

from asn_portal.errors import ApplicationError


@shared_task(acks_late=True)
def import_batch_apply(batch_id: int) -> str:
    """Write a confirmed import batch (idempotent: only a QUEUED batch is claimed)."""
    from .imports import batch_apply

    try:
        batch = batch_apply(batch_id)
    except ApplicationError as exc:
        return f"failed: {exc.message}"
    return batch.status if batch else "skipped"


@shared_task(acks_late=True)
def access_log_drain() -> int:
    """Move access-log batches from Redis into the table (every few seconds; no JobRun: too frequent)."""
    from .access_log import drain

    return drain()


@shared_task(acks_late=True)
def access_log_prune() -> int:
    """Delete access-log entries older than ACCESS_LOG_RETENTION_DAYS (daily)."""
    from asn_portal.services import job_run

    from .access_log import prune

    with job_run("people.access_log_prune") as run:
        run.counts["deleted"] = prune()
    return int(run.counts["deleted"])


@shared_task(acks_late=True)
def access_rollup_rebuild(day: str | None = None) -> int:
    """Re-derive the access report's daily roll-up of one local day (default: yesterday) from the raw log, a
    nightly safety net for whatever the incremental upserts cannot see (a changed office-hours setting, people
    deleted since). Idempotent."""
    import datetime as dt

    from django.utils import timezone

    from asn_portal.services import job_run

    from .access_rollup import rebuild

    on = dt.date.fromisoformat(day) if day else timezone.localdate() - dt.timedelta(days=1)
    with job_run("people.access_rollup_rebuild") as run:
        run.counts["rows"] = rebuild(since=on)
    return int(run.counts["rows"])


@shared_task(acks_late=True)
def data_export_build(request_id: int) -> str:
    """Build an employee's copy of their data (idempotent: only a queued request is claimed)."""
    from .data_export.services import data_export_build as build

    req = build(request_id)
    return req.status if req else "skipped"


@shared_task
def data_exports_expire() -> dict[str, int]:
    """Delete expired copies of employees' data (settings.DATA_EXPORT_TTL_HOURS)."""
    from .data_export.services import data_exports_expire as expire

    return expire()


@shared_task
def former_employees_pseudonymise() -> dict[str, int]:
    """Pseudonymise former employees past settings.PSEUDONYMISE_AFTER_DAYS (UU PDP Pasal 43-44)."""
    from .lifecycle import former_employees_pseudonymise as run

    return run()


@shared_task(acks_late=True)
def import_batch_parse(batch_id: int) -> str:
    """Read an uploaded import file into its preview (idempotent: only a batch still "parsing" is read)."""
    from .imports import batch_parse

    batch = batch_parse(batch_id)
    return batch.status if batch else "skipped"
