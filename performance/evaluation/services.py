"""Evaluation of an SKP for a period and finalisation of the annual predikat."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from asn_portal.errors import ApplicationError, ConflictError
from asn_portal.services import audit
from performance import rules
from performance.calibration import summaries as calibration_summaries
from performance.choices import EvaluationStatus, PlanStatus, Predikat, PredikatSource
from performance.evaluation import selectors as evaluation_selectors
from performance.models import Evaluation, EvaluationPeriod, PerformancePlan, PredikatRecord, UnitPerformance
from performance.reports import summaries as statistics_summaries
from performance.workflow import (
    actor_employee_id,
    audit_transition,
    notify_on_commit,
    plan_cas,
    plan_url,
    require_role,
    settings_for,
)


def _check_may_evaluate(plan: PerformancePlan, period: EvaluationPeriod, actor: Any) -> None:
    require_role(actor, plan, {"appraiser", "admin"}, _("Anda bukan pejabat penilai SKP ini."))
    if plan.status != PlanStatus.APPROVED:
        raise ApplicationError(
            _("SKP belum disetujui atau sudah dinilai (status: %(s)s); penilaian tidak dapat dicatat.")
            % {"s": plan.get_status_display()}
        )
    if period.agency_id != plan.agency_id or period.year != plan.year:
        raise ApplicationError(_("Periode tidak sesuai dengan SKP."))
    if not period.is_annual:
        return
    gate = evaluation_selectors.annual_rating_gate(plan, period)
    if not gate.is_open:
        raise ApplicationError(
            evaluation_selectors.annual_gate_message(gate, period),
            {
                "field": "period",
                "opens_on": gate.opens_on.isoformat(),
                "missing_realisation": gate.missing_realisation,
            },
        )


def _result_rating_for(plan: PerformancePlan, period: EvaluationPeriod, result_rating: str) -> tuple[str, bool]:
    """A unit head's result rating is the unit's rating for the period when one is set (SE MenPANRB 3/2023)."""
    if not plan.is_unit_head:
        return result_rating, False
    unit_rating = (
        UnitPerformance.objects.filter(unit_id=plan.unit_id, period=period).values_list("rating", flat=True).first()
    )
    if not unit_rating:
        return result_rating, False
    return rules.head_result_rating(unit_rating=unit_rating), True


def evaluation_record(
    *,
    plan: PerformancePlan,
    period: EvaluationPeriod,
    result_rating: str,
    behaviour_rating: str,
    comment: str = "",
    actor: Any,
) -> Evaluation:
    """The appraiser rates results and behaviour for a period; the predikat follows the 3×3 matrix
    (PermenPANRB 6/2022 Lampiran). A unit head's result rating is the unit's rating (SE MenPANRB 3/2023).
    The last (annual) period moves the SKP to "evaluated"."""
    _check_may_evaluate(plan, period, actor)
    result_rating, from_unit = _result_rating_for(plan, period, result_rating)
    try:
        predikat = rules.derive_predikat(result=result_rating, behaviour=behaviour_rating)
    except ValueError as exc:
        raise ApplicationError(_("Pilih rating hasil kerja dan rating perilaku kerja.")) from exc
    now = timezone.now()
    decided = {
        "status": EvaluationStatus.EVALUATED,
        "result_rating": result_rating,
        "result_rating_from_unit": from_unit,
        "behaviour_rating": behaviour_rating,
        "predikat": predikat,
        "comment": comment,
    }
    with transaction.atomic():
        Evaluation.objects.get_or_create(plan=plan, period=period)
        # The row lock makes concurrent posts take turns; a repeat of the decision already recorded
        # (a double click, ten tabs) changes nothing and writes no second audit entry or notification.
        evaluation = Evaluation.objects.select_for_update().get(plan=plan, period=period)
        if all(getattr(evaluation, k) == v for k, v in decided.items()):
            raise ConflictError(
                _("Penilaian %(period)s dengan nilai yang sama sudah tercatat.") % {"period": period.name}
            )
        for key, value in decided.items():
            setattr(evaluation, key, value)
        evaluation.evaluated_by_id = actor_employee_id(actor)
        evaluation.evaluated_at = now
        evaluation.save(update_fields=[*decided, "evaluated_by_id", "evaluated_at"])
        audit(
            actor=actor,
            action="performance.evaluation.record",
            obj=evaluation,
            after={"period": period.name, "result": result_rating, "behaviour": behaviour_rating, "predikat": predikat},
            reason=comment,
            agency_id=plan.agency_id,
        )
        calibration_summaries.touch(plan.agency_id)
        if period.is_annual:
            plan_cas(
                plan,
                rules.EVALUATE,
                evaluated_at=now,
                result_rating=result_rating,
                behaviour_rating=behaviour_rating,
                predikat=predikat,
            )
            audit_transition(plan, actor, rules.EVALUATE, comment)
        notify_on_commit(
            [plan.employee_id],
            _("Penilaian %(period)s: %(predikat)s") % {"period": period.name, "predikat": Predikat(predikat).label},
            comment,
            plan_url(plan),
        )
    return evaluation


def upsert_predikat_record(plan: PerformancePlan, predikat: str, note: str = "") -> None:
    statistics_summaries.touch(plan.agency_id)
    PredikatRecord.objects.update_or_create(
        employee_id=plan.employee_id,
        year=plan.year,
        defaults={
            "predikat": predikat,
            "source": PredikatSource.APPRAISAL,
            "plan": plan,
            "unit_id": plan.unit_id,
            "locked": True,
            "note": note,
        },
    )


def plan_finalise(*, plan: PerformancePlan, actor: Any) -> PerformancePlan:
    """Lock the annual predikat and write it into the employee's history (riwayat predikat)."""
    require_role(actor, plan, {"appraiser", "admin"}, _("Hanya pejabat penilai atau BKD yang dapat memfinalkan SKP."))
    if plan.status != PlanStatus.EVALUATED:
        raise ApplicationError(_("Hanya SKP yang sudah dinilai tahunan yang dapat difinalkan."))
    with transaction.atomic():
        plan_cas(plan, rules.FINALISE, finalised_at=timezone.now())
        upsert_predikat_record(plan, plan.predikat)
        audit_transition(plan, actor, rules.FINALISE)
        window = settings_for(plan.agency_id).objection_window_days
        notify_on_commit(
            [plan.employee_id],
            _("Predikat kinerja %(year)s Anda: %(p)s") % {"year": plan.year, "p": Predikat(plan.predikat).label},
            _("Keberatan dapat diajukan dalam %(n)s hari.") % {"n": window},
            plan_url(plan),
        )
    return plan
