"""Writes for careers: each service owns its transaction, checks the actor, audits HR decisions and
notifies on commit. Views and the API call these and nothing else."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from asn_portal.errors import ApplicationError, ConflictError, require_max_length
from asn_portal.outbox import enqueue
from asn_portal.services import audit, chunked, job_run, notify, notify_many
from people import decisions
from people.access import employee_q, is_hr_admin, scope_for, team_q
from people.choices import ACTIVE_STATUSES
from people.models import Agency, Employee, OrgUnit, Position

from . import credits, integrations, rules, selectors
from .choices import (
    ActionKind,
    ActionSource,
    ActionStatus,
    DevelopmentOpportunity,
    FollowUpKind,
    FollowUpStatus,
    ItemStatus,
    PlanStatus,
    ReviewStatus,
)
from .models import (
    ActionItem,
    AppraisalFollowUp,
    CareerPlan,
    CareerPlanVersion,
    CompetencyObservation,
    DevelopmentAction,
    MentoringSession,
    RecognitionType,
    SessionMentee,
    TalentPlacement,
    TalentReview,
)


def _today() -> dt.date:
    return timezone.localdate()


def _employee_of(user: Any) -> Employee | None:
    scope = scope_for(user)
    return Employee.objects.filter(pk=scope.employee_id).first() if scope.employee_id else None


def _heads_employee(user: Any, employee: Employee) -> bool:
    return Employee.objects.filter(team_q(user), pk=employee.pk).exists()


# --- Career plans -----------------------------------------------------------------------------


def _open_new_version_if_agreed(plan: CareerPlan, actor: Any, reason: str) -> bool:
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
            _open_new_version_if_agreed(plan, actor, _("Rencana diubah oleh pegawai"))
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
    if scope.employee_id != plan.employee_id and not _heads_employee(actor, plan.employee):
        raise ApplicationError(_("Anda tidak berwenang mengubah rencana ini."), status=403)
    if kind not in ActionKind.values:
        raise ApplicationError(_("Jenis kegiatan tidak dikenal."), {"field": "kind"})
    if not title.strip():
        raise ApplicationError(_("Nama kegiatan wajib diisi."), {"field": "title"})
    title = require_max_length(title, limit=200, field="title", label=_("Nama kegiatan"))
    if source == ActionSource.MANUAL and not rules.target_date_ok(due=due_date, today=today or _today()):
        raise ApplicationError(
            _("Target selesai %(d)s sudah lewat; pilih hari ini atau tanggal sesudahnya.")
            % {"d": due_date.strftime("%d-%m-%Y")},
            {"field": "due_date"},
        )
    if plan.status == PlanStatus.ARCHIVED:
        raise ApplicationError(_("Rencana yang diarsipkan tidak dapat diubah."))
    with transaction.atomic():
        _open_new_version_if_agreed(plan, actor, _("Kegiatan ditambahkan: %(t)s") % {"t": title.strip()})
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
    if scope_for(actor).employee_id != plan.employee_id and not _heads_employee(actor, plan.employee):
        raise ApplicationError(_("Anda tidak berwenang mengubah kegiatan ini."), status=403)
    if status not in ACTION_TRANSITIONS.get(ActionStatus(action.status), set()):
        raise ApplicationError(_("Perubahan status tidak diizinkan."), {"from": action.status, "to": status})
    completed = (on or _today()) if status == ActionStatus.DONE else None
    with transaction.atomic():
        n = DevelopmentAction.objects.filter(pk=action.pk, status=action.status).update(
            status=status, completed_on=completed, updated_at=timezone.now()
        )
        if not n:
            raise ConflictError(_("Kegiatan sudah diubah orang lain; muat ulang halaman."))
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
    today = today or _today()
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
            _open_new_version_if_agreed(
                plan, actor, _("%(n)s kegiatan ditambahkan dari kesenjangan kompetensi") % {"n": len(created)}
            )
        DevelopmentAction.objects.bulk_create(created)
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
        audit(
            actor=actor,
            action="career_plan.submit",
            obj=plan,
            before={"status": plan.status},
            after={"status": PlanStatus.SUBMITTED},
            agency_id=plan.employee.agency_id,
        )
        heads = _head_users_of(plan.employee)
        notify(
            users=heads,
            title=_("Rencana karier menunggu kesepakatan: %(n)s") % {"n": plan.employee.name},
            url=reverse("careers:plan-detail", args=[plan.pk]),
        )
    plan.status = PlanStatus.SUBMITTED


def plan_review(*, plan: CareerPlan, agree: bool, comment: str, actor: Any, today: dt.date | None = None) -> None:
    """The head agrees the plan (recorded agreement, comment, date) or sends it back with a comment."""
    decisions.ensure_may_decide(actor, plan.employee_id)
    if not _heads_employee(actor, plan.employee):
        raise ApplicationError(_("Hanya atasan unit pegawai yang dapat menyepakati rencana ini."), status=403)
    if not agree and not comment.strip():
        raise ApplicationError(_("Tuliskan catatan perbaikan untuk pegawai."), {"field": "comment"})
    today = today or _today()
    head = _employee_of(actor)
    settings = selectors.settings_for(plan.employee.agency_id)
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


def _head_users_of(employee: Employee) -> list[Any]:
    """Users heading the employee's unit or any unit above it (the people who see them as team)."""
    parts = [int(p) for p in employee.unit.path.strip("/").split("/") if p]
    units = OrgUnit.objects.filter(pk__in=parts)
    pos_ids = [u.head_position_id for u in units if u.head_position_id]
    acting = [u.acting_head_id for u in units if u.acting_head_id]
    heads = Employee.objects.filter(Q(position_id__in=pos_ids) | Q(pk__in=acting)).exclude(pk=employee.pk)
    return [h.user for h in heads.select_related("user").order_by("-unit__depth")[:1] if h.user_id]


