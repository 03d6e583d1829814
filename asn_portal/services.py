"""Shared write services: notifications, audit entries and job runs."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from .models import AuditEntry, JobRun, Notification
from .outbox import enqueue

logger = logging.getLogger(__name__)


def notify(
    *, users: Iterable[Any], title: str, body: str = "", url: str = "", email: bool = True
) -> list[Notification]:
    """Write an in-app notification for each user and, after commit, email those with an address."""
    rows = [Notification(user=u, title=str(title)[:200], body=str(body), url=url) for u in users if u is not None]
    if not rows:
        return []
    created = Notification.objects.bulk_create(rows)
    if email:
        ids = [n.pk for n, u in zip(created, [r.user for r in rows], strict=True) if getattr(u, "email", "")]
        if ids:
            enqueue("asn_portal.tasks.send_notification_emails", ids)
    return created


def notifications_mark_read(*, user: Any, pk: int | None = None) -> int:
    """Mark one of the user's notifications (or all of them) as read; returns how many changed. Another
    user's notification is never touched (the filter includes the owner)."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if pk is not None:
        qs = qs.filter(pk=pk)
    return qs.update(read_at=timezone.now())


def notify_many(messages: Iterable[tuple[Any, str, str, str]], *, email: bool = True) -> int:
    """Set-based notify for periodic jobs: one bulk insert for many (user, title, body, url) messages."""
    rows = [
        Notification(user=u, title=str(t)[:200], body=str(b), url=url) for u, t, b, url in messages if u is not None
    ]
    created = Notification.objects.bulk_create(rows, batch_size=1000)
    if email:
        ids = [n.pk for n, r in zip(created, rows, strict=True) if getattr(r.user, "email", "")]
        if ids:
            enqueue("asn_portal.tasks.send_notification_emails", ids)
    return len(created)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, models.Model):
        return value.pk
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def audit(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    agency_id: int | None = None,
) -> AuditEntry:
    """Record an HR decision: who (actor), when (now), before, after and why (reason)."""
    if agency_id is None:
        agency_id = getattr(obj, "agency_id", None)
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        before=_jsonable(before or {}),
        after=_jsonable(after or {}),
        reason=reason or "",
        agency_id=agency_id,
    )


def audit_trail(obj: models.Model) -> models.QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).select_related("actor")


@contextmanager
def job_run(job: str, *, agency_id: int | None = None) -> Iterator[JobRun]:
    """Record one run of a job. Use `run.counts[...] = n` inside; failures are recorded and re-raised."""
    run = JobRun.objects.create(job=job, agency_id=agency_id)
    try:
        yield run
    except Exception as exc:
        JobRun.objects.filter(pk=run.pk).update(
            status=JobRun.Status.FAILED, finished_at=timezone.now(), error=repr(exc)[:4000], counts=run.counts
        )
        raise
    else:
        run.status = JobRun.Status.SUCCESS
        run.finished_at = timezone.now()
        JobRun.objects.filter(pk=run.pk).update(status=run.status, finished_at=run.finished_at, counts=run.counts)


def job_runs_fail_stale(*, older_than_seconds: int | None = None) -> int:
    """Mark "running" job runs older than the longest a job may run (the Celery hard time limit) as failed:
    their worker died (kill -9, out of memory, power cut). Returns how many were marked."""
    import datetime as dt

    from django.conf import settings
    from django.utils.translation import gettext

    seconds = older_than_seconds if older_than_seconds is not None else settings.JOB_RUN_STALE_SECONDS
    cutoff = timezone.now() - dt.timedelta(seconds=seconds)
    return JobRun.objects.filter(status=JobRun.Status.RUNNING, started_at__lt=cutoff).update(
        status=JobRun.Status.FAILED,
        finished_at=timezone.now(),
        error=gettext("Worker berhenti sebelum pekerjaan selesai (tidak ada kabar selama %(s)d detik).")
        % {"s": seconds},
    )


def chunked(ids: list[int], size: int = 500) -> Iterator[list[int]]:
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def run_periodic_task_now(task: Any) -> None:
    """Run a scheduled job immediately: queued to the worker through the outbox (kept until the broker
    answers), or in-process when no broker is set."""
    import json

    from .celery import app

    args = json.loads(task.args or "[]")
    kwargs = json.loads(task.kwargs or "{}")
    if app.conf.task_always_eager:
        app.loader.import_default_modules()  # registers every app's tasks.py
        app.tasks[task.task].apply(args=args, kwargs=kwargs)
        return
    with transaction.atomic():
        enqueue(task.task, *args, **kwargs)
