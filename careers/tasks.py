"""Thin Celery tasks for careers: each takes ids and calls a service."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from .choices import ReviewStatus


@shared_task(acks_late=True)
def compute_review(review_id: int) -> dict[str, int]:
    """Compute one talent review's 9-box placements (set-based, in chunks, writes a JobRun)."""
    from .models import TalentReview
    from .talent.services import review_compute

    if not TalentReview.objects.filter(pk=review_id, status=ReviewStatus.COMPUTING).exists():
        return {}
    return review_compute(review_id)


@shared_task
def compute_pending_reviews() -> int:
    """Safety net: reviews left in 'computing' (a lost message) are computed by the beat job."""
    from .models import TalentReview

    ids = list(TalentReview.objects.filter(status=ReviewStatus.COMPUTING).values_list("pk", flat=True))
    for pk in ids:
        compute_review.delay(pk)
    return len(ids)


@shared_task
def remind_overdue_action_items() -> dict[str, int]:
    from .mentoring.services import remind_overdue_action_items as run

    return run()


@shared_task
def remind_cadence() -> dict[str, int]:
    from .mentoring.services import remind_cadence as run

    return run()


@shared_task
def remind_plan_reviews() -> dict[str, int]:
    from .plans.services import remind_plan_reviews as run

    return run()


@shared_task
def draft_follow_ups(year: int | None = None, agency_id: int | None = None) -> dict[str, int]:
    """Draft last year's appraisal follow-up list for every agency, or for one (idempotent)."""
    from people.models import Agency

    from .followups.services import follow_ups_draft

    year = year or timezone.localdate().year - 1
    agencies = Agency.objects.all() if agency_id is None else Agency.objects.filter(pk=agency_id)
    total = {"drafted": 0}
    for pk in agencies.values_list("pk", flat=True):
        total["drafted"] += follow_ups_draft(agency_id=pk, year=year).get("drafted", 0)
    return total