# --- Mentoring ----------------------------------------------------------------------------------


def _session_links(
    *,
    actor: Any,
    agency_id: int,
    participant_ids: set[int],
    planned_result_id: int | None,
    development_action_id: int | None,
    talent_placement_id: int | None,
) -> None:
    """A session may point at an RHK, a career-plan action or a 9-box placement of someone in the session
    (coach or mentee). Unknown ids and other people's records are refused before anything is written; a
    placement the actor may not see (another agency, another unit) is "not found", never confirmed."""
    if planned_result_id is not None:
        owner = integrations.planned_result_owner(planned_result_id)
        if owner is None:
            raise ApplicationError(
                _("RHK yang dirujuk tidak ditemukan."), {"field": "planned_result", "id": planned_result_id}
            )
        if owner not in participant_ids:
            raise ApplicationError(
                _("RHK yang dirujuk harus milik pembimbing atau peserta sesi."), {"field": "planned_result"}
            )
    if development_action_id is not None:
        action_owner = (
            DevelopmentAction.objects.filter(pk=development_action_id)
            .values_list("plan__employee_id", flat=True)
            .first()
        )
        if action_owner is None:
            raise ApplicationError(
                _("Kegiatan rencana karier yang dirujuk tidak ditemukan."),
                {"field": "development_action", "id": development_action_id},
            )
        if action_owner not in participant_ids:
            raise ApplicationError(
                _("Kegiatan rencana karier yang dirujuk harus milik peserta sesi."), {"field": "development_action"}
            )
    if talent_placement_id is not None:
        placement_owner = (
            TalentPlacement.objects.filter(pk=talent_placement_id, review__agency_id=agency_id)
            .filter(employee_q(actor, "employee__"))
            .values_list("employee_id", flat=True)
            .first()
        )
        if placement_owner is None:
            raise ApplicationError(
                _("Rekomendasi kotak talenta tidak ditemukan."),
                {"field": "talent_placement", "id": talent_placement_id},
                status=404,
            )
        if placement_owner not in participant_ids:
            raise ApplicationError(
                _("Rekomendasi kotak talenta yang dirujuk harus milik peserta sesi."), {"field": "talent_placement"}
            )


