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


@pytest.mark.parametrize(
    ("post", "changes", "failing"),
    [
        ("pengawas", {}, set()),
        ("pengawas", {"education_level": "slta"}, {"education"}),  # min D-III
        ("pengawas", {"position_start": D(2023, 1, 1)}, {"lower_post"}),  # 4 years as pelaksana
        ("pengawas", {"rank_order": ORDER["III/a"]}, {"rank"}),
        ("administrator", {}, {"lower_post", "rank"}),  # a pelaksana III/b is not ready
        ("administrator", {"position_kind": "pengawas", "rank_order": ORDER["III/d"]}, set()),
        ("jpt_pratama", {"position_kind": "administrator", "rank_order": ORDER["IV/a"],
                         "birth_date": D(1969, 1, 1)}, {"age"}),  # 57 > 56
        ("pengawas", {"predikat": {2024: "baik", 2025: "kurang"}}, {"predikat"}),
    ],
)  # fmt: skip
def test_formal_requirements_for_promotion_into_posts(post: str, changes: dict[str, object], failing: set[str]) -> None:
    result = merit_rules.formal_requirements(cand(1, **changes), post, D(2026, 11, 1), TABLES)
    assert {r.code for r in result if not r.passed} == failing


def test_merit_score_components_show_value_weight_and_source() -> None:
    c = cand(1, jpm=Decimal("80"), box=9, training_jp=Decimal("20"), predikat={2024: "sangat_baik", 2025: "baik"})
    comps = merit_rules.merit_components(c, D(2026, 11, 1), "d3", merit_rules.DEFAULT_WEIGHTS)
    by_key = {x["key"]: x for x in comps}
    assert by_key["jpm"]["value"] == "80.00" and by_key["jpm"]["points"] == "28.00"  # 80 × 35/100
    assert by_key["performance"]["value"] == "87.50"
    assert by_key["potential"]["value"] == "100.00"
    assert by_key["training"]["value"] == "50.00"
    assert "Predikat 2024: Sangat Baik" in by_key["performance"]["source"]


def test_seniority_only_breaks_ties() -> None:
    junior_better = (cand(1, rank_order=ORDER["III/a"]), Decimal("80"))
    senior_worse = (cand(2, rank_order=ORDER["IV/a"]), Decimal("70"))
    tie_senior = (cand(3, rank_order=ORDER["III/d"]), Decimal("80"))
    ranked = [f.employee_id for f, _ in merit_rules.rank_candidates([senior_worse, junior_better, tie_senior])]
    assert ranked == [3, 1, 2]


@pytest.mark.parametrize(
    ("xs", "ys", "rho"),
    [([1, 2, 3, 4], [10, 20, 30, 40], 1.0), ([1, 2, 3, 4], [4, 3, 2, 1], -1.0), ([1, 0, 0], [3, 2, 1], 0.866)],
)
def test_spearman_rank_correlation(xs: list[float], ys: list[float], rho: float) -> None:
    value = merit_rules.spearman(xs, ys)
    assert value is not None and abs(value - rho) < 0.001


def test_spearman_undefined_without_variance() -> None:
    assert merit_rules.spearman([1, 1, 1], [1, 2, 3]) is None
    assert merit_rules.spearman([1], [1]) is None


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


@pytest.mark.parametrize(
    ("level", "minimum", "ok"),
    [("s1", "d3", True), ("d3", "d3", True), ("d2", "d3", False), ("unknown", "sd", False), ("s3", "unknown", False)],
)
def test_edu_at_least(level: str, minimum: str, ok: bool) -> None:
    assert merit_rules.edu_at_least(level, minimum) is ok


