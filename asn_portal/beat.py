"""Celery beat scheduler: the database schedule (django-celery-beat) plus the outbox.

Beat marks an entry as run before it publishes. When the broker is down at that moment the stock
scheduler logs the error and the run is lost until the next period; here the run is written to the
outbox instead and sent by `outbox_flush` as soon as the broker is back.

One waiting run per schedule entry: scheduled tasks are idempotent catch-up jobs, so a run of the same task
with the same arguments already waiting in the outbox covers the later ones. An outage therefore leaves at
most one unsent row per entry (the 10-second access-log drain would otherwise add six a minute)."""

from __future__ import annotations

import logging
from typing import Any

from celery.beat import SchedulingError
from django_celery_beat.schedulers import DatabaseScheduler

logger = logging.getLogger(__name__)


class OutboxScheduler(DatabaseScheduler):  # type: ignore[misc]
    def apply_async(self, entry: Any, producer: Any = None, advance: bool = True, **kwargs: Any) -> Any:
        try:
            return super().apply_async(entry, producer=producer, advance=advance, **kwargs)
        except SchedulingError as exc:
            from .models import OutboxMessage
            from .outbox import FLUSH_TASK

            if entry.task == FLUSH_TASK:
                raise  # the sweep itself runs again next minute
            args = list(entry.args or [])
            kwargs_ = dict(entry.kwargs or {})
            waiting = OutboxMessage.objects.filter(sent_at__isnull=True, task=entry.task, args=args, kwargs=kwargs_)
            if waiting.exists():
                logger.warning("Beat: broker unavailable, %s already waits in the outbox: %s", entry.task, exc)
                return None
            OutboxMessage.objects.create(task=entry.task, args=args, kwargs=kwargs_, last_error=repr(exc)[:2000])
            logger.warning("Beat: broker unavailable, %s kept in the outbox: %s", entry.task, exc)
            return None
