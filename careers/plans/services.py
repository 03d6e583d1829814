"""Career plan writes: create, update, actions, drafting from competency gaps, submit and review."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from asn_portal.errors import ApplicationError, ConflictError, require_max_length
from asn_portal.services import audit, job_run, notify
from careers import agency_settings, integrations, rules, summaries
from careers.actors import employee_of, heads_employee, local_today
from careers.choices import (
    ActionKind,
    ActionSource,
    ActionStatus,
    PlanStatus,
)
from careers.mentoring.services import head_users_of
from careers.models import (
    CareerPlan,
    CareerPlanVersion,
    DevelopmentAction,
)
from people import decisions
from people.access import scope_for
from people.models import Employee, Position


def open_new_version_if_agreed(plan: CareerPlan, actor: Any, reason: str) -> bool:
    """Inside the caller's transaction: if `plan` is agreed, keep the agreed content as a version and move the
    plan to a new draft version that the head must agree again (rules.plan_change_effect). Compare-and-set:
    only one concurrent change opens the new version."""
    effect = rules.plan_change_effect(plan.status)
    if not effect.new_version:
        return False
    snapshot = {
        "target_position": plan.target_position_id,
        "target_family": plan.target_family,
        "horizon_years": plan.horizon_years,
        "aspiration": plan.aspiration,
        "strengths": plan.strengths,
        "head_comment": plan.head_comment,
        "actions": [
            {
                "id": a["pk"],
                "kind": a["kind"],
                "title": a["title"],
                "due_date": str(a["due_date"]),
                "status": a["status"],
            }
            for a in plan.actions.order_by("pk").values("pk", "kind", "title", "due_date", "status")
        ],
    }
    n = CareerPlan.objects.filter(pk=plan.pk, status=PlanStatus.AGREED, version=plan.version).update(
        status=effect.status_after,
        version=plan.version + 1,
        agreed_by=None,
        agreed_on=None,
        submitted_at=None,
        updated_at=timezone.now(),
    )
    if not n:
        raise ConflictError(_("Rencana ini baru saja diubah orang lain; muat ulang halaman."))
    summaries.touch_plans(plan.employee.agency_id)
    CareerPlanVersion.objects.create(
        plan=plan,
        version=plan.version,
        agreed_by_id=plan.agreed_by_id,
        agreed_on=plan.agreed_on,
        snapshot=snapshot,
        reason=reason[:200],
    )
    audit(
        actor=actor,
        action="career_plan.new_version",
        obj=plan,
        before={"status": PlanStatus.AGREED, "version": plan.version},
        after={"status": effect.status_after, "version": plan.version + 1},
        reason=reason,
        agency_id=plan.employee.agency_id,
    )
    plan.status, plan.version = effect.status_after, plan.version + 1
    plan.agreed_by, plan.agreed_on, plan.submitted_at = None, None, None
    return True


def plan_create(
    *,
    employee: Employee,
    target_position: Position | None = None,
    target_family: str = "",
    horizon_years: int = 2,
    aspiration: str = "",
    strengths: str = "",
    actor: Any,
) -> CareerPlan:
    """An employee writes their own career plan (IDP); one open plan per person."""
    if scope_for(actor).employee_id != employee.pk:
        raise ApplicationError(_("Rencana karier hanya dapat dibuat oleh pegawai yang bersangkutan."), status=403)
    if target_position is None and not target_family.strip():
        raise ApplicationError(_("Isi jabatan target atau rumpun jabatan yang dituju."), {"field": "target_position"})
    if target_position is not None and target_position.agency_id != employee.agency_id:
        raise ApplicationError(_("Jabatan target harus di instansi Anda."), {"field": "target_position"})
    with transaction.atomic():
        if CareerPlan.objects.filter(employee=employee).exclude(status=PlanStatus.ARCHIVED).exists():
            raise ConflictError(_("Anda sudah memiliki rencana karier aktif."))
        try:
            # The partial unique constraint decides between two concurrent posts; the loser is told plainly.
            with transaction.atomic():
                plan = CareerPlan.objects.create(
                    employee=employee,
                    target_position=target_position,
                    target_family=target_family.strip(),
                    horizon_years=horizon_years,
                    aspiration=aspiration,
                    strengths=strengths,
                )
        except IntegrityError:
            raise ConflictError(_("Anda sudah memiliki rencana karier aktif.")) from None
        summaries.touch_plans(employee.agency_id)
        audit(
            actor=actor,
            action="career_plan.create",
            obj=plan,
            after={"target": str(target_position or target_family)},
            agency_id=employee.agency_id,
        )
    return plan


def plan_update(*, plan: CareerPlan, actor: Any, **fields: Any) -> CareerPlan:
    """The owner edits aspiration, strengths and target; an agreed plan goes back to draft."""
    if scope_for(actor).employee_id != plan.employee_id:
        raise ApplicationError(_("Hanya pemilik rencana yang dapat mengubahnya."), status=403)
    allowed = {"target_position", "target_family", "horizon_years", "aspiration", "strengths"}
    # only real changes count: saving the form unchanged keeps an agreed plan agreed
    changes = {k: v for k, v in fields.items() if k in allowed and getattr(plan, k) != v}
    with transaction.atomic():
        if changes:
            open_new_version_if_agreed(plan, actor, _("Rencana diubah oleh pegawai"))
        for k, v in changes.items():
            setattr(plan, k, v)
        plan.save()
        audit(actor=actor, action="career_plan.update", obj=plan, after=changes, agency_id=plan.employee.agency_id)
    return plan


def action_add(
    *,
    plan: CareerPlan,
    kind: str,
    title: str,
    due_date: dt.date,
    actor: Any,
    description: str = "",
    competency_id: int | None = None,
    course_offering_id: int | None = None,
    mentoring_session_id: int | None = None,
    source: str = ActionSource.MANUAL,
    required_level: int | None = None,
    current_level: int | None = None,
    today: dt.date | None = None,
) -> DevelopmentAction:
    """Add a development action to a plan (the owner, or the head drafting a coaching plan)."""
    scope = scope_for(actor)
    if scope.employee_id != plan.employee_id and not heads_employee(actor, plan.employee):
        raise ApplicationError(_("Anda tidak berwenang mengubah rencana ini."), status=403)
    if kind not in ActionKind.values:
        raise ApplicationError(_("Jenis kegiatan tidak dikenal."), {"field": "kind"})
    if not title.strip():
        raise ApplicationError(_("Nama kegiatan wajib diisi."), {"field": "title"})
    title = require_max_length(title, limit=200, field="title", label=_("Nama kegiatan"))
    if source == ActionSource.MANUAL and not rules.target_date_ok(due=due_date, today=today or local_today()):
        raise ApplicationError(
            _("Target selesai %(d)s sudah lewat; pilih hari ini atau tanggal sesudahnya.")
            % {"d": due_date.strftime("%d-%m-%Y")},
            {"field": "due_date"},
        )
    if plan.status == PlanStatus.ARCHIVED:
        raise ApplicationError(_("Rencana yang diarsipkan tidak dapat diubah."))
    with transaction.atomic():
        open_new_version_if_agreed(plan, actor, _("Kegiatan ditambahkan: %(t)s") % {"t": title.strip()})
        action = DevelopmentAction.objects.create(
            plan=plan,
            kind=kind,
            title=title,
            description=description,
            competency_id=competency_id,
            course_offering_id=course_offering_id,
            mentoring_session_id=mentoring_session_id,
            due_date=due_date,
            source=source,
            required_level=required_level,
            current_level=current_level,
        )
        summaries.touch_plans(plan.employee.agency_id)
    return action


ACTION_TRANSITIONS = {
    ActionStatus.PLANNED: {ActionStatus.IN_PROGRESS, ActionStatus.DONE, ActionStatus.CANCELLED},
    ActionStatus.IN_PROGRESS: {ActionStatus.DONE, ActionStatus.CANCELLED, ActionStatus.PLANNED},
    ActionStatus.DONE: {ActionStatus.IN_PROGRESS},
    ActionStatus.CANCELLED: {ActionStatus.PLANNED},
}


def action_set_status(*, action: DevelopmentAction, status: str, actor: Any, on: dt.date | None = None) -> None:
    """Move an action along planned → in progress → done (or cancelled); compare-and-set."""
    plan = action.plan
    if scope_for(actor).employee_id != plan.employee_id and not heads_employee(actor, plan.employee):
        raise ApplicationError(_("Anda tidak berwenang mengubah kegiatan ini."), status=403)
    if status not in ACTION_TRANSITIONS.get(ActionStatus(action.status), set()):
        raise ApplicationError(_("Perubahan status tidak diizinkan."), {"from": action.status, "to": status})
    completed = (on or local_today()) if status == ActionStatus.DONE else None
    with transaction.atomic():
        n = DevelopmentAction.objects.filter(pk=action.pk, status=action.status).update(
            status=status, completed_on=completed, updated_at=timezone.now()
        )
        if not n:
            raise ConflictError(_("Kegiatan sudah diubah orang lain; muat ulang halaman."))
        summaries.touch_plans(plan.employee.agency_id)
        audit(
            actor=actor,
            action="development_action.status",
            obj=action,
            before={"status": action.status},
            after={"status": status},
            agency_id=plan.employee.agency_id,
        )
    action.status, action.completed_on = status, completed


def plan_draft_from_gaps(*, plan: CareerPlan, actor: Any, today: dt.date | None = None) -> list[DevelopmentAction]:
    """ "Buat draf dari kesenjangan": one action per competency gap against the target post, each with the
    best recommended course when the training catalogue has one. Gaps already drafted are skipped."""
    if scope_for(actor).employee_id != plan.employee_id:
        raise ApplicationError(_("Hanya pemilik rencana yang dapat membuat draf."), status=403)
    if plan.target_position_id is None:
        raise ApplicationError(_("Tentukan jabatan target terlebih dahulu untuk menghitung kesenjangan."))
    today = today or local_today()
    rows = integrations.gap_rows([plan.employee_id], position_id=plan.target_position_id)
    if not rows:
        raise ApplicationError(_("Tidak ada kesenjangan kompetensi terhadap jabatan target."))
    names = integrations.competency_names({r[1] for r in rows})
    existing = set(
        plan.actions.exclude(status=ActionStatus.CANCELLED)
        .exclude(competency=None)
        .values_list("competency_id", flat=True)
    )
    courses = integrations.recommended_courses(plan.employee, plan.target_position, limit=20)
    due = today + dt.timedelta(days=int(365 * max(1, plan.horizon_years) / 2))
    created = []
    with transaction.atomic():
        for _emp, comp_id, required, current, gap in rows:
            if comp_id in existing or gap <= 0:
                continue
            course = _course_for(courses, comp_id)
            offering_id = getattr(course, "next_offering_id", None) if course is not None else None
            title = _("Tingkatkan %(c)s dari level %(a)s ke %(b)s") % {
                "c": names.get(comp_id, comp_id),
                "a": current or 0,
                "b": required,
            }
            desc = _("Rekomendasi pelatihan: %(t)s") % {"t": getattr(course, "title", course)} if course else ""
            created.append(
                DevelopmentAction(
                    plan=plan,
                    kind=ActionKind.TRAINING if course is not None else ActionKind.SELF_STUDY,
                    title=str(title)[:200],
                    description=str(desc),
                    competency_id=comp_id,
                    course_offering_id=offering_id,
                    required_level=required,
                    current_level=current,
                    due_date=due,
                    source=ActionSource.GAP,
                )
            )
        if created:
            open_new_version_if_agreed(
                plan, actor, _("%(n)s kegiatan ditambahkan dari kesenjangan kompetensi") % {"n": len(created)}
            )
        DevelopmentAction.objects.bulk_create(created)
        summaries.touch_plans(plan.employee.agency_id)
        audit(
            actor=actor,
            action="career_plan.draft_from_gaps",
            obj=plan,
            after={"actions": len(created)},
            agency_id=plan.employee.agency_id,
        )
    return created


def _course_for(courses: Iterable[Any], competency_id: int) -> Any:
    """The first recommended course that develops this competency (contract rows may be objects or dicts)."""
    for c in courses:
        ids = getattr(c, "competency_ids", None)
        if ids is None and isinstance(c, dict):
            ids = c.get("competency_ids")
        if ids is None:
            comps = getattr(c, "competencies", None)
            try:
                ids = [x.pk for x in comps.all()] if comps is not None else []
            except AttributeError:
                ids = []
        if competency_id in (ids or []):
            return c
    return None


def plan_submit(*, plan: CareerPlan, actor: Any) -> None:
    """The owner submits the plan to their head for agreement."""
    if scope_for(actor).employee_id != plan.employee_id:
        raise ApplicationError(_("Hanya pemilik rencana yang dapat mengajukannya."), status=403)
    if not plan.actions.exclude(status=ActionStatus.CANCELLED).exists():
        raise ApplicationError(_("Tambahkan minimal satu kegiatan pengembangan sebelum mengajukan."))
    with transaction.atomic():
        n = CareerPlan.objects.filter(pk=plan.pk, status__in=[PlanStatus.DRAFT, PlanStatus.REVISION]).update(
            status=PlanStatus.SUBMITTED, submitted_at=timezone.now()
        )
        if not n:
            raise ConflictError(_("Rencana ini tidak dalam status draf."))
        summaries.touch_plans(plan.employee.agency_id)
        audit(
            actor=actor,
            action="career_plan.submit",
            obj=plan,
            before={"status": plan.status},
            after={"status": PlanStatus.SUBMITTED},
            agency_id=plan.employee.agency_id,
        )
        heads = head_users_of(plan.employee)
        notify(
            users=heads,
            title=_("Rencana karier menunggu kesepakatan: %(n)s") % {"n": plan.employee.name},
            url=reverse("careers:plan-detail", args=[plan.pk]),
        )
    plan.status = PlanStatus.SUBMITTED


def plan_review(*, plan: CareerPlan, agree: bool, comment: str, actor: Any, today: dt.date | None = None) -> None:
    """The head agrees the plan (recorded agreement, comment, date) or sends it back with a comment."""
    decisions.ensure_may_decide(actor, plan.employee_id)
    if not heads_employee(actor, plan.employee):
        raise ApplicationError(_("Hanya atasan unit pegawai yang dapat menyepakati rencana ini."), status=403)
    if not agree and not comment.strip():
        raise ApplicationError(_("Tuliskan catatan perbaikan untuk pegawai."), {"field": "comment"})
    today = today or local_today()
    head = employee_of(actor)
    settings = agency_settings.settings_for(plan.employee.agency_id)
    to = PlanStatus.AGREED if agree else PlanStatus.REVISION
    with transaction.atomic():
        n = CareerPlan.objects.filter(pk=plan.pk, status=PlanStatus.SUBMITTED).update(
            status=to,
            head_comment=comment,
            agreed_by=head if agree else None,
            agreed_on=today if agree else None,
            next_review_on=today + dt.timedelta(days=settings.plan_review_days) if agree else plan.next_review_on,
        )
        if not n:
            raise ConflictError(_("Rencana ini tidak sedang menunggu kesepakatan."))
        summaries.touch_plans(plan.employee.agency_id)
        audit(
            actor=actor,
            action="career_plan.agree" if agree else "career_plan.revise",
            obj=plan,
            before={"status": plan.status},
            after={"status": to},
            reason=comment,
            agency_id=plan.employee.agency_id,
        )
        if plan.employee.user_id:
            notify(
                users=[plan.employee.user],
                title=_("Rencana karier Anda disepakati atasan")
                if agree
                else _("Rencana karier Anda perlu diperbaiki"),
                body=comment,
                url=reverse("careers:plan-detail", args=[plan.pk]),
            )
    plan.status = to


def remind_plan_reviews(*, today: dt.date | None = None) -> dict[str, int]:
    """The yearly review of agreed career plans: remind the owner when the review date has come."""
    today = today or local_today()
    with job_run("careers.remind_plan_reviews") as run:
        plans = list(
            CareerPlan.objects.filter(status=PlanStatus.AGREED, next_review_on__lte=today)
            .filter(Q(review_reminded_on=None) | Q(review_reminded_on__lt=today - dt.timedelta(days=30)))
            .select_related("employee__user")[:20000]
        )
        with transaction.atomic():
            CareerPlan.objects.filter(pk__in=[p.pk for p in plans]).update(review_reminded_on=today)
            users = [p.employee.user for p in plans if p.employee.user_id]
            notify(
                users=users, title=_("Saatnya meninjau rencana karier Anda bersama atasan"), url=reverse("careers:my")
            )
        run.counts["plans"] = len(plans)
    return dict(run.counts)
