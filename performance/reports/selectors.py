"""Agency-level SKP statistics."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from people import headcount
from people.models import OrgUnit
from performance.models import PerformancePlan, PredikatRecord
from performance.reports import summaries as statistics_summaries


def agency_statistics(*, agency_id: int, year: int) -> dict[str, Any]:
    """Predikat distribution by unit for a year and SKP completion rates, from the summary rows (kind
    "performance.statistics") and the people headcount rows (3 small queries and the units shown)."""
    status_counts, by_unit = statistics_summaries.year_counts(agency_id=agency_id, year=year)
    employees = headcount.agency_totals(agency_id)["total"]
    units = {u.pk: u for u in OrgUnit.objects.filter(pk__in=[u for u in by_unit if u]).only("pk", "name", "path")}
    return {
        "by_unit": [
            (units.get(uid) if uid else None, c)
            for uid, c in sorted(by_unit.items(), key=lambda kv: getattr(units.get(kv[0] or 0), "path", ""))
        ],
        "status_counts": status_counts,
        "employees": employees,
        "computed_at": statistics_summaries.computed_at(agency_id),
    }


SKP_EXPORT_HEADER = ["NIP", "Nama", "Unit", "Jabatan", "Tahun", "Status", "Rating hasil", "Rating perilaku", "Predikat"]
PREDIKAT_EXPORT_HEADER = ["NIP", "Nama", "Tahun", "Predikat", "Sumber"]


def skp_export(*, agency_id: int, year: int) -> tuple[list[str], Iterator[list[Any]]]:
    """The agency's SKPs of a year for the XLSX export (streamed in chunks; labels, never raw values)."""
    rows = (
        [
            p.employee.nip,
            p.employee.full_name,
            p.unit.name,
            p.position_title,
            p.year,
            p.get_status_display(),
            p.get_result_rating_display(),
            p.get_behaviour_rating_display(),
            p.get_predikat_display(),
        ]
        for p in PerformancePlan.objects.filter(agency_id=agency_id, year=year)
        .select_related("employee", "unit")
        .order_by("unit__path", "employee__name")
        .iterator(chunk_size=2000)
    )
    return SKP_EXPORT_HEADER, rows


def predikat_export(*, agency_id: int, year: int) -> tuple[list[str], Iterator[list[Any]]]:
    """The agency's predikat history of a year for the XLSX export."""
    rows = (
        [r.employee.nip, r.employee.full_name, r.year, r.get_predikat_display(), r.get_source_display()]
        for r in PredikatRecord.objects.filter(employee__agency_id=agency_id, year=year)
        .select_related("employee")
        .order_by("employee__name")
        .iterator(chunk_size=2000)
    )
    return PREDIKAT_EXPORT_HEADER, rows
