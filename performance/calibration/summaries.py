"""Summary rows of the calibration distribution (kind "performance.calibration", `asn_portal.summaries`).

Inputs: the SKPs' annual predikat (evaluation of the annual period, objection decisions), the evaluations of
the other periods, the agency's periods, and the plans' units. The services that change them touch this kind;
the refresher replaces one agency's rows with two grouped queries and a bulk insert. `distribution_counts`
reads them; `distribution_counts_live` stays the oracle the tests compare against."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count

from asn_portal import summaries
from performance.choices import EvaluationStatus
from performance.models import Evaluation, EvaluationPeriod, PerformancePlan, PredikatSummary

KIND = "performance.calibration"


def refresh(agency_id: int) -> None:
    annual: dict[int, list[int]] = defaultdict(list)
    for pk, year in EvaluationPeriod.objects.filter(agency_id=agency_id, is_annual=True).values_list("pk", "year"):
        annual[year].append(pk)
    rows: list[PredikatSummary] = []
    plans = (
        PerformancePlan.objects.filter(agency_id=agency_id, year__in=list(annual))
        .exclude(predikat="")
        .values_list("year", "unit_id", "predikat")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for year, unit_id, predikat, n in plans:
        rows.extend(
            PredikatSummary(agency_id=agency_id, period_id=p, unit_id=unit_id, predikat=predikat, employees=n)
            for p in annual[year]
        )
    evaluations = (
        Evaluation.objects.filter(
            period__agency_id=agency_id, period__is_annual=False, status=EvaluationStatus.EVALUATED
        )
        .values_list("period_id", "plan__unit_id", "predikat")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows.extend(
        PredikatSummary(agency_id=agency_id, period_id=p, unit_id=u, predikat=k, employees=n)
        for p, u, k, n in evaluations
    )
    PredikatSummary.objects.filter(agency_id=agency_id).delete()
    PredikatSummary.objects.bulk_create(rows, batch_size=5000)


def touch(agency_id: Any) -> None:
    summaries.touch(KIND, agency_id)


def register() -> None:
    summaries.register(KIND, refresh)
