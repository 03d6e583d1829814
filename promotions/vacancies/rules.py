"""Pure rules for promotion into posts (no ORM, no I/O): formal requirements (regulations.md §4.7, PP 11/2017
jo 17/2020), the merit score and its components, whether a ranking is complete, seniority as the last tie-break,
and the rank correlation the vacancy page reports. The KP (rank promotion) rules they build on are in
`promotions/rules.py`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_noop as N_

from people.rules import MIN_RANK_FOR_POST
from promotions.rules import (
    FUNCTIONAL_KINDS,
    PREDIKAT_LABELS,
    RuleResult,
    Tables,
    add_years,
    failed,
    message_text,
    rule_predikat_last_two_years,
)

# ---------------------------------------------------------------- promotion into posts (§4.7)

EDUCATION_ORDER = [
    "sd", "sltp", "sltp_kejuruan", "slta", "d1", "d2", "sgplb", "d3", "d4", "s1", "profesi", "s2", "s3",
]  # fmt: skip
# Requirements by the vacant post's type: minimum education, posts that count as the lower post, years
# there, minimum rank and maximum age. The minimum rank is the post type's golongan floor (eselon ↔ pangkat,
# §4.6) from people.rules.MIN_RANK_FOR_POST, the one source the import placement check also reads.
POST_REQUIREMENTS: dict[str, dict[str, object]] = {
    "pengawas": {"education": "d3", "from": {"pelaksana"} | FUNCTIONAL_KINDS, "years": 4,
                 "rank": MIN_RANK_FOR_POST["pengawas"]},
    "administrator": {"education": "d4", "from": {"pengawas"} | FUNCTIONAL_KINDS, "years": 3,
                      "rank": MIN_RANK_FOR_POST["administrator"]},
    "jpt_pratama": {"education": "d4", "from": {"administrator", "fungsional_keahlian"}, "years": 2,
                    "rank": MIN_RANK_FOR_POST["jpt_pratama"], "max_age": 56},
}  # fmt: skip


@dataclass(frozen=True)
class CandidateFacts:
    employee_id: int
    name: str
    education_level: str
    position_kind: str
    functional_level: str
    position_start: dt.date | None
    rank_order: int
    rank_start: dt.date | None
    birth_date: dt.date
    cpns_date: dt.date | None
    predikat: Mapping[int, str] = field(default_factory=dict)
    jpm: Decimal | None = None
    box: int | None = None
    training_jp: Decimal = Decimal("0")


def edu_at_least(level: str, minimum: str) -> bool:
    order = {e: i for i, e in enumerate(EDUCATION_ORDER)}
    return order.get(level, -1) >= order.get(minimum, 99)


def formal_requirements(facts: CandidateFacts, post_kind: str, as_of: dt.date, tables: Tables) -> list[RuleResult]:
    """PP 11/2017 jo 17/2020 (regulations.md §4.7): education, time in the lower post, predikat, rank, age."""
    req = POST_REQUIREMENTS.get(post_kind, {})
    out = [rule_predikat_last_two_years(facts.predikat, as_of, window_opens=as_of)]  # a vacancy: the years before
    minimum = str(req.get("education", ""))
    if minimum and not edu_at_least(facts.education_level, minimum):
        out.append(failed("education", N_("Pendidikan minimal {education}."), education=minimum.upper()))
    kinds = req.get("from")
    if isinstance(kinds, set | frozenset):
        years = int(str(req["years"]))
        if facts.position_kind not in kinds:
            out.append(failed("lower_post", N_("Jabatan saat ini bukan jabatan setingkat di bawahnya.")))
        elif facts.position_start is None or add_years(facts.position_start, years) > as_of:
            out.append(failed("lower_post", N_("Belum {years} tahun pada jabatan setingkat di bawahnya."), years=years))
    rank_code = str(req.get("rank", ""))
    min_order = tables.order_of(rank_code) if rank_code else None
    if min_order and facts.rank_order < min_order:
        out.append(failed("rank", N_("Pangkat minimal {rank}."), rank=rank_code))
    max_age = req.get("max_age")
    if max_age is not None:
        age = (
            as_of.year
            - facts.birth_date.year
            - ((as_of.month, as_of.day) < (facts.birth_date.month, facts.birth_date.day))
        )
        if age > int(str(max_age)):
            out.append(failed("age", N_("Usia {age} tahun melebihi batas {max_age} tahun."), age=age, max_age=max_age))
    return out


PREDIKAT_SCORE = {"sangat_baik": 100, "baik": 75, "butuh_perbaikan": 50, "kurang": 25, "sangat_kurang": 0}
TRAINING_FULL_JP = Decimal("40")  # 40 JP in the post's competencies in 3 years = full marks
DEFAULT_WEIGHTS = {"jpm": 35, "performance": 25, "potential": 20, "training": 10, "qualification": 10}
COMPONENT_LABELS = {
    "jpm": N_("Job person match"),
    "performance": N_("Kinerja 2 tahun"),
    "potential": N_("Potensi (kotak talenta)"),
    "training": N_("Pelatihan relevan"),
    "qualification": N_("Kualifikasi"),
}


def box_score(box: int | None) -> Decimal:
    """Talent box 1–9 → 0–100 (box 9 = 100); unknown (no published review) = 0."""
    if box is None:
        return Decimal("0")
    return (Decimal(box) / 9 * 100).quantize(Decimal("0.01"))


def merit_components(
    facts: CandidateFacts,
    as_of: dt.date,
    post_min_education: str,
    weights: Mapping[str, int],
    has_standard: bool = True,
) -> list[dict[str, Any]]:
    """Each component 0–100 with its source, weighted: the merit score is their sum / total weight."""
    years = (as_of.year - 2, as_of.year - 1)
    perf_values = [PREDIKAT_SCORE.get(facts.predikat.get(y, ""), 0) for y in years]
    performance = Decimal(sum(perf_values)) / 2
    training = min(Decimal("100"), facts.training_jp / TRAINING_FULL_JP * 100)
    order = {e: i for i, e in enumerate(EDUCATION_ORDER)}
    above = order.get(facts.education_level, 0) - order.get(post_min_education or "slta", 0)
    qualification = Decimal(max(0, min(100, 60 + 20 * above)))
    labels = {"": "-", **PREDIKAT_LABELS}
    values: dict[str, tuple[Decimal, str, dict[str, Any]]] = {
        "jpm": (
            facts.jpm or Decimal("0"),
            *(
                (N_("JPM terhadap jabatan: {jpm}"), {"jpm": facts.jpm})
                if has_standard and facts.jpm is not None
                else (N_("JPM terhadap jabatan: belum diases"), {})
                if has_standard
                else (N_("Standar kompetensi jabatan belum ditetapkan (nilai 0 untuk semua kandidat)"), {})
            ),
        ),
        "performance": (
            performance,
            N_("Predikat {first}: {first_label}, {second}: {second_label}"),
            {
                "first": years[0],
                "first_label": labels.get(facts.predikat.get(years[0], ""), "-"),
                "second": years[1],
                "second_label": labels.get(facts.predikat.get(years[1], ""), "-"),
            },
        ),
        "potential": (
            box_score(facts.box),
            *((N_("Kotak talenta {box}"), {"box": facts.box}) if facts.box else (N_("Belum ada review talenta"), {})),
        ),
        "training": (training, N_("{jp} JP pada kompetensi jabatan (3 tahun)"), {"jp": facts.training_jp}),
        "qualification": (qualification, N_("Pendidikan {education}"), {"education": facts.education_level.upper()}),
    }
    total_weight = sum(weights.values()) or 1
    out = []
    for key, (value, message, params) in values.items():
        params = {k: str(v) for k, v in params.items()}
        weight = weights.get(key, 0)
        points = (Decimal(value) * weight / total_weight).quantize(Decimal("0.01"))
        out.append(
            {
                "key": key,
                "label": COMPONENT_LABELS[key],
                "value": str(Decimal(value).quantize(Decimal("0.01"))),
                "weight": str(weight),
                "points": str(points),
                "source": message_text(message, params),
                "source_text": {"message": message, "params": params},
            }
        )
    return out


@dataclass(frozen=True)
class RankingCompleteness:
    """Whether a vacancy's candidate list is a merit ranking, and what is missing from it."""

    is_merit_ranking: bool
    missing: list[Any]

    @property
    def complete(self) -> bool:
        return not self.missing


