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


def broker_configured() -> bool:
    """A Celery broker is set, so jobs can be queued to a worker instead of running in-process."""
    from django.conf import settings

    return bool(settings.CELERY_BROKER_URL) and not settings.CELERY_TASK_ALWAYS_EAGER


def can_run_job_now(user: Any, task: Any) -> bool:
    """Superusers run any scheduled job; a BKD admin only a job that has an agency slice (it then runs for
    the admin's own agencies only). Global jobs (reminders, period opening…) touch every agency."""
    from . import registry

    if getattr(user, "is_superuser", False):
        return True
    if registry.HR_ADMIN not in registry.roles_of(user) or task.task not in registry.registry.agency_jobs:
        return False
    return bool(registry.admin_agency_ids(user))


def periodic_task_run_now(*, task: Any, actor: Any) -> list[int | None]:
    """ "Run now" from the job page: the job is queued to the worker, never run inside the web request (a
    nightly recompute takes minutes). Without a broker only the few quick jobs (heartbeat) run in-process;
    any other is refused with a message. A BKD admin's run is limited to their agencies (`agency_id` passed
    to the task); a superuser's run is the whole job. Returns the agency ids queued (None = all)."""
    import json

    from django.utils.translation import gettext as _

    from . import registry
    from .celery import app
    from .errors import ApplicationError

    if not can_run_job_now(actor, task):
        raise ApplicationError(
            _(
                "Pekerjaan ini berlaku untuk semua instansi; hanya superuser yang dapat menjalankannya sekarang. "
                "Admin BKD dapat menjalankan pekerjaan yang dapat dibatasi pada instansinya."
            ),
            {"task": task.task},
            status=403,
        )
    quick = task.task in registry.registry.quick_jobs
    if not broker_configured() and not quick:
        raise ApplicationError(
            _(
                "Worker latar belakang belum dikonfigurasi (CELERY_BROKER_URL kosong), jadi pekerjaan panjang "
                "tidak dijalankan di dalam halaman web. Hubungi administrator sistem."
            ),
            {"task": task.task, "reason": "no_broker"},
            status=409,
        )
    args = json.loads(task.args or "[]")
    kwargs = json.loads(task.kwargs or "{}")
    agency_ids: list[int | None]
    if getattr(actor, "is_superuser", False):
        agency_ids = [None]
    else:
        agency_ids = list[int | None](sorted(registry.admin_agency_ids(actor) or []))
    for agency_id in agency_ids:
        job_kwargs = kwargs if agency_id is None else {**kwargs, "agency_id": agency_id}
        if broker_configured():  # through the outbox: kept until the broker answers (issue #12)
            with transaction.atomic():
                enqueue(task.task, *args, **job_kwargs)
        else:  # quick jobs only (checked above)
            app.loader.import_default_modules()  # registers every app's tasks.py
            app.tasks[task.task].apply(args=args, kwargs=job_kwargs)
        audit(
            actor=actor,
            action="job.run_now",
            obj=task,
            after={"task": task.task, "kwargs": job_kwargs},
            agency_id=agency_id,
        )
    return agency_ids


# --- Personal API tokens ----------------------------------------------------------------------------------


def api_token_list_of(*, user: Any) -> models.QuerySet[Any]:
    """The user's own tokens that have not expired (an expired token is useless and deleted on first use)."""
    from .models import ApiToken

    return ApiToken.objects.filter(user=user).filter(
        models.Q(expiry__isnull=True) | models.Q(expiry__gt=timezone.now())
    )


def api_token_create(*, user: Any, name: str, days: int) -> tuple[Any, str]:
    """Create a personal API token valid for `days` (one of API_TOKEN_EXPIRY_DAYS). Returns the row and the
    token text, which is shown once and never stored (only its digest is)."""
    from django.conf import settings
    from django.utils.translation import gettext as _

    from .errors import ApplicationError
    from .models import ApiToken

    name = (name or "").strip()
    if not name:
        raise ApplicationError(_("Nama token wajib diisi."), {"field": "name"})
    if len(name) > 100:
        raise ApplicationError(_("Nama token paling banyak 100 karakter."), {"field": "name"})
    if days not in settings.API_TOKEN_EXPIRY_DAYS:
        raise ApplicationError(
            _("Masa berlaku harus salah satu dari: %(d)s hari.")
            % {"d": ", ".join(str(d) for d in settings.API_TOKEN_EXPIRY_DAYS)},
            {"field": "days"},
        )
    if api_token_list_of(user=user).count() >= settings.API_TOKEN_LIMIT_PER_USER:
        raise ApplicationError(
            _("Anda sudah memiliki %(n)d token aktif; cabut token yang tidak dipakai terlebih dahulu.")
            % {"n": settings.API_TOKEN_LIMIT_PER_USER},
            status=409,
        )
    import datetime as dt

    token, text = ApiToken.objects.create(user=user, expiry=dt.timedelta(days=days), name=name)
    # The audit row names the account (a token's primary key is its digest, which stays out of the log).
    audit(
        actor=user,
        action="api_token.create",
        obj=user,
        after={"token": str(token.public_id), "name": name, "expiry": token.expiry.isoformat()},
    )
    return token, text


def api_token_revoke(*, user: Any, public_id: Any) -> None:
    """Revoke one of the user's own tokens; another user's token (or an unknown id) is "not found"."""
    from django.utils.translation import gettext as _

    from .errors import ApplicationError
    from .models import ApiToken

    token = ApiToken.objects.filter(user=user, public_id=public_id).first()
    if token is None:
        raise ApplicationError(_("Token tidak ditemukan."), status=404)
    audit(actor=user, action="api_token.revoke", obj=user, before={"token": str(token.public_id), "name": token.name})
    token.delete()
