"""Summary rows of the SKP statistics (kind "performance.statistics", `asn_portal.summaries`).

Inputs: the SKPs (created, and every status change through `workflow.plan_cas`) and the predikat history
(`PredikatRecord`: finalising, the past-predikat import). The services that change them touch this kind; the
refresher replaces one agency's rows with two grouped queries and a bulk insert. `live_statistics` is the
oracle the tests compare the rows against."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count

from asn_portal import summaries
from asn_portal.models import SummaryState
from performance.models import PerformancePlan, PredikatRecord, SkpYearSummary

KIND = "performance.statistics"
STATUS = "status"
PREDIKAT = "predikat"


def _status_rows(agency_id: int) -> Any:
    return (
        PerformancePlan.objects.filter(agency_id=agency_id)
        .values_list("year", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )


def _predikat_rows(agency_id: int) -> Any:
    return (
        PredikatRecord.objects.filter(employee__agency_id=agency_id)
        .values_list("year", "unit_id", "predikat")
        .annotate(n=Count("pk"))
        .order_by()
    )


def refresh(agency_id: int) -> None:
    rows = [
        SkpYearSummary(agency_id=agency_id, year=y, measure=STATUS, value=s, n=n) for y, s, n in _status_rows(agency_id)
    ]
    rows += [
        SkpYearSummary(agency_id=agency_id, year=y, measure=PREDIKAT, unit_id=u, value=p, n=n)
        for y, u, p, n in _predikat_rows(agency_id)
    ]
    SkpYearSummary.objects.filter(agency_id=agency_id).delete()
    SkpYearSummary.objects.bulk_create(rows, batch_size=5000)


def year_counts(*, agency_id: int, year: int) -> tuple[dict[str, int], dict[int | None, dict[str, int]]]:
    """({status: SKPs}, {unit_id or None: {predikat: employees}}) of one agency and year, from the rows."""
    status: dict[str, int] = {}
    by_unit: dict[int | None, dict[str, int]] = defaultdict(dict)
    for measure, unit_id, value, n in SkpYearSummary.objects.filter(agency_id=agency_id, year=year).values_list(
        "measure", "unit_id", "value", "n"
    ):
        if measure == STATUS:
            status[value] = n
        else:
            by_unit[unit_id][value] = n
    return status, dict(by_unit)


def live_counts(*, agency_id: int, year: int) -> tuple[dict[str, int], dict[int | None, dict[str, int]]]:
    """The same figures computed now (the tests' oracle)."""
    status = {s: n for y, s, n in _status_rows(agency_id) if y == year}
    by_unit: dict[int | None, dict[str, int]] = defaultdict(dict)
    for y, u, p, n in _predikat_rows(agency_id):
        if y == year:
            by_unit[u][p] = n
    return status, dict(by_unit)


def computed_at(agency_id: int) -> Any:
    return summaries.computed_at(KIND, agency_id)


def touch(agency_id: Any) -> None:
    summaries.touch(KIND, agency_id)


def fill_if_empty() -> int:
    """Compute the rows of every agency that has SKPs but whose statistics were never computed (a database
    upgraded past the migration that adds them: the page and the admin's card read only these rows and would
    say "Data belum dihitung" until the nightly refresh). Returns how many agencies were computed."""
    with_plans = set(PerformancePlan.objects.values_list("agency_id", flat=True).distinct())
    computed = set(SummaryState.objects.filter(kind=KIND).values_list("agency_id", flat=True))
    return summaries.refresh_all(sorted(with_plans - computed), [KIND])


def register() -> None:
    summaries.register(KIND, refresh)
