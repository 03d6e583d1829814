"""Recording external learning and the BKD admin's verification queue."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from asn_portal.errors import ApplicationError
from asn_portal.idempotency import key_from_request
from asn_portal.pagination import uncounted_page
from asn_portal.params import int_or_none
from people import access_log
from people.choices import AccessPart
from people.selectors import current_employee
from training import permissions
from training.external import selectors as external_selectors
from training.external import services as external_services
from training.forms import ExternalLearningForm
from training.viewutils import crumbs, require_admin


def external_new(request: HttpRequest) -> HttpResponse:
    emp = current_employee(request.user)
    if emp is None:
        raise PermissionDenied
    form = ExternalLearningForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            external_services.external_learning_record_once(  # the form's idempotency key: a double click once
                employee=emp, data=d, actor=request.user, key=key_from_request(request)
            )
        except ApplicationError as exc:
            form.add_error(exc.extra.get("field") if exc.extra.get("field") in form.fields else None, exc.message)
        else:
            messages.success(request, _("Pembelajaran eksternal dicatat dan menunggu verifikasi BKD."))
            return redirect("training:my-learning")
    return render(
        request,
        "training/external_form.html",
        {
            "form": form,
            "breadcrumbs": crumbs(
                (_("Riwayat pembelajaran saya"), reverse("training:my-learning")),
                (_("Catat pembelajaran eksternal"), None),
            ),
        },
    )


def verify(request: HttpRequest) -> HttpResponse:
    require_admin(request)
    if request.method == "POST":
        raw = request.POST.get("record", "")
        record = external_selectors.record_to_verify(user=request.user, pk=int_or_none(raw))
        if record is None:
            raise Http404
        try:
            external_services.learning_verify(
                record=record,
                approve=request.POST.get("decision") == "approve",
                reason=request.POST.get("reason", ""),
                actor=request.user,
            )
            messages.success(request, _("Verifikasi disimpan."))
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect("training:verify")
    page = uncounted_page(external_selectors.PendingExternal(user=request.user), request.GET.get("page"), 25)
    for record in page.object_list:
        record.may_verify = permissions.can_verify_learning(request.user, record)  # type: ignore[attr-defined]
    access_log.record(request, [r.employee_id for r in page.object_list], AccessPart.TRAINING)
    return render(
        request,
        "training/verify.html",
        {"page_obj": page, "breadcrumbs": crumbs((_("Verifikasi pembelajaran eksternal"), None))},
    )
