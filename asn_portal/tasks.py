"""Shared background tasks: notification emails and the job-run smoke task."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from .models import Notification
from .services import job_run


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def send_notification_emails(notification_ids: list[int]) -> int:
    """Email each notification not yet emailed; idempotent (claims rows with emailed_at)."""
    sent = 0
    for n in Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True).select_related("user"):
        claimed = Notification.objects.filter(pk=n.pk, emailed_at__isnull=True).update(emailed_at=timezone.now())
        if not claimed or not n.user.email:
            continue
        body = n.body + (f"\n\n{n.url}" if n.url else "")
        send_mail(n.title, body, settings.DEFAULT_FROM_EMAIL, [n.user.email], fail_silently=False)
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
