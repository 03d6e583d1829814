"""Job-person match (JPM) and its categories: pure functions, no ORM (regulations.md §2.4).

JPM (%) = Σ achieved levels / Σ required levels × 100 over the post's required competencies, capped at
100 (Perban BKN 26/2019 report format; the sum-ratio, not the mean of per-competency ratios). A competency
never assessed counts as level 0 ("belum diases")."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .choices import AssessmentPurpose, JpmCategory

HUNDRED = Decimal(100)
CENT = Decimal("0.01")

# (lower bound inclusive, category), highest first. Regulations.md §2.4 table.
FILLING_BANDS: tuple[tuple[Decimal, JpmCategory], ...] = (
    (Decimal(80), JpmCategory.MS),
    (Decimal(68), JpmCategory.MMS),
    (Decimal(0), JpmCategory.KMS),
)
MAPPING_BANDS: tuple[tuple[Decimal, JpmCategory], ...] = (
    (Decimal(90), JpmCategory.OPTIMAL),
    (Decimal(78), JpmCategory.CUKUP_OPTIMAL),
    (Decimal(0), JpmCategory.KURANG_OPTIMAL),
)

# Bootstrap colour per category, for badges.
CATEGORY_COLOURS: dict[str, str] = {
    JpmCategory.MS: "success",
    JpmCategory.OPTIMAL: "success",
    JpmCategory.MMS: "warning",
    JpmCategory.CUKUP_OPTIMAL: "warning",
    JpmCategory.KMS: "danger",
    JpmCategory.KURANG_OPTIMAL: "danger",
}


def jpm_from_sums(achieved_sum: int, required_sum: int) -> Decimal | None:
    """The JPM percentage from the two sums, rounded to 2 decimals, capped at 100; None without a standard."""
    if required_sum <= 0:
        return None
    value = (Decimal(achieved_sum) * HUNDRED / Decimal(required_sum)).quantize(CENT, rounding=ROUND_HALF_UP)
    return min(value, HUNDRED.quantize(CENT))


def jpm(required: Mapping[int, int], current: Mapping[int, int | None]) -> Decimal | None:
    """JPM of a person against a standard: `required` maps competency → required level, `current`
    competency → achieved level (missing or None = never assessed = 0). Only required competencies count;
    an achieved level above the standard still adds its full level before the cap (as in the BKN format)."""
    required_sum = sum(level for level in required.values() if level)
    achieved_sum = sum((current.get(cid) or 0) for cid in required)
    return jpm_from_sums(achieved_sum, required_sum)


def jpm_category(value: Decimal | float | None, purpose: str = AssessmentPurpose.MAPPING) -> JpmCategory | None:
    """The category of a JPM value on the scale of the purpose: MS/MMS/KMS (≥80, ≥68) for filling a post,
    Optimal/Cukup Optimal/Kurang Optimal (≥90, ≥78) for competency mapping."""
    if value is None:
        return None
    v = Decimal(str(value))
    bands = FILLING_BANDS if purpose == AssessmentPurpose.FILLING else MAPPING_BANDS
    for lower, category in bands:
        if v >= lower:
            return category
    return bands[-1][1]


def gap(required_level: int, current_level: int | None) -> int:
    """Levels missing to reach the standard (0 when met or exceeded; unassessed counts as 0)."""
    return max(required_level - (current_level or 0), 0)


def gap_index(required: Mapping[int, int], current: Mapping[int, int | None]) -> Decimal:
    """IKK (indeks kesenjangan kompetensi) = Σ(1 − nilai/standar) over competencies with a gap (§2.4)."""
    total = Decimal(0)
    for cid, level in required.items():
        achieved = current.get(cid) or 0
        if level and achieved < level:
            total += Decimal(1) - Decimal(achieved) / Decimal(level)
    return total.quantize(CENT, rounding=ROUND_HALF_UP)


def valid_level(level: object) -> bool:
    """A competency level is an integer 1–5."""
    return isinstance(level, int) and not isinstance(level, bool) and 1 <= level <= 5


def levels_sum(levels: Iterable[int | None]) -> int:
    return sum(level or 0 for level in levels)


@dataclass(frozen=True)
class JpmCoverage:
    """A group's JPM over the people actually assessed, and how many of the group that is."""

    average: Decimal | None
    assessed: int
    total: int


def jpm_coverage(rows: Iterable[tuple[Decimal | None, int]]) -> JpmCoverage:
    """Average JPM of a team over (jpm, number of competencies assessed) pairs. Someone never assessed has no
    JPM ("belum diases"), not 0%: they are left out of the average and counted only in the coverage
    (assessed / total), so a team is not dragged down by people the assessment centre has not reached
    (Perban BKN 26/2019: JPM compares *assessment results* with the standard; regulations.md §2.4)."""
    total = 0
    values: list[Decimal] = []
    for value, assessed_count in rows:
        total += 1
        if value is not None and assessed_count > 0:
            values.append(Decimal(value))
    average = (sum(values, Decimal(0)) / len(values)).quantize(CENT) if values else None
    return JpmCoverage(average=average, assessed=len(values), total=total)
