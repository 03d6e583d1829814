"""Privacy pages (issue #16, UU PDP): "Siapa melihat data saya" and the BKD agency access report."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from asn_portal.exports import csv_response

from . import access_log, selectors, services
from .access import agency_for, is_hr_admin, scope_for
from .access_selectors import (
    access_groups_for_subject,
    access_report,
    export_list,
    is_off_hours,
    is_unusual,
    viewer_label,
    with_viewer_labels,
)
from .choices import AccessPart, AccessPurpose
from .models import Employee
from .privacy_forms import AccessReportForm, report_filters

PAGE_SIZE = 25


def _group_rows(rows: Any) -> list[dict[str, Any]]:
    parts = dict(AccessPart.choices)
    purposes = dict(AccessPurpose.choices)
    return [
        {
            **r,
            "viewer_label": viewer_label(r),
            "purpose_label": purposes.get(r["purpose"], r["purpose"]),
            "part_labels": sorted(str(parts.get(p, p)) for p in r["parts"]),
        }
        for r in rows
    ]


def _log_page(request: HttpRequest, emp: Employee, *, mine: bool) -> HttpResponse:
    page = Paginator(access_groups_for_subject(subject=emp), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = _group_rows(page.object_list)
    return render(
        request,
        "people/access_log.html",
        {
            "emp": emp,
            "mine": mine,
            "page_obj": page,
            "retention_days": settings.ACCESS_LOG_RETENTION_DAYS,
            "breadcrumbs": [
                (
                    _("Profil Saya") if mine else emp.full_name,
                    reverse("people:me" if mine else "people:profile", args=[] if mine else [emp.pk]),
                ),
                (_("Siapa melihat data saya") if mine else _("Log akses data"), None),
            ],
        },
    )


def my_access_log(request: HttpRequest) -> HttpResponse:
    """The signed-in employee's own access log, grouped by person and purpose."""
    emp = selectors.current_employee(request.user)
    if emp is None:
        messages.info(request, _("Akun Anda tidak terhubung dengan data pegawai."))
        return redirect("home")
    return _log_page(request, emp, mine=True)


def employee_access_log(request: HttpRequest, pk: int) -> HttpResponse:
    """A person's access log: the person and the BKD admins of their agency only; anyone else gets a 404."""
    emp = selectors.employee_get_visible(user=request.user, pk=pk)
    if scope_for(request.user).employee_id == emp.pk:
        return _log_page(request, emp, mine=True)
    if not is_hr_admin(request.user, emp.agency_id):
        raise Http404
    access_log.record(request, emp, AccessPart.ACCESS_LOG)
    return _log_page(request, emp, mine=False)


def _report_context(request: HttpRequest) -> tuple[Any, AccessReportForm, dict[str, Any] | None]:
    if not is_hr_admin(request.user):
        raise PermissionDenied
    agency = agency_for(request)
    form = AccessReportForm(request.GET)
    if not form.is_valid():
        return agency, form, None
    return agency, form, form.cleaned_data


def _export_filters(agency_id: int, filters: dict[str, Any]) -> dict[str, Any]:
    return {"agency_id": agency_id, **{k: v for k, v in filters.items() if k != "unusual_only"}}


def access_report_page(request: HttpRequest) -> HttpResponse:
    """BKD admins: who read how many records of the agency, unusual patterns highlighted."""
    agency, form, data = _report_context(request)
    rows_page = exports_rows = None
    if data is not None:
        filters = report_filters(data)
        rows_page = Paginator(access_report(agency_id=agency.pk, **filters), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        rows_page.object_list = [
            {**r, "viewer_label": viewer_label(r), "unusual": is_unusual(r)}
            for r in with_viewer_labels(list(rows_page.object_list))
        ]
        parts = dict(AccessPart.choices)
        exports_rows = [
            {
                **r,
                "viewer_label": viewer_label(r),
                "part_label": parts.get(r["part"], r["part"]),
                "off_hours": is_off_hours(r["at"]),
            }
            for r in with_viewer_labels(
                list(
                    export_list(**_export_filters(agency.pk, filters))[:20].values(
                        "export_id", "part", "stated_purpose", "people", "at", exporter_id=F("viewer_id")
                    )
                ),
                key="exporter_id",
            )
        ]
    start, end = settings.ACCESS_LOG_OFFICE_HOURS
    return render(
        request,
        "people/access_report.html",
        {
            "agency": agency,
            "form": form,
            "data": data,
            "page_obj": rows_page,
            "exports": exports_rows,
            "threshold": settings.ACCESS_LOG_OUTSIDE_UNIT_THRESHOLD,
            "office_start": start,
            "office_end": end,
            "query": request.GET.urlencode(),
            "breadcrumbs": [(_("Laporan akses data pribadi"), None)],
        },
    )


def access_report_export(request: HttpRequest) -> HttpResponse:
    """The report as CSV (through the shared export helper); the download is audited and, for the viewers who
    are employees of the agency, recorded in their access log."""
    agency, form, data = _report_context(request)
    if data is None:
        messages.error(request, " ".join(str(e) for e in form.non_field_errors()) or _("Periksa isian filter."))
        return redirect("people:access-report")
    filters = report_filters(data)
    rows = with_viewer_labels(access_report(agency_id=agency.pk, **filters))
    services.access_report_exported(agency=agency, filters=filters, viewers=len(rows), actor=request.user)
    viewer_employees = Employee.objects.filter(
        user_id__in=[r["viewer_id"] for r in rows if r["viewer_id"]], agency_id=agency.pk
    )
    access_log.record_export(request, viewer_employees, AccessPart.ACCESS_LOG)
    header = [
        _("Pengakses"),
        _("Unit pengakses"),
        _("Jumlah akses"),
        _("Jumlah pegawai"),
        _("Pegawai di luar unit"),
        _("Ekspor"),
        _("Ekspor di luar jam kerja"),
        _("Akses terakhir"),
        _("Pola tidak biasa"),
    ]
    body = [
        [
            viewer_label(r),
            r["viewer_employee__unit__name"] or "",
            r["reads"],
            r["people"],
            r["outside"],
            r["exports"],
            r["night_exports"],
            timezone.localtime(r["last"]).strftime("%Y-%m-%d %H:%M"),
            _("Ya") if is_unusual(r) else _("Tidak"),
        ]
        for r in rows
    ]
    name = f"laporan-akses-{data['since']:%Y%m%d}-{data['until']:%Y%m%d}.csv"
    return csv_response(name, header, body)
