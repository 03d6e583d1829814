"""Import of past years' predikat."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from asn_portal.errors import ApplicationError
from asn_portal.exports import csv_response
from performance.choices import Predikat
from performance.forms import ImportForm
from performance.history import services as history_services
from performance.viewutils import admin_agency_id, flash_error


def _read_rows(upload: Any) -> list[list[Any]]:
    """Data rows (header dropped), streamed with the people import's row, column and size limits."""
    from people.imports.reading import read_grid

    return read_grid(upload, upload.name, max_rows=20000)[1:]


def predikat_import(request: HttpRequest) -> HttpResponse:
    """Import past years' predikat: upload → preview (nothing written) → confirm."""
    agency_id = admin_agency_id(request)
    preview = None
    form = ImportForm()
    if request.method == "POST" and request.POST.get("confirm"):
        rows = request.session.get("perf_import_rows") or []
        try:
            n = history_services.predikat_import_confirm(agency_id=agency_id, rows=rows, actor=request.user)
            request.session.pop("perf_import_rows", None)
            messages.success(request, _("%(n)s predikat diimpor.") % {"n": n})
            return redirect("performance:statistics")
        except ApplicationError as exc:
            flash_error(request, exc)
    elif request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                rows = _read_rows(form.cleaned_data["file"])
            except ApplicationError as exc:
                rows = None
                form.add_error("file", exc.message)
            except Exception:  # noqa: BLE001 - any unreadable file is the same user error
                rows = None
                form.add_error("file", _("Berkas tidak dapat dibaca."))
            if rows is not None:
                rows = [[str(c) if c is not None else "" for c in r[:3]] for r in rows][:20000]
                preview = history_services.predikat_import_preview(agency_id=agency_id, rows=rows, actor=request.user)
                request.session["perf_import_rows"] = rows
    return render(
        request,
        "performance/import.html",
        {
            "form": form,
            "preview": preview,
            "errors": [r for r in preview if r.error] if preview else [],
            "labels": dict(Predikat.choices),
            "breadcrumbs": [(_("Statistik kinerja"), reverse("performance:statistics")), (_("Impor predikat"), None)],
        },
    )


def import_template(request: HttpRequest) -> HttpResponse:
    return csv_response(
        "templat-impor-predikat.csv", ["NIP", "Tahun", "Predikat"], [["198505172010031001", 2024, "Baik"]]
    )