def ranking_completeness(
    *, has_standard: bool, candidates: int, unassessed: int, without_review: int
) -> RankingCompleteness:
    """A merit ranking compares candidates' competence with the post's standard (UU 20/2023 sistem merit;
    PermenPANRB 38/2017 standar kompetensi jabatan; regulations.md §2.4, §4.7). Without a standard every
    candidate's JPM is 0, the JPM weight decides nothing and seniority ends up choosing: that list is not a merit
    ranking. Candidates not yet assessed, or with no published talent review, are scored 0 on that component:
    the ranking stands but is incomplete, and says so."""
    missing: list[Any] = []  # lazy texts: shown in the reader's language
    if candidates and not has_standard:
        missing.append(
            gettext_lazy(
                "Standar kompetensi jabatan belum ditetapkan: JPM tidak dapat dihitung untuk satu pun kandidat, "
                "sehingga daftar ini belum merupakan peringkat merit. Tetapkan standar kompetensi jabatan, "
                "lalu peringkat ulang."
            )
        )
    elif unassessed:
        missing.append(
            format_lazy(
                gettext_lazy(
                    "{unassessed} dari {candidates} kandidat belum diases terhadap standar kompetensi jabatan "
                    "(komponen JPM bernilai 0)."
                ),
                unassessed=unassessed,
                candidates=candidates,
            )
        )
    if without_review:
        missing.append(
            format_lazy(
                gettext_lazy(
                    "{without_review} dari {candidates} kandidat belum memiliki review talenta yang dipublikasikan "
                    "(komponen potensi bernilai 0)."
                ),
                without_review=without_review,
                candidates=candidates,
            )
        )
    return RankingCompleteness(is_merit_ranking=has_standard or not candidates, missing=missing)


