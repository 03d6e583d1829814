"""Assessment pages: list, record, detail, and the import upload, preview and confirm."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from asn_portal.errors import ApplicationError
from asn_portal.exports import csv_response
from asn_portal.idempotency import create_once, key_from_request
from competencies import importer, selectors, services
from competencies.choices import AssessmentMethod, AssessmentPurpose, ImportStatus
from competencies.forms import (
    AssessmentForm,
    DeleteAssessmentForm,
    ImportForm,
)
from competencies.models import AssessmentResult, Competency, CompetencyAssessment
from competencies.web import admin_agency, page_without_count, require_admin
from people import access_log, decisions
from people.access import admin_agency_q, is_hr_admin
from people.choices import AccessPart
from people.models import Employee


def _rows_html(rows: list[CompetencyAssessment], counts: dict[int, int]) -> SafeString:
    """The page's rows joined here (the template engine spent more on 25 rows of dates, choice labels and
    links than on the rest of the page). Names and assessors escaped; the rest are our labels and numbers."""
    marker = 987654321
    url = reverse("competencies:assessment-detail", args=[marker])
    methods = {k: escape(v) for k, v in AssessmentMethod.choices}
    purposes = {k: escape(v) for k, v in AssessmentPurpose.choices}
    dates: dict[Any, str] = {}

    def day(d: Any) -> str:  # a page repeats dates: each formatted once
        if d not in dates:
            dates[d] = date_format(d, "DATE_FORMAT") if d else ""
        return dates[d]

    out = []
    for a in rows:
        emp = a.employee
        out.append(
            f'<tr><td><a href="{url.replace(str(marker), str(a.pk))}">{day(a.assessed_on)}</a>'
            f'</td><td>{escape(emp.full_name)}<div class="small text-body-secondary">{escape(emp.nip_display)}</div>'
            f'</td><td class="small">{methods.get(a.method, escape(a.method))}</td>'
            f'<td class="small">{purposes.get(a.purpose, escape(a.purpose))}</td>'
            f'<td class="small">{escape(a.assessor or "–")}</td><td class="text-center">{counts.get(a.pk, 0)}</td>'
            f'<td class="small">{day(a.valid_until)}</td></tr>'
        )
    return mark_safe("".join(out))  # noqa: S308 - every text escaped above


def assessments(request: HttpRequest) -> HttpResponse:
    require_admin(request)
    qs = (
        selectors.assessment_list_visible_to(user=request.user)
        .filter(admin_agency_q(request.user, "employee__agency"))
        .select_related(None)
        .select_related("employee")  # a row names the employee; the unit and the recorder are on the detail
    )
    q = request.GET.get("q", "").strip()
    method = request.GET.get("method", "")
    if q:
        qs = qs.filter(Q(employee__nip__startswith=q.replace(" ", "")) | Q(employee__name__icontains=q))
    if method:
        qs = qs.filter(method=method)
    # 64,000 assessments in the largest agency: pages without a COUNT(*) over them
    page = page_without_count(qs.order_by("-assessed_on", "-pk"), request.GET.get("page"))
    # Result counts for this page only (one grouped query), not a GROUP BY over every assessment.
    counts = dict(
        AssessmentResult.objects.filter(assessment_id__in=[a.pk for a in page])
        .values_list("assessment_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    access_log.record(request, [a.employee_id for a in page], AccessPart.COMPETENCY)

    return render(
        request,
        "competencies/assessments.html",
        {
            "page_obj": page,
            "rows_html": _rows_html(list(page), counts),
            "q": q,
            "method": method,
            "methods": AssessmentMethod.choices,
            "breadcrumbs": [(_("Asesmen kompetensi"), None)],
        },
    )


def assessment_create(request: HttpRequest) -> HttpResponse:
    require_admin(request)
    agency = admin_agency(request)
    comps = list(
        Competency.objects.filter(Q(agency__isnull=True) | Q(agency=agency), is_active=True).order_by(
            "agency_id", "kind", "order", "name"
        )
    )
    initial = {"nip": request.GET.get("nip", "")}
    form = AssessmentForm(request.POST or None, competencies=comps, initial=initial)
    if request.method == "POST" and form.is_valid():
        nip = form.cleaned_data["nip"].replace(" ", "")
        employee = Employee.objects.filter(admin_agency_q(request.user), nip=nip).select_related("user").first()
        if employee is None:
            form.add_error("nip", _("NIP tidak ditemukan di instansi Anda."))
        else:
            try:
                a = services.assessment_record(
                    employee=employee,
                    assessed_on=form.cleaned_data["assessed_on"],
                    purpose=form.cleaned_data["purpose"],
                    method=form.cleaned_data["method"],
                    assessor=form.cleaned_data["assessor"],
                    levels=form.levels(),
                    evidence=form.cleaned_data["evidence"],
                    actor=request.user,
                )
            except ApplicationError as err:
                form.add_error(None, err.message)
            else:
                messages.success(request, _("Asesmen %(name)s dicatat.") % {"name": employee.full_name})
                return redirect("competencies:assessment-detail", a.pk)
    return render(
        request,
        "competencies/assessment_form.html",
        {
            "form": form,
            "breadcrumbs": [(_("Asesmen kompetensi"), reverse("competencies:assessments")), (_("Catat asesmen"), None)],
        },
    )


def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    a = selectors.assessment_get_visible(user=request.user, pk=pk)
    is_admin = is_hr_admin(request.user, a.employee.agency_id)
    can_delete = is_admin and decisions.may_decide(request.user, a.employee_id)
    form = DeleteAssessmentForm(request.POST or None)
    if request.method == "POST":
        if not is_admin:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.assessment_delete(assessment=a, actor=request.user, reason=form.cleaned_data["reason"])
            except ApplicationError as err:
                messages.error(request, err.message)
                return redirect("competencies:assessment-detail", a.pk)
            messages.success(request, _("Asesmen dihapus."))
            return redirect("competencies:assessments")
    return render(
        request,
        "competencies/assessment_detail.html",
        {
            "a": a,
            "can_delete": can_delete,
            "form": form,
            "breadcrumbs": [
                (_("Asesmen kompetensi"), reverse("competencies:assessments") if can_delete else None),
                (a.employee.full_name, None),
            ],
        },
    )


def import_upload(request: HttpRequest) -> HttpResponse:
    require_admin(request)
    agency = admin_agency(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        f = form.cleaned_data["file"]
        try:
            batch, _created = create_once(  # a double click or a retried upload stores and reads it once
                user=request.user,
                key=key_from_request(request),
                scope="competencies.import",
                create=lambda: importer.import_upload(  # stored here, read by the worker
                    agency_id=agency.pk,
                    name=f.name,
                    stream=f,
                    purpose=form.cleaned_data["purpose"],
                    method=form.cleaned_data["method"],
                    assessor=form.cleaned_data["assessor"],
                    actor=request.user,
                ),
                load=lambda pk: selectors.import_get_admin(user=request.user, pk=int(pk)),
            )
        except ApplicationError as err:
            form.add_error("file", err.message)
        else:
            return redirect("competencies:import-preview", batch.pk)
    from competencies.models import AssessmentImport

    recent = AssessmentImport.objects.filter(admin_agency_q(request.user)).only(
        "pk", "file_name", "status", "created_at", "created_count"
    )[:10]
    return render(
        request,
        "competencies/import_upload.html",
        {"form": form, "recent": recent, "breadcrumbs": [(_("Impor hasil asesmen"), None)]},
    )


def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    require_admin(request)
    batch = selectors.import_get_admin(user=request.user, pk=pk)
    comp_names = dict(Competency.objects.values_list("pk", "code"))
    page = Paginator(batch.rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "competencies/import_preview.html",
        {
            "batch": batch,
            "page_obj": page,
            "comp_names": {str(k): v for k, v in comp_names.items()},
            "breadcrumbs": [(_("Impor hasil asesmen"), reverse("competencies:import")), (batch.file_name, None)],
        },
    )


def import_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The htmx-polled state of an upload being read; the page reloads once the preview (or the refusal) is ready."""
    require_admin(request)
    batch = selectors.import_get_admin(user=request.user, pk=pk)
    response = render(request, "competencies/_import_status.html", {"batch": batch})
    if batch.status != ImportStatus.PARSING and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    require_admin(request)
    batch = selectors.import_get_admin(user=request.user, pk=pk)
    try:
        n = importer.import_confirm(batch=batch, actor=request.user)
    except ApplicationError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, _("%(n)s asesmen diimpor; JPM diperbarui.") % {"n": n})
    return redirect("competencies:import-preview", batch.pk)


def import_template(request: HttpRequest) -> HttpResponse:
    require_admin(request)
    agency = admin_agency(request)
    codes = list(
        Competency.objects.filter(Q(agency__isnull=True) | Q(agency=agency), is_active=True)
        .order_by("agency_id", "order")
        .values_list("code", flat=True)
    )
    return csv_response(
        "templat-hasil-asesmen.csv",
        ["nip", "tanggal", "asesor", "bukti", *codes],
        [["199001012015031001", "2026-01-15", "UPT Penilaian Kompetensi", "Laporan AC", *(["3"] * len(codes))]],
    )
