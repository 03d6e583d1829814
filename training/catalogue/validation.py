"""The rule set of a catalogue write (course or offering), whichever door it came through (page, API, import).

Each check adds to `problems` (field -> Indonesian message) in a fixed order, so the first problem named to the
user is always the same one; `refuse` raises them all at once as one 400."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from asn_portal.errors import ApplicationError
from competencies.models import Competency  # lower layer: allowed
from people.choices import PositionType
from people.models import Rank
from training import rules
from training.choices import CourseFormat, CourseMode
from training.models import Course, CourseOffering, Enrollment

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

COURSE_REQUIRED_TEXT = ("code", "title", "mode", "format", "provider")
OFFERING_REQUIRED = ("name", "start_date", "end_date", "enrol_open", "enrol_close", "capacity")
OFFERING_STRIPPED = ("location", "online_url", "trainer", "name")

Problems = dict[str, str]


def pk_of(value: Any) -> int | None:
    if value in (None, ""):
        return None
    pk = getattr(value, "pk", value)
    try:
        return int(pk)
    except (TypeError, ValueError):
        return -1  # a malformed id never matches a row: reported as "not found"


def refuse(problems: Problems) -> None:
    if problems:
        field, message = next(iter(problems.items()))
        raise ApplicationError(message, {"field": field, "fields": {k: [v] for k, v in problems.items()}})


# --- course ---------------------------------------------------------------------------------------


def _check_course_text(values: dict[str, Any], merged: dict[str, Any], creating: bool, problems: Problems) -> None:
    for f in COURSE_REQUIRED_TEXT:
        if f in values or creating:
            values[f] = merged[f] = str(values.get(f) or "").strip()
            if not values[f]:
                problems[f] = _("Wajib diisi.")


def _check_course_jp(values: dict[str, Any], merged: dict[str, Any], creating: bool, problems: Problems) -> None:
    if "jp" not in values and not creating:
        return
    if values.get("jp") in (None, ""):
        problems["jp"] = _("Wajib diisi.")
        return
    try:
        # Stored with two decimals (the column's scale) whichever door sent "32" or "32.00".
        values["jp"] = merged["jp"] = Decimal(str(values["jp"])).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        problems["jp"] = _("Nilai JP tidak valid.")
        return
    if problem := rules.jp_problem(values["jp"]):
        problems["jp"] = problem


def _check_course_mode(merged: Mapping[str, Any], problems: Problems) -> None:
    fmt, mode = merged.get("format"), merged.get("mode")
    if fmt and fmt not in CourseFormat.values:
        problems["format"] = _("Bentuk pelatihan tidak dikenal.")
    elif mode and mode not in CourseMode.values:
        problems["mode"] = _("Jalur harus klasikal atau nonklasikal.")
    elif fmt and mode and rules.mode_for_format(fmt) != mode:
        problems["mode"] = _("Jalur tidak sesuai dengan bentuk pelatihan.")


def _check_course_ranks(values: dict[str, Any], merged: dict[str, Any], problems: Problems) -> None:
    for f in ("min_rank", "max_rank"):
        if f in values:
            pk = pk_of(values[f])
            values[f] = merged[f] = Rank.objects.filter(pk=pk).first() if pk is not None else None
            if pk is not None and values[f] is None:
                problems[f] = _("Pangkat tidak ditemukan.")
    lo, hi = merged.get("min_rank"), merged.get("max_rank")
    if lo and hi and lo.order > hi.order:
        problems["max_rank"] = _("Pangkat maksimum harus di atas pangkat minimum.")


def _check_position_kinds(values: dict[str, Any], problems: Problems) -> None:
    if "eligible_position_kinds" not in values:
        return
    kinds = values["eligible_position_kinds"] or []
    if not isinstance(kinds, list | tuple) or any(k not in PositionType.values for k in kinds):
        problems["eligible_position_kinds"] = _("Jenis jabatan tidak dikenal.")
    else:
        values["eligible_position_kinds"] = list(dict.fromkeys(kinds))


def _check_course_code_free(agency_id: int, course: Course | None, code: Any, problems: Problems) -> None:
    if not code or "code" in problems:
        return
    taken = Course.objects.filter(agency_id=agency_id, code__iexact=code)
    if course is not None:
        taken = taken.exclude(pk=course.pk)
    if taken.exists():
        problems["code"] = _("Kode pelatihan %(c)s sudah dipakai di instansi ini.") % {"c": code}


def course_values(agency_id: int, course: Course | None, data: Mapping[str, Any]) -> dict[str, Any]:
    """Validate a course write (the whole rule set, whichever door it came through); field -> value."""
    values = {f: data[f] for f in COURSE_FIELDS if f in data}
    merged = {f: values.get(f, getattr(course, f, None)) for f in COURSE_FIELDS}
    problems: Problems = {}
    _check_course_text(values, merged, course is None, problems)
    _check_course_jp(values, merged, course is None, problems)
    _check_course_mode(merged, problems)
    _check_course_ranks(values, merged, problems)
    _check_position_kinds(values, problems)
    if "is_active" in values:
        values["is_active"] = bool(values["is_active"])
    _check_course_code_free(agency_id, course, merged.get("code"), problems)
    refuse(problems)
    return values


def _prerequisite_ids(agency_id: int, course: Course | None, raw: Any) -> list[int]:
    ids = {pk for pk in (pk_of(v) for v in raw or []) if pk is not None}
    found = set(Course.objects.filter(agency_id=agency_id, pk__in=ids).values_list("pk", flat=True))
    if ids - found or (course is not None and course.pk in ids):
        refuse({"prerequisites": _("Prasyarat harus pelatihan lain di instansi ini.")})
    return sorted(found)


def _target_level(level: Any) -> int:
    try:
        lvl = int(level)
    except (TypeError, ValueError):
        lvl = 0
    if not 1 <= lvl <= 5:
        refuse({"competencies": _("Level sasaran harus 1 sampai 5.")})
    return lvl


def _competency_levels(agency_id: int, raw: Any) -> dict[int, int]:
    levels = {pk_of(key) or -1: _target_level(level) for key, level in dict(raw or {}).items()}
    ok = set(
        Competency.objects.filter(Q(agency__isnull=True) | Q(agency_id=agency_id), pk__in=levels).values_list(
            "pk", flat=True
        )
    )
    if set(levels) - ok:
        refuse({"competencies": _("Kompetensi tidak ditemukan di kamus instansi ini.")})
    return levels


def course_links(agency_id: int, course: Course | None, data: Mapping[str, Any]) -> dict[str, Any]:
    """Prerequisites (courses of the same agency, never the course itself) and the competencies it
    develops ({competency id: target level 1-5}, national or the agency's own)."""
    links: dict[str, Any] = {}
    if "prerequisites" in data:
        links["prerequisites"] = _prerequisite_ids(agency_id, course, data["prerequisites"])
    if "competencies" in data:
        links["competencies"] = _competency_levels(agency_id, data["competencies"])
    return links


# --- offering -------------------------------------------------------------------------------------


def _offering_course(agency_id: int, offering: CourseOffering | None, raw: Any, problems: Problems) -> Course | None:
    pk = pk_of(raw)
    course = Course.objects.filter(agency_id=agency_id, pk=pk).first() if pk is not None else None
    if course is None:
        problems["course"] = _("Pelatihan tidak ditemukan.")
    elif offering is None or course.pk != offering.course_id:
        if not course.is_active:
            problems["course"] = _("Pelatihan ini tidak aktif.")
        elif offering is not None and Enrollment.objects.filter(offering=offering).exists():
            problems["course"] = _("Pelatihan tidak dapat diganti setelah ada pendaftar.")
    return course


def _check_offering_dates(merged: Mapping[str, Any], problems: Problems) -> None:
    found = rules.offering_dates_problems(
        enrol_open=merged["enrol_open"],
        enrol_close=merged["enrol_close"],
        start_date=merged["start_date"],
        end_date=merged["end_date"],
    )
    problems.update({k: v for k, v in found.items() if k not in problems})


def _check_capacity(offering: CourseOffering | None, cap: Any, problems: Problems) -> None:
    if cap in (None, "") or "capacity" in problems:
        return
    try:
        cap = int(cap)
    except (TypeError, ValueError):
        problems["capacity"] = _("Kuota harus berupa bilangan bulat.")
        return
    if cap < 1:
        problems["capacity"] = _("Kuota minimal 1 peserta.")
    elif offering is not None and cap < offering.seats_taken:
        problems["capacity"] = _("Kuota tidak boleh di bawah jumlah peserta terdaftar.")


def offering_values(agency_id: int, offering: CourseOffering | None, data: Mapping[str, Any]) -> dict[str, Any]:
    """Validate an offering write; field -> value. The course must be an active course of the same agency
    (a foreign id is "not found"), the dates ordered enrol_open <= enrol_close <= start_date <= end_date,
    the quota at least 1 and never below the seats already taken."""
    values = {f: data[f] for f in OFFERING_FIELDS if f in data}
    creating = offering is None
    problems: Problems = {}
    if "course" in values or creating:
        values["course"] = _offering_course(agency_id, offering, values.get("course"), problems)
    for f in OFFERING_REQUIRED:
        if (f in values or creating) and values.get(f) in (None, ""):
            problems.setdefault(f, _("Wajib diisi."))
    for f in OFFERING_STRIPPED:
        if f in values:
            values[f] = str(values[f] or "").strip()
    merged = {f: values.get(f, getattr(offering, f, None)) for f in OFFERING_FIELDS}
    _check_offering_dates(merged, problems)
    _check_capacity(offering, merged.get("capacity"), problems)
    if not merged.get("location") and not merged.get("online_url"):
        problems.setdefault("location", _("Isi tempat atau tautan daring."))
    refuse(problems)
    return values
