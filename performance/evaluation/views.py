"""The appraiser's evaluation of an SKP for a period."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from asn_portal.errors import ApplicationError
from people import decisions
from performance import permissions, rules
from performance.calibration import selectors as calibration_selectors
from performance.choices import PeriodStatus, Predikat
from performance.evaluation import selectors as evaluation_selectors
from performance.evaluation import services as evaluation_services
from performance.forms import EvaluationForm
from performance.plans import selectors as plans_selectors
from performance.viewutils import plan_crumbs


def evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    """The evaluation form: result and behaviour ratings for a period; the predikat follows the matrix."""
    plan = plans_selectors.plan_get_visible(user=request.user, pk=pk)
    if not permissions.can_evaluate_plan(request.user, plan):
        conflict = decisions.conflict_reason(request.user, plan.employee_id)
        messages.error(
            request,
            decisions.message_for(conflict) if conflict else _("SKP ini tidak dapat Anda nilai pada status sekarang."),
        )
        return redirect("performance:plan-detail", pk=plan.pk)
    parts = plans_selectors.plan_detail_parts(plan)
    periods = [p for p in parts["periods"] if p.opened_at]
    default = next((p.pk for p in periods if p.status == PeriodStatus.OPEN), periods[0].pk if periods else None)
    if request.method == "POST":
        form = EvaluationForm(request.POST, periods=periods)
        if form.is_valid():
            period = next(p for p in periods if p.pk == form.cleaned_data["period"])
            try:
                ev = evaluation_services.evaluation_record(
                    plan=plan,
                    period=period,
                    result_rating=form.cleaned_data["result_rating"],
                    behaviour_rating=form.cleaned_data["behaviour_rating"],
                    comment=form.cleaned_data["comment"],
                    actor=request.user,
                )
                messages.success(
                    request,
                    _("Penilaian %(p)s tersimpan: predikat %(k)s.")
                    % {"p": period.name, "k": ev.get_predikat_display()},
                )
                return redirect("performance:plan-detail", pk=plan.pk)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
    else:
        form = EvaluationForm(initial={"period": default}, periods=periods)
    unit_rating = None
    if plan.is_unit_head:
        unit_rating = calibration_selectors.unit_rating_of(unit_id=plan.unit_id, period_id=default)
    annual = next((p for p in periods if p.is_annual), None)
    annual_notice = (
        evaluation_selectors.annual_gate_message(evaluation_selectors.annual_rating_gate(plan, annual), annual)
        if annual
        else ""
    )
    return render(
        request,
        "performance/evaluate.html",
        {
            "plan": plan,
            **parts,
            "form": form,
            "unit_rating": unit_rating,
            "annual_notice": annual_notice,
            "matrix": _matrix_table(),
            "breadcrumbs": plan_crumbs(request, plan, (_("Penilaian"), None)),
        },
    )


def _matrix_table() -> list[tuple[Any, list[Any]]]:
    cols = ["below", "meets", "above"]
    from performance.choices import Expectation

    return [
        (Expectation(r).label, [Predikat(rules.PREDIKAT_MATRIX[(r, c)]).label for c in cols])
        for r in ["above", "meets", "below"]
    ]