def session_log(
    *,
    actor: Any,
    mentee_ids: list[int],
    held_on: dt.date,
    duration_minutes: int,
    mode: str,
    kind: str,
    topics: str,
    shared_notes: str = "",
    private_notes: str = "",
    action_items: Sequence[Mapping[str, Any]] | None = None,
    planned_result_id: int | None = None,
    development_action_id: int | None = None,
    talent_placement_id: int | None = None,
    today: dt.date | None = None,
) -> MentoringSession:
    """A head (or an assigned mentor) logs a bimbingan kinerja session (PermenPANRB 6/2022 Lampiran B.1.8).
    Refused, with nothing written: a future date, a mentee outside the coach's units, an action item
    without an owner or due date."""
    today = today or _today()
    coach = _employee_of(actor)
    if coach is None:
        raise ApplicationError(_("Hanya pegawai yang dapat mencatat sesi bimbingan."), status=403)
    if held_on > today:
        raise ApplicationError(_("Tanggal sesi tidak boleh di masa depan."), {"field": "held_on"})
    if not topics.strip():
        raise ApplicationError(_("Topik sesi wajib diisi."), {"field": "topics"})
    topics = require_max_length(topics, limit=300, field="topics", label=_("Topik"))
    ids = sorted(set(mentee_ids))
    if not ids:
        raise ApplicationError(_("Pilih minimal satu pegawai yang dibimbing."), {"field": "mentees"})
    if coach.pk in ids:
        raise ApplicationError(
            _("Anda tidak dapat mencatat sesi bimbingan untuk diri sendiri."), {"field": "mentees"}, status=403
        )
    allowed = selectors.mentee_ids_allowed_for(actor, today)
    outside = [i for i in ids if i not in allowed]
    if outside:
        raise ApplicationError(
            _("Pegawai berikut bukan anggota unit Anda atau mentee yang ditugaskan kepada Anda."),
            {"field": "mentees", "employee_ids": outside},
            status=403,
        )
    _session_links(
        actor=actor,
        agency_id=coach.agency_id,
        participant_ids=set(ids) | {coach.pk},
        planned_result_id=planned_result_id,
        development_action_id=development_action_id,
        talent_placement_id=talent_placement_id,
    )
    items = [dict(i) for i in action_items or []]  # copies: titles are normalised below
    owners_ok = set(ids) | {coach.pk}
    for n, item in enumerate(items, start=1):
        if not str(item.get("title", "")).strip():
            raise ApplicationError(_("Tindak lanjut %(n)d: uraian wajib diisi.") % {"n": n}, {"item": n})
        require_max_length(str(item["title"]), limit=300, field="title", label=_("Tindak lanjut %(n)d") % {"n": n})
        if item.get("due_date") and item["due_date"] < held_on:
            raise ApplicationError(
                _("Tindak lanjut %(n)d: batas waktu tidak boleh sebelum tanggal sesi.") % {"n": n},
                {"item": n, "field": "due_date"},
            )
        if not item.get("owner_id"):
            raise ApplicationError(
                _("Tindak lanjut %(n)d: penanggung jawab wajib diisi.") % {"n": n}, {"item": n, "field": "owner"}
            )
        if int(item["owner_id"]) not in owners_ok:
            raise ApplicationError(
                _("Tindak lanjut %(n)d: penanggung jawab harus pembimbing atau peserta sesi.") % {"n": n},
                {"item": n, "field": "owner"},
            )
        if not item.get("due_date"):
            raise ApplicationError(
                _("Tindak lanjut %(n)d: batas waktu wajib diisi.") % {"n": n}, {"item": n, "field": "due_date"}
            )
        if not rules.target_date_ok(due=item["due_date"], today=held_on):
            raise ApplicationError(
                _("Tindak lanjut %(n)d: batas waktu %(d)s sebelum tanggal sesi.")
                % {"n": n, "d": item["due_date"].strftime("%d-%m-%Y")},
                {"item": n, "field": "due_date"},
            )
        item["title"] = require_max_length(
            str(item["title"]), limit=300, field="title", label=_("Tindak lanjut %(n)d") % {"n": n}
        )
    with transaction.atomic():
        # One meeting is logged once: the coach's row serialises concurrent posts, then an identical
        # session (same date, topic and a shared mentee) is refused so its JP cannot be credited twice.
        Employee.objects.select_for_update().filter(pk=coach.pk).first()
        if _same_session(coach_id=coach.pk, held_on=held_on, topics=topics, mentee_ids=ids).exists():
            raise ConflictError(
                _("Sesi bimbingan yang sama (tanggal, topik dan peserta) sudah dicatat."), {"field": "topics"}
            )
        session = MentoringSession.objects.create(
            agency_id=coach.agency_id,
            coach=coach,
            held_on=held_on,
            duration_minutes=duration_minutes,
            mode=mode,
            kind=kind,
            topics=topics,
            shared_notes=shared_notes,
            private_notes=private_notes,
            author=actor,
            planned_result_id=planned_result_id,
            development_action_id=development_action_id,
            talent_placement_id=talent_placement_id,
        )
        SessionMentee.objects.bulk_create([SessionMentee(session=session, employee_id=i) for i in ids])
        ActionItem.objects.bulk_create(
            [
                ActionItem(
                    session=session,
                    title=str(i["title"]).strip(),
                    owner_id=int(i["owner_id"]),
                    due_date=i["due_date"],
                )
                for i in items
            ]
        )
        audit(
            actor=actor,
            action="mentoring_session.log",
            obj=session,
            after={"mentees": ids, "items": len(items)},
            agency_id=coach.agency_id,
        )
        users = [e.user for e in Employee.objects.filter(pk__in=ids).select_related("user") if e.user_id]
        notify(
            users=users,
            title=_("Konfirmasi sesi bimbingan %(d)s") % {"d": held_on.strftime("%d-%m-%Y")},
            body=topics,
            url=reverse("careers:session-detail", args=[session.pk]),
        )
    return session


