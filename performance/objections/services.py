"""Objections (keberatan) to a final predikat, lodged by the employee and decided by the appraiser's superior."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from asn_portal.errors import ApplicationError, ConflictError
from people import decisions
from performance import rules
from performance.calibration import summaries as calibration_summaries
from performance.choices import ObjectionStatus, PlanStatus, Predikat
from performance.evaluation.services import upsert_predikat_record
from performance.models import Objection, PerformancePlan
from performance.workflow import (
    actor_employee_id,
    audit_transition,
    notify_on_commit,
    plan_cas,
    plan_url,
    require_role,
    settings_for,
)


def objection_lodge(*, plan: PerformancePlan, reason: str, actor: Any) -> Objection:
    """The employee objects (keberatan) to the final predikat within the agency's window."""
    require_role(actor, plan, {"owner"}, _("Hanya pegawai yang bersangkutan yang dapat mengajukan keberatan."))
    if not reason.strip():
        raise ApplicationError(_("Tuliskan alasan keberatan."))
    if plan.status != PlanStatus.FINAL or plan.finalised_at is None:
        raise ApplicationError(_("Keberatan hanya dapat diajukan atas SKP yang sudah final."))
    window = settings_for(plan.agency_id).objection_window_days
    days = (timezone.now() - plan.finalised_at).days
    if not rules.objection_open(finalised_days_ago=days, window_days=window):
        raise ApplicationError(_("Batas waktu keberatan (%(n)s hari) sudah lewat.") % {"n": window})
    with transaction.atomic():
        plan_cas(plan, rules.OBJECT)
        objection = Objection.objects.create(plan=plan, reason=reason.strip(), original_predikat=plan.predikat)
        audit_transition(plan, actor, rules.OBJECT, reason)
        notify_on_commit(
            [plan.appraiser_superior_id, plan.appraiser_id],
            _("Keberatan atas predikat kinerja %(name)s") % {"name": plan.employee},
            reason[:200],
            plan_url(plan),
        )
    return objection


def objection_decide(
    *, objection: Objection, upheld: bool, decision: str, new_predikat: str = "", actor: Any
) -> Objection:
    """The appraiser's superior decides the objection; if upheld, the predikat is corrected."""
    plan = objection.plan
    require_role(
        actor, plan, {"appraiser_superior", "admin"}, _("Keberatan diputus oleh atasan pejabat penilai kinerja.")
    )
    # The appraiser whose evaluation is contested does not decide the objection against it.
    decisions.ensure_may_decide(actor, None, conflicted=[plan.appraiser_id], conflict=decisions.OWN_ASSESSMENT)
    if not decision.strip():
        raise ApplicationError(_("Tuliskan pertimbangan keputusan."))
    if upheld and new_predikat not in Predikat.values:
        raise ApplicationError(_("Pilih predikat baru bila keberatan diterima."))
    with transaction.atomic():
        final_predikat = new_predikat if upheld else plan.predikat
        plan_cas(plan, rules.RESOLVE, predikat=final_predikat)
        calibration_summaries.touch(plan.agency_id)
        n = Objection.objects.filter(pk=objection.pk, status=ObjectionStatus.OPEN).update(
            status=ObjectionStatus.UPHELD if upheld else ObjectionStatus.REJECTED,
            new_predikat=new_predikat if upheld else "",
            decision=decision,
            decided_by_id=actor_employee_id(actor),
            decided_at=timezone.now(),
        )
        if n == 0:
            raise ConflictError(_("Keberatan ini sudah diputus."))
        objection.refresh_from_db()
        upsert_predikat_record(plan, final_predikat, note=_("Setelah keberatan"))
        audit_transition(plan, actor, rules.RESOLVE, decision)
        notify_on_commit(
            [plan.employee_id],
            _("Keberatan Anda telah diputus: %(s)s") % {"s": objection.get_status_display()},
            decision[:200],
            plan_url(plan),
        )
    return objection
