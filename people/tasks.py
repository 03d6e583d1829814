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
