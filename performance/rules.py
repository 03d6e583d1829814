"""Pure rules of the SKP appraisal (PermenPANRB 6/2022; SE MenPANRB 3/2023). No ORM, no I/O."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext_noop

from .choices import Expectation, PlanStatus, Predikat, UnitRating

E = Expectation
P = Predikat

# PermenPANRB 6/2022, Lampiran "Kuadran Kinerja Pegawai" (regulations.md §1.4):
# key = (rating hasil kerja, rating perilaku kerja).
PREDIKAT_MATRIX: dict[tuple[str, str], str] = {
    (E.ABOVE, E.BELOW): P.KURANG,
    (E.ABOVE, E.MEETS): P.BAIK,
    (E.ABOVE, E.ABOVE): P.SANGAT_BAIK,
    (E.MEETS, E.BELOW): P.KURANG,
    (E.MEETS, E.MEETS): P.BAIK,
    (E.MEETS, E.ABOVE): P.BAIK,
    (E.BELOW, E.BELOW): P.SANGAT_KURANG,
    (E.BELOW, E.MEETS): P.BUTUH_PERBAIKAN,
    (E.BELOW, E.ABOVE): P.BUTUH_PERBAIKAN,
}

PREDIKAT_ORDER: list[str] = [P.SANGAT_BAIK, P.BAIK, P.BUTUH_PERBAIKAN, P.KURANG, P.SANGAT_KURANG]

# SE MenPANRB 3/2023 (postingnews.id): when the appraisee heads the unit, the unit's organisational
# achievement is their result rating. The unit rating has five grades, the result rating three.
UNIT_RATING_TO_RESULT: dict[str, str] = {
    UnitRating.ISTIMEWA: E.ABOVE,
    UnitRating.BAIK: E.MEETS,
    UnitRating.BUTUH_PERBAIKAN: E.BELOW,
    UnitRating.KURANG: E.BELOW,
    UnitRating.SANGAT_KURANG: E.BELOW,
}


def derive_predikat(*, result: str, behaviour: str) -> str:
    """The predikat kinerja pegawai for a result rating and a behaviour rating (3×3 matrix)."""
    try:
        return PREDIKAT_MATRIX[(E(result), E(behaviour))]
    except ValueError as exc:
        raise ValueError(f"Rating tidak dikenal: {result!r}/{behaviour!r}") from exc


def head_result_rating(*, unit_rating: str) -> str:
    """Result rating of a unit head = the unit's organisational rating (SE MenPANRB 3/2023)."""
    return UNIT_RATING_TO_RESULT[UnitRating(unit_rating)]


# Targets and realisations are stored as DECIMAL(14, 2): anything from 10^12 up cannot be kept.
MAX_RECORDED_NUMBER = Decimal(10) ** 12


def parse_number(value: object) -> Decimal | None:
    """A target or realisation as a number (accepts "1.250,5" and "1250.5"); None if not numeric."""
    if value is None:
        return None
    text = str(value).strip().replace(" ", "")
    if not text:
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def is_negative(number: Decimal | None) -> bool:
    """A target or a realisation counts or measures something done: it is never below zero."""
    return number is not None and number < 0


# --- SKP state machine (PermenPANRB 6/2022 Pasal 5 stages) -------------------------------------

SUBMIT, APPROVE, RETURN, EVALUATE, FINALISE, OBJECT, RESOLVE = (
    "submit",
    "approve",
    "return",
    "evaluate",
    "finalise",
    "object",
    "resolve",
)

# transition -> (from statuses, to status, who may take it)
TRANSITIONS: dict[str, tuple[frozenset[str], str, str]] = {
    SUBMIT: (frozenset({PlanStatus.DRAFT, PlanStatus.RETURNED}), PlanStatus.SUBMITTED, "owner"),
    RETURN: (frozenset({PlanStatus.SUBMITTED}), PlanStatus.RETURNED, "appraiser"),
    APPROVE: (frozenset({PlanStatus.SUBMITTED}), PlanStatus.APPROVED, "appraiser"),
    EVALUATE: (frozenset({PlanStatus.APPROVED}), PlanStatus.EVALUATED, "appraiser"),
    FINALISE: (frozenset({PlanStatus.EVALUATED}), PlanStatus.FINAL, "appraiser"),
    OBJECT: (frozenset({PlanStatus.FINAL}), PlanStatus.OBJECTED, "owner"),
    RESOLVE: (frozenset({PlanStatus.OBJECTED}), PlanStatus.RESOLVED, "appraiser_superior"),
}

