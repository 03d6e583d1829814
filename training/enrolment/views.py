"""Enrolling in an offering and the enrolment's actions (approve, decline, cancel, attendance...)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from asn_portal.errors import ApplicationError
from asn_portal.http import safe_next
from people.selectors import current_employee
from training.catalogue import selectors as catalogue_selectors
from training.choices import EnrollmentStatus as S
from training.enrolment import selectors as enrolment_selectors
from training.enrolment import services as enrolment_services
from training.forms import CompleteForm, NominateForm
from training.models import Enrollment


@require_POST
def offering_enrol(request: HttpRequest, pk: int) -> HttpResponse:
    offering = catalogue_selectors.offering_get_visible(user=request.user, pk=pk)
    target_id = request.POST.get("employee")
    try:
        if target_id:
            team = enrolment_selectors.nominable_team(user=request.user, with_agency=True)
            form = NominateForm(request.POST, team=team)
            if not form.is_valid():
                raise ApplicationError(_("Pilih anggota tim yang valid."))
            target = form.cleaned_data["employee"]
            e = enrolment_services.enrollment_request(
                employee=target, offering=offering, actor=request.user, nominated_by=current_employee(request.user)
            )
            messages.success(request, _("%(n)s diusulkan: %(s)s.") % {"n": target.full_name, "s": S(e.status).label})
        else:
            emp = current_employee(request.user)
            if emp is None:
                raise ApplicationError(_("Akun Anda tidak terhubung dengan data pegawai."))
            e = enrolment_services.enrollment_request(employee=emp, offering=offering, actor=request.user)
            msg = {
                S.ENROLLED: _("Anda terdaftar pada angkatan ini."),
                S.WAITLISTED: _("Kuota penuh: Anda masuk daftar tunggu."),
                S.REQUESTED: _("Permohonan dikirim ke atasan langsung untuk disetujui."),
            }.get(S(e.status), S(e.status).label)
            messages.success(request, msg)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("training:offering-detail", pk=offering.pk)


@require_POST
def enrollment_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    enrollment = enrolment_selectors.enrollment_get_visible(user=request.user, pk=pk)
    service: Callable[..., Enrollment] | None = enrolment_services.TRANSITION_SERVICES.get(action)
    if service is None:
        raise Http404
    kwargs: dict[str, Any] = {}
    if action in ("decline", "cancel", "fail"):
        kwargs["reason"] = request.POST.get("reason", "")
    if action == "complete":
        form = CompleteForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Data kelulusan tidak valid."))
            return safe_next(request, reverse("training:offering-detail", args=[enrollment.offering_id]))
        kwargs.update(
            certificate_number=form.cleaned_data["certificate_number"] or "",
            completed_on=form.cleaned_data["completed_on"],
            score=form.cleaned_data["score"],
        )
    try:
        service(enrollment=enrollment, actor=request.user, **kwargs)
        messages.success(request, _("Status pendaftaran: %(s)s.") % {"s": S(enrollment.status).label})
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return safe_next(request, reverse("training:offering-detail", args=[enrollment.offering_id]))
