"""The training catalogue: courses and their offerings, created and edited by the agency's BKD admins."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from asn_portal.errors import ApplicationError, ConflictError
from asn_portal.services import audit, notify
from people.access import is_hr_admin
from training import rules
from training.choices import (
    CourseFormat,
    CourseMode,
    OfferingStatus,
)
from training.choices import (
    EnrollmentStatus as S,
)
from training.common import users_of
from training.enrolment.services import waitlist_promote
from training.models import (
    Course,
    CourseCompetency,
    CourseOffering,
    Enrollment,
)

COURSE_FIELDS = (
    "code",
    "title",
    "description",
    "mode",
    "format",
    "provider",
    "jp",
    "eligible_position_kinds",
    "min_rank",
    "max_rank",
    "is_active",
)


OFFERING_FIELDS = (
    "course",
    "name",
    "start_date",
    "end_date",
    "location",
    "online_url",
    "capacity",
    "enrol_open",
    "enrol_close",
    "trainer",
    "requires_approval",
)


def _pk(value: Any) -> int | None:
    if value in (None, ""):
        return None
    pk = getattr(value, "pk", value)
    try:
        return int(pk)
    except (TypeError, ValueError):
        return -1  # a malformed id never matches a row: reported as "not found"


def _require_catalogue_admin(actor: Any, agency_id: int) -> None:
    if not is_hr_admin(actor, agency_id):
        # The caller fetched the object through an admin-scoped selector, so this is a foreign agency.
        raise ApplicationError(_("Pelatihan tidak ditemukan."), status=404)


def _refuse(problems: dict[str, str]) -> None:
    if problems:
        field, message = next(iter(problems.items()))
        raise ApplicationError(message, {"field": field, "fields": {k: [v] for k, v in problems.items()}})


def _course_values(agency_id: int, course: Course | None, data: Mapping[str, Any]) -> dict[str, Any]:
    """Validate a course write (the whole rule set, whichever door it came through); field -> value."""
    from people.models import Rank

    values = {f: data[f] for f in COURSE_FIELDS if f in data}
    merged = {f: values.get(f, getattr(course, f, None)) for f in COURSE_FIELDS}
    problems: dict[str, str] = {}
    for f in ("code", "title", "mode", "format", "provider"):
        if f in values or course is None:
            values[f] = str(values.get(f) or "").strip()
            merged[f] = values[f]
            if not values[f]:
                problems[f] = _("Wajib diisi.")
    if "jp" in values or course is None:
        if values.get("jp") in (None, ""):
            problems["jp"] = _("Wajib diisi.")
        else:
            try:
                # Stored with two decimals (the column's scale) whichever door sent "32" or "32.00".
                values["jp"] = merged["jp"] = Decimal(str(values["jp"])).quantize(Decimal("0.01"))
            except (InvalidOperation, ValueError):
                problems["jp"] = _("Nilai JP tidak valid.")
            else:
                if problem := rules.jp_problem(values["jp"]):
                    problems["jp"] = problem
    fmt, mode = merged.get("format"), merged.get("mode")
    if fmt and fmt not in CourseFormat.values:
        problems["format"] = _("Bentuk pelatihan tidak dikenal.")
    elif mode and mode not in CourseMode.values:
        problems["mode"] = _("Jalur harus klasikal atau nonklasikal.")
    elif fmt and mode and rules.mode_for_format(fmt) != mode:
        problems["mode"] = _("Jalur tidak sesuai dengan bentuk pelatihan.")
    for f in ("min_rank", "max_rank"):
        if f in values:
            pk = _pk(values[f])
            values[f] = Rank.objects.filter(pk=pk).first() if pk is not None else None
            merged[f] = values[f]
            if pk is not None and values[f] is None:
                problems[f] = _("Pangkat tidak ditemukan.")
    lo, hi = merged.get("min_rank"), merged.get("max_rank")
    if lo and hi and lo.order > hi.order:
        problems["max_rank"] = _("Pangkat maksimum harus di atas pangkat minimum.")
    if "eligible_position_kinds" in values:
        from people.choices import PositionType

        kinds = values["eligible_position_kinds"] or []
        if not isinstance(kinds, list | tuple) or any(k not in PositionType.values for k in kinds):
            problems["eligible_position_kinds"] = _("Jenis jabatan tidak dikenal.")
        else:
            values["eligible_position_kinds"] = list(dict.fromkeys(kinds))
    if "is_active" in values:
        values["is_active"] = bool(values["is_active"])
    code = merged.get("code")
    if code and "code" not in problems:
        taken = Course.objects.filter(agency_id=agency_id, code__iexact=code)
        if course is not None:
            taken = taken.exclude(pk=course.pk)
        if taken.exists():
            problems["code"] = _("Kode pelatihan %(c)s sudah dipakai di instansi ini.") % {"c": code}
    _refuse(problems)
    return values


def _course_links(agency_id: int, course: Course | None, data: Mapping[str, Any]) -> dict[str, Any]:
    """Prerequisites (courses of the same agency, never the course itself) and the competencies it
    develops ({competency id: target level 1-5}, national or the agency's own)."""
    from competencies.models import Competency  # lower layer: allowed

    links: dict[str, Any] = {}
    if "prerequisites" in data:
        ids = {pk for pk in (_pk(v) for v in data["prerequisites"] or []) if pk is not None}
        found = set(Course.objects.filter(agency_id=agency_id, pk__in=ids).values_list("pk", flat=True))
        if ids - found or (course is not None and course.pk in ids):
            _refuse({"prerequisites": _("Prasyarat harus pelatihan lain di instansi ini.")})
        links["prerequisites"] = sorted(found)
    if "competencies" in data:
        levels: dict[int, int] = {}
        for key, level in dict(data["competencies"] or {}).items():
            try:
                lvl = int(level)
            except (TypeError, ValueError):
                lvl = 0
            if not 1 <= lvl <= 5:
                _refuse({"competencies": _("Level sasaran harus 1 sampai 5.")})
            levels[_pk(key) or -1] = lvl
        ok = set(
            Competency.objects.filter(Q(agency__isnull=True) | Q(agency_id=agency_id), pk__in=levels).values_list(
                "pk", flat=True
            )
        )
        if set(levels) - ok:
            _refuse({"competencies": _("Kompetensi tidak ditemukan di kamus instansi ini.")})
        links["competencies"] = levels
    return links


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
    values = _course_values(agency.pk, None, data)
    links = _course_links(agency.pk, None, data)
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
        values = _course_values(current.agency_id, current, data)
        links = _course_links(current.agency_id, current, data)
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


def _offering_values(agency_id: int, offering: CourseOffering | None, data: Mapping[str, Any]) -> dict[str, Any]:
    """Validate an offering write; field -> value. The course must be an active course of the same agency
    (a foreign id is "not found"), the dates ordered enrol_open <= enrol_close <= start_date <= end_date,
    the quota at least 1 and never below the seats already taken."""
    values = {f: data[f] for f in OFFERING_FIELDS if f in data}
    problems: dict[str, str] = {}
    if "course" in values or offering is None:
        pk = _pk(values.get("course"))
        course = Course.objects.filter(agency_id=agency_id, pk=pk).first() if pk is not None else None
        if course is None:
            problems["course"] = _("Pelatihan tidak ditemukan.")
        elif offering is None or course.pk != offering.course_id:
            if not course.is_active:
                problems["course"] = _("Pelatihan ini tidak aktif.")
            elif offering is not None and Enrollment.objects.filter(offering=offering).exists():
                problems["course"] = _("Pelatihan tidak dapat diganti setelah ada pendaftar.")
        values["course"] = course
    for f in ("name", "start_date", "end_date", "enrol_open", "enrol_close", "capacity"):
        if (f in values or offering is None) and values.get(f) in (None, ""):
            problems.setdefault(f, _("Wajib diisi."))
    for f in ("location", "online_url", "trainer", "name"):
        if f in values:
            values[f] = str(values[f] or "").strip()
    merged = {f: values.get(f, getattr(offering, f, None)) for f in OFFERING_FIELDS}
    problems.update(
        {
            k: v
            for k, v in rules.offering_dates_problems(
                enrol_open=merged["enrol_open"],
                enrol_close=merged["enrol_close"],
                start_date=merged["start_date"],
                end_date=merged["end_date"],
            ).items()
            if k not in problems
        }
    )
    cap = merged.get("capacity")
    if cap not in (None, "") and "capacity" not in problems:
        try:
            cap = int(cap)
        except (TypeError, ValueError):
            problems["capacity"] = _("Kuota harus berupa bilangan bulat.")
        else:
            if cap < 1:
                problems["capacity"] = _("Kuota minimal 1 peserta.")
            elif offering is not None and cap < offering.seats_taken:
                problems["capacity"] = _("Kuota tidak boleh di bawah jumlah peserta terdaftar.")
    if not merged.get("location") and not merged.get("online_url"):
        problems.setdefault("location", _("Isi tempat atau tautan daring."))
    _refuse(problems)
    return values


def offering_create(*, actor: Any, agency: Any, data: Mapping[str, Any]) -> CourseOffering:
    """BKD schedules an offering (angkatan) of one of its own courses. It starts as a draft; opening,
    closing and cancelling go through `offering_set_status`."""
    _require_catalogue_admin(actor, agency.pk)
    values = _offering_values(agency.pk, None, data)
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
        values = _offering_values(offering.agency_id, current, data)
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
