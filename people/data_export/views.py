"""Pages for "Salinan data saya" under Profil Saya: request, progress (htmx poll), download."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from asn_portal.errors import ApplicationError
from asn_portal.uploads import serve_private_file

from .. import selectors as people_selectors
from ..choices import DataExportStatus
from . import selectors, services


def my_data(request: HttpRequest) -> HttpResponse:
    """The signed-in employee's copies of their data, newest first, with the pending one's progress."""
    emp = people_selectors.current_employee(request.user)
    if emp is None:
        messages.info(request, _("Akun Anda tidak terhubung dengan data pegawai."))
        return redirect("home")
    exports = list(selectors.data_export_list_visible_to(user=request.user)[:20])
    return render(
        request,
        "people/data_export/my_data.html",
        {
            "emp": emp,
            "exports": exports,
            "pending": next((e for e in exports if e.is_pending), None),
            "ttl_hours": int(services.ttl().total_seconds() // 3600),
            "breadcrumbs": [(_("Profil Saya"), reverse("people:me")), (_("Salinan data saya"), None)],
        },
    )


@require_POST
def my_data_request(request: HttpRequest) -> HttpResponse:
    emp = people_selectors.current_employee(request.user)
    if emp is None:
        return redirect("home")
    try:
        _req, created = services.data_export_request(employee=emp, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        if created:
            messages.success(request, _("Permintaan diterima. Kami memberi tahu Anda bila salinan siap diunduh."))
        else:
            messages.info(request, _("Salinan data Anda sedang disiapkan."))
    return redirect("people:my-data")


def my_data_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The htmx-polled progress fragment; refreshes the page once the copy is ready or failed."""
    req = selectors.data_export_get_visible(user=request.user, pk=pk)
    response = render(request, "people/data_export/_status.html", {"req": req})
    if not req.is_pending and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


def my_data_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Download one's own copy (another person's: 404), logged."""
    req = selectors.data_export_get_visible(user=request.user, pk=pk)
    if req.status != DataExportStatus.READY or not req.file:
        messages.info(request, _("Salinan ini tidak tersedia lagi; silakan minta salinan baru."))
        return redirect("people:my-data")
    response = serve_private_file(request, req.file, req.download_name)
    services.data_export_downloaded(req=req, actor=request.user, via=request.path)
    return response
