"""Pure career rules: the 9-box of PermenPANRB 3/2020, axis scoring, readiness, follow-up and JP credit.

No ORM and no I/O here: every function takes plain values and is tested case by case from
regulations.md §3 and §8."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# --- 9-box (regulations.md §3.2) -------------------------------------------------------------

BELOW, MEETS, ABOVE = "below", "meets", "above"
LOW, MEDIUM, HIGH = "low", "medium", "high"

# (performance band, potential band) -> box number, exactly the grid of PermenPANRB 3/2020:
#   kinerja di atas:   4 7 9
#   kinerja sesuai:    2 5 8
#   kinerja di bawah:  1 3 6       (potensial rendah, menengah, tinggi)
BOX_GRID: dict[tuple[str, str], int] = {
    (ABOVE, LOW): 4,
    (ABOVE, MEDIUM): 7,
    (ABOVE, HIGH): 9,
    (MEETS, LOW): 2,
    (MEETS, MEDIUM): 5,
    (MEETS, HIGH): 8,
    (BELOW, LOW): 1,
    (BELOW, MEDIUM): 3,
    (BELOW, HIGH): 6,
}

BOX_RECOMMENDATION: dict[int, StrOrPromise] = {
    9: _("Dipromosikan dan dipertahankan; masuk Kelompok Rencana Suksesi Instansi/Nasional; penghargaan"),
    8: _(
        "Dipertahankan; masuk Kelompok Rencana Suksesi Instansi; rotasi/perluasan jabatan (job enlargement); "
        "bimbingan kinerja"
    ),
    7: _(
        "Dipertahankan; masuk Kelompok Rencana Suksesi Instansi; rotasi/pengayaan jabatan (job enrichment); "
        "pengembangan kompetensi; tugas belajar"
    ),
    6: _("Penempatan yang sesuai; bimbingan kinerja; konseling kinerja"),
    5: _("Penempatan yang sesuai; bimbingan kinerja; pengembangan kompetensi"),
    4: _("Rotasi; pengembangan kompetensi"),
    3: _("Bimbingan kinerja; konseling kinerja; pengembangan kompetensi; penempatan yang sesuai"),
    2: _("Bimbingan kinerja; pengembangan kompetensi; penempatan yang sesuai"),
    1: _("Diproses sesuai ketentuan peraturan perundang-undangan"),
}

TALENT_POOL_BOXES = frozenset({7, 8, 9})

# Rows of the grid as displayed (top row first), each a list of box numbers left→right.
GRID_ROWS: list[tuple[str, list[int]]] = [(ABOVE, [4, 7, 9]), (MEETS, [2, 5, 8]), (BELOW, [1, 3, 6])]


def box_for(performance: str, potential: str) -> int:
    """The talent box (1–9) for a performance band and a potential band (PermenPANRB 3/2020)."""
    try:
        return BOX_GRID[(performance, potential)]
    except KeyError:
        raise ValueError(f"Unknown bands: {performance!r}, {potential!r}") from None


def bands_of(box: int) -> tuple[str, str]:
    """The (performance, potential) bands of a box number."""
    for bands, number in BOX_GRID.items():
        if number == box:
            return bands
    raise ValueError(f"Unknown box {box}")


def recommendation(box: int) -> str:
    """The recommended action (rekomendasi) for a box, verbatim from regulations.md §3.2."""
    return str(BOX_RECOMMENDATION[box])  # in the reader's language


def in_talent_pool(box: int) -> bool:
    """Boxes 7, 8 and 9 form the talent pool (kelompok rencana suksesi)."""
    return box in TALENT_POOL_BOXES


# --- Axis scoring (regulations.md §3.3: configurable; documented default) ---------------------


@dataclass(frozen=True)
class Scheme:
    """Axis scoring: predikat points, and the cut-offs of each axis."""

    predikat_points: Mapping[str, Decimal]
    performance_above: Decimal
    performance_meets: Decimal
    potential_high: Decimal
    potential_medium: Decimal


# Default: §3.3 "Sangat Baik → di atas; Baik → sesuai; ≤ Butuh Perbaikan → di bawah", averaged over
# the last two years on a 0–100 scale; potential from JPM with the "Optimal" bands 90 / 78.
DEFAULT_PREDIKAT_POINTS: dict[str, Decimal] = {
    "sangat_baik": Decimal("100"),
    "baik": Decimal("75"),
    "butuh_perbaikan": Decimal("50"),
    "kurang": Decimal("25"),
    "sangat_kurang": Decimal("0"),
}
DEFAULT_SCHEME = Scheme(
    predikat_points=DEFAULT_PREDIKAT_POINTS,
    performance_above=Decimal("87.5"),
    performance_meets=Decimal("70"),
    potential_high=Decimal("90"),
    potential_medium=Decimal("78"),
)


def performance_score(predikats: Sequence[str | None], scheme: Scheme = DEFAULT_SCHEME) -> Decimal | None:
    """Mean points of the known predikat of the last two years; None when neither year is known."""
    points = [Decimal(scheme.predikat_points[p]) for p in predikats if p]
    if not points:
        return None
    total: Decimal = sum(points, Decimal(0))
    return (total / len(points)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def performance_band(score: Decimal, scheme: Scheme = DEFAULT_SCHEME) -> str:
    if score >= scheme.performance_above:
        return ABOVE
    if score >= scheme.performance_meets:
        return MEETS
    return BELOW


def potential_band(jpm: Decimal, scheme: Scheme = DEFAULT_SCHEME) -> str:
    if jpm >= scheme.potential_high:
        return HIGH
    if jpm >= scheme.potential_medium:
        return MEDIUM
    return LOW


def place(
    predikats: Sequence[str | None], jpm: Decimal | None, scheme: Scheme = DEFAULT_SCHEME
) -> tuple[Decimal, str, Decimal, str, int] | None:
    """(performance score, band, potential score, band, box), or None when an axis has no input."""
    perf = performance_score(predikats, scheme)
    if perf is None or jpm is None:
        return None
    pot = Decimal(jpm).quantize(Decimal("0.01"))
    pb, qb = performance_band(perf, scheme), potential_band(pot, scheme)
    return perf, pb, pot, qb, box_for(pb, qb)


# --- Succession readiness (app convention, regulations.md §3.4) -------------------------------

READY_NOW, READY_1_2, READY_LATER = "now", "1_2", "later"


def readiness(box: int, jpm: Decimal) -> str:
    """Readiness for a key post from the box and the JPM against that post: box 9 with JPM ≥ 90 (Optimal)
    is ready now; a pool member with JPM ≥ 78 (Cukup Optimal) in 1–2 years; otherwise more than 2 years."""
    if box == 9 and jpm >= Decimal("90"):
        return READY_NOW
    if box in TALENT_POOL_BOXES and jpm >= Decimal("78"):
        return READY_1_2
    return READY_LATER


# --- Appraisal follow-up (PermenPANRB 6/2022 tahap 4) -----------------------------------------

GOOD = frozenset({"sangat_baik"})
BELOW_STANDARD = frozenset({"butuh_perbaikan", "kurang", "sangat_kurang"})
COACHING_SESSIONS = {"butuh_perbaikan": 3, "kurang": 4, "sangat_kurang": 6}


def follow_up_kinds(predikat: str) -> list[str]:
    """Which follow-up items the annual predikat calls for: Sangat Baik → recognition and a development
    opportunity; Butuh Perbaikan, Kurang/Misconduct, Sangat Kurang → a coaching plan; Baik → none."""
    if predikat in GOOD:
        return ["recognition", "development"]
    if predikat in BELOW_STANDARD:
        return ["coaching"]
    return []


def coaching_sessions_for(predikat: str) -> int:
    """How many coaching sessions the drafted coaching plan holds (editable by the head)."""
    return COACHING_SESSIONS.get(predikat, 0)


# --- Mentoring ---------------------------------------------------------------------------------

# FORMAT B.1.8 (PermenPANRB 6/2022 Lampiran): the employee's feedback on the coaching session.
FEEDBACK_ITEMS: list[tuple[str, StrOrPromise]] = [
    ("1", _("Saya merasa diperhatikan dan dipahami")),
    ("2", _("Saya merasa tindakan/langkah yang telah saya lakukan dihargai")),
    ("3", _("Saya merasa dapat dengan bebas mengemukakan pendapat")),
    ("4", _("Pimpinan memberikan pandangan berdasarkan data/fakta yang akurat")),
    ("5", _("Pandangan/pendapat yang diberikan pimpinan bersifat positif")),
    ("6", _("Lebih banyak menggunakan metode bertanya dibandingkan menggurui")),
    ("7", _("Saya merasa dibantu dalam mencari solusi dan aksi tindak lanjut")),
    ("8", _("Saya tahu apa yang harus saya lakukan setelah bimbingan kinerja ini")),
    ("9", _("Saya memahami maksud dan tujuan kegiatan bimbingan kinerja ini")),
]
FEEDBACK_SCALE: list[tuple[int, StrOrPromise]] = [
    (1, _("Sangat tidak setuju")),
    (2, _("Tidak setuju")),
    (3, _("Setuju")),
    (4, _("Sangat setuju")),
]


def validate_feedback(answers: Mapping[str, int]) -> dict[str, int]:
    """All nine B.1.8 items answered on the 1–4 scale; raises ValueError otherwise."""
    keys = [k for k, _ in FEEDBACK_ITEMS]
    out: dict[str, int] = {}
    for key in keys:
        value = answers.get(key)
        if value is None or int(value) not in (1, 2, 3, 4):
            raise ValueError(key)
        out[key] = int(value)
    return out


def session_jp(duration_minutes: int, jp_per_hour: Decimal, jp_max: Decimal) -> Decimal:
    """JP credited for a confirmed session: hours × JP per hour, rounded to 0.5 JP, capped (PerLAN 10/2018:
    coaching/mentoring are nonklasikal learning)."""
    raw = Decimal(duration_minutes) / Decimal(60) * jp_per_hour
    halves = (raw * 2).quantize(Decimal("1"), rounding=ROUND_HALF_UP) / 2
    return min(halves, jp_max).quantize(Decimal("0.1"))


def plan_progress(statuses: Sequence[str]) -> int:
    """Percent of a plan's non-cancelled actions that are done."""
    live = [s for s in statuses if s != "cancelled"]
    if not live:
        return 0
    return round(100 * sum(1 for s in live if s == "done") / len(live))


# --- Career plan versions ----------------------------------------------------------------------

AGREED, DRAFT = "agreed", "draft"


@dataclass(frozen=True)
class PlanChange:
    """What a change to a career plan does to its agreement."""

    new_version: bool  # the agreed content is kept as a version and a new one starts
    status_after: str  # the plan's status once changed


def plan_change_effect(status: str) -> PlanChange:
    """A career plan (IDP) is an agreement between the employee and the head (PermenPANRB 3/2020;
    regulations.md §3.1, §8): once agreed, changing it, by hand or by drafting activities from gaps, makes a
    new version that goes back to draft and needs the head's agreement again; the agreed version is kept.
    Changes to a plan not yet agreed stay in the same version and status."""
    if status == AGREED:
        return PlanChange(new_version=True, status_after=DRAFT)
    return PlanChange(new_version=False, status_after=status)


# --- Dates of plans and action items ------------------------------------------------------------


def target_date_ok(*, due: dt.date, today: dt.date) -> bool:
    """A development action's target date or an action item's deadline is a commitment for the future: it may
    not lie before `today` (for items logged with a past session: before the session date)."""
    return due >= today
