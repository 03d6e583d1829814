"""Mentoring writes: log a session, add items, confirm, feedback, observation and reminders."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from asn_portal.errors import ApplicationError, ConflictError, require_max_length
from asn_portal.services import audit, job_run, notify, notify_many
from careers import agency_settings, credits, integrations, rules, summaries
from careers.actors import employee_of, local_today
from careers.choices import (
    ItemStatus,
)
from careers.mentoring import selectors
from careers.models import (
    ActionItem,
    CompetencyObservation,
    DevelopmentAction,
    MentoringSession,
    SessionMentee,
    TalentPlacement,
)
from people import decisions
from people.access import employee_q, scope_for
from people.models import Agency, Employee, OrgUnit


def head_users_of(employee: Employee) -> list[Any]:
    """Users heading the employee's unit or any unit above it (the people who see them as team)."""
    parts = [int(p) for p in employee.unit.path.strip("/").split("/") if p]
    units = OrgUnit.objects.filter(pk__in=parts)
    pos_ids = [u.head_position_id for u in units if u.head_position_id]
    acting = [u.acting_head_id for u in units if u.acting_head_id]
    heads = Employee.objects.filter(Q(position_id__in=pos_ids) | Q(pk__in=acting)).exclude(pk=employee.pk)
    return [h.user for h in heads.select_related("user").order_by("-unit__depth")[:1] if h.user_id]


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


def _checked_mentees(*, actor: Any, coach: Employee, mentee_ids: list[int], today: dt.date) -> list[int]:
    """The session's mentees, sorted: at least one, not the coach, each in the coach's units or assigned."""
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
    return ids


def _checked_items(
    action_items: Sequence[Mapping[str, Any]], *, held_on: dt.date, owners_ok: set[int]
) -> list[dict[str, Any]]:
    """Copies of the session's action items with normalised titles; the first bad one is refused."""
    items = [dict(i) for i in action_items]
    for n, item in enumerate(items, start=1):
        _check_item(n, item, held_on=held_on, owners_ok=owners_ok)
        item["title"] = require_max_length(
            str(item["title"]), limit=300, field="title", label=_("Tindak lanjut %(n)d") % {"n": n}
        )
    return items


def _check_item(n: int, item: Mapping[str, Any], *, held_on: dt.date, owners_ok: set[int]) -> None:
    """Action item `n`: a title, a due date not before the session, an owner who was in the session."""
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
    today = today or local_today()
    coach = employee_of(actor)
    if coach is None:
        raise ApplicationError(_("Hanya pegawai yang dapat mencatat sesi bimbingan."), status=403)
    if held_on > today:
        raise ApplicationError(_("Tanggal sesi tidak boleh di masa depan."), {"field": "held_on"})
    if not topics.strip():
        raise ApplicationError(_("Topik sesi wajib diisi."), {"field": "topics"})
    topics = require_max_length(topics, limit=300, field="topics", label=_("Topik"))
    ids = _checked_mentees(actor=actor, coach=coach, mentee_ids=mentee_ids, today=today)
    _session_links(
        actor=actor,
        agency_id=coach.agency_id,
        participant_ids=set(ids) | {coach.pk},
        planned_result_id=planned_result_id,
        development_action_id=development_action_id,
        talent_placement_id=talent_placement_id,
    )
    items = _checked_items(action_items or [], held_on=held_on, owners_ok=set(ids) | {coach.pk})
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
        summaries.touch_cadence(coach.agency_id)
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
    if not rules.target_date_ok(due=due_date, today=local_today()):
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
        summaries.touch_cadence(session.agency_id)
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
            status=status,
            done_on=(today or local_today()) if status == ItemStatus.DONE else None,
            updated_at=timezone.now(),
        )
        if not n:
            raise ConflictError(_("Tindak lanjut sudah diubah orang lain."))
    item.status = status


def remind_overdue_action_items(*, today: dt.date | None = None) -> dict[str, int]:
    """Remind owners of open action items past their due date, once per day (claims rows)."""
    today = today or local_today()
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

    today = today or local_today()
    with job_run("careers.remind_cadence") as run:
        reminded = 0
        messages: list[tuple[Any, str, str, str]] = []
        for agency_id in Agency.objects.values_list("pk", flat=True):
            days = agency_settings.settings_for(agency_id).cadence_days
            rows = selectors.cadence_by_unit_live(agency_id=agency_id, today=today, days=days)
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
