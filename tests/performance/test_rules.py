"""The SKP rules typed from regulations.md §1.4–1.5 (PermenPANRB 6/2022; SE MenPANRB 3/2023)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from performance import rules
from performance.choices import Expectation, PlanStatus, Predikat

# regulations.md §1.4 table: rows = Rating Hasil Kerja, columns = Rating Perilaku (below, meets, above)
MATRIX_CASES = [
    ("above", "below", "kurang"),
    ("above", "meets", "baik"),
    ("above", "above", "sangat_baik"),
    ("meets", "below", "kurang"),
    ("meets", "meets", "baik"),
    ("meets", "above", "baik"),
    ("below", "below", "sangat_kurang"),
    ("below", "meets", "butuh_perbaikan"),
    ("below", "above", "butuh_perbaikan"),
]


@pytest.mark.parametrize(("result", "behaviour", "expected"), MATRIX_CASES)
def test_predikat_matrix_cell(result: str, behaviour: str, expected: str) -> None:
    assert rules.derive_predikat(result=result, behaviour=behaviour) == expected


def test_matrix_covers_every_combination_exactly_once() -> None:
    combos = {(r, b) for r in Expectation.values for b in Expectation.values}
    assert set(rules.PREDIKAT_MATRIX) == combos
    assert {(r, b) for r, b, _ in MATRIX_CASES} == combos
    assert set(rules.PREDIKAT_MATRIX.values()) == set(Predikat.values)


def test_unknown_rating_is_refused() -> None:
    with pytest.raises(ValueError):
        rules.derive_predikat(result="great", behaviour="meets")


def test_predikat_labels_are_the_regulation_wording() -> None:
    assert [str(label) for _, label in Predikat.choices] == [
        "Sangat Baik",
        "Baik",
        "Butuh Perbaikan",
        "Kurang/Misconduct",
        "Sangat Kurang",
    ]
    assert [str(label) for _, label in Expectation.choices] == [
        "Di Atas Ekspektasi",
        "Sesuai Ekspektasi",
        "Di Bawah Ekspektasi",
    ]


@pytest.mark.parametrize(
    ("unit_rating", "expected"),
    [
        ("istimewa", "above"),
        ("baik", "meets"),
        ("butuh_perbaikan", "below"),
        ("kurang", "below"),
        ("sangat_kurang", "below"),
    ],
)
def test_unit_head_result_rating_follows_unit_rating(unit_rating: str, expected: str) -> None:
    assert rules.head_result_rating(unit_rating=unit_rating) == expected


@pytest.mark.parametrize(
    ("percent", "total", "expected"),
    [("10", 7, 1), ("60", 7, 4), ("70", 7, 5), ("10", 4, 0), ("60", 10, 6), ("0", 9, 0), ("10", 5, 1)],
)
def test_thresholds_round_half_up_for_small_units(percent: str, total: int, expected: int) -> None:
    assert rules.threshold_count(Decimal(percent), total) == expected


BAIK_RULES = [
    rules.RuleSpec(("baik",), "max", Decimal(70), "Baik maks 70%"),
    rules.RuleSpec(("butuh_perbaikan", "kurang"), "some", Decimal(0), "Harus ada BP/Kurang"),
]
KURANG_RULES = [
    rules.RuleSpec(("kurang",), "min", Decimal(60), "Kurang min 60%"),
    rules.RuleSpec(("butuh_perbaikan",), "min", Decimal(10), "BP min 10%"),
    rules.RuleSpec(("sangat_baik",), "max", Decimal(10), "SB maks 10%"),
]


@pytest.mark.parametrize(
    ("counts", "rule_set", "messages"),
    [
        ({"baik": 7, "butuh_perbaikan": 2, "sangat_baik": 1}, BAIK_RULES, []),
        ({"baik": 8, "butuh_perbaikan": 2}, BAIK_RULES, ["Baik maks 70%"]),
        ({"baik": 7, "sangat_baik": 3}, BAIK_RULES, ["Harus ada BP/Kurang"]),
        ({"kurang": 6, "butuh_perbaikan": 1, "baik": 3}, KURANG_RULES, []),
        ({"kurang": 5, "baik": 3, "sangat_baik": 2}, KURANG_RULES, ["Kurang min 60%", "BP min 10%", "SB maks 10%"]),
        ({}, KURANG_RULES, []),
    ],
)
def test_distribution_checker(counts: dict[str, int], rule_set: list[rules.RuleSpec], messages: list[str]) -> None:
    assert [w.message for w in rules.check_distribution(counts, rule_set)] == messages


@pytest.mark.parametrize(
    ("status", "roles", "expected"),
    [
        (PlanStatus.DRAFT, {"owner"}, ["submit"]),
        (PlanStatus.RETURNED, {"owner"}, ["submit"]),
        (PlanStatus.DRAFT, {"appraiser"}, []),
        (PlanStatus.SUBMITTED, {"appraiser"}, ["return", "approve"]),
        (PlanStatus.SUBMITTED, {"owner"}, []),
        (PlanStatus.APPROVED, {"appraiser"}, ["evaluate"]),
        (PlanStatus.EVALUATED, {"admin"}, ["finalise"]),
        (PlanStatus.FINAL, {"owner"}, ["object"]),
        (PlanStatus.OBJECTED, {"appraiser"}, []),
        (PlanStatus.OBJECTED, {"appraiser_superior"}, ["resolve"]),
        (PlanStatus.RESOLVED, {"owner", "appraiser", "appraiser_superior"}, []),
    ],
)
def test_allowed_transitions(status: str, roles: set[str], expected: list[str]) -> None:
    assert rules.allowed_transitions(status=status, actor_roles=roles) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("12", Decimal(12)), ("1.250,5", Decimal("1250.5")), ("99.5", Decimal("99.5")), ("dua belas", None), ("", None)],
)
def test_parse_number(value: str, expected: Decimal | None) -> None:
    assert rules.parse_number(value) == expected


@pytest.mark.parametrize(
    ("kind", "names"),
    [
        ("quarterly", ["Triwulan I", "Triwulan II", "Triwulan III", "Triwulan IV/Akhir"]),
        ("half_yearly", ["Semester I", "Semester II/Akhir"]),
    ],
)
def test_period_specs_last_period_is_annual(kind: str, names: list[str]) -> None:
    specs = rules.period_specs(kind)
    assert [s.name for s in specs] == names
    assert [s.is_annual for s in specs] == [False] * (len(names) - 1) + [True]


def test_monthly_has_twelve_periods() -> None:
    specs = rules.period_specs("monthly")
    assert len(specs) == 12 and specs[-1].end_month == 12 and specs[-1].is_annual


@pytest.mark.parametrize(("days", "window", "ok"), [(0, 14, True), (14, 14, True), (15, 14, False)])
def test_objection_window(days: int, window: int, ok: bool) -> None:
    assert rules.objection_open(finalised_days_ago=days, window_days=window) is ok


def test_unknown_rating_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="Rating tidak dikenal: 'istimewa'/'meets'"):
        rules.derive_predikat(result="istimewa", behaviour="meets")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (" 1 250,5 ", Decimal("1250.5")),  # spaces typed between thousands are ignored
        ("12", Decimal("12")),
        ("Infinity", None),
        ("NaN", None),
        ("  ", None),
        (None, None),
    ],
)
def test_parse_number_edge_cases(value: str | None, expected: Decimal | None) -> None:
    assert rules.parse_number(value) == expected


@pytest.mark.parametrize(("percent", "total", "count"), [("10", 7, 1), ("60", 7, 4), ("50", 3, 2), ("10", 4, 0)])
def test_threshold_count_rounds_half_up_to_whole_people(percent: str, total: int, count: int) -> None:
    assert rules.threshold_count(Decimal(percent), total) == count


SOME_BP = rules.RuleSpec(("butuh_perbaikan", "kurang"), "some", Decimal(0), "Harus ada BP/Kurang")
MAX_BAIK = rules.RuleSpec(("baik",), "max", Decimal(70), "Baik maks 70%")


def test_an_empty_unit_breaks_no_rule() -> None:
    assert rules.check_distribution({}, [SOME_BP, MAX_BAIK]) == []
    assert rules.check_distribution({"baik": 0}, [SOME_BP]) == []


def test_a_unit_of_one_is_still_checked() -> None:
    assert rules.check_distribution({"baik": 1}, [SOME_BP]) == [
        rules.DistributionWarning("Harus ada BP/Kurang", 0, 1, "some")
    ]


def test_one_below_standard_employee_satisfies_some_and_later_rules_still_run() -> None:
    counts = {"baik": 9, "kurang": 1}
    # 9 of 10 Baik is above 70% (7 people): the max rule after the satisfied "some" rule still warns.
    assert rules.check_distribution(counts, [SOME_BP, MAX_BAIK]) == [
        rules.DistributionWarning("Baik maks 70%", 9, 7, "max")
    ]
    assert rules.check_distribution({"baik": 10}, [SOME_BP, MAX_BAIK]) == [
        rules.DistributionWarning("Harus ada BP/Kurang", 0, 1, "some"),
        rules.DistributionWarning("Baik maks 70%", 10, 7, "max"),
    ]


def test_monthly_periods_are_named_after_the_months() -> None:
    specs = rules.period_specs("monthly")
    assert specs[0] == rules.PeriodSpec(1, "Januari", 1, 1, False)
    assert specs[1] == rules.PeriodSpec(2, "Februari", 2, 2, False)
    assert specs[-1] == rules.PeriodSpec(12, "Desember (Akhir)", 12, 12, True)


def test_quarter_and_semester_months() -> None:
    assert [(s.number, s.start_month, s.end_month) for s in rules.period_specs("quarterly")] == [
        (1, 1, 3),
        (2, 4, 6),
        (3, 7, 9),
        (4, 10, 12),
    ]
    semesters = rules.period_specs("half_yearly")
    assert [(s.number, s.start_month, s.end_month) for s in semesters] == [(1, 1, 6), (2, 7, 12)]
