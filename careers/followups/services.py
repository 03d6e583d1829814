"""Appraisal follow-up writes: draft from SKP results, decide and mark done."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from asn_portal.errors import ApplicationError, ConflictError
from asn_portal.services import audit, job_run
from careers import rules, summaries
from careers.actors import heads_employee, local_today
from careers.choices import (
    ActionKind,
    ActionSource,
    DevelopmentOpportunity,
    FollowUpKind,
    FollowUpStatus,
    PlanStatus,
)
from careers.models import (
    AppraisalFollowUp,
    CareerPlan,
    DevelopmentAction,
    RecognitionType,
)
from careers.plans.services import open_new_version_if_agreed
from people import decisions
from people.access import is_hr_admin
from people.choices import ACTIVE_STATUSES


def follow_ups_draft(*, agency_id: int, year: int) -> dict[str, int]:
    """After the annual predikat is final, draft the follow-up list (PermenPANRB 6/2022 tahap 4): Sangat Baik →
    a recognition and a development opportunity; Butuh Perbaikan / Kurang / Sangat Kurang → a coaching plan.
    Set-based and idempotent (existing items are kept)."""
    from performance.models import PredikatRecord

    recognition = (
        RecognitionType.objects.filter(Q(agency_id=agency_id) | Q(agency_id=None), is_active=True)
        .order_by("agency_id", "name")
        .first()
    )
    with job_run("careers.follow_ups_draft", agency_id=agency_id) as run:
        records = list(
            PredikatRecord.objects.filter(employee__agency_id=agency_id, year=year, locked=True)
            .filter(employee__status__in=ACTIVE_STATUSES)
            .values_list("employee_id", "predikat", "employee__unit_id")
        )
        existing = set(
            AppraisalFollowUp.objects.filter(agency_id=agency_id, year=year).values_list("employee_id", "kind")
        )
        rows = []
        for emp_id, predikat, unit_id in records:
            for kind in rules.follow_up_kinds(predikat):
                if (emp_id, kind) in existing:
                    continue
                row = AppraisalFollowUp(
                    agency_id=agency_id, unit_id=unit_id, employee_id=emp_id, year=year, predikat=predikat, kind=kind
                )
                if kind == FollowUpKind.RECOGNITION:
                    row.recognition_type = recognition
                elif kind == FollowUpKind.DEVELOPMENT:
                    row.opportunity = DevelopmentOpportunity.SPECIALISED_COURSE
                else:
                    row.sessions_planned = rules.coaching_sessions_for(predikat)
                rows.append(row)
        AppraisalFollowUp.objects.bulk_create(rows, batch_size=2000)
        if rows:
            summaries.touch_follow_ups(agency_id)
        run.counts.update({"predikat": len(records), "drafted": len(rows)})
    return dict(run.counts)


def follow_up_decide(
    *,
    item: AppraisalFollowUp,
    decision: str,
    reason: str,
    actor: Any,
    recognition_type_id: int | None = None,
    opportunity: str = "",
    sessions_planned: int | None = None,
    today: dt.date | None = None,
) -> None:
    """The head confirms, adjusts or cancels a drafted item, with a reason when it departs from the draft.
    Confirming a coaching plan writes its sessions into the employee's career plan as actions."""
    decisions.ensure_may_decide(actor, item.employee_id)
    if not heads_employee(actor, item.employee) and not is_hr_admin(actor, item.agency_id):
        raise ApplicationError(_("Hanya atasan unit pegawai yang dapat memutuskan tindak lanjut."), status=403)
    if decision not in (FollowUpStatus.CONFIRMED, FollowUpStatus.ADJUSTED, FollowUpStatus.CANCELLED):
        raise ApplicationError(_("Keputusan tidak dikenal."), {"field": "decision"})
    if decision != FollowUpStatus.CONFIRMED and not reason.strip():
        raise ApplicationError(_("Tuliskan alasan penyesuaian atau pembatalan."), {"field": "reason"})
    today = today or local_today()
    before = {
        "status": item.status,
        "recognition_type": item.recognition_type_id,
        "opportunity": item.opportunity,
        "sessions_planned": item.sessions_planned,
    }
    with transaction.atomic():
        updates: dict[str, Any] = {
            "status": decision,
            "head_reason": reason.strip(),
            "decided_by": actor,
            "decided_at": timezone.now(),
        }
        if decision == FollowUpStatus.ADJUSTED:
            if recognition_type_id is not None:
                updates["recognition_type_id"] = recognition_type_id
            if opportunity:
                updates["opportunity"] = opportunity
            if sessions_planned is not None:
                updates["sessions_planned"] = sessions_planned
        n = AppraisalFollowUp.objects.filter(pk=item.pk, status=FollowUpStatus.PROPOSED).update(**updates)
        if not n:
            raise ConflictError(_("Tindak lanjut ini sudah diputuskan."))
        item.refresh_from_db()
        summaries.touch_follow_ups(item.agency_id)
        if item.kind == FollowUpKind.COACHING and decision != FollowUpStatus.CANCELLED and item.sessions_planned:
            _write_coaching_into_plan(item, actor, today)
        audit(
            actor=actor,
            action="appraisal_follow_up.decide",
            obj=item,
            before=before,
            after={"status": decision, **{k: v for k, v in updates.items() if k not in ("decided_by", "decided_at")}},
            reason=reason,
            agency_id=item.agency_id,
        )


