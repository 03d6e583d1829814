"""Bench/ops entry points for careers jobs (no arguments; run in-process by bench/run.py)."""

from __future__ import annotations

from typing import Any


def recompute_largest_review() -> dict[str, Any]:
    """Recompute the latest talent review of the largest agency (all its employees, set-based)."""
    import time

    from django.db.models import Count

    from people.models import Agency

    from .choices import ReviewStatus
    from .models import TalentReview
    from .talent.services import review_compute

    agency = Agency.objects.annotate(n=Count("employees")).order_by("-n").first()
    if agency is None:
        return {}
    review = TalentReview.objects.filter(agency=agency).order_by("-year", "-pk").first()
    if review is None:
        review = TalentReview.objects.create(agency=agency, name="Bench", year=2025)
    TalentReview.objects.filter(pk=review.pk).update(status=ReviewStatus.COMPUTING)
    t0 = time.perf_counter()
    counts = review_compute(review.pk)
    TalentReview.objects.filter(pk=review.pk).update(status=ReviewStatus.PUBLISHED)
    return {**counts, "seconds": round(time.perf_counter() - t0, 2)}


def draft_follow_ups_all() -> dict[str, Any]:
    """Draft last year's appraisal follow-up list for every agency (idempotent)."""
    from .tasks import draft_follow_ups

    return dict(draft_follow_ups())


def reminders() -> dict[str, Any]:
    """The three daily reminder jobs (overdue action items, cadence, plan reviews)."""
    from .mentoring.services import remind_cadence, remind_overdue_action_items
    from .plans.services import remind_plan_reviews

    return {
        "overdue": remind_overdue_action_items(),
        "cadence": remind_cadence(),
        "plans": remind_plan_reviews(),
    }
