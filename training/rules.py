"""Pure training rules (no ORM): the JP target, JP conversion, the enrolment state machine,
eligibility, enrolment windows, gap closing and questionnaire timing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from .choices import CLASSICAL_FORMATS, CourseFormat, CourseMode, LearningKind, OfferingStatus
from .choices import EnrollmentStatus as S

# PP 11/2017 jo. PP 17/2020 Pasal 203 ayat (4): every PNS has the right to at least 20 JP a year.
JP_TARGET = Decimal("20")
# Same source: 1 JP (jam pelajaran) = 45 minutes.
JP_MINUTES = 45
# A single learning activity above this is a typing error (PKN Tingkat II, the longest, is < 500 JP).
MAX_JP_PER_RECORD = Decimal("500")
REMINDER_AFTER_DAYS = 7
FOLLOWUP_DEFAULT_DAYS = 90
MONTHLY_REMINDER_FROM_MONTH = 7  # July: half the year gone
TWO = Decimal("0.01")

# The enrolment state machine: (from, to) pairs, one service each.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.REQUESTED: frozenset({S.APPROVED, S.DECLINED, S.CANCELLED}),
    S.APPROVED: frozenset({S.ENROLLED, S.WAITLISTED, S.CANCELLED}),
    S.WAITLISTED: frozenset({S.ENROLLED, S.CANCELLED}),
    S.ENROLLED: frozenset({S.ATTENDED, S.NO_SHOW, S.CANCELLED, S.COMPLETED, S.FAILED}),
    S.ATTENDED: frozenset({S.COMPLETED, S.FAILED}),
    S.COMPLETED: frozenset(),
    S.FAILED: frozenset(),
    S.CANCELLED: frozenset(),
    S.NO_SHOW: frozenset(),
    S.DECLINED: frozenset(),
}


# The offering (angkatan) life cycle: draft -> open <-> closed -> running -> finished; cancel any time before
# it is finished. A status is only ever changed by `offering_set_status`, never by an edit form.
OFFERING_TRANSITIONS: dict[str, frozenset[str]] = {
    OfferingStatus.DRAFT: frozenset({OfferingStatus.OPEN, OfferingStatus.CANCELLED}),
    OfferingStatus.OPEN: frozenset({OfferingStatus.CLOSED, OfferingStatus.RUNNING, OfferingStatus.CANCELLED}),
    OfferingStatus.CLOSED: frozenset({OfferingStatus.OPEN, OfferingStatus.RUNNING, OfferingStatus.CANCELLED}),
    OfferingStatus.RUNNING: frozenset({OfferingStatus.FINISHED, OfferingStatus.CANCELLED}),
    OfferingStatus.FINISHED: frozenset(),
    OfferingStatus.CANCELLED: frozenset(),
}


def offering_next_statuses(status: str) -> list[str]:
    """The statuses an offering may move to next, in life-cycle order (buttons show only these)."""
    allowed = OFFERING_TRANSITIONS.get(status, frozenset())
    return [s for s in OfferingStatus.values if s in allowed]


def offering_dates_problems(
    *, enrol_open: dt.date | None, enrol_close: dt.date | None, start_date: dt.date | None, end_date: dt.date | None
) -> dict[str, str]:
    """enrol_open <= enrol_close <= start_date <= end_date: registration closes at the latest on the day the
    training starts, and the training cannot end before it starts. Field -> message."""
    problems: dict[str, str] = {}
    if enrol_open and enrol_close and enrol_close < enrol_open:
        problems["enrol_close"] = _("Penutupan pendaftaran tidak boleh sebelum pembukaannya.")
    elif enrol_close and start_date and enrol_close > start_date:
        problems["enrol_close"] = _("Pendaftaran harus ditutup paling lambat pada hari pelatihan dimulai.")
    if start_date and end_date and end_date < start_date:
        problems["end_date"] = _("Tanggal selesai tidak boleh sebelum tanggal mulai.")
    return problems


def can_transition(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS.get(from_status, frozenset())


def sources_for(to_status: str) -> list[str]:
    """The statuses from which `to_status` may be reached (for compare-and-set updates)."""
    return sorted(f for f, tos in TRANSITIONS.items() if to_status in tos)


def jp_problem(jp: Decimal | None) -> str | None:
    """Why a JP value is refused (None when acceptable): it must be positive and believable."""
    if jp is None:
        return _("JP wajib diisi.")
    if jp <= 0:
        return _("JP harus lebih dari 0.")
    if jp > MAX_JP_PER_RECORD:
        return _("JP %(jp)s tidak wajar: satu kegiatan paling banyak %(max)s JP.") % {
            "jp": jp,
            "max": MAX_JP_PER_RECORD,
        }
    return None


def mode_for_format(fmt: str) -> str:
    """PerLAN 5/2018: the classical forms are face-to-face and curriculum-based; the rest are nonclassical."""
    return CourseMode.CLASSICAL if fmt in CLASSICAL_FORMATS else CourseMode.NONCLASSICAL


def jp_for_hours(*, fmt: str, hours: Decimal, rate_per_hour: Decimal | None, max_jp: Decimal | None) -> Decimal:
    """JP credited for `hours` of learning: classroom hours convert at 60/45 (1 JP = 45 minutes);
    nonclassical forms use the agency's configurable rate and cap (regulations.md §5: no national figure)."""
    if hours <= 0:
        return Decimal("0")
    if fmt in CLASSICAL_FORMATS or rate_per_hour is None:
        jp = hours * 60 / JP_MINUTES
    else:
        jp = hours * rate_per_hour
        if max_jp is not None:
            jp = min(jp, max_jp)
    return jp.quantize(TWO, rounding=ROUND_HALF_UP)