def seniority_key(facts: CandidateFacts) -> tuple[int, dt.date, dt.date]:
    """Higher rank, then earlier TMT pangkat, then earlier TMT CPNS = more senior (used only to break ties)."""
    far = dt.date(9999, 1, 1)
    return (-facts.rank_order, facts.rank_start or far, facts.cpns_date or far)


def rank_candidates(scored: Sequence[tuple[CandidateFacts, Decimal]]) -> list[tuple[CandidateFacts, Decimal]]:
    """Merit score descending; seniority breaks ties only."""
    return sorted(scored, key=lambda fs: (-fs[1], seniority_key(fs[0]), fs[0].employee_id))


def _ranks(values: Sequence[float]) -> list[float]:
    order = sorted(range(len(values)), key=lambda i: values[i])
    out = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        avg = (i + j) / 2 + 1
        for k in range(i, j + 1):
            out[order[k]] = avg
        i = j + 1
    return out


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Spearman rank correlation with average ranks for ties; None when undefined (n < 2 or no variance)."""
    if len(xs) != len(ys) or len(xs) < 2:
        return None
    rx, ry = _ranks(xs), _ranks(ys)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    vx = sum((a - mx) ** 2 for a in rx)
    vy = sum((b - my) ** 2 for b in ry)
    if vx == 0 or vy == 0:
        return None
    return cov / (vx * vy) ** 0.5