def _same_session(*, coach_id: int, held_on: dt.date, topics: str, mentee_ids: Iterable[int]) -> Any:
    return MentoringSession.objects.filter(
        coach_id=coach_id,
        held_on=held_on,
        topics__iexact=topics.strip()[:300],
        participants__employee_id__in=list(mentee_ids),
    )


def session_add_item(
    *, session: MentoringSession, title: str, owner_id: int | None, due_date: dt.date | None, actor: Any
) -> ActionItem:
    """The coach adds an action item later; an item needs an owner (coach or mentee) and a due date."""
    if actor.pk != session.author_id:
        raise ApplicationError(_("Hanya pembimbing yang dapat menambah tindak lanjut."), status=403)
    if not owner_id:
        raise ApplicationError(_("Penanggung jawab tindak lanjut wajib diisi."), {"field": "owner"})
    if not due_date:
        raise ApplicationError(_("Batas waktu wajib diisi."), {"field": "due_date"})
    if not title.strip():
        raise ApplicationError(_("Uraian tindak lanjut wajib diisi."), {"field": "title"})
    title = require_max_length(title, limit=300, field="title", label=_("Uraian tindak lanjut"))
    if not rules.target_date_ok(due=due_date, today=_today()):
        raise ApplicationError(
            _("Batas waktu %(d)s sudah lewat; pilih hari ini atau tanggal sesudahnya.")
            % {"d": due_date.strftime("%d-%m-%Y")},
            {"field": "due_date"},
        )
    owners = set(session.participants.values_list("employee_id", flat=True)) | {session.coach_id}
    if int(owner_id) not in owners:
        raise ApplicationError(_("Penanggung jawab harus pembimbing atau peserta sesi."), {"field": "owner"})
    return ActionItem.objects.create(session=session, title=title, owner_id=owner_id, due_date=due_date)


def session_confirm(*, session: MentoringSession, actor: Any) -> SessionMentee:
    """The mentee confirms the session took place; the confirmed session credits JP to their learning record
    (coaching/mentoring are nonklasikal learning, PerLAN 10/2018), idempotent per session and mentee."""
    scope = scope_for(actor)
    part = SessionMentee.objects.filter(session=session, employee_id=scope.employee_id or 0).first()
    if part is None:
        raise ApplicationError(_("Hanya peserta sesi yang dapat mengonfirmasi."), status=403)
    # The confirmation credits JP and vouches for the coach's work: never one's own session (issue #11).
    decisions.ensure_may_decide(actor, None, conflicted=[session.coach_id], conflict=decisions.OWN_SESSION)
    jp = credits.session_jp(session)
    with transaction.atomic():
        # A duplicate of a meeting already credited (logged twice before duplicates were refused) earns no JP.
        already = (
            MentoringSession.objects.filter(
                coach_id=session.coach_id,
                held_on=session.held_on,
                topics__iexact=session.topics,
                participants__employee_id=part.employee_id,
                participants__jp_credited__gt=0,
            )
            .exclude(pk=session.pk)
            .exists()
        )
        if already:
            jp = Decimal(0)
        n = SessionMentee.objects.filter(pk=part.pk, confirmed_at=None).update(
            confirmed_at=timezone.now(), jp_credited=jp
        )
        if not n:
            raise ConflictError(_("Sesi ini sudah Anda konfirmasi."))
        if jp > 0:
            integrations.learning_credit(
                employee=part.employee,
                jp=jp,
                on_date=session.held_on,
                title=credits.ledger_title(session),
                source_type=credits.SOURCE_MENTORING,
                source_id=credits.ledger_source_id(session.pk, part.employee_id),
                actor=actor,
            )
        audit(
            actor=actor,
            action="mentoring_session.confirm",
            obj=session,
            after={"employee": part.employee_id, "jp": str(jp)},
            agency_id=session.agency_id,
        )
        if session.author_id:
            notify(
                users=[session.author],
                title=_("%(n)s mengonfirmasi sesi bimbingan") % {"n": part.employee.name},
                url=reverse("careers:session-detail", args=[session.pk]),
                email=False,
            )
    part.refresh_from_db()
    return part