TRANSITION_LABELS: dict[str, str] = {
    SUBMIT: gettext_noop("Ajukan"),
    RETURN: gettext_noop("Kembalikan untuk perbaikan"),
    APPROVE: gettext_noop("Setujui"),
    EVALUATE: gettext_noop("Nilai tahunan"),
    FINALISE: gettext_noop("Finalkan"),
    OBJECT: gettext_noop("Ajukan keberatan"),
    RESOLVE: gettext_noop("Putuskan keberatan"),
}


def allowed_transitions(*, status: str, actor_roles: Iterable[str]) -> list[str]:
    """Transitions an actor holding `actor_roles` (owner, appraiser, appraiser_superior, admin) may take.

    A BKD admin may do what the appraiser does (e.g. when the appraiser post is vacant)."""
    roles = set(actor_roles)
    if "admin" in roles:
        roles.add("appraiser")
    return [name for name, (sources, _to, who) in TRANSITIONS.items() if status in sources and who in roles]


# --- distribution curve (SE MenPANRB 3/2023, regulations.md §1.5) ------------------------------


@dataclass(frozen=True)
class RuleSpec:
    """One editable distribution rule: the share of `predikats` compared with `percent`."""

    predikats: tuple[str, ...]
    comparator: str  # "min" | "max" | "some"
    percent: Decimal
    message: str


@dataclass(frozen=True)
class DistributionWarning:
    message: str
    actual: int
    required: int
    comparator: str


def threshold_count(percent: Decimal, total: int) -> int:
    """Head-count for a percentage of a unit, rounded half-up (10% of 7 = 0.7 → 1; 60% of 7 = 4.2 → 4),
    so small units get a whole-person threshold instead of an impossible fraction."""
    return int((Decimal(percent) * total / Decimal(100)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def check_distribution(counts: Mapping[str, int], rules: Sequence[RuleSpec]) -> list[DistributionWarning]:
    """Warnings where the unit's predikat counts break the curve; empty if it follows it or has nobody."""
    total = sum(counts.values())
    if total == 0:
        return []
    out: list[DistributionWarning] = []
    for rule in rules:
        actual = sum(counts.get(p, 0) for p in rule.predikats)
        if rule.comparator == "some":
            if actual < 1:
                out.append(DistributionWarning(rule.message, actual, 1, rule.comparator))
            continue
        required = threshold_count(rule.percent, total)
        if rule.comparator == "min" and actual < required or rule.comparator == "max" and actual > required:
            out.append(DistributionWarning(rule.message, actual, required, rule.comparator))
    return out


# --- periods -------------------------------------------------------------------------------------

PERIOD_MONTHS: dict[str, int] = {"monthly": 1, "quarterly": 3, "half_yearly": 6}
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
MONTHS_ID = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]


@dataclass(frozen=True)
class PeriodSpec:
    number: int
    name: str
    start_month: int
    end_month: int
    is_annual: bool


def period_specs(kind: str) -> list[PeriodSpec]:
    """The periods of a year for a frequency; the last doubles as the annual one ("IV/Akhir", §1.3)."""
    months = PERIOD_MONTHS[kind]
    count = 12 // months
    specs = []
    for i in range(count):
        last = i == count - 1
        if kind == "monthly":
            name = MONTHS_ID[i] + (" (Akhir)" if last else "")
        elif kind == "quarterly":
            name = f"Triwulan {ROMAN[i]}" + ("/Akhir" if last else "")
        else:
            name = f"Semester {ROMAN[i]}" + ("/Akhir" if last else "")
        specs.append(PeriodSpec(i + 1, name, i * months + 1, (i + 1) * months, last))
    return specs


def objection_open(*, finalised_days_ago: int, window_days: int) -> bool:
    """An objection may be lodged within the agency's window after finalisation."""
    return 0 <= finalised_days_ago <= window_days


@dataclass(frozen=True)
class AnnualRatingGate:
    """Whether the annual (final) rating of an SKP may be recorded yet, and what still holds it back."""

    opens_on: dt.date
    too_early: bool
    indicators: int
    missing_realisation: int

    @property
    def is_open(self) -> bool:
        return not self.too_early and self.indicators > 0 and self.missing_realisation == 0


def annual_rating_gate(
    *, today: dt.date, period_end: dt.date, indicators: int, indicators_realised: int
) -> AnnualRatingGate:
    """The annual evaluation rates the whole year against its realisation (PermenPANRB 6/2022 Pasal 5:
    "evaluasi kinerja ... tahunan"; regulations.md §1.1, §1.3: the last period "IV/Akhir" is the annual one).
    It opens the day after the annual period ends, once every indicator (IKI) has its realisation for that
    period; before then there is no year to rate."""
    opens_on = period_end + dt.timedelta(days=1)
    realised = max(0, min(indicators_realised, indicators))
    return AnnualRatingGate(
        opens_on=opens_on,
        too_early=today < opens_on,
        indicators=indicators,
        missing_realisation=indicators - realised,
    )
