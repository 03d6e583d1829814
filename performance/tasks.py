"""Thin Celery tasks; the work is in performance.jobs."""

from __future__ import annotations

from typing import Any

from celery import shared_task


@shared_task(acks_late=True)
def open_periods() -> dict[str, Any]:
    from .jobs import open_periods as run

    return run()


@shared_task(acks_late=True)
def send_period_reminders() -> dict[str, Any]:
    from .jobs import send_period_reminders as run

    return run()


@shared_task(acks_late=True)
def close_periods() -> dict[str, Any]:
    from .jobs import close_periods as run

    return run()


@shared_task(acks_late=True)
def distribution_check() -> dict[str, Any]:
    from .jobs import distribution_check_latest_annual as run

    return run()


@shared_task(acks_late=True)
def predikat_import_parse(batch_id: int) -> str:
    """Read an uploaded predikat file into its preview (idempotent: only a batch still "parsing" is read)."""
    from .history.services import import_parse

    batch = import_parse(batch_id)
    return batch.status if batch else "skipped"
