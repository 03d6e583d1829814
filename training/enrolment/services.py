"""Enrolment in an offering: request, the head's approval, seats and waitlist, attendance and completion."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from asn_portal.errors import ApplicationError, ConflictError
from asn_portal.services import audit, notify
from people import decisions
from people.access import is_hr_admin, scope_for, team_q
from people.models import Employee
from people.selectors import supervisor_ids_for
from training import rules
from training.choices import EnrollmentStatus as S
from training.choices import LearningKind, OfferingStatus, QuestionnaireKind, RespondentRole
from training.common import actor_employee_id, users_of
from training.ledger.services import SOURCE_ENROLLMENT, learning_credit
from training.models import Course, CourseOffering, Enrollment
from training.questionnaires.services import questionnaire_issue


def _eligibility(employee: Employee, course: Course) -> list[str]:
    missing: list[str] = []
    prereqs = list(course.prerequisites.all())
    if prereqs:
        done = set(
            Enrollment.objects.filter(employee=employee, status=S.COMPLETED, offering__course__in=prereqs).values_list(
                "offering__course_id", flat=True
            )
        )
        missing = [p.title for p in prereqs if p.pk not in done]
    problems = rules.eligibility_problems(
        position_kind=employee.position.kind if employee.position_id and employee.position else None,
        rank_order=employee.rank.order if employee.rank_id and employee.rank else None,
        allowed_kinds=course.eligible_position_kinds or [],
        min_rank_order=course.min_rank.order if course.min_rank_id and course.min_rank else None,
        max_rank_order=course.max_rank.order if course.max_rank_id and course.max_rank else None,
        missing_prerequisites=missing,
    )
    latsar = rules.employment_problem(fmt=course.format, employment_type=employee.employment_type)
    return [latsar, *problems] if latsar else problems


def eligibility_for(employee: Employee, course: Course) -> list[str]:
    """Public read of the eligibility rule (the course page shows why one may not enrol)."""
    return _eligibility(employee, course)


def _is_supervisor_of(actor: Any, employee: Employee) -> bool:
    scope = scope_for(actor)
    if scope.employee_id and supervisor_ids_for([employee.pk]).get(employee.pk) == scope.employee_id:
        return True
    return Employee.objects.filter(team_q(actor), pk=employee.pk).exists()


def _allocate_seat(enrollment: Enrollment, actor: Any) -> Enrollment:
    """Take a seat with a compare-and-set on the offering (`seats_taken < capacity`): PostgreSQL locks
    the row for the UPDATE and re-checks the condition, so concurrent enrolments never exceed capacity.
    No seat left: the person joins the waiting list (first come, first served)."""
    got = CourseOffering.objects.filter(pk=enrollment.offering_id, seats_taken__lt=F("capacity")).update(
        seats_taken=F("seats_taken") + 1
    )
    to = S.ENROLLED if got else S.WAITLISTED
    now = timezone.now()
    Enrollment.objects.filter(pk=enrollment.pk).update(status=to, waitlisted_at=None if got else now, updated_at=now)
    enrollment.status = to
    enrollment.waitlisted_at = None if got else now
    return enrollment


def enrollment_request(
    *, employee: Employee, offering: CourseOffering, actor: Any, nominated_by: Employee | None = None
) -> Enrollment:
    """Enrol an employee in an offering: self-requests need the supervisor's approval when the offering
    says so; nominations by the head and enrolments by BKD go straight to a seat or the waiting list."""
    offering = CourseOffering.objects.select_related("course", "course__min_rank", "course__max_rank").get(
        pk=offering.pk
    )
    if offering.agency_id != employee.agency_id:
        raise ApplicationError(_("Angkatan ini bukan untuk instansi Anda."), status=404)
    problem = rules.window_problem(
        today=timezone.localdate(),
        enrol_open=offering.enrol_open,
        enrol_close=offering.enrol_close,
        is_open=offering.status == OfferingStatus.OPEN,
    )
    if problem:
        raise ApplicationError(problem, {"field": "offering"})
    if Enrollment.objects.filter(offering=offering, employee=employee, status__in=rules_open_statuses()).exists():
        raise ApplicationError(_("Pegawai ini sudah terdaftar pada angkatan ini."), {"field": "employee"})
    problems = _eligibility(employee, offering.course)
    if problems:
        raise ApplicationError(" ".join(problems), {"field": "employee", "problems": problems})
    is_self = actor_employee_id(actor) == employee.pk
    # A BKD admin enrolling themselves asks for approval like anyone else: no approving one's own request.
    by_admin = is_hr_admin(actor, offering.agency_id) and decisions.may_decide(actor, employee)
    by_head = not is_self and _is_supervisor_of(actor, employee)
    if not (is_self or by_admin or by_head):
        raise ApplicationError(_("Anda tidak berwenang mendaftarkan pegawai ini."), status=403)
    needs_approval = offering.requires_approval and not (by_admin or by_head)
    try:
        with transaction.atomic():
            enrollment = Enrollment.objects.create(
                offering=offering,
                employee=employee,
                agency_id=offering.agency_id,
                status=S.REQUESTED if needs_approval else S.APPROVED,
                nominated_by=nominated_by,
                decided_by=None if needs_approval else actor,
                decided_at=None if needs_approval else timezone.now(),
            )
            if not needs_approval:
                _allocate_seat(enrollment, actor)
            audit(
                actor=actor,
                action="training.enrollment_request",
                obj=enrollment,
                after={"status": enrollment.status, "nominated": bool(nominated_by)},
            )
            url = reverse("training:offering-detail", args=[offering.pk])
            if needs_approval:
                sup = supervisor_ids_for([employee.pk]).get(employee.pk)
                notify(
                    users=users_of([sup]),
                    title=_("Permohonan pelatihan dari %(n)s") % {"n": employee.full_name},
                    body=str(offering),
                    url=reverse("training:team"),
                )
            else:
                notify(
                    users=users_of([employee.pk]),
                    title=(
                        _("Anda terdaftar: %(o)s")
                        if enrollment.status == S.ENROLLED
                        else _("Anda masuk daftar tunggu: %(o)s")
                    )
                    % {"o": offering},
                    url=url,
                )
    except IntegrityError:
        raise ApplicationError(_("Pegawai ini sudah terdaftar pada angkatan ini."), {"field": "employee"})
    return enrollment


def rules_open_statuses() -> list[str]:
    from training.choices import OPEN_ENROLLMENT_STATUSES

    return sorted(OPEN_ENROLLMENT_STATUSES)


def _cas(enrollment: Enrollment, to: str, **fields: Any) -> None:
    """Compare-and-set: move from the current status to `to`, or raise ConflictError."""
    if not rules.can_transition(enrollment.status, to):
        raise ApplicationError(
            _("Status %(f)s tidak dapat diubah menjadi %(t)s.") % {"f": S(enrollment.status).label, "t": S(to).label},
            {"from": enrollment.status, "to": to},
            status=409,
        )
    changed = Enrollment.objects.filter(pk=enrollment.pk, status=enrollment.status).update(
        status=to, updated_at=timezone.now(), **fields
    )
    if not changed:
        raise ConflictError(_("Pendaftaran ini sudah diubah orang lain; muat ulang halaman."))
    for k, v in fields.items():
        setattr(enrollment, k, v)
    enrollment.status = to


def _require_admin(actor: Any, enrollment: Enrollment) -> None:
    if not is_hr_admin(actor, enrollment.agency_id):
        raise ApplicationError(_("Hanya admin BKD yang dapat melakukan tindakan ini."), status=403)
    # Attendance and results are decisions: never on one's own enrolment (issue #11).
    decisions.ensure_may_decide(actor, enrollment.employee_id)


def enrollment_approve(*, enrollment: Enrollment, actor: Any) -> Enrollment:
    """The supervisor (or BKD) approves a request; the person then takes a seat or joins the waiting list."""
    if not (is_hr_admin(actor, enrollment.agency_id) or _is_supervisor_of(actor, enrollment.employee)):
        raise ApplicationError(_("Hanya atasan langsung atau admin BKD yang dapat menyetujui."), status=403)
    decisions.ensure_may_decide(actor, enrollment.employee_id)
    before = enrollment.status
    with transaction.atomic():
        _cas(enrollment, S.APPROVED, decided_by=actor, decided_at=timezone.now())
        _allocate_seat(enrollment, actor)
        audit(
            actor=actor,
            action="training.enrollment_approve",
            obj=enrollment,
            before={"status": before},
            after={"status": enrollment.status},
        )
        notify(
            users=users_of([enrollment.employee_id]),
            title=_("Permohonan pelatihan disetujui: %(s)s") % {"s": S(enrollment.status).label},
            url=reverse("training:offering-detail", args=[enrollment.offering_id]),
        )
    return enrollment


def enrollment_decline(*, enrollment: Enrollment, reason: str, actor: Any) -> Enrollment:
    """The supervisor (or BKD) declines a request, with a reason."""
    if not (is_hr_admin(actor, enrollment.agency_id) or _is_supervisor_of(actor, enrollment.employee)):
        raise ApplicationError(_("Hanya atasan langsung atau admin BKD yang dapat menolak."), status=403)
    decisions.ensure_may_decide(actor, enrollment.employee_id)
    if not reason.strip():
        raise ApplicationError(_("Alasan penolakan wajib diisi."), {"field": "reason"})
    with transaction.atomic():
        _cas(enrollment, S.DECLINED, decided_by=actor, decided_at=timezone.now(), reason=reason)
        audit(
            actor=actor,
            action="training.enrollment_decline",
            obj=enrollment,
            before={"status": S.REQUESTED},
            after={"status": S.DECLINED},
            reason=reason,
        )
        notify(
            users=users_of([enrollment.employee_id]),
            title=_("Permohonan pelatihan ditolak"),
            body=reason,
            url=reverse("training:my-learning"),
        )
    return enrollment


def enrollment_cancel(*, enrollment: Enrollment, reason: str = "", actor: Any) -> Enrollment:
    """The participant, their supervisor or BKD cancels; a freed seat goes to the first on the waiting list."""
    own = actor_employee_id(actor) == enrollment.employee_id
    if not (own or is_hr_admin(actor, enrollment.agency_id) or _is_supervisor_of(actor, enrollment.employee)):
        raise ApplicationError(_("Anda tidak berwenang membatalkan pendaftaran ini."), status=403)
    before = enrollment.status
    with transaction.atomic():
        _cas(enrollment, S.CANCELLED, reason=reason)
        if before == S.ENROLLED:
            CourseOffering.objects.filter(pk=enrollment.offering_id, seats_taken__gt=0).update(
                seats_taken=F("seats_taken") - 1
            )
        audit(
            actor=actor,
            action="training.enrollment_cancel",
            obj=enrollment,
            before={"status": before},
            after={"status": S.CANCELLED},
            reason=reason,
        )
        if before == S.ENROLLED:
            waitlist_promote(offering_id=enrollment.offering_id, actor=actor)
    return enrollment


def waitlist_promote(*, offering_id: int, actor: Any) -> int:
    """Give free seats to the waiting list in order of joining; returns how many were promoted."""
    promoted = 0
    while True:
        with transaction.atomic():
            nxt = (
                Enrollment.objects.filter(offering_id=offering_id, status=S.WAITLISTED)
                .order_by("waitlisted_at", "pk")
                .select_related("offering")
                .first()
            )
            if nxt is None:
                return promoted
            got = CourseOffering.objects.filter(pk=offering_id, seats_taken__lt=F("capacity")).update(
                seats_taken=F("seats_taken") + 1
            )
            if not got:
                return promoted
            changed = Enrollment.objects.filter(pk=nxt.pk, status=S.WAITLISTED).update(
                status=S.ENROLLED, updated_at=timezone.now()
            )
            if not changed:  # someone cancelled them meanwhile: give the seat back and look again
                CourseOffering.objects.filter(pk=offering_id).update(seats_taken=F("seats_taken") - 1)
                continue
            promoted += 1
            audit(
                actor=actor,
                action="training.waitlist_promote",
                obj=nxt,
                before={"status": S.WAITLISTED},
                after={"status": S.ENROLLED},
            )
            notify(
                users=users_of([nxt.employee_id]),
                title=_("Kursi tersedia: Anda kini terdaftar pada %(o)s") % {"o": nxt.offering},
                url=reverse("training:offering-detail", args=[offering_id]),
            )


def enrollment_mark_attended(*, enrollment: Enrollment, actor: Any) -> Enrollment:
    """BKD records attendance; only an enrolled participant can attend."""
    _require_admin(actor, enrollment)
    if enrollment.status != S.ENROLLED:
        raise ApplicationError(
            _("Kehadiran hanya dapat dicatat untuk peserta yang terdaftar."), {"status": enrollment.status}, status=409
        )
    with transaction.atomic():
        _cas(enrollment, S.ATTENDED, attended_at=timezone.now())
        audit(
            actor=actor,
            action="training.enrollment_attended",
            obj=enrollment,
            before={"status": S.ENROLLED},
            after={"status": S.ATTENDED},
        )
    return enrollment


def enrollment_mark_no_show(*, enrollment: Enrollment, actor: Any) -> Enrollment:
    """BKD records that an enrolled participant did not come."""
    _require_admin(actor, enrollment)
    with transaction.atomic():
        _cas(enrollment, S.NO_SHOW)
        audit(
            actor=actor,
            action="training.enrollment_no_show",
            obj=enrollment,
            before={"status": S.ENROLLED},
            after={"status": S.NO_SHOW},
        )
        notify(
            users=users_of([enrollment.employee_id]),
            title=_("Anda tercatat tidak hadir: %(o)s") % {"o": enrollment.offering},
        )
    return enrollment


def enrollment_complete(
    *,
    enrollment: Enrollment,
    actor: Any,
    certificate_number: str = "",
    completed_on: dt.date | None = None,
    score: Decimal | None = None,
) -> Enrollment:
    """BKD marks a participant as passed: credits the course's JP to the ledger exactly once and issues the
    reaction questionnaire (evaluation after every training, issue #6)."""
    _require_admin(actor, enrollment)
    if enrollment.status not in (S.ATTENDED, S.ENROLLED):
        raise ApplicationError(
            _("Hanya peserta terdaftar/hadir yang dapat dinyatakan lulus."), {"status": enrollment.status}, status=409
        )
    completed_on = completed_on or timezone.localdate()
    if completed_on > timezone.localdate():
        raise ApplicationError(_("Tanggal lulus tidak boleh di masa depan."), {"field": "completed_on"})
    offering = CourseOffering.objects.select_related("course").get(pk=enrollment.offering_id)
    course = offering.course
    number = certificate_number.strip() or f"{course.code}/{offering.pk}/{enrollment.pk}/{completed_on.year}"
    before = enrollment.status
    with transaction.atomic():
        _cas(enrollment, S.COMPLETED, completed_on=completed_on, certificate_number=number, score=score)
        learning_credit(
            employee=enrollment.employee,
            jp=course.jp,
            on_date=completed_on,
            title=course.title,
            source_type=SOURCE_ENROLLMENT,
            source_id=enrollment.pk,
            actor=actor,
            kind=LearningKind.COURSE,
            course=course,
            fmt=course.format,
            provider=course.provider,
            certificate_number=number,
        )
        audit(
            actor=actor,
            action="training.enrollment_complete",
            obj=enrollment,
            before={"status": before},
            after={"status": S.COMPLETED, "certificate": number},
        )
        questionnaire_issue(
            enrollment=enrollment,
            kind=QuestionnaireKind.REACTION,
            role=RespondentRole.PARTICIPANT,
            on=timezone.localdate(),
            actor=actor,
        )
        notify(
            users=users_of([enrollment.employee_id]),
            title=_("Selamat, Anda lulus %(c)s (%(jp)s JP)") % {"c": course.title, "jp": course.jp},
            body=_("Mohon isi kuesioner evaluasi pelatihan."),
            url=reverse("training:questionnaires"),
        )
    return enrollment


def enrollment_fail(*, enrollment: Enrollment, reason: str, actor: Any) -> Enrollment:
    """BKD marks a participant as not passed (no JP)."""
    _require_admin(actor, enrollment)
    if not reason.strip():
        raise ApplicationError(_("Alasan tidak lulus wajib diisi."), {"field": "reason"})
    before = enrollment.status
    with transaction.atomic():
        _cas(enrollment, S.FAILED, reason=reason)
        audit(
            actor=actor,
            action="training.enrollment_fail",
            obj=enrollment,
            before={"status": before},
            after={"status": S.FAILED},
            reason=reason,
        )
        notify(users=users_of([enrollment.employee_id]), title=_("Hasil pelatihan: tidak lulus"), body=reason)
    return enrollment


TRANSITION_SERVICES: dict[str, Callable[..., Enrollment]] = {
    "approve": enrollment_approve,
    "decline": enrollment_decline,
    "cancel": enrollment_cancel,
    "attend": enrollment_mark_attended,
    "no-show": enrollment_mark_no_show,
    "complete": enrollment_complete,
    "fail": enrollment_fail,
}