def jp_progress_percent(total: Decimal | None) -> int:
    """Progress toward the 20 JP target, capped at 100."""
    value = total or Decimal("0")
    return int(min(Decimal("100"), (value * 100 / JP_TARGET)).to_integral_value(rounding=ROUND_HALF_UP))


def meets_target(total: Decimal | None) -> bool:
    return (total or Decimal("0")) >= JP_TARGET


def window_problem(*, today: dt.date, enrol_open: dt.date, enrol_close: dt.date, is_open: bool) -> str | None:
    """Why enrolment is refused by the offering's window (None when inside it)."""
    if not is_open:
        return _("Pendaftaran angkatan ini tidak dibuka.")
    if today < enrol_open:
        return _("Pendaftaran baru dibuka pada %(d)s.") % {"d": enrol_open.strftime("%d-%m-%Y")}
    if today > enrol_close:
        return _("Pendaftaran sudah ditutup pada %(d)s.") % {"d": enrol_close.strftime("%d-%m-%Y")}
    return None


def eligibility_problems(
    *,
    position_kind: str | None,
    rank_order: int | None,
    allowed_kinds: Iterable[str],
    min_rank_order: int | None,
    max_rank_order: int | None,
    missing_prerequisites: Iterable[str] = (),
) -> list[str]:
    """Every reason an employee may not take a course: position type, rank range, prerequisites."""
    problems: list[str] = []
    kinds = [k for k in allowed_kinds if k]
    if kinds and position_kind not in kinds:
        problems.append(_("Jenis jabatan Anda tidak termasuk sasaran pelatihan ini."))
    if min_rank_order is not None and (rank_order is None or rank_order < min_rank_order):
        problems.append(_("Pangkat/golongan Anda di bawah syarat minimum pelatihan ini."))
    if max_rank_order is not None and rank_order is not None and rank_order > max_rank_order:
        problems.append(_("Pangkat/golongan Anda di atas batas pelatihan ini."))
    missing = list(missing_prerequisites)
    if missing:
        problems.append(_("Prasyarat belum dipenuhi: %(c)s.") % {"c": ", ".join(missing)})
    return problems


def employment_problem(*, fmt: str, employment_type: str | None) -> str | None:
    """Latsar CPNS is the basic training a CPNS must pass before appointment as PNS (regulations.md §5:
    PerLAN 1/2021 and 10/2021): only CPNS take it."""
    if fmt == CourseFormat.LATSAR and employment_type != "cpns":
        return _("Pelatihan Dasar (Latsar) hanya untuk CPNS.")
    return None


def gap_closed(*, required: int, current: int | None, target: int) -> int:
    """How many levels of a competency gap a course closes: up to the post's standard, from the
    current level (not yet assessed counts as 0)."""
    return max(0, min(target, required) - (current or 0))


def followup_due_on(completed_on: dt.date, days: int) -> dt.date:
    return completed_on + dt.timedelta(days=days)


def reminder_due(*, issued_on: dt.date, today: dt.date, answered: bool, reminded: bool) -> bool:
    return not answered and not reminded and (today - issued_on).days >= REMINDER_AFTER_DAYS


def monthly_reminder_month(month: int) -> bool:
    return month >= MONTHLY_REMINDER_FROM_MONTH


def likert_problem(value: int | None, *, required: bool) -> str | None:
    if value is None:
        return _("Pertanyaan ini wajib dijawab.") if required else None
    if not 1 <= value <= 5:
        return _("Jawaban skala harus 1 sampai 5.")
    return None


def likert_distribution(counts: Mapping[int, int]) -> list[int]:
    """Counts for 1..5 in order (missing values are 0)."""
    return [int(counts.get(i, 0)) for i in range(1, 6)]


def credit_kind(source_type: str, kind: str = "") -> str:
    """The ledger kind of a JP credit: an explicit kind wins; otherwise a course completion is a course and a
    mentoring/coaching session is mentoring (nonklasikal, PerLAN 10/2018); anything else is "other"."""
    if kind and kind != LearningKind.OTHER:
        return kind
    if source_type == "training.enrollment":
        return str(LearningKind.COURSE)
    if "mentoring" in source_type:
        return str(LearningKind.MENTORING)
    return str(LearningKind.OTHER)
