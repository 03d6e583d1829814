"""People pages: directory (+ exports), profile, organisation chart, unit members and bulk import."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from asn_portal import registry
from asn_portal.dbrouter import replica_reads
from asn_portal.errors import ApplicationError
from asn_portal.exports import CSV_TYPE, attachment, csv_streaming_response, xlsx_response
from asn_portal.idempotency import create_once, key_from_request

from . import access_log, decisions, exposure, headcount, imports, permissions, selectors, services
from .access import admin_agency_q, is_hr_admin, scope_for
from .choices import AccessPart, ImportKind, ImportStatus, RowAction
from .filters import EmployeeFilterSet
from .forms import EmployeeForm, ImportConfirmForm, ImportUploadForm
from .models import Agency, Employee, ImportBatch, Position
from .privacy_forms import ExportPurposeForm
from .rules import check_nip

PAGE_SIZE = 25


def _directory_filter(request: HttpRequest, *, filter_bar: bool = False) -> EmployeeFilterSet:
    if not permissions.can_view_directory(request.user):
        raise PermissionDenied
    data = request.GET.copy()
    if not data.get("ordering"):
        data["ordering"] = "name"
    return EmployeeFilterSet(
        data, queryset=selectors.employee_directory(user=request.user), request=request, filter_bar=filter_bar
    )


# The directory's empty purpose field (BKD admins' personal-data export) as crispy renders it, per language: the
# same unbound field on every page, and its crispy templates were a twentieth of the page's cost (issue #13).
_PURPOSE_FIELD: dict[str | None, str] = {}


def _purpose_field_html() -> str:
    language = get_language()
    markup = _PURPOSE_FIELD.get(language)
    if markup is None:
        from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field

        markup = _PURPOSE_FIELD.setdefault(language, as_crispy_field(ExportPurposeForm()["purpose"]))
    return markup


def directory(request: HttpRequest) -> HttpResponse:
    """Employee directory for heads (their units) and BKD admins (their agency)."""
    fs = _directory_filter(request, filter_bar=True)
    qs = fs.qs if fs.is_valid() else fs.queryset.none()
    paginator = selectors.DirectoryPaginator(qs, PAGE_SIZE, name_search=fs.searches_name)
    page = paginator.get_page(request.GET.get("page"))
    access_log.record(request, page.object_list, AccessPart.DIRECTORY)
    return render(
        request,
        "people/directory.html",
        {
            "filter": fs,
            "page_obj": page,
            "may_export_sensitive": exposure.may_export_sensitive(request.user),
            "purpose_field": _purpose_field_html(),
            "ordering": request.GET.get("ordering", "name"),
            "can_create": permissions.can_import(request.user),
            "breadcrumbs": [(_("Direktori pegawai"), None)],
        },
    )


EXPORT_COLUMNS = [
    ("nip", "NIP"),
    ("front_title", "Gelar depan"),
    ("name", "Nama"),
    ("back_title", "Gelar belakang"),
    ("unit__name", "Unit kerja"),
    ("position__title", "Jabatan"),
    ("position__kind", "Jenis jabatan"),
    ("rank__code", "Golongan"),
    ("rank__name", "Pangkat"),
    ("rank_start_date", "TMT golongan"),
    ("employment_type", "Jenis kepegawaian"),
    ("status", "Status"),
]


def _export_labels() -> dict[int, dict[Any, str]]:
    """Column index -> {stored code: label in the active language}: exports never show raw codes."""
    fields = [f for f, _label in EXPORT_COLUMNS]
    choices = {
        "position__kind": Position._meta.get_field("kind").choices,
        "employment_type": Employee._meta.get_field("employment_type").choices,
        "status": Employee._meta.get_field("status").choices,
    }
    return {fields.index(f): {k: str(v) for k, v in (c or [])} for f, c in choices.items()}


# Personal fields (people.exposure.SENSITIVE_EXPORT_FIELDS): only a BKD admin who states a purpose gets them.
SENSITIVE_EXPORT_COLUMNS = [
    ("birth_place", "Tempat lahir"),
    ("birth_date", "Tanggal lahir"),
    ("email", "Email"),
    ("phone", "Telepon"),
]


def _export_rows(qs: QuerySet[Employee], columns: list[tuple[str, str]] | None = None) -> Iterator[tuple[Any, ...]]:
    fields = [f for f, _label in (columns or EXPORT_COLUMNS)]
    labels = list(_export_labels().items())
    for values in qs.order_by(*qs.query.order_by or ["name"]).values_list(*fields).iterator(chunk_size=2000):
        row = list(values)
        for i, names in labels:  # only the coded columns, not every cell
            row[i] = names.get(row[i], row[i])
        yield tuple(row)


@replica_reads
def directory_export(request: HttpRequest, fmt: str) -> HttpResponse | StreamingHttpResponse:
    """The directory's filtered list as CSV (streamed) or XLSX (write-only workbook), through the shared
    export helper (cells neutralised against formula injection)."""
    fs = _directory_filter(request)
    if not fs.is_valid() or fmt not in ("csv", "xlsx"):
        raise Http404
    stamp = timezone.localdate().strftime("%Y%m%d")
    columns = EXPORT_COLUMNS
    stated = ""
    # Personal fields: BKD admins only, with a stated purpose (logged); heads get the reduced export.
    if request.GET.get("lengkap") and exposure.may_export_sensitive(request.user):
        purpose_form = ExportPurposeForm(request.GET)
        if not purpose_form.is_valid():
            messages.error(request, " ".join(str(e) for e in purpose_form.errors.get("purpose", [])))
            return redirect(reverse("people:directory") + "?" + request.GET.urlencode())
        stated = purpose_form.cleaned_data["purpose"]
        columns = EXPORT_COLUMNS + SENSITIVE_EXPORT_COLUMNS
    access_log.record_export(request, fs.qs, AccessPart.DIRECTORY, stated_purpose=stated)
    headers = [label for _f, label in columns]
    if fmt == "csv":
        return csv_streaming_response(f"pegawai-{stamp}.csv", headers, _export_rows(fs.qs, columns))
    return xlsx_response(f"pegawai-{stamp}.xlsx", headers, _export_rows(fs.qs, columns), title=_("Pegawai"))


def _timeline(emp: Employee) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    positions, ranks = selectors.employee_histories(emp)
    for h in positions:
        items.append(
            {
                "date": h.start_date,
                "kind": "position",
                "title": h.position_title + (" (Plt./Plh.)" if h.is_acting else ""),
                "detail": " · ".join(
                    x
                    for x in (
                        h.unit_name,
                        _("s.d. %(d)s") % {"d": date_format(h.end_date)} if h.end_date else "",
                        _("SK %(n)s") % {"n": h.decree_number} if h.decree_number else "",
                    )
                    if x
                ),
                "url": "",
            }
        )
    for r in ranks:
        items.append(
            {
                "date": r.start_date,
                "kind": "rank",
                "title": str(r.rank),
                "detail": " · ".join(
                    x
                    for x in (r.promotion_kind, _("SK %(n)s") % {"n": r.decree_number} if r.decree_number else "")
                    if x
                ),
                "url": "",
            }
        )
    items.extend(registry.timeline_rows(emp))
    items.sort(key=lambda i: i["date"], reverse=True)
    return items


def profile(request: HttpRequest, pk: int) -> HttpResponse:
    """An employee's profile: identity, NIP warnings, current post/rank, supervisor, timeline, panels."""
    return _profile(request, selectors.employee_profile(user=request.user, pk=pk))


