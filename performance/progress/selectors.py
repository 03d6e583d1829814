"""Reads of recorded progress (scoped to who may see the plan)."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from performance.models import PerformancePlan, Progress
from performance.plans.selectors import plan_q


def progress_get_visible(*, user: Any, pk: int) -> Progress:
    """A realisation row whose SKP the user may read (the same rule as the SKP page); 404 otherwise."""
    progress = (
        Progress.objects.filter(pk=pk, indicator__result__plan__in=PerformancePlan.objects.filter(plan_q(user)))
        .only("pk", "evidence_file", "evidence_name")
        .first()
    )
    if progress is None:
        raise Http404("Realisasi tidak ditemukan.")
    return progress
