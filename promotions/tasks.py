"""Thin Celery tasks: they take ids and call services."""

from __future__ import annotations

from celery import shared_task

from .models import PromotionPeriod


@shared_task
def build_open_queues(agency_id: int | None = None) -> int:
    """Daily dispatcher: one part per (open period, agency) (asn_portal.fanout); returns how many."""
    from .queue.services import build_open_queues_dispatch

    return int(build_open_queues_dispatch(agency_id=agency_id)["parts"])


@shared_task
def build_queue(period_id: int, agency_id: int) -> dict[str, int]:
    from .queue.services import queue_build

    period = PromotionPeriod.objects.filter(pk=period_id).first()
    if period is None:
        return {}
    return queue_build(period=period, agency_id=agency_id, actor=None)  # the scheduled build
