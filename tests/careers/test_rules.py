"""The 9-box of PermenPANRB 3/2020 (regulations.md §3.2), axis scoring (§3.3), follow-up and JP rules."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from careers import rules

# Typed from regulations.md §3.2 (rows: kinerja; columns: potensial rendah, menengah, tinggi).
GRID = [
    ("above", "low", 4),
    ("above", "medium", 7),
    ("above", "high", 9),
    ("meets", "low", 2),
    ("meets", "medium", 5),
    ("meets", "high", 8),
    ("below", "low", 1),
    ("below", "medium", 3),
    ("below", "high", 6),
]

RECOMMENDATIONS = {
    9: "Dipromosikan dan dipertahankan; masuk Kelompok Rencana Suksesi Instansi/Nasional; penghargaan",
    8: "Dipertahankan; masuk Kelompok Rencana Suksesi Instansi; rotasi/perluasan jabatan (job enlargement); "
    "bimbingan kinerja",
    7: "Dipertahankan; masuk Kelompok Rencana Suksesi Instansi; rotasi/pengayaan jabatan (job enrichment); "
    "pengembangan kompetensi; tugas belajar",
    6: "Penempatan yang sesuai; bimbingan kinerja; konseling kinerja",
    5: "Penempatan yang sesuai; bimbingan kinerja; pengembangan kompetensi",
    4: "Rotasi; pengembangan kompetensi",
    3: "Bimbingan kinerja; konseling kinerja; pengembangan kompetensi; penempatan yang sesuai",
    2: "Bimbingan kinerja; pengembangan kompetensi; penempatan yang sesuai",
    1: "Diproses sesuai ketentuan peraturan perundang-undangan",
}


@pytest.mark.parametrize(("performance", "potential", "box"), GRID)
def test_box_numbering_follows_permenpanrb_3_2020(performance: str, potential: str, box: int) -> None:
    assert rules.box_for(performance, potential) == box
    assert rules.bands_of(box) == (performance, potential)


def test_grid_covers_every_combination_once() -> None:
    combos = {(p, q) for p in ("below", "meets", "above") for q in ("low", "medium", "high")}
    assert set(rules.BOX_GRID) == combos
    assert sorted(rules.BOX_GRID.values()) == list(range(1, 10))


@pytest.mark.parametrize(("box", "text"), sorted(RECOMMENDATIONS.items()))
def test_recommendation_is_the_regulation_text(box: int, text: str) -> None:
    assert rules.recommendation(box) == text


@pytest.mark.parametrize(("box", "pool"), [(b, b in (7, 8, 9)) for b in range(1, 10)])
def test_talent_pool_is_boxes_7_to_9(box: int, pool: bool) -> None:
    assert rules.in_talent_pool(box) is pool


def test_unknown_band_is_refused() -> None:
    with pytest.raises(ValueError):
        rules.box_for("great", "high")


# Default scheme (regulations.md §3.3): Sangat Baik → di atas, Baik → sesuai, ≤ Butuh Perbaikan → di bawah.
@pytest.mark.parametrize(
    ("predikats", "band"),
    [
        (["sangat_baik", "sangat_baik"], "above"),
        (["sangat_baik", "baik"], "above"),
        (["baik", "baik"], "meets"),
        (["sangat_baik", "butuh_perbaikan"], "meets"),
        (["baik", "butuh_perbaikan"], "below"),
        (["butuh_perbaikan", "butuh_perbaikan"], "below"),
        (["kurang", "sangat_kurang"], "below"),
        ([None, "sangat_baik"], "above"),
        ([None, "baik"], "meets"),
        ([None, "butuh_perbaikan"], "below"),
    ],
)
def test_performance_axis_default(predikats: list[str | None], band: str) -> None:
    score = rules.performance_score(predikats)
    assert score is not None
    assert rules.performance_band(score) == band


def test_no_predikat_means_no_placement() -> None:
    assert rules.performance_score([None, None]) is None
    assert rules.place([None, None], Decimal("95")) is None
    assert rules.place(["baik", "baik"], None) is None


@pytest.mark.parametrize(
    ("jpm", "band"),
    [("100", "high"), ("90", "high"), ("89.99", "medium"), ("78", "medium"), ("77.99", "low"), ("0", "low")],
)
def test_potential_axis_uses_jpm_optimal_bands(jpm: str, band: str) -> None:
    assert rules.potential_band(Decimal(jpm)) == band


def test_place_combines_axes_into_a_box() -> None:
    assert rules.place(["sangat_baik", "sangat_baik"], Decimal("92"))[-1] == 9
    assert rules.place(["baik", "baik"], Decimal("80"))[-1] == 5
    assert rules.place(["kurang", "kurang"], Decimal("50"))[-1] == 1


def test_scheme_is_configurable() -> None:
    strict = rules.Scheme(
        predikat_points=rules.DEFAULT_PREDIKAT_POINTS,
        performance_above=Decimal("100"),
        performance_meets=Decimal("75"),
        potential_high=Decimal("95"),
        potential_medium=Decimal("80"),
    )
    assert rules.place(["sangat_baik", "baik"], Decimal("92"), strict)[-1] == 5
    assert rules.place(["sangat_baik", "baik"], Decimal("92"))[-1] == 9


@pytest.mark.parametrize(
    ("box", "jpm", "readiness"),
    [(9, "95", "now"), (9, "85", "1_2"), (8, "95", "1_2"), (7, "78", "1_2"), (7, "70", "later"), (5, "99", "later")],
)
def test_succession_readiness(box: int, jpm: str, readiness: str) -> None:
    assert rules.readiness(box, Decimal(jpm)) == readiness


@pytest.mark.parametrize(
    ("predikat", "kinds", "sessions"),
    [
        ("sangat_baik", ["recognition", "development"], 0),
        ("baik", [], 0),
        ("butuh_perbaikan", ["coaching"], 3),
        ("kurang", ["coaching"], 4),
        ("sangat_kurang", ["coaching"], 6),
    ],
)
def test_follow_up_by_predikat(predikat: str, kinds: list[str], sessions: int) -> None:
    assert rules.follow_up_kinds(predikat) == kinds
    assert rules.coaching_sessions_for(predikat) == sessions


@pytest.mark.parametrize(
    ("minutes", "per_hour", "cap", "jp"),
    [
        (60, "1", "4", "1.0"),
        (90, "1", "4", "1.5"),
        (45, "1", "4", "1.0"),
        (20, "1", "4", "0.5"),
        (480, "1", "4", "4.0"),
    ],
)
def test_session_jp(minutes: int, per_hour: str, cap: str, jp: str) -> None:
    assert rules.session_jp(minutes, Decimal(per_hour), Decimal(cap)) == Decimal(jp)


def test_feedback_has_the_nine_b18_items() -> None:
    assert len(rules.FEEDBACK_ITEMS) == 9
    assert rules.FEEDBACK_ITEMS[0][1] == "Saya merasa diperhatikan dan dipahami"
    assert rules.FEEDBACK_ITEMS[5][1] == "Lebih banyak menggunakan metode bertanya dibandingkan menggurui"
    full = {str(i): 3 for i in range(1, 10)}
    assert rules.validate_feedback(full) == full
    with pytest.raises(ValueError):
        rules.validate_feedback({**full, "9": 5})
    with pytest.raises(ValueError):
        rules.validate_feedback({k: v for k, v in full.items() if k != "4"})


def test_plan_progress_ignores_cancelled_actions() -> None:
    assert rules.plan_progress(["done", "planned", "cancelled", "done"]) == 67
    assert rules.plan_progress([]) == 0


def test_unknown_bands_and_boxes_are_refused_by_name() -> None:
    with pytest.raises(ValueError, match="Unknown bands: 'above', 'x'"):
        rules.box_for("above", "x")
    with pytest.raises(ValueError, match="Unknown box 10"):
        rules.bands_of(10)
    assert rules.bands_of(1) == ("below", "low") and rules.bands_of(9) == ("above", "high")


@pytest.mark.parametrize(
    ("predikats", "expected"),
    [
        (["baik", None], "75.00"),  # the unknown year is left out, not counted as 0
        ([None, "sangat_baik"], "100.00"),
        (["sangat_baik", "baik"], "87.50"),
        (["kurang", "sangat_kurang"], "12.50"),
        ([None, None], None),
        ([], None),
    ],
)
def test_performance_score_is_the_mean_of_known_years(predikats: list, expected: str | None) -> None:
    score = rules.performance_score(predikats)
    assert (str(score) if score is not None else None) == expected


def test_place_scores_with_the_agencys_scheme() -> None:
    strict = rules.Scheme(
        predikat_points={"sangat_baik": Decimal("60"), "baik": Decimal("40")},
        performance_above=Decimal("87.5"),
        performance_meets=Decimal("70"),
        potential_high=Decimal("90"),
        potential_medium=Decimal("78"),
    )
    # With the default points Sangat Baik twice is "above"; with this scheme it scores 60: "below".
    assert rules.place(["sangat_baik", "sangat_baik"], Decimal("95"), strict) == (
        Decimal("60.00"),
        "below",
        Decimal("95.00"),
        "high",
        6,
    )


def test_performance_score_rounds_half_up() -> None:
    scheme = rules.Scheme(
        predikat_points={"a": Decimal("0.01"), "b": Decimal("0")},
        performance_above=Decimal("87.5"),
        performance_meets=Decimal("70"),
        potential_high=Decimal("90"),
        potential_medium=Decimal("78"),
    )
    assert rules.performance_score(["a", "b"], scheme) == Decimal("0.01")  # 0.005 → 0.01


@pytest.mark.parametrize(
    ("score", "band"),
    [("100", "above"), ("87.5", "above"), ("87.49", "meets"), ("70", "meets"), ("69.99", "below"), ("0", "below")],
)
def test_performance_band_cut_offs(score: str, band: str) -> None:
    assert rules.performance_band(Decimal(score)) == band


@pytest.mark.parametrize(
    ("box", "jpm", "ready"),
    [
        (9, "90", "now"),
        (9, "89.99", "1_2"),
        (8, "95", "1_2"),
        (7, "78", "1_2"),
        (7, "77.99", "later"),
        (9, "77.99", "later"),
        (6, "100", "later"),
    ],
)
def test_readiness(box: int, jpm: str, ready: str) -> None:
    assert rules.readiness(box, Decimal(jpm)) == ready


@pytest.mark.parametrize(
    ("minutes", "per_hour", "cap", "jp"),
    [
        (60, "1", "4", "1.0"),
        (90, "1", "4", "1.5"),
        (75, "1", "4", "1.5"),  # 1.25 JP rounds half up to 1.5 (half-even would give 1.0)
        (100, "1", "4", "1.5"),  # 1.67 → 1.5
        (600, "1", "4", "4.0"),  # capped
        (60, "2", "4", "2.0"),
        (0, "1", "4", "0.0"),
    ],
)
def test_session_jp_rounds_to_half_jp_and_caps(minutes: int, per_hour: str, cap: str, jp: str) -> None:
    assert str(rules.session_jp(minutes, Decimal(per_hour), Decimal(cap))) == jp


def test_feedback_needs_all_nine_items_on_the_one_to_four_scale() -> None:
    full = {str(i): 4 for i in range(1, 10)}
    posted: dict[str, Any] = {**full, "1": "1", "2": 2, "3": 3}  # a form posts strings
    assert rules.validate_feedback(posted) == {**full, "1": 1, "2": 2, "3": 3}
    for bad_value in (0, 5):
        with pytest.raises(ValueError) as bad:
            rules.validate_feedback({**full, "3": bad_value})
        assert bad.value.args == ("3",)
    missing = dict(full)
    del missing["9"]
    with pytest.raises(ValueError) as absent:
        rules.validate_feedback(missing)
    assert absent.value.args == ("9",)


@pytest.mark.parametrize(
    ("statuses", "percent"),
    [
        ([], 0),
        (["cancelled"], 0),
        (["done", "cancelled"], 100),
        (["done", "todo", "todo"], 33),
        (["done", "done", "todo"], 67),
        (["todo"], 0),
    ],
)
def test_plan_progress_percent_of_live_actions(statuses: list[str], percent: int) -> None:
    assert rules.plan_progress(statuses) == percent


@pytest.mark.parametrize(
    ("status", "new_version", "after"),
    [("agreed", True, "draft"), ("draft", False, "draft"), ("submitted", False, "submitted"), ("x", False, "x")],
)
def test_changing_an_agreed_plan_makes_a_new_version(status: str, new_version: bool, after: str) -> None:
    change = rules.plan_change_effect(status)
    assert (change.new_version, change.status_after) == (new_version, after)


def test_a_target_date_may_be_today_but_not_before() -> None:
    import datetime as dt

    today = dt.date(2026, 11, 30)
    assert rules.target_date_ok(due=today, today=today)
    assert rules.target_date_ok(due=dt.date(2026, 12, 1), today=today)
    assert not rules.target_date_ok(due=dt.date(2026, 11, 29), today=today)
