"""SKP statistics and exports."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from asn_portal.dbrouter import replica_reads
from asn_portal.exports import xlsx_response
from people import access_log
from people.choices import AccessPart
from people.models import Employee
from performance.choices import PlanStatus, Predikat
from performance.reports import selectors as reports_selectors
from performance.viewutils import admin_agency_id, year_param


@replica_reads
def statistics(request: HttpRequest) -> HttpResponse:
    """Predikat distribution by unit and year, and SKP completion rates."""
    agency_id = admin_agency_id(request)
    year = year_param(request)
    stats = reports_selectors.agency_statistics(agency_id=agency_id, year=year)
    totals = dict.fromkeys(Predikat.values, 0)
    for _unit, counts in stats["by_unit"]:
        for k, v in counts.items():
            totals[k] = totals.get(k, 0) + v
    chart = {
        "type": "bar",
        "data": {
            "labels": [str(label) for _v, label in Predikat.choices],
            "datasets": [{"label": _("Pegawai"), "data": [totals[v] for v in Predikat.values]}],
        },
        "options": {"plugins": {"legend": {"display": False}}},
    }
    done = sum(
        n for s, n in stats["status_counts"].items() if s in ("approved", "evaluated", "final", "objected", "resolved")
    )
    return render(
        request,
        "performance/statistics.html",
        {
            "year": year,
            "stats": stats,
            "totals": totals,
            "predikats": Predikat.choices,
            "chart": chart,
            "statuses": [(label, stats["status_counts"].get(v, 0)) for v, label in PlanStatus.choices],
            "completion": round(100 * done / stats["employees"], 1) if stats["employees"] else 0,
            "breadcrumbs": [(_("Statistik kinerja"), None)],
        },
    )


@replica_reads
def export_xlsx(request: HttpRequest, what: str) -> HttpResponse:
    """XLSX exports: SKPs of a year (status, ratings, predikat) or the predikat history."""
    agency_id = admin_agency_id(request)
    year = year_param(request)
    exports = {"skp": reports_selectors.skp_export, "predikat": reports_selectors.predikat_export}
    if what not in exports:
        raise Http404
    header, rows = exports[what](agency_id=agency_id, year=year)
    from performance.models import PerformancePlan, PredikatRecord

    subjects: Any = (
        PerformancePlan.objects.filter(agency_id=agency_id, year=year)
        if what == "skp"
        else PredikatRecord.objects.filter(employee__agency_id=agency_id, year=year)
    )
    access_log.record_export(request, Employee.objects.filter(pk__in=subjects.values("employee_id")), AccessPart.SKP)
    return xlsx_response(f"kinerja-{what}-{year}.xlsx", header, rows, title=f"{what}-{year}")
