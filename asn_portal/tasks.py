"""Shared background tasks: notification emails and the job-run smoke task."""

import logging

from celery import shared_task
from celery.signals import worker_ready
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import Notification
from .services import job_run

logger = logging.getLogger(__name__)


@shared_task(
    autoretry_for=(OSError, TimeoutError),  # smtplib.SMTPException and refused connections are OSErrors
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=12,  # about eight hours of an SMTP outage
)
def send_notification_emails(notification_ids: list[int]) -> int:
    """Email each notification not yet emailed. Idempotent: a row is locked, sent, and only then marked
    emailed in the same transaction, so a failed send leaves it unmarked and the retry sends it; a row
    another worker is sending is skipped."""
    sent = 0
    for pk in notification_ids:
        with transaction.atomic():
            n = (
                Notification.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("user")
                .filter(pk=pk, emailed_at__isnull=True)
                .first()
            )
            if n is None or not n.user.email:
                continue
            body = n.body + (f"\n\n{n.url}" if n.url else "")
            send_mail(n.title, body, settings.DEFAULT_FROM_EMAIL, [n.user.email], fail_silently=False)
            Notification.objects.filter(pk=n.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent


@shared_task
def heartbeat() -> dict[str, int]:
    """A trivial periodic job proving the worker and beat are alive; writes a JobRun."""
    with job_run("asn_portal.heartbeat") as run:
        run.counts["unread_notifications"] = Notification.objects.filter(read_at__isnull=True).count()
    return run.counts


@shared_task(ignore_result=True)
def outbox_flush() -> dict[str, int]:
    """Send every task still waiting in the outbox (decided while the broker was unreachable)."""
    from .outbox import outbox_flush as flush

    return flush()


@shared_task(ignore_result=True)
def job_runs_fail_stale() -> int:
    """Mark job runs left "running" by a dead worker as failed, and the apps' other half-done work
    (registry.register_stale_sweep: e.g. an import upload never read)."""
    from . import registry
    from .services import job_runs_fail_stale as sweep

    marked = sweep()
    for key, app_sweep in sorted(registry.registry.stale_sweeps.items()):
        try:
            marked += app_sweep()
        except Exception:  # noqa: BLE001 - one app's sweep failing must not stop the others
            logger.exception("Stale sweep %s failed", key)
    return marked


@worker_ready.connect
def _flush_outbox_on_start(**_: object) -> None:
    """A worker coming up (e.g. after a Redis or worker outage) sends what waited in the outbox at once."""
    from .outbox import outbox_flush as flush

    try:
        flush()
    except Exception:  # noqa: BLE001 - never keep a worker from starting; the beat sweep retries
        logger.exception("Outbox flush at worker start failed")


@shared_task(acks_late=True, ignore_result=True)
def summary_refresh(kind: str, agency_id: int) -> None:
    """Recompute one agency's summary rows of one kind (queued by `summaries.touch` after a change)."""
    from . import summaries

    if kind in summaries.kinds():
        summaries.refresh(kind, agency_id)


@shared_task(acks_late=True)
def summary_refresh_all() -> dict[str, int]:
    """Nightly safety net: recompute every summary kind for every agency, one task per agency."""
    from django.apps import apps

    from . import summaries

    with job_run("asn_portal.summary_refresh_all") as run:
        agency_ids = list(apps.get_model("people", "Agency").objects.values_list("pk", flat=True))
        for agency_id in agency_ids:
            for kind in summaries.kinds():
                summary_refresh.delay(kind, agency_id)
        run.counts["queued"] = len(agency_ids) * len(summaries.kinds())
        return run.counts


@shared_task(acks_late=True)
def job_part(
    job: str, parent_id: int, part: str, params: dict[str, object], agency_id: int | None
) -> dict[str, object]:
    """One part (an agency, a chunk of employees) of a fanned-out nightly job (asn_portal.fanout); a part
    already done is skipped, so a redelivered message repeats nothing."""
    from .fanout import run_part

    return run_part(job, parent_id, part, dict(params), agency_id)
