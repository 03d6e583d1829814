"""Pages for corrections: the employee's form and list (Profil Saya), the BKD queue and its diff view."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from asn_portal.errors import ApplicationError
from asn_portal.idempotency import key_from_request
from asn_portal.uploads import serve_private_file

from .. import decisions
from .. import selectors as people_selectors
from ..access import is_hr_admin
from ..choices import CorrectionStatus
from . import selectors, services
from .forms import CorrectionForm, DecisionForm


def my_corrections(request: HttpRequest) -> HttpResponse:
    """Propose a correction of one's own record, and follow one's proposals."""
    emp = people_selectors.current_employee(request.user)
    if emp is None:
        messages.info(request, _("Akun Anda tidak terhubung dengan data pegawai."))
        return redirect("home")
    form = CorrectionForm(request.POST or None, request.FILES or None, employee=emp)
    if request.method == "POST" and form.is_valid():
        try:
            services.correction_submit(
                employee=emp,
                data=form.proposal(),
                reason=form.cleaned_data["reason"],
                document=form.cleaned_data["document"],
                actor=request.user,
                idempotency_key=key_from_request(request),
            )
        except ApplicationError as exc:
            field = exc.extra.get("field") if isinstance(exc.extra, dict) else None
            form.add_error(field if field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Usulan pemutakhiran data terkirim ke admin BKD."))
            return redirect("people:my-corrections")
    own = list(selectors.correction_own_list(user=request.user)[:50])
    return render(
        request,
        "people/corrections/mine.html",
        {
            "form": form,
            "corrections": [(c, selectors.diff_rows(c)) for c in own],
            "has_open": any(c.status == CorrectionStatus.SUBMITTED for c in own),
            "breadcrumbs": [(_("Profil Saya"), reverse("people:me")), (_("Pemutakhiran data"), None)],
        },
    )


@require_POST
def correction_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    c = selectors.correction_get_visible(user=request.user, pk=pk)
    try:
        services.correction_withdraw(correction=c, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Usulan ditarik."))
    return redirect("people:my-corrections")


def correction_queue(request: HttpRequest) -> HttpResponse:
    """BKD admins: open proposals of their agency (or decided ones, by the status filter)."""
    if not is_hr_admin(request.user):
        raise PermissionDenied
    status = request.GET.get("status", CorrectionStatus.SUBMITTED)
    if status not in CorrectionStatus.values:
        status = CorrectionStatus.SUBMITTED
    rows = list(selectors.correction_queue(user=request.user, status=status)[:200])
    return render(
        request,
        "people/corrections/queue.html",
        {
            "rows": rows,
            "status": status,
            "statuses": CorrectionStatus.choices,
            "breadcrumbs": [(_("Pemutakhiran data"), None)],
        },
    )


def correction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The proposal with its diff; BKD admins who may decide get approve/reject."""
    c = selectors.correction_get_visible(user=request.user, pk=pk)
    can_decide = (
        c.status == CorrectionStatus.SUBMITTED
        and is_hr_admin(request.user, c.agency_id)
        and decisions.may_decide(request.user, c.employee)
    )
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        if not can_decide:
            raise PermissionDenied
        if form.is_valid():
            try:
                if request.POST.get("decision") == "approve":
                    services.correction_approve(correction=c, actor=request.user, reason=form.cleaned_data["reason"])
                    messages.success(request, _("Usulan disetujui; data pegawai diperbarui."))
                else:
                    services.correction_reject(correction=c, actor=request.user, reason=form.cleaned_data["reason"])
                    messages.success(request, _("Usulan ditolak."))
            except ApplicationError as exc:
                form.add_error("reason" if exc.extra.get("field") == "reason" else None, exc.message)
            else:
                return redirect("people:correction-queue")
    is_own = c.employee.user_id == request.user.pk
    return render(
        request,
        "people/corrections/detail.html",
        {
            "c": c,
            "diff": selectors.diff_rows(c),
            "form": form,
            "can_decide": can_decide,
            "breadcrumbs": [
                (_("Pemutakhiran data"), reverse("people:my-corrections" if is_own else "people:correction-queue")),
                (c.employee.full_name, None),
            ],
        },
    )


def correction_document(request: HttpRequest, pk: int) -> HttpResponseBase:
    c = selectors.correction_get_visible(user=request.user, pk=pk)
    return serve_private_file(request, c.document, c.document_name)