def _profile(request: HttpRequest, emp: Employee) -> HttpResponse:
    fields = exposure.visible_fields(request.user, emp)
    # The NIP checks compare the NIP with the birth date, CPNS date and gender, and their messages name them: only
    # those who may see the birth date (the person, BKD, who can correct it) get them (least exposure, issue #16).
    personal = "birth_date" in fields
    nip_check = check_nip(
        emp.nip,
        is_pppk=emp.employment_type == "pppk",
        birth_date=emp.birth_date if personal else None,
        cpns_date=emp.cpns_date if personal else None,
        gender=emp.gender if personal else None,
    )
    show_sanctions = permissions.can_view_sanctions(request.user, emp)
    today = timezone.localdate()
    panels = registry.render_panels(registry.registry.profile_panels, request, employee=emp)
    access_log.record(request, emp, AccessPart.PROFILE)
    access_log.record_panels(request, emp, [t for t, _ctx in panels])
    context = {
        "emp": emp,
        "fields": fields,
        "age_band": exposure.age_band(emp.birth_date, today),
        "can_view_access_log": getattr(request.user, "pk", None) == emp.user_id
        or permissions.can_edit_employee(request.user, emp),
        "nip_check": nip_check,
        "supervisor": selectors.supervisor_of(emp),
        "timeline": _timeline(emp),
        "show_sanctions": show_sanctions,
        "sanctions": list(emp.sanctions.all()) if show_sanctions else [],
        "today": today,
        "panels": panels,
        "is_self": getattr(request.user, "pk", None) == emp.user_id,
        "can_edit": permissions.can_edit_employee(request.user, emp),
        "breadcrumbs": (
            [(_("Direktori pegawai"), reverse("people:directory")), (emp.full_name, None)]
            if permissions.can_view_directory(request.user)
            else [(_("Profil Saya"), None)]
        ),
    }
    return render(request, "people/profile.html", context)