def _write_coaching_into_plan(item: AppraisalFollowUp, actor: Any, today: dt.date) -> None:
    plan = CareerPlan.objects.filter(employee_id=item.employee_id).exclude(status=PlanStatus.ARCHIVED).first()
    if plan is None:
        plan = CareerPlan.objects.create(
            employee_id=item.employee_id,
            target_family=str(_("Peningkatan kinerja pada jabatan saat ini")),
            horizon_years=1,
            aspiration=str(_("Rencana pembinaan tindak lanjut penilaian kinerja %(y)s") % {"y": item.year}),
        )
    elif item.sessions_planned:
        open_new_version_if_agreed(
            plan, actor, _("Tindak lanjut penilaian kinerja %(y)s: bimbingan kinerja") % {"y": item.year}
        )
    actions = [
        DevelopmentAction(
            plan=plan,
            kind=ActionKind.MENTORING,
            title=str(
                _("Bimbingan kinerja %(n)d/%(t)d (tindak lanjut SKP %(y)s)")
                % {"n": n, "t": item.sessions_planned, "y": item.year}
            )[:200],
            due_date=today + dt.timedelta(days=30 * n),
            source=ActionSource.FOLLOW_UP,
        )
        for n in range(1, item.sessions_planned + 1)
    ]
    created = DevelopmentAction.objects.bulk_create(actions)
    AppraisalFollowUp.objects.filter(pk=item.pk).update(plan_action=created[0] if created else None)
    summaries.touch_plans(item.agency_id)


def follow_up_mark_done(*, item: AppraisalFollowUp, actor: Any, today: dt.date | None = None) -> None:
    """The head or BKD records that a confirmed item was carried out."""
    decisions.ensure_may_decide(actor, item.employee_id)
    if not heads_employee(actor, item.employee) and not is_hr_admin(actor, item.agency_id):
        raise ApplicationError(_("Anda tidak berwenang."), status=403)
    with transaction.atomic():
        n = AppraisalFollowUp.objects.filter(
            pk=item.pk, status__in=[FollowUpStatus.CONFIRMED, FollowUpStatus.ADJUSTED]
        ).update(status=FollowUpStatus.DONE, done_on=today or local_today())
        if not n:
            raise ConflictError(_("Hanya tindak lanjut yang sudah dikonfirmasi yang dapat ditandai terlaksana."))
        summaries.touch_follow_ups(item.agency_id)
        audit(
            actor=actor,
            action="appraisal_follow_up.done",
            obj=item,
            before={"status": item.status},
            after={"status": FollowUpStatus.DONE},
            agency_id=item.agency_id,
        )
    item.status = FollowUpStatus.DONE