def test_formal_requirement_reasons_verbatim() -> None:
    as_of = D(2026, 11, 1)
    young = cand(1, education_level="slta", position_start=D(2024, 1, 1), rank_order=ORDER["III/a"])
    assert [tuple(r[:4]) for r in merit_rules.formal_requirements(young, "pengawas", as_of, TABLES)] == [
        ("predikat", True, "", None),
        ("education", False, "Pendidikan minimal D3.", None),
        ("lower_post", False, "Belum 4 tahun pada jabatan setingkat di bawahnya.", None),
        ("rank", False, "Pangkat minimal III/b.", None),
    ]
    wrong_post = cand(2, position_kind="pelaksana", rank_order=ORDER["IV/a"])
    assert [r.reason for r in merit_rules.formal_requirements(wrong_post, "administrator", as_of, TABLES)][1:] == [
        "Jabatan saat ini bukan jabatan setingkat di bawahnya."
    ]
    no_start = cand(3, position_start=None)
    assert [r.code for r in merit_rules.formal_requirements(no_start, "pengawas", as_of, TABLES)] == [
        "predikat",
        "lower_post",
    ]
    exactly_four = cand(4, position_start=D(2022, 11, 1))
    assert [r.code for r in merit_rules.formal_requirements(exactly_four, "pengawas", as_of, TABLES)] == ["predikat"]
    old = cand(5, position_kind="administrator", rank_order=ORDER["IV/a"], birth_date=D(1969, 11, 2))
    assert [r.reason for r in merit_rules.formal_requirements(old, "jpt_pratama", as_of, TABLES)][
        1:
    ] == []  # 56 until 2 Nov
    older = cand(6, position_kind="administrator", rank_order=ORDER["IV/a"], birth_date=D(1969, 11, 1))
    assert [r.reason for r in merit_rules.formal_requirements(older, "jpt_pratama", as_of, TABLES)][1:] == [
        "Usia 57 tahun melebihi batas 56 tahun."
    ]
    assert [r.code for r in merit_rules.formal_requirements(cand(7), "unknown_post", as_of, TABLES)] == ["predikat"]


def test_merit_components_every_field() -> None:
    c = cand(
        1,
        jpm=Decimal("80"),
        box=6,
        training_jp=Decimal("60"),
        education_level="s2",
        predikat={2024: "sangat_baik", 2025: "butuh_perbaikan"},
    )
    comps = merit_rules.merit_components(c, D(2026, 11, 1), "d4", merit_rules.DEFAULT_WEIGHTS)
    # The source is also kept as its catalogue message and parameters, so each reader sees it in their language.
    assert comps[1]["source_text"] == {
        "message": "Predikat {first}: {first_label}, {second}: {second_label}",
        "params": {"first": "2024", "first_label": "Sangat Baik", "second": "2025", "second_label": "Butuh Perbaikan"},
    }
    assert [{k: v for k, v in x.items() if k != "source_text"} for x in comps] == [
        {"key": "jpm", "label": "Job person match", "value": "80.00", "weight": "35", "points": "28.00",
         "source": "JPM terhadap jabatan: 80"},
        {"key": "performance", "label": "Kinerja 2 tahun", "value": "75.00", "weight": "25", "points": "18.75",
         "source": "Predikat 2024: Sangat Baik, 2025: Butuh Perbaikan"},
        {"key": "potential", "label": "Potensi (kotak talenta)", "value": "66.67", "weight": "20",
         "points": "13.33", "source": "Kotak talenta 6"},
        {"key": "training", "label": "Pelatihan relevan", "value": "100.00", "weight": "10", "points": "10.00",
         "source": "60 JP pada kompetensi jabatan (3 tahun)"},
        {"key": "qualification", "label": "Kualifikasi", "value": "100.00", "weight": "10", "points": "10.00",
         "source": "Pendidikan S2"},
    ]  # fmt: skip


def test_merit_components_for_a_thin_record() -> None:
    c = cand(1, predikat={2025: "baik"}, education_level="slta", training_jp=Decimal("10"))
    comps = {x["key"]: x for x in merit_rules.merit_components(c, D(2026, 11, 1), "", {"jpm": 1}, has_standard=False)}
    assert comps["jpm"]["value"] == "0.00"
    assert comps["jpm"]["source"] == "Standar kompetensi jabatan belum ditetapkan (nilai 0 untuk semua kandidat)"
    assert comps["performance"]["value"] == "37.50" and comps["performance"]["source"] == "Predikat 2024: -, 2025: Baik"
    assert comps["potential"].pop("source_text") == {"message": "Belum ada review talenta", "params": {}}
    assert comps["potential"] == {
        "key": "potential",
        "label": "Potensi (kotak talenta)",
        "value": "0.00",
        "weight": "0",
        "points": "0.00",
        "source": "Belum ada review talenta",
    }
    assert comps["training"]["value"] == "25.00"
    assert comps["qualification"]["value"] == "60.00"  # SLTA against the default SLTA minimum
    unassessed = merit_rules.merit_components(cand(2), D(2026, 11, 1), "d3", {})
    assert unassessed[0]["source"] == "JPM terhadap jabatan: belum diases"
    assert {x["points"] for x in unassessed} == {"0.00"}  # no weights: nothing divides by zero
    below = {x["key"]: x for x in merit_rules.merit_components(cand(3, education_level="sd"), D(2026, 11, 1), "s1", {})}
    assert below["qualification"]["value"] == "0.00"  # floored at 0