def session_feedback(
    *, session: MentoringSession, answers: Mapping[str, Any], comment: str, actor: Any
) -> SessionMentee:
    """The mentee's B.1.8 feedback (Umpan Balik Pelaksanaan Bimbingan Kinerja): all nine items, scale 1–4."""
    scope = scope_for(actor)
    part = SessionMentee.objects.filter(session=session, employee_id=scope.employee_id or 0).first()
    if part is None:
        raise ApplicationError(_("Hanya peserta sesi yang dapat memberi umpan balik."), status=403)
    try:
        clean = rules.validate_feedback({str(k): int(v) for k, v in answers.items() if v not in (None, "")})
    except (ValueError, TypeError) as exc:
        raise ApplicationError(_("Jawab kesembilan butir umpan balik dengan skala 1–4."), {"item": str(exc)}) from None
    with transaction.atomic():
        n = SessionMentee.objects.filter(pk=part.pk, feedback_at=None).update(
            feedback=clean, feedback_comment=comment, feedback_at=timezone.now()
        )
        if not n:
            raise ConflictError(_("Umpan balik untuk sesi ini sudah diberikan."))
    part.refresh_from_db()
    return part


def session_observe(
    *, session: MentoringSession, employee_id: int, levels: Mapping[int, tuple[int, str]], actor: Any
) -> list[CompetencyObservation]:
    """The coach's B.1.9 evaluation (Evaluasi Kompetensi Pegawai sebagai Tindak Lanjut Bimbingan Kinerja):
    competency → (1–5, reason); recorded as competency evidence through the competencies app."""
    if actor.pk != session.author_id:
        raise ApplicationError(_("Hanya pembimbing yang dapat mengisi evaluasi kompetensi."), status=403)
    part = session.participants.filter(employee_id=employee_id).select_related("employee").first()
    if part is None:
        raise ApplicationError(_("Pegawai ini bukan peserta sesi."), {"field": "employee"})
    if not levels:
        raise ApplicationError(_("Isi minimal satu kompetensi."))
    for cid, (level, reason) in levels.items():
        if int(level) not in (1, 2, 3, 4, 5):
            raise ApplicationError(_("Nilai kompetensi harus 1–5."), {"competency": cid})
        if not str(reason).strip():
            raise ApplicationError(_("Alasan nilai wajib diisi untuk setiap kompetensi."), {"competency": cid})
    with transaction.atomic():
        assessment = integrations.assessment_record(
            employee=part.employee,
            assessed_on=session.held_on,
            levels={int(c): int(lv) for c, (lv, _r) in levels.items()},
            evidence="; ".join(f"{c}: {r}" for c, (_lv, r) in levels.items()),
            assessor=session.coach.name,
            actor=actor,
        )
        rows = CompetencyObservation.objects.bulk_create(
            [
                CompetencyObservation(
                    session=session,
                    employee_id=employee_id,
                    competency_id=int(c),
                    level=int(lv),
                    reason=str(r),
                    assessment_id=getattr(assessment, "pk", None),
                )
                for c, (lv, r) in levels.items()
            ]
        )
        audit(
            actor=actor,
            action="mentoring_session.observe",
            obj=session,
            after={"employee": employee_id, "levels": {c: lv for c, (lv, _r) in levels.items()}},
            agency_id=session.agency_id,
        )
    return rows


