"""Writes for training: the catalogue, the enrolment state machine (one service per transition),
the JP ledger and evaluation questionnaires. Each service owns its transaction, changes state with a
compare-and-set update, audits the decision and notifies on commit."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from asn_portal import uploads
from asn_portal.errors import ApplicationError, ConflictError, require_max_length
from asn_portal.services import audit, notify
from people import decisions
from people.access import is_hr_admin, scope_for, team_q
from people.models import Employee
from people.selectors import supervisor_ids_for

from . import rules
from .choices import (
    CourseFormat,
    CourseMode,
    LearningKind,
    OfferingStatus,
    QuestionKind,
    QuestionnaireKind,
    RespondentRole,
    VerificationStatus,
)
from .choices import (
    EnrollmentStatus as S,
)
from .models import (
    Answer,
    Course,
    CourseCompetency,
    CourseOffering,
    Enrollment,
    JpRate,
    LearningRecord,
    QuestionnaireResponse,
    QuestionnaireTemplate,
)

SOURCE_ENROLLMENT = "training.enrollment"
SOURCE_EXTERNAL = "training.external"


def _today() -> dt.date:
    return timezone.localdate()


def _to_decimal(value: Any, field: str = "jp") -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ApplicationError(_("Nilai JP tidak valid."), {"field": field})


def _users(employee_ids: list[int | None]) -> list[Any]:
    ids = [i for i in employee_ids if i]
    if not ids:
        return []
    return [e.user for e in Employee.objects.filter(pk__in=ids).exclude(user=None).select_related("user")]


# --------------------------------------------------------------------------- JP ledger


def learning_credit(
    *,
    employee: Employee,
    jp: Decimal | int | str,
    on_date: dt.date,
    title: str,
    source_type: str,
    source_id: str | int,
    actor: Any,
    kind: str = LearningKind.OTHER,
    course: Course | None = None,
    fmt: str = "",
    provider: str = "",
    certificate_number: str = "",
) -> LearningRecord:
    """Credit JP to an employee's ledger for one source (course completion, mentoring, verified
    external learning). Idempotent: crediting the same (employee, source_type, source_id) again returns
    the existing record and credits nothing (PP 11/2017 jo. PP 17/2020 Pasal 203 (4): 20 JP a year)."""
    value = _to_decimal(jp)
    problem = rules.jp_problem(value)
    if problem:
        raise ApplicationError(problem, {"field": "jp"})
    existing = LearningRecord.objects.filter(
        employee=employee, source_type=source_type, source_id=str(source_id)
    ).first()
    if existing is not None:
        return existing
    kind = rules.credit_kind(source_type, kind)  # the same rule as the set-based training.ledger
    try:
        with transaction.atomic():
            record = LearningRecord.objects.create(
                employee=employee,
                agency_id=employee.agency_id,
                year=on_date.year,
                date=on_date,
                jp=value,
                title=str(title)[:200],
                kind=kind,
                format=fmt,
                provider=provider,
                course=course,
                source_type=source_type,
                source_id=str(source_id),
                status=VerificationStatus.VERIFIED,
                verified_by=actor if getattr(actor, "pk", None) else None,
                verified_at=timezone.now(),
                certificate_number=certificate_number,
            )
    except IntegrityError:
        # A concurrent credit of the same source won: return it (still exactly once).
        return LearningRecord.objects.get(employee=employee, source_type=source_type, source_id=str(source_id))
    audit(actor=actor, action="training.learning_credit", obj=record, after={"jp": value, "source": source_type})
    return record


def external_learning_record(
    *,
    employee: Employee,
    title: str,
    fmt: str,
    provider: str,
    on_date: dt.date,
    hours: Decimal | None = None,
    jp: Decimal | None = None,
    certificate_number: str = "",
    certificate_file: Any = None,
    note: str = "",
    actor: Any,
) -> LearningRecord:
    """An employee reports learning done outside the catalogue (with certificate); it counts once BKD
    verifies it. Nonclassical JP comes from the configurable JpRate table when hours are given."""
    if on_date > _today():
        raise ApplicationError(_("Tanggal kegiatan tidak boleh di masa depan."), {"field": "on_date"})
    title = require_max_length(str(title), limit=200, field="title", label=_("Judul kegiatan"))
    if not title:
        raise ApplicationError(_("Judul kegiatan wajib diisi."), {"field": "title"})
    if fmt not in CourseFormat.values:
        raise ApplicationError(_("Bentuk pembelajaran tidak dikenal."), {"field": "format"})
    if jp is None:
        if hours is None:
            raise ApplicationError(_("Isi JP atau durasi (jam)."), {"field": "hours"})
        hours = _to_decimal(hours, "hours")
        if hours <= 0 or hours > 2000:
            raise ApplicationError(_("Durasi harus antara 0 dan 2000 jam."), {"field": "hours"})
        rate = JpRate.objects.filter(format=fmt).first()
        jp = rules.jp_for_hours(
            fmt=fmt, hours=hours, rate_per_hour=rate.jp_per_hour if rate else None, max_jp=rate.max_jp if rate else None
        )
    jp = _to_decimal(jp)
    problem = rules.jp_problem(jp)
    if problem:
        raise ApplicationError(problem, {"field": "jp"})
    certificate = uploads.validate_upload(certificate_file, uploads.UploadKind.DOCUMENT) if certificate_file else None
    if not certificate_number and not certificate_file:
        raise ApplicationError(
            _("Lampirkan nomor atau berkas sertifikat sebagai bukti."), {"field": "certificate_number"}
        )
    record = LearningRecord.objects.create(
        employee=employee,
        agency_id=employee.agency_id,
        year=on_date.year,
        date=on_date,
        jp=jp,
        hours=hours,
        title=title,
        kind=LearningKind.EXTERNAL,
        format=fmt,
        provider=provider,
        source_type=SOURCE_EXTERNAL,
        source_id=uuid.uuid4().hex,
        status=VerificationStatus.PENDING,
        certificate_number=certificate_number,
        certificate_file=certificate_file or "",
        certificate_name=certificate.original_name if certificate else "",
        note=note,
    )
    audit(actor=actor, action="training.external_recorded", obj=record, after={"jp": jp, "title": title})
    return record


def learning_verify(*, record: LearningRecord, approve: bool, reason: str = "", actor: Any) -> LearningRecord:
    """BKD verifies (or rejects) reported external learning; only verified records count toward 20 JP."""
    if not is_hr_admin(actor, record.agency_id):
        raise ApplicationError(_("Hanya admin BKD yang dapat memverifikasi."), status=403)
    decisions.ensure_may_decide(actor, record.employee_id)
    if not approve and not reason.strip():
        raise ApplicationError(_("Alasan penolakan wajib diisi."), {"field": "reason"})
    to = VerificationStatus.VERIFIED if approve else VerificationStatus.REJECTED
    now = timezone.now()
    with transaction.atomic():
        changed = LearningRecord.objects.filter(pk=record.pk, status=VerificationStatus.PENDING).update(
            status=to, verified_by=actor, verified_at=now, note=reason or record.note
        )
        if not changed:
            raise ConflictError(_("Catatan ini sudah diverifikasi atau ditolak."))
        record.refresh_from_db()
        audit(
            actor=actor,
            action="training.external_verified" if approve else "training.external_rejected",
            obj=record,
            before={"status": VerificationStatus.PENDING},
            after={"status": to},
            reason=reason,
        )
        title = (
            _("Pembelajaran eksternal diverifikasi: %(t)s") if approve else _("Pembelajaran eksternal ditolak: %(t)s")
        ) % {"t": record.title}
        notify(users=_users([record.employee_id]), title=title, body=reason, url=reverse("training:my-learning"))
    return record


# --------------------------------------------------------------------------- catalogue


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
            notify(users=_users(list(ids)), title=_("Angkatan dibatalkan: %(o)s") % {"o": offering}, body=reason)
    return offering


def offering_cancel(*, offering: CourseOffering, actor: Any, reason: str = "") -> CourseOffering:
    """BKD cancels an offering (a transition like any other, with the reason told to the participants)."""
    return offering_set_status(offering=offering, status=OfferingStatus.CANCELLED, actor=actor, reason=reason)


# --------------------------------------------------------------------------- enrolment


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
        today=_today(),
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
                    users=_users([sup]),
                    title=_("Permohonan pelatihan dari %(n)s") % {"n": employee.full_name},
                    body=str(offering),
                    url=reverse("training:team"),
                )
            else:
                notify(
                    users=_users([employee.pk]),
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
    from .choices import OPEN_ENROLLMENT_STATUSES

    return sorted(OPEN_ENROLLMENT_STATUSES)


def actor_employee_id(actor: Any) -> int | None:
    return scope_for(actor).employee_id


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
            users=_users([enrollment.employee_id]),
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
            users=_users([enrollment.employee_id]),
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
                users=_users([nxt.employee_id]),
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
            users=_users([enrollment.employee_id]),
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
    completed_on = completed_on or _today()
    if completed_on > _today():
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
            enrollment=enrollment, kind=QuestionnaireKind.REACTION, role=RespondentRole.PARTICIPANT, on=_today()
        )
        notify(
            users=_users([enrollment.employee_id]),
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
        notify(users=_users([enrollment.employee_id]), title=_("Hasil pelatihan: tidak lulus"), body=reason)
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


# --------------------------------------------------------------------------- questionnaires


def _template_for(kind: str, role: str, agency_id: int) -> QuestionnaireTemplate | None:
    return (
        QuestionnaireTemplate.objects.filter(kind=kind, respondent_role=role, is_active=True)
        .filter(agency_id__in=[agency_id])
        .first()
        or QuestionnaireTemplate.objects.filter(kind=kind, respondent_role=role, is_active=True, agency=None).first()
    )


def questionnaire_issue(
    *, enrollment: Enrollment, kind: str, role: str, on: dt.date, respondent_id: int | None = None
) -> QuestionnaireResponse | None:
    """Issue a questionnaire about one enrolment to the participant or their supervisor (once)."""
    template = _template_for(kind, role, enrollment.agency_id)
    if template is None:
        return None
    respondent_id = respondent_id or enrollment.employee_id
    response, created = QuestionnaireResponse.objects.get_or_create(
        enrollment=enrollment,
        kind=kind,
        respondent_role=role,
        defaults={
            "template": template,
            "offering_id": enrollment.offering_id,
            "respondent_id": respondent_id,
            "issued_on": on,
        },
    )
    if created and role == RespondentRole.SUPERVISOR:
        notify(
            users=_users([respondent_id]),
            title=_("Evaluasi pascapelatihan bawahan Anda"),
            url=reverse("training:questionnaire-answer", args=[response.pk]),
        )
    return response


def questionnaire_answer(
    *, response: QuestionnaireResponse, answers: Mapping[str, Any], actor: Any
) -> QuestionnaireResponse:
    """Record the respondent's answers once. A supervisor's follow-up confirming application records
    competency evidence (method "penilaian atasan setelah pelatihan") for the course's competencies."""
    if actor_employee_id(actor) != response.respondent_id:
        raise ApplicationError(_("Kuesioner ini tidak ditujukan kepada Anda."), status=403)
    if response.respondent_role == RespondentRole.SUPERVISOR:
        # The supervisor's follow-up confirms the participant applied the training (competency evidence):
        # the participant never confirms it for themselves (issue #11).
        decisions.ensure_may_decide(
            actor, Enrollment.objects.values_list("employee_id", flat=True).get(pk=response.enrollment_id)
        )
    if response.answered_at is not None:
        raise ConflictError(_("Kuesioner ini sudah dijawab."))
    questions = list(response.template.questions.all())
    rows: list[Answer] = []
    errors: dict[str, str] = {}
    applied: bool | None = None
    comment = ""
    for q in questions:
        raw = answers.get(str(q.pk), answers.get(q.pk)) if isinstance(answers, Mapping) else None  # type: ignore[call-overload]
        if q.kind == QuestionKind.LIKERT:
            try:
                value = int(raw) if raw not in (None, "") else None
            except (TypeError, ValueError):
                value = 0
            problem = rules.likert_problem(value, required=q.required)
            if problem:
                errors[str(q.pk)] = problem
                continue
            if value is not None:
                rows.append(Answer(question=q, likert=value))
        elif q.kind == QuestionKind.YES_NO:
            if raw in (None, ""):
                if q.required:
                    errors[str(q.pk)] = _("Pertanyaan ini wajib dijawab.")
                continue
            yes = str(raw).lower() in ("1", "true", "ya", "yes", "on")
            rows.append(Answer(question=q, yes_no=yes))
            if q.confirms_application:
                applied = yes
        else:
            text = str(raw or "").strip()
            if not text and q.required:
                errors[str(q.pk)] = _("Pertanyaan ini wajib dijawab.")
                continue
            if text:
                rows.append(Answer(question=q, text=text[:5000]))
                comment = comment or text
    if errors:
        raise ApplicationError(_("Periksa kembali jawaban Anda."), {"fields": errors})
    with transaction.atomic():
        changed = QuestionnaireResponse.objects.filter(pk=response.pk, answered_at__isnull=True).update(
            answered_at=timezone.now(), applied=applied
        )
        if not changed:
            raise ConflictError(_("Kuesioner ini sudah dijawab."))
        for row in rows:
            row.response = response
        Answer.objects.bulk_create(rows)
        response.refresh_from_db()
        if response.respondent_role == RespondentRole.SUPERVISOR and applied:
            _record_competency_evidence(response, comment, actor)
    return response


def _record_competency_evidence(response: QuestionnaireResponse, comment: str, actor: Any) -> None:
    from competencies import services as competency_services  # lower layer: allowed

    enrollment = Enrollment.objects.select_related("offering__course", "employee").get(pk=response.enrollment_id)
    course = enrollment.offering.course
    levels = {cc.competency_id: cc.target_level for cc in course.course_competencies.all()}
    if not levels:
        return
    assessor = Employee.objects.get(pk=response.respondent_id)
    assessment = competency_services.assessment_record(
        employee=enrollment.employee,
        assessed_on=_today(),
        purpose="mapping",
        method="supervisor_after_training",
        assessor=assessor.full_name,
        levels=levels,
        evidence=_("Atasan menegaskan penerapan hasil pelatihan %(c)s. %(t)s") % {"c": course.title, "t": comment},
        actor=actor,
    )
    QuestionnaireResponse.objects.filter(pk=response.pk).update(assessment_id=assessment.pk)
    response.assessment_id = assessment.pk