@pytest.mark.parametrize(("box", "score"), [(None, "0"), (9, "100.00"), (1, "11.11"), (5, "55.56")])
def test_box_score(box: int | None, score: str) -> None:
    assert str(merit_rules.box_score(box)) == score


def test_seniority_key_orders_rank_then_tmt_then_cpns() -> None:
    assert merit_rules.seniority_key(cand(1)) == (-ORDER["III/b"], D(2020, 4, 1), D(2010, 1, 1))
    assert merit_rules.seniority_key(cand(1, rank_start=None, cpns_date=None)) == (
        -ORDER["III/b"],
        D(9999, 1, 1),
        D(9999, 1, 1),
    )
    earlier = (cand(1, rank_start=D(2019, 4, 1)), Decimal("80"))
    later = (cand(2, rank_start=D(2020, 4, 1)), Decimal("80"))
    assert [f.employee_id for f, _ in merit_rules.rank_candidates([later, earlier])] == [1, 2]


@pytest.mark.parametrize(
    ("xs", "ys", "rho"),
    [
        ([1, 2, 2, 3], [1, 2, 3, 4], 0.9487),  # a tie takes the average rank 2.5
        ([5, 5, 1, 1], [4, 3, 2, 1], 0.8944),
        ([3, 1, 2], [1, 2, 3], -0.5),
    ],
)
def test_spearman_with_ties(xs: list[float], ys: list[float], rho: float) -> None:
    value = merit_rules.spearman(xs, ys)
    assert value is not None and abs(value - rho) < 0.0001
    assert merit_rules._ranks(xs) == merit_rules._ranks(list(xs))


def test_ranks_average_ties() -> None:
    assert merit_rules._ranks([10, 20, 20, 30, 30, 30]) == [1.0, 2.5, 2.5, 5.0, 5.0, 5.0]
    assert merit_rules.spearman([1, 2], [1, 2, 3]) is None
    assert merit_rules.spearman([1, 2, 3], [7, 7, 7]) is None


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


def test_formal_requirement_failures_are_marked_failed() -> None:
    as_of = D(2026, 11, 1)
    wrong_post = merit_rules.formal_requirements(cand(1, rank_order=ORDER["IV/a"]), "administrator", as_of, TABLES)
    assert [r.passed for r in wrong_post] == [True, False]
    old = cand(2, position_kind="administrator", rank_order=ORDER["IV/a"], birth_date=D(1960, 1, 1))
    assert [r.passed for r in merit_rules.formal_requirements(old, "jpt_pratama", as_of, TABLES)] == [True, False]


@pytest.mark.parametrize(
    ("education", "post_minimum", "value"),
    [
        ("s1", "d4", "80.00"),  # one level above the minimum: 60 + 20
        ("unknown", "sd", "60.00"),  # an unknown diploma counts as the lowest level
        ("sd", "unknown", "60.00"),  # an unknown minimum counts as the lowest level
    ],
)
def test_qualification_score(education: str, post_minimum: str, value: str) -> None:
    comps = merit_rules.merit_components(cand(1, education_level=education), D(2026, 11, 1), post_minimum, {})
    assert next(c for c in comps if c["key"] == "qualification")["value"] == value


def test_spearman_of_two_points() -> None:
    assert merit_rules.spearman([1, 2], [10, 20]) == 1.0
    assert merit_rules.spearman([1, 2], [20, 10]) == -1.0
