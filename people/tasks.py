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
def import_batch_parse(batch_id: int) -> str:
    """Read an uploaded import file into its preview (idempotent: only a batch still "parsing" is read)."""
    from .imports import batch_parse

    batch = batch_parse(batch_id)
    return batch.status if batch else "skipped"
