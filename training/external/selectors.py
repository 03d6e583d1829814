"""External learning records waiting for the BKD admin's verification."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from people.access import admin_agency_q
from training.choices import VerificationStatus
from training.models import LearningRecord


def pending_external(*, user: Any) -> QuerySet[LearningRecord]:
    return (
        LearningRecord.objects.filter(admin_agency_q(user), status=VerificationStatus.PENDING)
        .select_related("employee", "employee__unit")
        .order_by("date", "pk")
    )


def record_to_verify(*, user: Any, pk: int | None) -> LearningRecord | None:
    """A learning record of the BKD admin's agency, or None (another agency's is never found)."""
    return LearningRecord.objects.filter(admin_agency_q(user), pk=pk or 0).first()
