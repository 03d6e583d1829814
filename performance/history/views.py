"""Import of past years' predikat: upload (stored, read by the worker) → preview → confirm or cancel."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from asn_portal.errors import ApplicationError
from asn_portal.exports import csv_response
from asn_portal.idempotency import create_once, key_from_request
from performance.choices import Predikat, PredikatImportStatus
from performance.forms import ImportForm
from performance.history import selectors
from performance.history import services as history_services
from performance.viewutils import admin_agency_id, flash_error

ROWS_PER_PAGE = 50


def _crumbs(*extra: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(_("Statistik kinerja"), reverse("performance:statistics")), *extra]


def predikat_import(request: HttpRequest) -> HttpResponse:
    """Upload a file of past years' predikat: stored here, read by the worker; the recent batches below."""
    agency_id = admin_agency_id(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch, _created = create_once(  # a double click or a retried upload stores and reads it once
                user=request.user,
                key=key_from_request(request),
                scope="performance.predikat_import",
                create=lambda: history_services.import_upload(
                    agency_id=agency_id, name=upload.name, stream=upload, actor=request.user
                ),
                load=lambda pk: selectors.predikat_import_get_visible(user=request.user, pk=int(pk), with_rows=False),
            )
        except ApplicationError as exc:
            form.add_error("file", exc.message)
        else:
            return redirect("performance:import-preview", pk=batch.pk)
    recent = selectors.predikat_import_list_visible_to(user=request.user, agency_id=agency_id)[:10]
    return render(
        request,
        "performance/import.html",
        {"form": form, "recent": recent, "breadcrumbs": _crumbs((_("Impor predikat"), None))},
    )


def predikat_import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The batch: being read (polled), its rows with each row's error, and confirm/cancel while in preview."""
    admin_agency_id(request)
    batch = selectors.predikat_import_get_visible(user=request.user, pk=pk)
    only_errors = request.GET.get("salah") == "1"
    rows = [r for r in batch.rows if r["error"]] if only_errors else batch.rows
    return render(
        request,
        "performance/import_preview.html",
        {
            "batch": batch,
            "page_obj": Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page")),
            "only_errors": only_errors,
            "labels": dict(Predikat.choices),
            "breadcrumbs": _crumbs((_("Impor predikat"), reverse("performance:import")), (batch.file_name, None)),
        },
    )


def predikat_import_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The htmx-polled state of an upload being read; the page reloads once the preview (or the refusal) is ready."""
    admin_agency_id(request)
    batch = selectors.predikat_import_get_visible(user=request.user, pk=pk, with_rows=False)
    response = render(request, "performance/_import_status.html", {"batch": batch})
    if batch.status != PredikatImportStatus.PARSING and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@require_POST
def predikat_import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    admin_agency_id(request)
    batch = selectors.predikat_import_get_visible(user=request.user, pk=pk)
    try:
        n = history_services.import_confirm(batch=batch, actor=request.user)
    except ApplicationError as exc:
        flash_error(request, exc)
    else:
        messages.success(request, _("%(n)s predikat diimpor.") % {"n": n})
    return redirect("performance:import-preview", pk=batch.pk)


@require_POST
def predikat_import_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    admin_agency_id(request)
    batch = selectors.predikat_import_get_visible(user=request.user, pk=pk, with_rows=False)
    try:
        history_services.import_cancel(batch=batch, actor=request.user)
    except ApplicationError as exc:
        flash_error(request, exc)
    else:
        messages.info(request, _("Impor dibatalkan; tidak ada data yang ditulis."))
    return redirect("performance:import")


def import_template(request: HttpRequest) -> HttpResponse:
    admin_agency_id(request)
    return csv_response(
        "templat-impor-predikat.csv", ["NIP", "Tahun", "Predikat"], [["198505172010031001", 2024, "Baik"]]
    )
