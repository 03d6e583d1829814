"""Lodging and deciding an objection to a final predikat."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from asn_portal.errors import ApplicationError
from performance.forms import ObjectionDecisionForm
from performance.models import Objection
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
    objection = Objection.objects.select_related("plan").filter(pk=pk).first()
    if objection is None:
        raise Http404
    plan = plans_selectors.plan_get_visible(user=request.user, pk=objection.plan_id)
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
