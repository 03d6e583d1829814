"""Lodging and deciding an objection to a final predikat."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from asn_portal.errors import ApplicationError
from performance.forms import ObjectionDecisionForm
from performance.objections import selectors as objections_selectors
from performance.objections import services as objections_services
from performance.plans import selectors as plans_selectors
from performance.viewutils import flash_error


@require_POST
def objection_lodge(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plans_selectors.plan_get_visible(user=request.user, pk=pk)
    try:
        objections_services.objection_lodge(plan=plan, reason=request.POST.get("reason", ""), actor=request.user)
        messages.success(request, _("Keberatan diajukan ke atasan pejabat penilai."))
    except ApplicationError as exc:
        flash_error(request, exc)
    return redirect("performance:plan-detail", pk=plan.pk)


@require_POST
def objection_decide(request: HttpRequest, pk: int) -> HttpResponse:
    objection = objections_selectors.objection_get_visible(user=request.user, pk=pk)
    plan = objection.plan
    form = ObjectionDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Lengkapi keputusan keberatan."))
        return redirect("performance:plan-detail", pk=plan.pk)
    try:
        objections_services.objection_decide(
            objection=objection,
            upheld=form.cleaned_data["upheld"],
            new_predikat=form.cleaned_data["new_predikat"],
            decision=form.cleaned_data["decision"],
            actor=request.user,
        )
        messages.success(request, _("Keberatan diputus."))
    except ApplicationError as exc:
        flash_error(request, exc)
    return redirect("performance:plan-detail", pk=plan.pk)
