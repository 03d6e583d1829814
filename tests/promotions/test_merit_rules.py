"""Pure rules for promotion into posts (promotions/vacancies/rules.py), case by case: formal requirements (§4.7),
merit components and score, seniority as the last tie-break, rank correlation."""

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
        ("jpt_pratama", {"position_kind": "administrator", "rank_order": ORDER["IV/b"],
                         "birth_date": D(1969, 1, 1)}, {"age"}),  # 57 > 56
        ("pengawas", {"predikat": {2024: "baik", 2025: "kurang"}}, {"predikat"}),
    ],
)  # fmt: skip
def test_formal_requirements_for_promotion_into_posts(post: str, changes: dict[str, object], failing: set[str]) -> None:
    result = merit_rules.formal_requirements(cand(1, **changes), post, D(2026, 11, 1), TABLES)
    assert {r.code for r in result if not r.passed} == failing


@pytest.mark.parametrize(("rank", "failing"), [("IV/a", {"rank"}), ("IV/b", set()), ("IV/c", set())])
def test_jpt_pratama_needs_golongan_iv_b(rank: str, failing: set[str]) -> None:
    """regulations.md §4.6: JPT Pratama ≈ eselon II.b, whose golongan starts at IV/b (IV/a is refused)."""
    ready = cand(1, position_kind="administrator", rank_order=ORDER[rank], birth_date=D(1975, 1, 1))
    result = merit_rules.formal_requirements(ready, "jpt_pratama", D(2026, 11, 1), TABLES)
    assert {r.code for r in result if not r.passed} == failing
    if failing:
        assert [r.reason for r in result if not r.passed] == ["Pangkat minimal IV/b."]


def test_post_rank_floors_have_one_source() -> None:
    from people.rules import MIN_RANK_FOR_POST

    for kind, requirement in merit_rules.POST_REQUIREMENTS.items():
        assert requirement["rank"] == MIN_RANK_FOR_POST[kind], kind
    assert merit_rules.POST_REQUIREMENTS["jpt_pratama"]["rank"] == "IV/b"  # typed from regulations.md §4.6


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
    old = cand(5, position_kind="administrator", rank_order=ORDER["IV/b"], birth_date=D(1969, 11, 2))
    assert [r.reason for r in merit_rules.formal_requirements(old, "jpt_pratama", as_of, TABLES)][
        1:
    ] == []  # 56 until 2 Nov
    older = cand(6, position_kind="administrator", rank_order=ORDER["IV/b"], birth_date=D(1969, 11, 1))
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


def test_formal_requirement_failures_are_marked_failed() -> None:
    as_of = D(2026, 11, 1)
    wrong_post = merit_rules.formal_requirements(cand(1, rank_order=ORDER["IV/a"]), "administrator", as_of, TABLES)
    assert [r.passed for r in wrong_post] == [True, False]
    old = cand(2, position_kind="administrator", rank_order=ORDER["IV/b"], birth_date=D(1960, 1, 1))
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


@pytest.mark.parametrize(
    ("kwargs", "is_merit", "texts"),
    [
        ({"has_standard": True, "candidates": 5, "unassessed": 0, "without_review": 0}, True, []),
        ({"has_standard": False, "candidates": 5, "unassessed": 5, "without_review": 0}, False, ["belum merupakan"]),
        ({"has_standard": False, "candidates": 0, "unassessed": 0, "without_review": 0}, True, []),
        ({"has_standard": True, "candidates": 5, "unassessed": 2, "without_review": 0}, True,
         ["2 dari 5 kandidat belum diases"]),
        ({"has_standard": True, "candidates": 5, "unassessed": 0, "without_review": 3}, True,
         ["3 dari 5 kandidat belum memiliki review talenta"]),
        ({"has_standard": False, "candidates": 4, "unassessed": 4, "without_review": 1}, False,
         ["belum merupakan", "1 dari 4 kandidat belum memiliki review talenta"]),
    ],
)  # fmt: skip
def test_ranking_completeness(kwargs: dict, is_merit: bool, texts: list[str]) -> None:
    result = merit_rules.ranking_completeness(**kwargs)
    assert result.is_merit_ranking is is_merit
    assert result.complete is (not texts)
    assert len(result.missing) == len(texts)
    assert all(t in str(m) for t, m in zip(texts, result.missing, strict=True))
