"""Durable task outbox: enqueue Celery tasks after commit without ever losing one.

`enqueue("app.tasks.name", *args)` writes an `OutboxMessage` in the caller's transaction. After commit
it is handed to the broker at once; if the broker does not answer (Redis down) the action still succeeds
and the row stays unsent until `outbox_flush` (run when a worker starts and every minute by beat) sends
it. Every task sent this way is idempotent, so a duplicate delivery does no harm.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from .models import OutboxMessage

logger = logging.getLogger(__name__)

FLUSH_TASK = "asn_portal.tasks.outbox_flush"
FLUSH_BATCH = 500
BROKER_CONNECT_TIMEOUT = 2  # seconds


def _publish(message: OutboxMessage) -> None:
    """Hand one message to the broker (or run it in-process when Celery is eager). Raises on failure."""
    from .celery import app

    if app.conf.task_always_eager:
        app.loader.import_default_modules()  # registers every app's tasks.py
        app.tasks[message.task].apply(args=message.args, kwargs=message.kwargs)
    else:
        # One connection attempt, no publish retries: a request must not wait for a broker that is down
        # (kombu would otherwise retry for seconds); the sweep sends it later.
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=0, timeout=BROKER_CONNECT_TIMEOUT)
            app.send_task(message.task, args=message.args, kwargs=message.kwargs, retry=False, connection=conn)


def _send(message: OutboxMessage) -> bool:
    """Publish one message and record the outcome; False when the broker could not be reached."""
    from .celery import app

    try:
        _publish(message)
    except Exception as exc:  # noqa: BLE001 - any broker failure leaves the row for the sweep
        if app.conf.task_always_eager:
            raise  # in-process run: the task itself failed; let it surface like before
        logger.warning("Outbox: broker unavailable for %s (#%s): %s", message.task, message.pk, exc)
        OutboxMessage.objects.filter(pk=message.pk).update(attempts=message.attempts + 1, last_error=repr(exc)[:2000])
        return False
    OutboxMessage.objects.filter(pk=message.pk, sent_at__isnull=True).update(
        sent_at=timezone.now(), attempts=message.attempts + 1, last_error=""
    )
    return True


def enqueue(task: str, *args: Any, **kwargs: Any) -> OutboxMessage:
    """Record a task in the current transaction; send it after commit (or later, by the sweep)."""
    message = OutboxMessage.objects.create(task=task, args=list(args), kwargs=kwargs)
    transaction.on_commit(lambda: _send(message))
    return message


def outbox_flush(limit: int = FLUSH_BATCH) -> dict[str, int]:
    """Send unsent messages, oldest first; stops at the first broker failure. Safe to run concurrently
    (rows are locked with SKIP LOCKED)."""
    sent = failed = 0
    with transaction.atomic():
        pending = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(sent_at__isnull=True)
            .order_by("created_at", "pk")[:limit]
        )
        for message in pending:
            if _send(message):
                sent += 1
            else:
                failed = len(pending) - sent
                break
    return {"sent": sent, "pending": failed}