def my_profile(request: HttpRequest) -> HttpResponse:
    """ "Profil Saya": the signed-in employee's own profile (rendered in place, so the menu link answers 200)."""
    emp = selectors.own_profile(user=request.user)
    if emp is None:
        messages.info(request, _("Akun Anda tidak terhubung dengan data pegawai."))
        return redirect("home")
    return _profile(request, emp)


def org_chart(request: HttpRequest) -> HttpResponse:
    """The unit tree of an agency with heads, acting heads and head counts."""
    if not permissions.can_view_org_chart(request.user):
        raise PermissionDenied
    agency_id = request.GET.get("agency")
    agency = selectors.agency_for_chart(
        user=request.user, agency_id=int(agency_id) if agency_id and agency_id.isdecimal() else None
    )
    rows = selectors.org_chart(user=request.user, agency=agency) if agency else []
    from .models import Agency

    admin_ids = permissions.admin_agency_ids(request.user)
    if admin_ids is None:
        agencies = list(Agency.objects.all())
    elif agency is not None and admin_ids == {agency.pk}:
        agencies = [agency]  # the one agency administered is the one shown (no choice to offer)
    else:
        agencies = list(Agency.objects.filter(pk__in=admin_ids))
    return render(
        request,
        "people/org_chart.html",
        {
            "agency": agency,
            "agencies": agencies,
            "rows": rows,
            "total": sum(r["own_count"] for r in rows),
            "computed_at": headcount.computed_at(agency.pk) if agency else None,
            "breadcrumbs": [(_("Struktur organisasi"), None)],
        },
    )


