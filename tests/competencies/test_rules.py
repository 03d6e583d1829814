"""JPM and its categories, typed from regulations.md §2.4 (Perban BKN 26/2019 report format)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from competencies import rules
from competencies.choices import JpmCategory


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("100", JpmCategory.MS),
        ("80", JpmCategory.MS),
        ("79.9", JpmCategory.MMS),
        ("79.99", JpmCategory.MMS),
        ("68", JpmCategory.MMS),
        ("67.9", JpmCategory.KMS),
        ("67.99", JpmCategory.KMS),
        ("0", JpmCategory.KMS),
    ],
)
def test_filling_scale_boundaries(value: str, expected: JpmCategory) -> None:
    assert rules.jpm_category(Decimal(value), "filling") == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("100", JpmCategory.OPTIMAL),
        ("90", JpmCategory.OPTIMAL),
        ("89.9", JpmCategory.CUKUP_OPTIMAL),
        ("78", JpmCategory.CUKUP_OPTIMAL),
        ("77.9", JpmCategory.KURANG_OPTIMAL),
        ("0", JpmCategory.KURANG_OPTIMAL),
    ],
)
def test_mapping_scale_boundaries(value: str, expected: JpmCategory) -> None:
    assert rules.jpm_category(Decimal(value), "mapping") == expected


def test_no_standard_has_no_category() -> None:
    assert rules.jpm_category(None) is None


@pytest.mark.parametrize(
    ("required", "current", "expected"),
    [
        # 9 competencies at standard 3, all met: 27/27.
        (dict.fromkeys(range(9), 3), dict.fromkeys(range(9), 3), Decimal("100.00")),
        # Sum-ratio, not mean of ratios: standards 1 and 4, achieved 1 and 2 → 3/5 = 60 (mean of ratios = 75).
        ({1: 1, 2: 4}, {1: 1, 2: 2}, Decimal("60.00")),
        # Above standard does not exceed 100 (cap).
        ({1: 2, 2: 2}, {1: 5, 2: 5}, Decimal("100.00")),
        # Never assessed counts as 0.
        ({1: 3, 2: 3}, {1: 3}, Decimal("50.00")),
        ({1: 3, 2: 3}, {}, Decimal("0.00")),
        # 17/25 = 68.00 exactly: the MMS lower boundary.
        (dict.fromkeys(range(5), 5), {0: 5, 1: 5, 2: 4, 3: 2, 4: 1}, Decimal("68.00")),
        # 2/3 = 66.666… rounds half up to 66.67.
        ({1: 3}, {1: 2}, Decimal("66.67")),
        # Competencies not in the standard are ignored.
        ({1: 2}, {1: 2, 99: 5}, Decimal("100.00")),
    ],
)
def test_jpm_is_capped_sum_ratio(required: dict[int, int], current: dict[int, int], expected: Decimal) -> None:
    assert rules.jpm(required, current) == expected


def test_jpm_without_standard_is_none() -> None:
    assert rules.jpm({}, {1: 3}) is None


def test_mean_of_ratios_differs_from_official_sum_ratio() -> None:
    required, current = {1: 1, 2: 4}, {1: 1, 2: 2}
    mean_of_ratios = sum(Decimal(current[c]) / required[c] for c in required) / len(required) * 100
    assert mean_of_ratios == Decimal(75)
    assert rules.jpm(required, current) != mean_of_ratios


@pytest.mark.parametrize(("required", "current", "gap"), [(3, None, 3), (3, 1, 2), (3, 3, 0), (3, 5, 0)])
def test_gap_counts_unassessed_as_zero(required: int, current: int | None, gap: int) -> None:
    assert rules.gap(required, current) == gap


def test_gap_index_sums_shortfall_ratios() -> None:
    # IKK = (1 − 2/4) + (1 − 0/2) = 1.5
    assert rules.gap_index({1: 4, 2: 2, 3: 1}, {1: 2, 3: 5}) == Decimal("1.50")


@pytest.mark.parametrize(("level", "ok"), [(0, False), (1, True), (5, True), (6, False), ("3", False), (True, False)])
def test_valid_level(level: object, ok: bool) -> None:
    assert rules.valid_level(level) is ok


def test_mapping_is_the_default_scale_and_floats_are_read_exactly() -> None:
    assert rules.jpm_category(Decimal("85")) == JpmCategory.CUKUP_OPTIMAL  # filling would say MS
    assert rules.jpm_category(79.99, "filling") == JpmCategory.MMS
    assert rules.jpm_category(90.0) == JpmCategory.OPTIMAL


def test_a_value_below_every_band_falls_in_the_lowest_category() -> None:
    assert rules.jpm_category(Decimal("-1"), "filling") == JpmCategory.KMS
    assert rules.jpm_category(Decimal("-1")) == JpmCategory.KURANG_OPTIMAL


@pytest.mark.parametrize(
    ("achieved", "required", "expected"),
    [
        (0, 0, None),
        (5, -1, None),
        (1, 1, Decimal("100.00")),
        (3, 2, Decimal("100.00")),  # capped
        (1, 32, Decimal("3.13")),  # 3.125 rounds half up (half-even would give 3.12)
        (0, 5, Decimal("0.00")),
    ],
)
def test_jpm_from_sums(achieved: int, required: int, expected: Decimal | None) -> None:
    assert rules.jpm_from_sums(achieved, required) == expected


@pytest.mark.parametrize(
    ("required", "current", "expected"),
    [
        ({1: 3}, {1: 3}, Decimal("0.00")),  # met: no gap
        ({1: 3}, {1: 4}, Decimal("0.00")),  # exceeded: no negative gap
        ({1: 3}, {}, Decimal("1.00")),  # never assessed: the whole standard
        ({1: 3, 2: 3}, {1: 1, 2: 2}, Decimal("1.00")),  # 2/3 + 1/3
        ({1: 3}, {1: 2}, Decimal("0.33")),
        ({1: 0, 2: 2}, {2: 1}, Decimal("0.50")),  # a zero standard is skipped, not divided by
    ],
)
def test_gap_index_values(required: dict[int, int], current: dict[int, int], expected: Decimal) -> None:
    assert rules.gap_index(required, current) == expected


def test_levels_sum_counts_missing_levels_as_zero() -> None:
    assert rules.levels_sum([1, None, 3, 0]) == 4
    assert rules.levels_sum([]) == 0


def test_jpm_coverage_leaves_the_unassessed_out_of_the_average() -> None:
    cov = rules.jpm_coverage([(Decimal("80"), 3), (Decimal("61"), 1), (None, 0), (Decimal("0"), 0)])
    assert (cov.average, cov.assessed, cov.total) == (Decimal("70.50"), 2, 4)
    nobody = rules.jpm_coverage([(None, 0), (None, 2)])
    assert (nobody.average, nobody.assessed, nobody.total) == (None, 0, 2)
    assert rules.jpm_coverage([]).total == 0
    third = rules.jpm_coverage([(Decimal("1"), 1), (Decimal("1"), 1), (Decimal("2"), 1)])
    assert third.average == Decimal("1.33")  # rounded to cents
