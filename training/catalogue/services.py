"""The training catalogue: courses and their offerings, created and edited by the agency's BKD admins."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from asn_portal.errors import ApplicationError, ConflictError
from asn_portal.services import audit, notify
from people.access import is_hr_admin
from training import rules
from training.catalogue.validation import COURSE_FIELDS, OFFERING_FIELDS, course_links, course_values, offering_values
from training.choices import EnrollmentStatus as S
from training.choices import OfferingStatus
from training.common import users_of
from training.enrolment.services import waitlist_promote
from training.models import Course, CourseCompetency, CourseOffering, Enrollment


def _require_catalogue_admin(actor: Any, agency_id: int) -> None:
    if not is_hr_admin(actor, agency_id):
        # The caller fetched the object through an admin-scoped selector, so this is a foreign agency.
        raise ApplicationError(_("Pelatihan tidak ditemukan."), status=404)


def _apply_course_links(course: Course, links: Mapping[str, Any]) -> None:
    if "prerequisites" in links:
        course.prerequisites.set(links["prerequisites"])
    if "competencies" in links:
        levels = links["competencies"]
        CourseCompetency.objects.filter(course=course).exclude(competency_id__in=levels).delete()
        for cid, lvl in levels.items():
            CourseCompetency.objects.update_or_create(course=course, competency_id=cid, defaults={"target_level": lvl})


def _snapshot(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {f: getattr(obj, f"{f}_id" if f in ("course", "min_rank", "max_rank") else f) for f in fields}


def _save_course(course: Course) -> None:
    try:
        with transaction.atomic():
            course.save()
    except IntegrityError:
        # Two admins saving the same code at once: the unique constraint decides, the loser gets a 400.
        raise ApplicationError(
            _("Kode pelatihan %(c)s sudah dipakai di instansi ini.") % {"c": course.code}, {"field": "code"}
        )


def course_create(*, actor: Any, agency: Any, data: Mapping[str, Any]) -> Course:
    """BKD adds a course to its agency's catalogue. Course codes are unique per agency; the JP are within
    the ledger's range (PP 11/2017 jo. PP 17/2020 Pasal 203 (4)); the mode follows the format (Peraturan
    LAN 10/2018: klasikal / nonklasikal)."""
    _require_catalogue_admin(actor, agency.pk)
    values = course_values(agency.pk, None, data)
    links = course_links(agency.pk, None, data)
    with transaction.atomic():
        course = Course(agency_id=agency.pk, **values)
        _save_course(course)
        _apply_course_links(course, links)
        audit(actor=actor, action="training.course_created", obj=course, after=_snapshot(course, COURSE_FIELDS))
    return course


def course_update(*, actor: Any, course: Course, data: Mapping[str, Any]) -> Course:
    """BKD edits a catalogue entry of its own agency (the same rules as `course_create`)."""
    _require_catalogue_admin(actor, course.agency_id)
    with transaction.atomic():
        # The stored row, not the caller's copy (a bound ModelForm has already written its input onto it).
        current = Course.objects.select_for_update().get(pk=course.pk)
        values = course_values(current.agency_id, current, data)
        links = course_links(current.agency_id, current, data)
        before = _snapshot(current, COURSE_FIELDS)
        for field, value in values.items():
            setattr(current, field, value)
        _save_course(current)
        _apply_course_links(current, links)
        after = _snapshot(current, COURSE_FIELDS)
        changed = [f for f in COURSE_FIELDS if before[f] != after[f]]
        audit(
            actor=actor,
            action="training.course_updated",
            obj=current,
            before={f: before[f] for f in changed},
            after={f: after[f] for f in changed},
        )
    return current


def offering_create(*, actor: Any, agency: Any, data: Mapping[str, Any]) -> CourseOffering:
    """BKD schedules an offering (angkatan) of one of its own courses. It starts as a draft; opening,
    closing and cancelling go through `offering_set_status`."""
    _require_catalogue_admin(actor, agency.pk)
    values = offering_values(agency.pk, None, data)
    with transaction.atomic():
        offering = CourseOffering.objects.create(agency_id=agency.pk, status=OfferingStatus.DRAFT, **values)
        audit(actor=actor, action="training.offering_created", obj=offering, after=_snapshot(offering, OFFERING_FIELDS))
    return offering


def offering_update(*, actor: Any, offering: CourseOffering, data: Mapping[str, Any]) -> CourseOffering:
    """BKD edits an offering of its own agency (same rules as `offering_create`; the status is not an
    editable field). Raising the quota gives the new seats to the waiting list in order of joining."""
    _require_catalogue_admin(actor, offering.agency_id)
    if offering.status in (OfferingStatus.CANCELLED, OfferingStatus.FINISHED):
        raise ConflictError(_("Angkatan yang sudah selesai atau dibatalkan tidak dapat diubah."))
    with transaction.atomic():
        # Lock the row: seats_taken is compared against the new quota and must not move meanwhile.
        current = CourseOffering.objects.select_for_update().get(pk=offering.pk)
        values = offering_values(offering.agency_id, current, data)
        before = _snapshot(current, OFFERING_FIELDS)
        for field, value in values.items():
            setattr(current, field, value)
        current.save(update_fields=[*values, "updated_at"] if values else ["updated_at"])
        after = _snapshot(current, OFFERING_FIELDS)
        changed = [f for f in OFFERING_FIELDS if before[f] != after[f]]
        audit(
            actor=actor,
            action="training.offering_updated",
            obj=current,
            before={f: before[f] for f in changed},
            after={f: after[f] for f in changed},
        )
    if after["capacity"] > before["capacity"]:
        waitlist_promote(offering_id=current.pk, actor=actor)
    current.refresh_from_db()
    for field in ("seats_taken", "capacity", "course_id", *values):
        setattr(offering, field, getattr(current, field))
    return current


def offering_set_status(*, offering: CourseOffering, status: str, actor: Any, reason: str = "") -> CourseOffering:
    """BKD moves an offering along its life cycle (rules.OFFERING_TRANSITIONS): opens, closes, starts,
    finishes or cancels it. Cancelling cancels every open enrolment and tells the participants."""
    _require_catalogue_admin(actor, offering.agency_id)
    if status not in OfferingStatus.values:
        raise ApplicationError(_("Status tidak dikenal."), {"field": "status"})
    before = offering.status
    if before == OfferingStatus.CANCELLED:
        raise ConflictError(_("Angkatan yang dibatalkan tidak dapat diubah."))
    if status not in rules.OFFERING_TRANSITIONS.get(before, frozenset()):
        raise ApplicationError(
            _("Status angkatan tidak dapat diubah dari %(a)s ke %(b)s.")
            % {"a": OfferingStatus(before).label, "b": OfferingStatus(status).label},
            {"field": "status", "allowed": rules.offering_next_statuses(before)},
            status=409,
        )
    with transaction.atomic():
        changed = CourseOffering.objects.filter(pk=offering.pk, status=before).update(
            status=status, updated_at=timezone.now()
        )
        if not changed:
            raise ConflictError(_("Status angkatan sudah diubah orang lain."))
        offering.status = status
        audit(
            actor=actor,
            action="training.offering_status",
            obj=offering,
            before={"status": before},
            after={"status": status},
            reason=reason,
        )
        if status == OfferingStatus.CANCELLED:
            ids = list(
                Enrollment.objects.filter(
                    offering=offering, status__in=[S.REQUESTED, S.APPROVED, S.ENROLLED, S.WAITLISTED]
                ).values_list("employee_id", flat=True)
            )
            Enrollment.objects.filter(
                offering=offering, status__in=[S.REQUESTED, S.APPROVED, S.ENROLLED, S.WAITLISTED]
            ).update(status=S.CANCELLED, reason=reason or _("Angkatan dibatalkan."))
            CourseOffering.objects.filter(pk=offering.pk).update(seats_taken=0)
            offering.seats_taken = 0
            notify(users=users_of(list(ids)), title=_("Angkatan dibatalkan: %(o)s") % {"o": offering}, body=reason)
    return offering


def offering_cancel(*, offering: CourseOffering, actor: Any, reason: str = "") -> CourseOffering:
    """BKD cancels an offering (a transition like any other, with the reason told to the participants)."""
    return offering_set_status(offering=offering, status=OfferingStatus.CANCELLED, actor=actor, reason=reason)
