"""Thin Celery tasks: each calls a set-based job in training.jobs (which writes a JobRun)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from celery import shared_task

from . import jobs


@shared_task(acks_late=True)
def daily() -> dict[str, int]:
    return jobs.daily()


@shared_task(acks_late=True)
def monthly_jp_reminder(today: str | None = None) -> dict[str, int]:
    """`today` (ISO date) only for a run "as of" another day; beat sends none. One task: a single agency
    holds most of the reminders, and re-runs are de-duplicated against the month's notifications."""
    return jobs.monthly_jp_reminder(dt.date.fromisoformat(today) if today else None)


@shared_task(acks_late=True)
def yearly_summary(year: int | None = None, agency_id: int | None = None) -> dict[str, Any]:
    """Dispatcher: one part per chunk of each agency's employees (asn_portal.fanout)."""
    return jobs.yearly_summary_dispatch(year, agency_id)
