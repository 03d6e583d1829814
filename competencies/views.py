"""Competency pages: Kompetensi Saya, team heatmap, dictionary, standards, assessments, import, analytics."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from asn_portal.errors import ApplicationError
from asn_portal.exports import attachment, csv_response, xlsx_bytes
from asn_portal.idempotency import create_once, key_from_request
from asn_portal.models import JobRun
from asn_portal.params import int_or_none
from people import decisions
from people.access import admin_agency_q, agency_for, agency_q, is_head, is_hr_admin, scope_for
from people.choices import PositionType
from people.models import Agency, Employee, OrgUnit, Position
from people.selectors import current_employee, employee_get_visible

from . import charts, importer, selectors, services
from .choices import ImportStatus, JpmCategory
from .forms import (
    AssessmentForm,
    BulkDefaultsForm,
    CompetencyForm,
    DefaultLevelForm,
    DeleteAssessmentForm,
    ImportForm,
    RequirementForm,
)
from .models import AssessmentResult, Competency, CompetencyRequirement, DefaultRequirementLevel
from .permissions import can_edit_competency, can_manage_competencies
from .rules import CATEGORY_COLOURS

PAGE_SIZE = 25


def _require_admin(request: HttpRequest) -> None:
    if not can_manage_competencies(request.user):
        raise PermissionDenied


def _admin_agency(request: HttpRequest) -> Agency:
    """The agency an admin works on: `?agency=` or their own (people.access.agency_for, one rule everywhere)."""
    if not is_hr_admin(request.user):
        raise PermissionDenied
    return agency_for(request)  # type: ignore[no-any-return]


# --- Kompetensi Saya / a person's profile ---------------------------------------------------------------------


def _profile_page(request: HttpRequest, employee: Employee, *, mine: bool) -> HttpResponse:
    position = None
    pos_id = int_or_none(request.GET.get("position"))
    if pos_id is not None:
        position = selectors.position_get_visible(user=request.user, pk=pos_id)
    profile = selectors.profile_for(employee, position)
    current = profile if position is None else selectors.profile_for(employee)
    history = selectors.assessment_history(employee)
    snapshots = selectors.jpm_trend(employee)
    q = request.GET.get("q", "").strip()
    matches: list[Position] = []
    if q:
        matches = list(
            Position.objects.filter(agency_q(request.user), is_active=True, title__icontains=q)
            .select_related("unit")
            .order_by("title")[:20]
        )
    crumbs = (
        [(_("Kompetensi Saya"), None)]
        if mine
        else [
            (_("Pegawai"), reverse("people:directory")),
            (employee.full_name, reverse("people:profile", args=[employee.pk])),
            (_("Kompetensi"), None),
        ]
    )
    return render(
        request,
        "competencies/profile.html",
        {
            "employee": employee,
            "profile": profile,
            "current": current,
            "what_if": position,
            "history": history,
            "snapshots": snapshots,
            "radar_config": charts.radar(profile),
            "trend_config": charts.trend(snapshots),
            "colours": CATEGORY_COLOURS,
            "mine": mine,
            "q": q,
            "matches": matches,
            "breadcrumbs": crumbs,
        },
    )


def my_profile(request: HttpRequest) -> HttpResponse:
    employee = current_employee(request.user)
    if employee is None:
        messages.info(request, _("Akun Anda tidak terhubung dengan data pegawai."))
        return redirect("home")
    return _profile_page(request, employee, mine=True)


def employee_profile(request: HttpRequest, pk: int) -> HttpResponse:
    employee = employee_get_visible(user=request.user, pk=pk)
    return _profile_page(request, employee, mine=employee.user_id == request.user.pk)


# --- head: team heatmap -------------------------------------------------------------------------------------------


def team(request: HttpRequest) -> HttpResponse:
    if not is_head(request.user):
        raise PermissionDenied
    scope = scope_for(request.user)
    unit_id = request.GET.get("unit")
    sort = request.GET.get("sort", "name")
    heat = selectors.team_heatmap(
        user=request.user, unit_id=int(unit_id) if unit_id and unit_id.isdecimal() else None, sort=sort
    )
    units = OrgUnit.objects.filter(
        Q(pk__in=scope.head_unit_ids) | Q(parent_id__in=scope.head_unit_ids), is_active=True
    ).order_by("path")
    return render(
        request,
        "competencies/team.html",
        {
            "heat": heat,
            "units": units,
            "unit_id": unit_id,
            "sort": sort,
            "colours": CATEGORY_COLOURS,
            "breadcrumbs": [(_("Peta kompetensi tim"), None)],
        },
    )


# --- dictionary ------------------------------------------------------------------------------------------------


def dictionary(request: HttpRequest) -> HttpResponse:
    qs = selectors.competency_list_visible_to(user=request.user)
    kind = request.GET.get("kind", "")
    q = request.GET.get("q", "").strip()
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q))
    page = Paginator(qs.order_by("agency_id", "kind", "order", "name"), PAGE_SIZE).get_page(request.GET.get("page"))
    from .choices import CompetencyKind

    return render(
        request,
        "competencies/dictionary.html",
        {
            "page_obj": page,
            "kind": kind,
            "q": q,
            "kinds": CompetencyKind.choices,
            "can_manage": can_manage_competencies(request.user),
            "breadcrumbs": [(_("Kamus kompetensi"), None)],
        },
    )


def competency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    c = selectors.competency_get_visible(user=request.user, pk=pk)
    return render(
        request,
        "competencies/competency_detail.html",
        {
            "c": c,
            "can_edit": can_edit_competency(request.user, c),
            "breadcrumbs": [(_("Kamus kompetensi"), reverse("competencies:dictionary")), (c.name, None)],
        },
    )


def competency_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _require_admin(request)
    if pk is not None:
        instance = selectors.competency_get_visible(user=request.user, pk=pk)
        if not can_edit_competency(request.user, instance):
            raise PermissionDenied
    else:
        agency = _admin_agency(request)
        instance = Competency(agency=agency, kind="technical")
    form = CompetencyForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in CompetencyForm.Meta.fields}
        try:
            if pk is None:
                c = services.competency_create(actor=request.user, agency=agency, data=data)
            else:
                c = services.competency_update(actor=request.user, competency=instance, data=data)
        except ApplicationError as err:
            form.add_error(err.extra.get("field") if err.extra.get("field") in form.fields else None, err.message)
        else:
            messages.success(request, _("Kompetensi %(name)s disimpan.") % {"name": c.name})
            return redirect("competencies:competency-detail", c.pk)
    title = _("Ubah kompetensi") if pk else _("Tambah kompetensi teknis")
    return render(
        request,
        "competencies/form.html",
        {
            "form": form,
            "title": title,
            "breadcrumbs": [(_("Kamus kompetensi"), reverse("competencies:dictionary")), (title, None)],
        },
    )


# --- standards -------------------------------------------------------------------------------------------------


def standards(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    qs = Position.objects.filter(admin_agency_q(request.user), is_active=True).select_related("unit")
    kind = request.GET.get("kind", "")
    q = request.GET.get("q", "").strip()
    missing = request.GET.get("missing")
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(unit__name__icontains=q))
    qs = qs.annotate(
        n_req=Count("competency_requirements"),
        n_override=Count("competency_requirements", filter=Q(competency_requirements__is_override=True)),
    )
    if missing:
        qs = qs.filter(n_req=0)
    page = Paginator(qs.order_by("unit__path", "title"), PAGE_SIZE).get_page(request.GET.get("page"))
    runs = JobRun.objects.filter(
        job="competencies.jpm_refresh_positions",
        **({} if scope_for(request.user).everything else {"agency_id__in": scope_for(request.user).admin_agency_ids}),
    )[:3]
    return render(
        request,
        "competencies/standards.html",
        {
            "page_obj": page,
            "kind": kind,
            "q": q,
            "missing": missing,
            "kinds": PositionType.choices,
            "bulk_form": BulkDefaultsForm(),
            "runs": runs,
            "breadcrumbs": [(_("Standar kompetensi jabatan"), None)],
        },
    )


def standard_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    position = selectors.position_get_admin(user=request.user, pk=pk)
    comps = list(
        Competency.objects.filter(Q(agency__isnull=True) | Q(agency_id=position.agency_id), is_active=True).order_by(
            "agency_id", "kind", "order", "name"
        )
    )
    reqs = {r.competency_id: r for r in CompetencyRequirement.objects.filter(position=position)}
    form = RequirementForm(
        request.POST or None, competencies=comps, initial_levels={cid: r.level for cid, r in reqs.items()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.requirement_set(position=position, levels=form.levels(), actor=request.user)
        except ApplicationError as err:
            form.add_error(None, err.message)
        else:
            messages.success(request, _("Standar jabatan disimpan (%(n)s perubahan).") % {"n": changed})
            return redirect("competencies:standards")
    return render(
        request,
        "competencies/standard_edit.html",
        {
            "form": form,
            "position": position,
            "reqs": reqs,
            "holders": position.holders.count(),
            "breadcrumbs": [
                (_("Standar kompetensi jabatan"), reverse("competencies:standards")),
                (position.title, None),
            ],
        },
    )


@require_POST
def standards_bulk(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = BulkDefaultsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilihan penerapan massal tidak valid."))
        return redirect("competencies:standards")
    agency = _admin_agency(request)
    try:
        result = services.requirements_apply_defaults(
            agency_id=agency.pk,
            position_kind=form.cleaned_data["position_kind"],
            functional_level=form.cleaned_data["functional_level"],
            level=form.cleaned_data["level"],
            actor=request.user,
        )
    except ApplicationError as err:
        messages.error(request, err.message)
        return redirect("competencies:standards")
    c = result["counts"]
    messages.success(
        request,
        _("Standar diterapkan ke %(p)s jabatan: %(c)s baru, %(u)s diubah; %(n)s pegawai terdampak.")
        % {"p": c["positions"], "c": c["created"], "u": c["updated"], "n": c["people"]},
    )
    if result["job_run"] is not None:
        return redirect("competencies:job-progress", result["job_run"].pk)
    return redirect("competencies:standards")


def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    scope = scope_for(request.user)
    qs = JobRun.objects.filter(pk=pk, job__startswith="competencies.")
    if not scope.everything:
        qs = qs.filter(agency_id__in=scope.admin_agency_ids)
    run = qs.first()
    if run is None:
        from django.http import Http404

        raise Http404
    total = run.counts.get("total") or 0
    done = run.counts.get("done") or 0
    ctx = {
        "run": run,
        "percent": int(100 * done / total) if total else 100,
        "done": done,
        "total": total,
        "breadcrumbs": [(_("Standar kompetensi jabatan"), reverse("competencies:standards")), (_("Progres"), None)],
    }
    template = "competencies/_progress.html" if request.headers.get("HX-Request") else "competencies/progress.html"
    return render(request, template, ctx)


def default_levels(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    rows = list(DefaultRequirementLevel.objects.all())
    if request.method == "POST":
        if not request.user.is_superuser:
            raise PermissionDenied
        row = next((r for r in rows if str(r.pk) == request.POST.get("row")), None)
        form = DefaultLevelForm(request.POST, instance=row)
        if row is not None and form.is_valid():
            try:
                services.default_level_update(row=row, level=form.cleaned_data["level"], actor=request.user)
            except ApplicationError as err:
                messages.error(request, err.message)
            else:
                messages.success(request, _("Level bawaan disimpan."))
            return redirect("competencies:default-levels")
        messages.error(request, _("Level harus 1–5."))
    return render(
        request,
        "competencies/default_levels.html",
        {
            "rows": rows,
            "can_edit": request.user.is_superuser,
            "breadcrumbs": [
                (_("Standar kompetensi jabatan"), reverse("competencies:standards")),
                (_("Level standar bawaan"), None),
            ],
        },
    )


# --- assessments -------------------------------------------------------------------------------------------------


def assessments(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    qs = selectors.assessment_list_visible_to(user=request.user).filter(
        admin_agency_q(request.user, "employee__agency")
    )
    q = request.GET.get("q", "").strip()
    method = request.GET.get("method", "")
    if q:
        qs = qs.filter(Q(employee__nip__startswith=q.replace(" ", "")) | Q(employee__name__icontains=q))
    if method:
        qs = qs.filter(method=method)
    page = Paginator(qs.order_by("-assessed_on", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    # Result counts for this page only (one grouped query), not a GROUP BY over every assessment.
    counts = dict(
        AssessmentResult.objects.filter(assessment_id__in=[a.pk for a in page])
        .values_list("assessment_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for a in page:
        setattr(a, "n_results", counts.get(a.pk, 0))  # noqa: B010 - a display-only attribute
    from .choices import AssessmentMethod

    return render(
        request,
        "competencies/assessments.html",
        {
            "page_obj": page,
            "q": q,
            "method": method,
            "methods": AssessmentMethod.choices,
            "breadcrumbs": [(_("Asesmen kompetensi"), None)],
        },
    )


def assessment_create(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    agency = _admin_agency(request)
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


# --- import ------------------------------------------------------------------------------------------------------


def import_upload(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    agency = _admin_agency(request)
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
    from .models import AssessmentImport

    recent = AssessmentImport.objects.filter(admin_agency_q(request.user)).only(
        "pk", "file_name", "status", "created_at", "created_count"
    )[:10]
    return render(
        request,
        "competencies/import_upload.html",
        {"form": form, "recent": recent, "breadcrumbs": [(_("Impor hasil asesmen"), None)]},
    )


def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
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
    _require_admin(request)
    batch = selectors.import_get_admin(user=request.user, pk=pk)
    response = render(request, "competencies/_import_status.html", {"batch": batch})
    if batch.status != ImportStatus.PARSING and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    batch = selectors.import_get_admin(user=request.user, pk=pk)
    try:
        n = importer.import_confirm(batch=batch, actor=request.user)
    except ApplicationError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, _("%(n)s asesmen diimpor; JPM diperbarui.") % {"n": n})
    return redirect("competencies:import-preview", batch.pk)


def import_template(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    agency = _admin_agency(request)
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


# --- analytics ---------------------------------------------------------------------------------------------------


def _analytics_data(request: HttpRequest) -> dict[str, Any]:
    data = selectors.analytics(user=request.user)
    data["mapping"] = [
        (JpmCategory.OPTIMAL.label, data["by_category"].get(JpmCategory.OPTIMAL, 0)),
        (JpmCategory.CUKUP_OPTIMAL.label, data["by_category"].get(JpmCategory.CUKUP_OPTIMAL, 0)),
        (JpmCategory.KURANG_OPTIMAL.label, data["by_category"].get(JpmCategory.KURANG_OPTIMAL, 0)),
    ]
    data["filling"] = [
        (JpmCategory.MS.label, data["by_filling"].get(JpmCategory.MS, 0)),
        (JpmCategory.MMS.label, data["by_filling"].get(JpmCategory.MMS, 0)),
        (JpmCategory.KMS.label, data["by_filling"].get(JpmCategory.KMS, 0)),
    ]
    return data


def analytics(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    data = _analytics_data(request)
    return render(
        request,
        "competencies/analytics.html",
        {
            "data": data,
            "mapping_config": charts.distribution(
                [str(x[0]) for x in data["mapping"]], [x[1] for x in data["mapping"]], _("Pegawai")
            ),
            "filling_config": charts.distribution(
                [str(x[0]) for x in data["filling"]], [x[1] for x in data["filling"]], _("Pegawai")
            ),
            "breadcrumbs": [(_("Analitik kompetensi"), None)],
        },
    )


def analytics_xlsx(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    data = _analytics_data(request)
    units_header = [
        _("Unit kerja"),
        _("Pegawai"),
        _("Rata-rata JPM"),
        "Optimal",
        "Cukup Optimal",
        "Kurang Optimal",
        _("Dengan kesenjangan"),
    ]
    units = (
        [
            u["employee__unit__name"],
            u["n"],
            float(u["avg"]) if u["avg"] is not None else None,
            u["optimal"],
            u["cukup"],
            u["kurang"],
            u["gaps"],
        ]
        for u in data["units"]
    )
    by_competency = ([r["name"], r["kind"], r["count"], float(r["avg_gap"])] for r in data["gap_by_competency"])
    by_unit = ([u["unit"], g["competency"], g["count"]] for u in data["gap_by_unit"] for g in u["gaps"])
    categories = [
        *([_("Pemetaan"), str(label), n] for label, n in data["mapping"]),
        *([_("Pengisian jabatan"), str(label), n] for label, n in data["filling"]),
    ]
    content = xlsx_bytes(
        [
            ("JPM per unit", units_header, units),
            (
                "Kesenjangan per kompetensi",
                [_("Kompetensi"), _("Kelompok"), _("Jumlah pegawai"), _("Rata-rata kesenjangan")],
                by_competency,
            ),
            ("Kesenjangan per unit", [_("Unit kerja"), _("Kompetensi"), _("Jumlah pegawai")], by_unit),
            ("Kategori", [_("Skala"), _("Kategori"), _("Jumlah")], categories),
        ]
    )
    return attachment("analitik-kompetensi.xlsx", content)