def action_item_set_status(*, item: ActionItem, status: str, actor: Any, today: dt.date | None = None) -> None:
    """The owner or the coach closes (or reopens/cancels) an action item; compare-and-set."""
    scope = scope_for(actor)
    if scope.employee_id not in (item.owner_id, item.session.coach_id):
        raise ApplicationError(_("Hanya penanggung jawab atau pembimbing yang dapat mengubah status."), status=403)
    if status not in ItemStatus.values or status == item.status:
        raise ApplicationError(_("Status tidak valid."), {"field": "status"})
    with transaction.atomic():
        n = ActionItem.objects.filter(pk=item.pk, status=item.status).update(
            status=status, done_on=(today or _today()) if status == ItemStatus.DONE else None, updated_at=timezone.now()
        )
        if not n:
            raise ConflictError(_("Tindak lanjut sudah diubah orang lain."))
    item.status = status


# --- Talent reviews ------------------------------------------------------------------------------


def review_create(*, agency_id: int, name: str, year: int, actor: Any) -> TalentReview:
    """BKD opens a talent review for its agency; the placements are computed by a background job."""
    if not is_hr_admin(actor, agency_id):
        raise ApplicationError(_("Hanya admin BKD instansi ini yang dapat membuka periode talenta."), status=403)
    if not name.strip():
        raise ApplicationError(_("Nama periode wajib diisi."), {"field": "name"})
    review = TalentReview.objects.create(agency_id=agency_id, name=name.strip(), year=year)
    audit(actor=actor, action="talent_review.create", obj=review, after={"year": year})
    return review


def review_request_compute(*, review: TalentReview, actor: Any) -> None:
    """Queue (re)computation: the review goes to 'computing' and the Celery job picks it up."""
    if not is_hr_admin(actor, review.agency_id):
        raise ApplicationError(_("Anda tidak berwenang."), status=403)
    with transaction.atomic():
        n = TalentReview.objects.filter(pk=review.pk, status__in=[ReviewStatus.DRAFT, ReviewStatus.COMPUTED]).update(
            status=ReviewStatus.COMPUTING
        )
        if not n:
            raise ConflictError(_("Periode yang sudah diumumkan atau sedang dihitung tidak dapat dihitung ulang."))
        enqueue("careers.tasks.compute_review", review.pk)
    review.status = ReviewStatus.COMPUTING