def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A unit's people (with its sub-units), scoped like the chart."""
    unit = selectors.unit_get_visible(user=request.user, pk=pk)
    paginator = selectors.UnitMembersPaginator(user=request.user, unit=unit, per_page=PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    access_log.record(request, page.object_list, AccessPart.DIRECTORY)
    return render(
        request,
        "people/unit_detail.html",
        {
            "unit": unit,
            "page_obj": page,
            "breadcrumbs": [(_("Struktur organisasi"), reverse("people:org-chart")), (unit.name, None)],
        },
    )


# --- Bulk import (BKD admins) ---


def _require_importer(request: HttpRequest) -> None:
    if not permissions.can_import(request.user):
        raise PermissionDenied


def _batch(request: HttpRequest, pk: int) -> ImportBatch:
    _require_importer(request)
    return get_object_or_404(ImportBatch.objects.filter(admin_agency_q(request.user)), pk=pk)


def import_list(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        agency = form.cleaned_data["agency"]
        if not is_hr_admin(request.user, agency.pk):
            raise PermissionDenied
        upload = form.cleaned_data["file"]
        try:
            batch, _created = create_once(
                user=request.user,
                key=key_from_request(request),
                scope="people.import",
                create=lambda: imports.batch_upload(
                    agency=agency,
                    kind=form.cleaned_data["kind"],
                    stream=upload,
                    filename=upload.name,
                    actor=request.user,
                ),
                load=lambda pk: ImportBatch.objects.get(pk=pk),
            )
        except ApplicationError as exc:
            form.add_error("file", exc.message)
        else:
            return redirect("people:import-preview", pk=batch.pk)
    batches = (
        ImportBatch.objects.filter(admin_agency_q(request.user))
        .select_related("agency", "created_by")
        .defer("rows")[:20]
    )
    return render(
        request,
        "people/import_list.html",
        {"form": form, "batches": batches, "kinds": ImportKind.choices, "breadcrumbs": [(_("Impor data"), None)]},
    )


def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    action = request.GET.get("action", "")
    rows = [r for r in batch.rows if not action or r["action"] == action or (action == "warning" and r["warnings"])]
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    columns = [c.name for c in imports.COLUMNS[batch.kind]]
    return render(
        request,
        "people/import_preview.html",
        {
            "batch": batch,
            "page_obj": page,
            "columns": columns,
            "action": action,
            "actions": RowAction,
            "confirm_form": ImportConfirmForm(),
            "decision_rows": [r for r in batch.rows if r.get("decisions")],
            "breadcrumbs": [(_("Impor data"), reverse("people:import-list")), (batch.filename, None)],
        },
    )


@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    form = ImportConfirmForm(request.POST)
    only_valid = form.is_valid() and form.cleaned_data["only_valid"]
    try:
        lines = [int(v) for v in request.POST.getlist("confirm_line") if v.isdigit()]
        batch = imports.batch_confirm(batch=batch, only_valid=only_valid, actor=request.user, confirmed_lines=lines)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        if batch.status == ImportStatus.DONE:
            messages.success(request, _("Impor selesai."))
        elif batch.status == ImportStatus.FAILED:
            messages.error(request, batch.error)
        else:
            messages.info(request, _("Impor sedang diproses."))
    return redirect("people:import-preview", pk=pk)


@require_POST
def import_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    try:
        imports.batch_cancel(batch=batch, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.info(request, _("Impor dibatalkan; tidak ada data yang ditulis."))
    return redirect("people:import-list")


def import_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The htmx-polled progress fragment of a batch."""
    _require_importer(request)
    batch = get_object_or_404(ImportBatch.objects.filter(admin_agency_q(request.user)).defer("rows"), pk=pk)
    response = render(request, "people/_import_status.html", {"batch": batch})
    # the file has been read (preview), written (done) or refused (failed): reload the whole page
    finished = (ImportStatus.PREVIEW, ImportStatus.DONE, ImportStatus.FAILED, ImportStatus.CANCELLED)
    if batch.status in finished and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


def import_template(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    _require_importer(request)
    if kind not in imports.COLUMNS or fmt not in ("csv", "xlsx"):
        raise Http404
    scope = scope_for(request.user)
    agency = Agency.objects.filter(pk__in=sorted(scope.admin_agency_ids)[:1]).first()
    sample = imports.sample_row(agency, kind)
    if fmt == "csv":
        return attachment(f"templat-{kind}.csv", imports.template_csv(kind, sample), CSV_TYPE)
    return attachment(f"templat-{kind}.xlsx", imports.template_xlsx(kind, sample))


# --- Employee create/edit (BKD admins) ---

FORM_FIELDS = [
    "nip",
    "front_title",
    "name",
    "back_title",
    "gender",
    "birth_place",
    "birth_date",
    "employment_type",
    "education_level",
    "education_field",
    "unit",
    "position",
    "position_start_date",
    "rank",
    "rank_start_date",
    "cpns_date",
    "pns_date",
    "status",
    "email",
    "phone",
]


def _save_employee(request: HttpRequest, form: EmployeeForm, employee: Employee | None) -> HttpResponse | None:
    data = {k: v for k, v in form.cleaned_data.items() if k in FORM_FIELDS}
    try:
        if employee is None:
            agency = data["unit"].agency
            if not is_hr_admin(request.user, agency.pk):
                raise PermissionDenied
            employee, warnings = services.employee_create(agency=agency, data=data, actor=request.user)
            messages.success(request, _("Pegawai %(name)s ditambahkan.") % {"name": employee.full_name})
        else:
            employee, warnings = services.employee_update(employee=employee, data=data, actor=request.user)
            messages.success(request, _("Data %(name)s disimpan.") % {"name": employee.full_name})
    except ApplicationError as exc:
        field = exc.extra.get("field")
        form.add_error(field if field in form.fields else None, exc.message)
        return None
    for warning in warnings:
        messages.warning(request, warning)
    return redirect("people:profile", pk=employee.pk)


def employee_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_import(request.user):
        raise PermissionDenied
    form = EmployeeForm(request.POST or None, user=request.user, initial={"status": "active"})
    if request.method == "POST" and form.is_valid():
        done = _save_employee(request, form, None)
        if done is not None:
            return done
    return render(
        request,
        "people/employee_form.html",
        {
            "form": form,
            "breadcrumbs": [(_("Direktori pegawai"), reverse("people:directory")), (_("Tambah pegawai"), None)],
        },
    )


def employee_edit(request: HttpRequest, pk: int) -> HttpResponse:
    emp = selectors.employee_get_visible(user=request.user, pk=pk)
    if not permissions.can_edit_employee(request.user, emp):
        raise PermissionDenied
    initial = {f: getattr(emp, f) for f in FORM_FIELDS}
    form = EmployeeForm(request.POST or None, user=request.user, initial=initial)
    if not decisions.may_decide(request.user, emp):
        # One's own post and rank are recorded by another BKD admin (separation of duties).
        for name in ("position", "position_start_date", "rank", "rank_start_date"):
            if name in form.fields:
                form.fields[name].disabled = True
                form.fields[name].help_text = _("Data Anda sendiri: dicatat oleh admin BKD lain.")
    if request.method == "POST" and form.is_valid():
        done = _save_employee(request, form, emp)
        if done is not None:
            return done
    return render(
        request,
        "people/employee_form.html",
        {
            "form": form,
            "emp": emp,
            "breadcrumbs": [
                (_("Direktori pegawai"), reverse("people:directory")),
                (emp.full_name, reverse("people:profile", args=[emp.pk])),
                (_("Ubah"), None),
            ],
        },
    )
