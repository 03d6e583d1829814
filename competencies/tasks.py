"""Thin Celery tasks: take ids, call a service."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from . import services


@shared_task
def jpm_recompute_all(agency_id: int | None = None) -> dict[str, Any]:
    """Nightly dispatcher: one `asn_portal.tasks.job_part` per chunk of each agency's employees (or of one
    agency's: "Jalankan sekarang" by its BKD admin); the parent JobRun sums the parts."""
    return services.jpm_recompute_dispatch(agency_id=agency_id)


@shared_task
def jpm_refresh_job(run_id: int, employee_ids: list[int]) -> None:
    """After a bulk standard change: refresh the people touched, reporting progress on the JobRun."""
    services.jpm_refresh_with_progress(run_id, employee_ids)


@shared_task(acks_late=True)
def assessment_import_parse(batch_id: int) -> str:
    """Read an uploaded assessment file into its preview (idempotent: only a batch still "parsing" is read)."""
    from .importer import import_parse

    batch = import_parse(batch_id)
    return batch.status if batch else "skipped"
