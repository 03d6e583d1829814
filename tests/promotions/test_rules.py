"""KP eligibility rules, case by case from regulations.md §4.3–4.5 and §1.7 (pure, no database)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from people.ranks import PNS
from promotions import rules
from promotions.data import CREDIT_THRESHOLDS, EDUCATION_CAPS
from promotions.vacancies import rules as merit_rules

D = dt.date
TABLES = rules.Tables(
    rank_codes={i: code for i, (code, _) in enumerate(PNS, start=1)},
    education_caps={edu: cap for edu, (_, cap) in EDUCATION_CAPS.items()},
    credit_thresholds={(c, r): Decimal(p) for c, t in CREDIT_THRESHOLDS.items() for r, p in t.items()},
)
ORDER = {code: i for i, (code, _) in enumerate(PNS, start=1)}


def facts(**kw: object) -> rules.RankFacts:
    base: dict[str, object] = {
        "employee_id": 1,
        "rank_order": ORDER["III/b"],
        "rank_code": "III/b",
        "rank_start": D(2021, 4, 1),
        "education_level": "s1",
        "position_kind": "pelaksana",
        "supervisor_rank_order": ORDER["IV/a"],
        "predikat": {2023: "baik", 2024: "baik", 2025: "baik"},
    }
    base.update(kw)
    return rules.RankFacts(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("start", "as_of", "years", "passed"),
    [
        (D(2021, 4, 1), D(2025, 4, 1), 4, True),  # exactly 4 years on the period date
        (D(2021, 4, 1), D(2025, 2, 1), 4, False),  # two months short
        (D(2023, 10, 1), D(2025, 10, 1), 2, True),  # JF: 2 years (PP 99/2000 Pasal 13)
        (D(2023, 10, 1), D(2025, 8, 1), 2, False),
        (None, D(2025, 8, 1), 4, False),  # no TMT recorded
    ],
)
def test_years_in_current_rank(start: dt.date | None, as_of: dt.date, years: int, passed: bool) -> None:
    result = rules.rule_years_in_rank(start, as_of, years)
    assert result.passed is passed
    if not passed:
        assert result.reason


def test_years_in_rank_failure_says_when_it_resolves() -> None:
    result = rules.rule_years_in_rank(D(2021, 4, 1), D(2025, 2, 1), 4)
    assert result.resolves_on == D(2025, 4, 1)
    assert "01-04-2025" in result.reason


@pytest.mark.parametrize(
    ("history", "passed"),
    [
        ({2023: "baik", 2024: "baik"}, True),
        ({2023: "sangat_baik", 2024: "baik"}, True),
        ({2023: "baik", 2024: "butuh_perbaikan"}, False),
        ({2023: "kurang", 2024: "sangat_baik"}, False),
        ({2024: "baik"}, False),  # 2023 missing
        ({}, False),
    ],
)
def test_predikat_at_least_baik_in_each_of_last_two_years(history: dict[int, str], passed: bool) -> None:
    assert rules.rule_predikat_last_two_years(history, D(2025, 4, 1)).passed is passed


def test_predikat_reason_names_the_year_and_grade() -> None:
    result = rules.rule_predikat_last_two_years({2023: "baik", 2024: "butuh_perbaikan"}, D(2025, 4, 1))
    assert "2024: Butuh Perbaikan" in result.reason


# Kepka BKN 12/2002 (regulations.md §4.3): the highest rank KP Reguler reaches for each diploma.
@pytest.mark.parametrize(
    ("education", "max_code"),
    [
        ("sd", "II/a"),
        ("sltp", "II/c"),
        ("sltp_kejuruan", "II/d"),
        ("slta", "III/b"),
        ("d1", "III/b"),
        ("d2", "III/b"),
        ("sgplb", "III/c"),
        ("d3", "III/c"),
        ("s1", "III/d"),
        ("d4", "III/d"),
        ("s2", "IV/a"),
        ("profesi", "IV/a"),
        ("s3", "IV/b"),
    ],
)
def test_education_cap(education: str, max_code: str) -> None:
    assert rules.rule_education_cap(education, ORDER[max_code], TABLES).passed
    above = rules.rule_education_cap(education, ORDER[max_code] + 1, TABLES)
    assert not above.passed
    assert max_code in above.reason


@pytest.mark.parametrize(
    ("target", "superior", "passed"),
    [("III/c", "III/c", True), ("III/d", "III/c", False), ("III/c", "IV/a", True), ("III/c", None, True)],
)
def test_not_above_direct_superiors_rank(target: str, superior: str | None, passed: bool) -> None:
    sup = ORDER[superior] if superior else None
    assert rules.rule_superior_rank(ORDER[target], sup, TABLES).passed is passed


@pytest.mark.parametrize(
    ("rank_code", "exams", "passed"),
    [
        ("II/d", set(), False),  # II → III needs Ujian Dinas Tingkat I
        ("II/d", {"tingkat_i"}, True),
        ("III/d", {"tingkat_i"}, False),  # III → IV needs Tingkat II
        ("III/d", {"tingkat_ii"}, True),
        ("III/a", set(), True),  # inside a golongan: no exam
        ("II/c", set(), True),
    ],
)
def test_civil_service_exam_to_cross_a_golongan(rank_code: str, exams: set[str], passed: bool) -> None:
    assert rules.rule_civil_service_exam(rank_code, exams).passed is passed


@pytest.mark.parametrize(
    ("start", "end", "passed", "resolves"),
    [
        (D(2024, 6, 1), D(2025, 5, 31), False, D(2025, 6, 1)),  # in force on 1 Apr 2025
        (D(2023, 1, 1), D(2024, 1, 1), True, None),  # ended
        (D(2024, 6, 1), None, False, None),  # open-ended
        (D(2025, 5, 1), D(2025, 12, 1), True, None),  # starts after the period date
    ],
)
def test_no_disciplinary_sanction_in_force(
    start: dt.date, end: dt.date | None, passed: bool, resolves: dt.date | None
) -> None:
    result = rules.rule_no_sanction([rules.Sanction(start, end)], D(2025, 4, 1))
    assert result.passed is passed
    assert result.resolves_on == resolves


# Perban BKN 3/2023 worked examples (regulations.md §1.7).
@pytest.mark.parametrize(
    ("predikat", "since", "as_of", "level", "expected"),
    [
        ({2024: "sangat_baik"}, D(2024, 1, 1), D(2025, 2, 1), "ahli_pertama", "18.75"),  # 150% × 12,5
        ({2024: "baik"}, D(2024, 11, 1), D(2025, 2, 1), "ahli_pertama", "2.08"),  # 2/12 × 100% × 12,5
        ({2024: "baik"}, D(2024, 1, 1), D(2025, 2, 1), "ahli_madya", "37.50"),  # Guru Madya, Baik
        ({2023: "baik", 2024: "butuh_perbaikan"}, D(2023, 1, 1), D(2025, 2, 1), "ahli_muda", "43.75"),
        ({2024: "kurang"}, D(2024, 1, 1), D(2025, 2, 1), "terampil", "2.50"),  # 50% × 5
        ({2025: "baik"}, D(2024, 1, 1), D(2025, 2, 1), "ahli_pertama", "0.00"),  # the running year does not count
    ],
)
def test_credit_points_from_converted_predikat(
    predikat: dict[int, str], since: dt.date, as_of: dt.date, level: str, expected: str
) -> None:
    assert rules.credit_points(predikat, since, as_of, level) == Decimal(expected)


@pytest.mark.parametrize(
    ("points", "required", "passed"),
    [(Decimal("50"), Decimal("50"), True), (Decimal("49.99"), Decimal("50"), False), (Decimal("10"), None, False)],
)
def test_credit_points_threshold(points: Decimal, required: Decimal | None, passed: bool) -> None:
    assert rules.rule_credit_points(points, required, "III/a").passed is passed


def test_ak_thresholds_seeded_from_regulation() -> None:
    # Keahlian: Ahli Pertama 50, Ahli Muda 100, Ahli Madya 150, Ahli Utama 200 per pangkat.
    assert TABLES.credit_thresholds[("keahlian", "III/a")] == 50
    assert TABLES.credit_thresholds[("keahlian", "III/c")] == 100
    assert TABLES.credit_thresholds[("keahlian", "IV/a")] == 150
    assert TABLES.credit_thresholds[("keahlian", "IV/d")] == 200


def test_period_dates_are_the_six_dates_of_perban_bkn_4_2023() -> None:
    assert rules.period_dates_from(D(2026, 1, 1), 6) == [D(2026, m, 1) for m in (2, 4, 6, 8, 10, 12)]
    assert rules.period_dates_from(D(2026, 11, 23), 2) == [D(2026, 12, 1), D(2027, 2, 1)]
    assert rules.first_period_on_or_after(D(2026, 4, 1)) == D(2026, 4, 1)


def test_regular_employee_meeting_every_rule_is_eligible() -> None:
    ev = rules.evaluate(facts(), D(2025, 4, 1), TABLES)
    assert ev.kind == "reguler"
    assert ev.eligible
    assert ev.target_order == ORDER["III/c"]


def test_each_failing_rule_is_listed_with_its_reason() -> None:
    f = facts(
        rank_start=D(2023, 4, 1),
        predikat={2023: "baik", 2024: "kurang"},
        sanctions=(rules.Sanction(D(2025, 1, 1), D(2025, 12, 31)),),
    )
    codes = {r.code for r in rules.evaluate(f, D(2025, 4, 1), TABLES).failing}
    assert codes == {"years_in_rank", "predikat", "sanction"}


def test_functional_official_needs_two_years_and_credit_points() -> None:
    f = facts(
        position_kind="fungsional_keahlian",
        functional_level="ahli_pertama",
        rank_code="III/a",
        rank_order=ORDER["III/a"],
        rank_start=D(2022, 1, 1),
        predikat={2022: "sangat_baik", 2023: "baik", 2024: "baik"},
    )
    ev = rules.evaluate(f, D(2025, 4, 1), TABLES)
    assert ev.kind == "fungsional"
    # 18,75 + 12,5 + 12,5 = 43,75 < 50 for III/a → III/b
    assert ev.credit_points == Decimal("43.75")
    assert [r.code for r in ev.failing] == ["credit_points"]
    ev_later = rules.evaluate(
        f, D(2026, 2, 1), rules.Tables(TABLES.rank_codes, TABLES.education_caps, TABLES.credit_thresholds)
    )
    assert not ev_later.eligible  # 2025 predikat unknown: still 43,75


def test_education_cap_does_not_apply_to_functional_promotion() -> None:
    f = facts(position_kind="fungsional_keahlian", functional_level="ahli_muda", rank_code="III/d",
              rank_order=ORDER["III/d"], exams=frozenset({"tingkat_ii"}), rank_start=D(2020, 1, 1),
              predikat=dict.fromkeys(range(2020, 2025), "baik"))  # fmt: skip
    assert "education_cap" not in {r.code for r in rules.evaluate(f, D(2025, 4, 1), TABLES).results}


def test_top_rank_has_no_target() -> None:
    ev = rules.evaluate(facts(rank_order=17, rank_code="IV/e"), D(2025, 4, 1), TABLES)
    assert ev.target_order is None and not ev.eligible


def test_next_eligible_period_is_the_first_period_after_four_years() -> None:
    f = facts(rank_start=D(2023, 4, 1), predikat={2023: "baik", 2024: "baik"})
    # 4 years on 1 Apr 2027; predikat of 2025 and 2026 projected from the latest known (baik).
    assert rules.next_eligible_period(f, D(2025, 4, 1), TABLES) == D(2027, 4, 1)


def test_next_eligible_period_after_a_sanction_ends() -> None:
    f = facts(sanctions=(rules.Sanction(D(2025, 1, 1), D(2025, 6, 30)),))
    assert rules.next_eligible_period(f, D(2025, 4, 1), TABLES) == D(2025, 8, 1)


@pytest.mark.parametrize(
    "blocker",
    [
        {"education_level": "slta", "rank_order": ORDER["III/b"], "rank_code": "III/b"},  # capped at III/b
        {"supervisor_rank_order": ORDER["III/b"]},
        {"rank_order": ORDER["II/d"], "rank_code": "II/d", "education_level": "s1"},  # no ujian dinas
        {"sanctions": (rules.Sanction(D(2025, 1, 1), None),)},
    ],
)
def test_no_next_date_when_time_alone_does_not_help(blocker: dict[str, object]) -> None:
    assert rules.next_eligible_period(facts(**blocker), D(2025, 4, 1), TABLES) is None


def cand(pk: int, **kw: object) -> merit_rules.CandidateFacts:
    base: dict[str, object] = {
        "employee_id": pk,
        "name": f"C{pk}",
        "education_level": "s1",
        "position_kind": "pelaksana",
        "functional_level": "",
        "position_start": D(2018, 1, 1),
        "rank_order": ORDER["III/b"],
        "rank_start": D(2020, 4, 1),
        "birth_date": D(1985, 1, 1),
        "cpns_date": D(2010, 1, 1),
        "predikat": {2024: "baik", 2025: "baik"},
    }
    base.update(kw)
    return merit_rules.CandidateFacts(**base)  # type: ignore[arg-type]


# ---------------------------------------------------------------- exact reasons (queue, outlook and API show them)


def test_reasons_of_each_rule_verbatim() -> None:
    assert rules.rule_not_top_rank(17) == ("top_rank", False, "Sudah berada pada pangkat tertinggi (IV/e).", None)
    assert rules.rule_not_top_rank(16) == ("top_rank", True, "", None)
    assert rules.rule_not_top_rank(12, top_order=12).passed is False
    assert rules.rule_years_in_rank(None, D(2025, 4, 1), 4) == (
        "years_in_rank",
        False,
        "TMT pangkat terakhir belum tercatat.",
        None,
    )
    assert rules.rule_years_in_rank(D(2021, 4, 1), D(2025, 4, 1), 4) == ("years_in_rank", True, "", None)
    assert rules.rule_predikat_last_two_years({2023: "baik", 2024: "sangat_baik"}, D(2025, 4, 1)) == (
        "predikat",
        True,
        "",
        None,
    )
    assert rules.rule_predikat_last_two_years({2024: "kurang"}, D(2025, 4, 1)).reason == (
        "Predikat kinerja 2023 dan 2024 harus minimal Baik (2023: belum ada predikat; 2024: Kurang/Misconduct)."
    )
    assert rules.rule_education_cap("slta", ORDER["III/c"], TABLES) == (
        "education_cap",
        False,
        "Pangkat maksimal KP reguler untuk ijazah ini adalah III/b; perlu penyesuaian ijazah.",
        None,
    )
    assert rules.rule_education_cap("slta", ORDER["III/b"], TABLES) == ("education_cap", True, "", None)
    assert rules.rule_education_cap("unknown", ORDER["IV/e"], TABLES).passed
    assert rules.rule_superior_rank(ORDER["III/d"], ORDER["III/c"], TABLES) == (
        "superior_rank",
        False,
        "Pangkat tujuan melebihi pangkat atasan langsung (III/c).",
        None,
    )
    assert rules.rule_superior_rank(ORDER["III/c"], ORDER["III/c"], TABLES) == ("superior_rank", True, "", None)
    assert rules.rule_superior_rank(ORDER["III/c"], None, TABLES).passed
    assert rules.rule_superior_rank(5, 99, TABLES).passed
    assert rules.rule_superior_rank(6, 5, rules.Tables({}, {}, {})).reason.endswith("atasan langsung (?).")
    assert rules.rule_civil_service_exam("II/d", set()) == (
        "civil_service_exam",
        False,
        "Belum lulus Ujian Dinas Tingkat I (STLUD).",
        None,
    )
    assert rules.rule_civil_service_exam("III/d", {"tingkat_i"}).reason == "Belum lulus Ujian Dinas Tingkat II (STLUD)."
    assert rules.rule_civil_service_exam("III/d", ["tingkat_ii"]) == ("civil_service_exam", True, "", None)
    assert rules.rule_credit_points(Decimal("10"), None, "III/b") == (
        "credit_points",
        False,
        "Kebutuhan AK untuk golongan III/b belum diatur.",
        None,
    )
    assert rules.rule_credit_points(Decimal("49.5"), Decimal("50"), "III/b").reason == (
        "Angka kredit kumulatif 49,50 dari 50,00 yang dibutuhkan untuk kenaikan pangkat."
    )
    assert rules.rule_credit_points(Decimal("50"), Decimal("50"), "III/b") == ("credit_points", True, "", None)
    assert rules.RuleResult("x", False, "Alasan").as_dict() == {"code": "x", "reason": "Alasan"}


@pytest.mark.parametrize(
    ("sanctions", "reason", "resolves_on"),
    [
        (
            [rules.Sanction(D(2025, 1, 1), D(2025, 6, 30))],
            "Sedang menjalani hukuman disiplin (sampai 30-06-2025).",
            D(2025, 7, 1),
        ),
        (
            [rules.Sanction(D(2025, 1, 1), D(2025, 6, 30)), rules.Sanction(D(2025, 2, 1), D(2025, 9, 30))],
            "Sedang menjalani hukuman disiplin (sampai 30-09-2025).",
            D(2025, 10, 1),
        ),
        (
            [rules.Sanction(D(2025, 1, 1), D(2025, 6, 30)), rules.Sanction(D(2025, 2, 1), None)],
            "Sedang menjalani hukuman disiplin (tanpa tanggal akhir).",
            None,
        ),
        (
            [rules.Sanction(D(2025, 4, 1), D(2025, 4, 1))],
            "Sedang menjalani hukuman disiplin (sampai 01-04-2025).",
            D(2025, 4, 2),
        ),
        ([rules.Sanction(D(2025, 4, 2), None)], "", None),  # starts after the period date
        ([rules.Sanction(D(2024, 1, 1), D(2025, 3, 31))], "", None),  # ended the day before
    ],
)
def test_sanction_reason_and_when_it_resolves(
    sanctions: list[rules.Sanction], reason: str, resolves_on: dt.date | None
) -> None:
    result = rules.rule_no_sanction(sanctions, D(2025, 4, 1))
    assert (result.passed, result.reason, result.resolves_on) == (not reason, reason, resolves_on)


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("fungsional_keahlian", "fungsional"),
        ("fungsional_keterampilan", "fungsional"),
        ("pengawas", "struktural"),
        ("jpt_pratama", "struktural"),
        ("pelaksana", "reguler"),
    ],
)
def test_promotion_kind(kind: str, expected: str) -> None:
    assert rules.promotion_kind(kind) == expected


def test_add_years_on_29_february_falls_back_to_28() -> None:
    assert rules.add_years(D(2020, 2, 29), 4) == D(2024, 2, 29)
    assert rules.add_years(D(2020, 2, 29), 1) == D(2021, 2, 28)
    assert rules.add_years(D(2021, 4, 1), 4) == D(2025, 4, 1)


def test_period_dates() -> None:
    assert rules.first_period_on_or_after(D(2025, 4, 1)) == D(2025, 4, 1)
    assert rules.first_period_on_or_after(D(2025, 12, 2)) == D(2026, 2, 1)
    assert rules.period_dates_from(D(2025, 11, 15), 3) == [D(2025, 12, 1), D(2026, 2, 1), D(2026, 4, 1)]
    assert rules.fmt(D(2025, 4, 1)) == "01-04-2025"


@pytest.mark.parametrize(
    ("level", "since", "predikat", "expected"),
    [
        # ahli pertama 12.5/yr: from April 2023 (9 months) Baik, 2024 Sangat Baik: 9.375 + 18.75 = 28.13
        ("ahli_pertama", D(2023, 4, 1), {2023: "baik", 2024: "sangat_baik"}, "28.13"),
        ("terampil", D(2023, 1, 1), {2023: "butuh_perbaikan", 2024: "sangat_kurang"}, "5.00"),  # 3.75 + 1.25
        ("ahli_muda", D(2023, 1, 1), {2024: "kurang", 2025: "baik"}, "12.50"),  # 2025 is not complete yet
        ("", D(2023, 1, 1), {2024: "baik"}, "0"),  # no jenjang, no coefficient
    ],
)
def test_credit_points_exact(level: str, since: dt.date, predikat: dict[int, str], expected: str) -> None:
    assert str(rules.credit_points(predikat, since, D(2025, 4, 1), level)) == expected


def test_skill_jenjang_uses_the_keterampilan_thresholds() -> None:
    f = facts(
        position_kind="fungsional_keterampilan",
        functional_level="terampil",
        rank_code="II/c",
        rank_order=ORDER["II/c"],
        rank_start=D(2020, 1, 1),
        predikat=dict.fromkeys(range(2020, 2026), "sangat_baik"),
    )
    ev = rules.evaluate(f, D(2026, 4, 1), TABLES)
    credit = next(r for r in ev.results if r.code == "credit_points")
    required = TABLES.credit_thresholds[("keterampilan", "II/c")]
    assert ev.credit_points == Decimal("45.00") and credit.passed is (ev.credit_points >= required)


def test_projection_keeps_the_latest_predikat() -> None:
    f = facts(predikat={2023: "kurang", 2024: "baik"})
    projected = rules._projected(f, 2027)
    assert dict(projected.predikat) == {2023: "kurang", 2024: "baik", 2025: "baik", 2026: "baik", 2027: "baik"}
    assert rules._projected(facts(predikat={}), 2027).predikat == {}


# ---------------------------------------------------------------- second mutation round


def test_an_unknown_predikat_code_is_shown_as_recorded() -> None:
    reason = rules.rule_predikat_last_two_years({2023: "istimewa", 2024: "baik"}, D(2025, 4, 1)).reason
    assert reason == "Predikat kinerja 2023 dan 2024 harus minimal Baik (2023: istimewa)."


def test_passing_sanction_rule_keeps_its_code() -> None:
    assert rules.rule_no_sanction([], D(2025, 4, 1)) == ("sanction", True, "", None)


def test_credit_points_ignore_years_before_the_current_rank() -> None:
    history = {2021: "sangat_baik", 2022: "sangat_baik", 2023: "baik", 2024: "baik"}
    # since April 2023 (ahli pertama, 12.5/yr): 9/12 × 12.5 + 12.5 = 21.88; 2021–2022 belong to the old rank
    assert str(rules.credit_points(history, D(2023, 4, 1), D(2025, 4, 1), "ahli_pertama")) == "21.88"


def test_top_rank_follows_the_agencys_ladder() -> None:
    short = rules.Tables(rank_codes={i: f"R{i}" for i in range(1, 13)}, education_caps={}, credit_thresholds={})
    ev = rules.evaluate(facts(rank_order=12, rank_code="R12"), D(2026, 4, 1), short)
    assert ev == rules.Evaluation(
        "reguler", None, (rules.RuleResult("top_rank", False, "Sudah berada pada pangkat tertinggi (IV/e)."),)
    )
    assert rules.evaluate(facts(), D(2026, 4, 1), TABLES).credit_points is None  # not a JF: no AK


def test_expert_jenjang_reads_the_keahlian_thresholds() -> None:
    # III/d has a keahlian threshold (100 AK) but none for keterampilan: reading the wrong table would fail.
    f = facts(
        position_kind="fungsional_keahlian",
        functional_level="ahli_muda",
        rank_code="III/d",
        rank_order=ORDER["III/d"],
        rank_start=D(2022, 1, 1),
        supervisor_rank_order=ORDER["IV/b"],
        exams=frozenset({"tingkat_ii"}),
        predikat=dict.fromkeys(range(2022, 2026), "sangat_baik"),
    )
    ev = rules.evaluate(f, D(2026, 4, 1), TABLES)
    assert ev.credit_points == Decimal("150.00")  # 4 years × 150% × 25
    assert next(r for r in ev.results if r.code == "credit_points") == ("credit_points", True, "", None)
    ungraded = facts(
        position_kind="fungsional_keahlian",
        functional_level="ahli_utama",
        rank_code="IV/e",
        rank_order=ORDER["IV/e"] - 1,
        rank_start=D(2020, 1, 1),
    )
    ev = rules.evaluate(ungraded, D(2026, 4, 1), TABLES)
    assert next(r for r in ev.results if r.code == "credit_points").reason == (
        "Kebutuhan AK untuk golongan IV/e belum diatur."
    )