def review_compute(review_id: int, *, chunk_size: int = 5000) -> dict[str, int]:
    """Place every active employee of the agency in the 9-box, set-based in chunks: predikat of the last
    two years (performance) and JPM (competencies) through the agency's scheme (regulations.md §3.3).
    Overrides made before a recompute are kept. Writes a JobRun."""
    review = TalentReview.objects.get(pk=review_id)
    scheme = selectors.scheme_for(review.agency_id)
    years = [review.year - 1, review.year]
    with job_run("careers.talent_review_compute", agency_id=review.agency_id) as run:
        ids = list(
            Employee.objects.filter(agency_id=review.agency_id, status__in=ACTIVE_STATUSES)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        overrides = {
            e: (b, r, u, t)
            for e, b, r, u, t in TalentPlacement.objects.filter(review=review)
            .exclude(override_reason="")
            .values_list("employee_id", "box", "override_reason", "overridden_by_id", "overridden_at")
        }
        placed = skipped = 0
        with transaction.atomic():
            TalentPlacement.objects.filter(review=review).delete()
            for chunk in chunked(ids, chunk_size):
                preds = integrations.predikat_by_year(chunk, years)
                jpms = integrations.jpm_by_employee(chunk)
                meta = {
                    pk: (u, p)
                    for pk, u, p in Employee.objects.filter(pk__in=chunk).values_list("pk", "unit_id", "position_id")
                }
                rows = []
                for emp_id in chunk:
                    result = rules.place([preds.get((emp_id, y)) for y in years], jpms.get(emp_id), scheme)
                    if result is None:
                        skipped += 1
                        continue
                    perf, pb, pot, qb, box = result
                    unit_id, position_id = meta[emp_id]
                    ov = overrides.get(emp_id)
                    rows.append(
                        TalentPlacement(
                            review=review,
                            employee_id=emp_id,
                            unit_id=unit_id,
                            position_id=position_id,
                            performance_score=perf,
                            performance_band=pb,
                            potential_score=pot,
                            potential_band=qb,
                            computed_box=box,
                            box=ov[0] if ov else box,
                            override_reason=ov[1] if ov else "",
                            overridden_by_id=ov[2] if ov else None,
                            overridden_at=ov[3] if ov else None,
                        )
                    )
                TalentPlacement.objects.bulk_create(rows, batch_size=2000)
                placed += len(rows)
            run.counts.update({"employees": len(ids), "placed": placed, "not_placed": skipped})
            TalentReview.objects.filter(pk=review.pk).update(
                status=ReviewStatus.COMPUTED,
                computed_at=timezone.now(),
                scheme={
                    "predikat_points": {k: str(v) for k, v in scheme.predikat_points.items()},
                    "performance_above": str(scheme.performance_above),
                    "performance_meets": str(scheme.performance_meets),
                    "potential_high": str(scheme.potential_high),
                    "potential_medium": str(scheme.potential_medium),
                    "years": years,
                },
                counts=dict(run.counts),
                job_run_id=run.pk,
            )
    return dict(run.counts)


def placement_override(*, placement: TalentPlacement, box: int, reason: str, actor: Any) -> None:
    """BKD moves an employee to another box with a written reason (Komite Talenta decision; audited)."""
    review = placement.review
    decisions.ensure_may_decide(actor, placement.employee_id)
    if not is_hr_admin(actor, review.agency_id):
        raise ApplicationError(_("Hanya admin BKD yang dapat menyesuaikan penempatan."), status=403)
    if not reason.strip():
        raise ApplicationError(_("Alasan penyesuaian wajib ditulis."), {"field": "reason"})
    if box not in range(1, 10):
        raise ApplicationError(_("Kotak harus 1 sampai 9."), {"field": "box"})
    if review.status == ReviewStatus.PUBLISHED:
        raise ApplicationError(_("Periode yang sudah diumumkan tidak dapat diubah."))
    with transaction.atomic():
        n = TalentPlacement.objects.filter(
            pk=placement.pk, box=placement.box, review__status=ReviewStatus.COMPUTED
        ).update(box=box, override_reason=reason.strip(), overridden_by=actor, overridden_at=timezone.now())
        if not n:
            raise ConflictError(_("Penempatan sudah diubah orang lain atau periode tidak dapat diubah."))
        audit(
            actor=actor,
            action="talent_placement.override",
            obj=placement,
            before={"box": placement.box},
            after={"box": box},
            reason=reason.strip(),
            agency_id=review.agency_id,
        )
    placement.box = box


def review_publish(*, review: TalentReview, actor: Any) -> None:
    """BKD publishes a computed review: employees see their own box and recommendation, heads their units."""
    if not is_hr_admin(actor, review.agency_id):
        raise ApplicationError(_("Hanya admin BKD yang dapat mengumumkan."), status=403)
    with transaction.atomic():
        n = TalentReview.objects.filter(pk=review.pk, status=ReviewStatus.COMPUTED).update(
            status=ReviewStatus.PUBLISHED, published_at=timezone.now(), published_by=actor
        )
        if not n:
            raise ConflictError(_("Hanya periode yang sudah dihitung yang dapat diumumkan."))
        audit(
            actor=actor,
            action="talent_review.publish",
            obj=review,
            before={"status": review.status},
            after={"status": ReviewStatus.PUBLISHED},
        )
    review.status = ReviewStatus.PUBLISHED


# --- Appraisal follow-up ---------------------------------------------------------------------


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
    if not _heads_employee(actor, item.employee) and not is_hr_admin(actor, item.agency_id):
        raise ApplicationError(_("Hanya atasan unit pegawai yang dapat memutuskan tindak lanjut."), status=403)
    if decision not in (FollowUpStatus.CONFIRMED, FollowUpStatus.ADJUSTED, FollowUpStatus.CANCELLED):
        raise ApplicationError(_("Keputusan tidak dikenal."), {"field": "decision"})
    if decision != FollowUpStatus.CONFIRMED and not reason.strip():
        raise ApplicationError(_("Tuliskan alasan penyesuaian atau pembatalan."), {"field": "reason"})
    today = today or _today()
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
        _open_new_version_if_agreed(
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


def follow_up_mark_done(*, item: AppraisalFollowUp, actor: Any, today: dt.date | None = None) -> None:
    """The head or BKD records that a confirmed item was carried out."""
    decisions.ensure_may_decide(actor, item.employee_id)
    if not _heads_employee(actor, item.employee) and not is_hr_admin(actor, item.agency_id):
        raise ApplicationError(_("Anda tidak berwenang."), status=403)
    with transaction.atomic():
        n = AppraisalFollowUp.objects.filter(
            pk=item.pk, status__in=[FollowUpStatus.CONFIRMED, FollowUpStatus.ADJUSTED]
        ).update(status=FollowUpStatus.DONE, done_on=today or _today())
        if not n:
            raise ConflictError(_("Hanya tindak lanjut yang sudah dikonfirmasi yang dapat ditandai terlaksana."))
        audit(
            actor=actor,
            action="appraisal_follow_up.done",
            obj=item,
            before={"status": item.status},
            after={"status": FollowUpStatus.DONE},
            agency_id=item.agency_id,
        )
    item.status = FollowUpStatus.DONE


# --- Reminders (periodic jobs) --------------------------------------------------------------------


def remind_overdue_action_items(*, today: dt.date | None = None) -> dict[str, int]:
    """Remind owners of open action items past their due date, once per day (claims rows)."""
    today = today or _today()
    with job_run("careers.remind_overdue_action_items") as run:
        items = list(
            ActionItem.objects.filter(status=ItemStatus.OPEN, due_date__lt=today)
            .filter(Q(reminded_on=None) | Q(reminded_on__lt=today))
            .select_related("owner__user")
            .only("pk", "title", "owner__user", "owner__name")[:20000]
        )
        by_user: dict[int, list[ActionItem]] = {}
        for i in items:
            if i.owner.user_id:
                by_user.setdefault(i.owner.user_id, []).append(i)
        with transaction.atomic():
            ActionItem.objects.filter(pk__in=[i.pk for i in items]).update(reminded_on=today)
            notify_many(
                (
                    its[0].owner.user,
                    _("%(n)d tindak lanjut bimbingan melewati batas waktu") % {"n": len(its)},
                    "\n".join(i.title for i in its[:10]),
                    reverse("careers:sessions"),
                )
                for its in by_user.values()
            )
        run.counts.update({"items": len(items), "users": len(by_user)})
    return dict(run.counts)


def remind_cadence(*, today: dt.date | None = None) -> dict[str, int]:
    """Remind each head how many team members had no session in the configured number of days."""
    from django.db.models import OuterRef, Subquery

    today = today or _today()
    with job_run("careers.remind_cadence") as run:
        reminded = 0
        messages: list[tuple[Any, str, str, str]] = []
        for agency_id in Agency.objects.values_list("pk", flat=True):
            days = selectors.settings_for(agency_id).cadence_days
            rows = selectors.cadence_by_unit(agency_id=agency_id, today=today, days=days)
            unmet = {r["unit"].pk: r["not_met"] for r in rows if r["not_met"]}
            if not unmet:
                continue
            heads = (
                OrgUnit.objects.filter(pk__in=unmet)
                .annotate(
                    head_user=Subquery(
                        Employee.objects.filter(position_id=OuterRef("head_position_id")).values("user_id")[:1]
                    )
                )
                .values_list("pk", "head_user")
            )
            from people.models import User

            users = {u.pk: u for u in User.objects.filter(pk__in=[h for _u, h in heads if h])}
            for unit_id, user_id in heads:
                if user_id in users:
                    title = _("%(n)d anggota tim belum dibimbing dalam %(d)d hari") % {"n": unmet[unit_id], "d": days}
                    messages.append((users[user_id], title, "", reverse("careers:team")))
                    reminded += 1
        notify_many(messages, email=False)
        run.counts["heads"] = reminded
    return dict(run.counts)


def remind_plan_reviews(*, today: dt.date | None = None) -> dict[str, int]:
    """The yearly review of agreed career plans: remind the owner when the review date has come."""
    today = today or _today()
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


def visible_employee_or_none(user: Any, pk: int) -> Employee | None:
    return Employee.objects.filter(employee_q(user), pk=pk).first()
