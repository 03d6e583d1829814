"""Pure KP (rank promotion) rules (no ORM, no I/O): eligibility, credit points, periods and windows.

Sources (regulations.md): §4.3 KP Reguler (PP 99/2000 jo PP 12/2002 Pasal 7; Kepka BKN 12/2002 caps),
§4.4 KP Jabatan Fungsional (PP 99/2000 Pasal 13; PermenPANRB 1/2023, Perban BKN 3/2023), §1.7 predikat →
AK conversion, §4.5 periods (Perban BKN 4/2023), §4.7 requirements for promotion into posts (PP 11/2017 jo 17/2020).
Every rule returns a RuleResult with an Indonesian reason, so the queue, the outlook and the API all show
the same explanation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from typing import Any, NamedTuple

from django.utils.translation import gettext_noop as N_

PERIOD_MONTHS = (2, 4, 6, 8, 10, 12)
GOOD_PREDIKATS = frozenset({"sangat_baik", "baik"})
PREDIKAT_LABELS = {
    "sangat_baik": N_("Sangat Baik"),
    "baik": N_("Baik"),
    "butuh_perbaikan": N_("Butuh Perbaikan"),
    "kurang": N_("Kurang/Misconduct"),
    "sangat_kurang": N_("Sangat Kurang"),
}
# §1.7: AK = % predikat × koefisien tahunan (× bulan/12).
PREDIKAT_PERCENT = {
    "sangat_baik": Decimal("1.50"),
    "baik": Decimal("1.00"),
    "butuh_perbaikan": Decimal("0.75"),
    "kurang": Decimal("0.50"),
    "sangat_kurang": Decimal("0.25"),
}
ANNUAL_COEFFICIENT = {
    "ahli_pertama": Decimal("12.5"),
    "ahli_muda": Decimal("25"),
    "ahli_madya": Decimal("37.5"),
    "ahli_utama": Decimal("50"),
    "pemula": Decimal("3.75"),
    "terampil": Decimal("5"),
    "mahir": Decimal("12.5"),
    "penyelia": Decimal("25"),
}
SKILL_LEVELS = frozenset({"pemula", "terampil", "mahir", "penyelia"})
FUNCTIONAL_KINDS = frozenset({"fungsional_keahlian", "fungsional_keterampilan"})
STRUCTURAL_KINDS = frozenset({"jpt_utama", "jpt_madya", "jpt_pratama", "administrator", "pengawas"})
# Ujian dinas (§4.3): crossing from the last rank of golongan II or III.
EXAM_CROSSINGS = {"II/d": "tingkat_i", "III/d": "tingkat_ii"}
EXAM_LABELS = {"tingkat_i": N_("Ujian Dinas Tingkat I"), "tingkat_ii": N_("Ujian Dinas Tingkat II")}
MIN_YEARS = {"reguler": 4, "struktural": 4, "fungsional": 2}


def message_text(message: str, params: Mapping[str, Any]) -> str:
    """A rule message in Indonesian (the working language): `message` is the catalogue text with `{name}`
    placeholders, `params` plain JSON values. By name: `*_date` an ISO date, `*_num` a decimal, `*_label` a
    catalogue text, a list the `{message, params}` parts joined by "; ". The portal renders the same pair in
    the reader's language (asn_portal.i18n_text.rule_text), so stored reasons follow the language too."""
    return message.format(**{k: _id_param(k, v) for k, v in params.items()})


def _id_param(key: str, value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(message_text(part["message"], part.get("params", {})) for part in value)
    if key.endswith("_date") and value:
        return fmt(dt.date.fromisoformat(str(value)))
    if key.endswith("_num"):
        return _id_decimal(Decimal(str(value)))
    return str(value)


class RuleResult(NamedTuple):
    code: str
    passed: bool
    reason: str = ""
    # Time-bound failures resolve on their own by this date ("if nothing changes").
    resolves_on: dt.date | None = None
    message: str = ""  # the catalogue text behind `reason`, and its parameters (message_text)
    params: Mapping[str, Any] | None = None

    def __eq__(self, other: object) -> bool:
        """The verdict (code, passed, reason, resolves_on); message and params only spell `reason` out."""
        return isinstance(other, tuple) and tuple(self[:4]) == tuple(other[:4]) and len(other) in (4, len(self))

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash(tuple(self[:4]))

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, "reason": self.reason}
        if self.message:
            out["message"] = self.message
            out["params"] = dict(self.params or {})
        return out


def failed(code: str, message: str, resolves_on: dt.date | None = None, **params: Any) -> RuleResult:
    """A failed rule whose reason is `message` (marked for translation) filled with `params`."""
    return RuleResult(code, False, message_text(message, params), resolves_on, message, params)


@dataclass(frozen=True)
class Sanction:
    start: dt.date
    end: dt.date | None


@dataclass(frozen=True)
class RankFacts:
    """Everything the KP rules need about one employee, loaded set-based by the selectors."""

    employee_id: int
    rank_order: int  # PNS 1 (I/a) … 17 (IV/e)
    rank_code: str
    rank_start: dt.date | None
    education_level: str
    position_kind: str
    functional_level: str = ""
    supervisor_rank_order: int | None = None
    predikat: Mapping[int, str] = field(default_factory=dict)  # year → predikat
    exams: frozenset[str] = frozenset()
    sanctions: tuple[Sanction, ...] = ()


@dataclass(frozen=True)
class Tables:
    """Editable data the rules read: rank ladder, education caps, AK thresholds."""

    rank_codes: Mapping[int, str]  # order → code
    education_caps: Mapping[str, str]  # education → max rank code (KP Reguler)
    credit_thresholds: Mapping[tuple[str, str], Decimal]  # (category, rank code) → AK

    @cached_property
    def _orders(self) -> dict[str, int]:
        return {c: o for o, c in self.rank_codes.items()}

    @cached_property
    def top_order(self) -> int:
        return max(self.rank_codes) if self.rank_codes else 17

    def order_of(self, code: str) -> int | None:
        return self._orders.get(code)


@dataclass(frozen=True)
class Evaluation:
    kind: str
    target_order: int | None
    results: tuple[RuleResult, ...]
    credit_points: Decimal | None = None

    @property
    def eligible(self) -> bool:
        return self.target_order is not None and all(r.passed for r in self.results)

    @property
    def failing(self) -> list[RuleResult]:
        return [r for r in self.results if not r.passed]


# ---------------------------------------------------------------- dates


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 Feb
        return day.replace(year=day.year + years, day=28)


def period_dates_from(day: dt.date, count: int) -> list[dt.date]:
    """The next `count` KP period dates on or after `day` (1 Feb, 1 Apr, … 1 Dec; Perban BKN 4/2023 Pasal 2)."""
    out: list[dt.date] = []
    year = day.year
    while len(out) < count:
        for month in PERIOD_MONTHS:
            d = dt.date(year, month, 1)
            if d >= day and len(out) < count:
                out.append(d)
        year += 1
    return out


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, day.day)


def submission_window(period_date: dt.date) -> tuple[dt.date, dt.date]:
    """Default submission window of a KP period: the 15th of the second month before to the 15th of the month
    before (Perban BKN 4/2023 practice, regulations.md §4.5: 1 Feb 2024 → 15 Dec 2023 – 15 Jan 2024). Seeded
    into each `PromotionPeriod`, where BKD may edit it."""
    first = period_date.replace(day=15)
    return _add_months(first, -2), _add_months(first, -1)


def assessment_years(window_opens: dt.date) -> tuple[int, int]:
    """The "SKP 2 tahun terakhir" of a KP period (PP 99/2000 Pasal 7; regulations.md §4.3): the latest two years
    whose annual predikat can be final when the period's submission window opens. An annual predikat is final only
    after its year has ended (the annual rating opens the next day), so for a window opening on 15 Dec 2026
    (period 1 Feb 2027) those are 2024 and 2025, not 2026."""
    last = window_opens.year - 1
    return last - 1, last


def submission_late(*, today: dt.date, window_closes: dt.date) -> bool:
    """A proposal made after the last day of the period's submission window is late."""
    return today > window_closes


def first_period_on_or_after(day: dt.date) -> dt.date:
    return period_dates_from(day, 1)[0]


def fmt(day: dt.date) -> str:
    return day.strftime("%d-%m-%Y")


# ---------------------------------------------------------------- KP rules


def promotion_kind(position_kind: str) -> str:
    """KP Reguler for pelaksana; KP Pilihan for functional and structural posts (§4.2)."""
    if position_kind in FUNCTIONAL_KINDS:
        return "fungsional"
    if position_kind in STRUCTURAL_KINDS:
        return "struktural"
    return "reguler"


def rule_not_top_rank(rank_order: int, top_order: int = 17) -> RuleResult:
    if rank_order >= top_order:
        return failed("top_rank", N_("Sudah berada pada pangkat tertinggi (IV/e)."))
    return RuleResult("top_rank", True)


def rule_years_in_rank(rank_start: dt.date | None, as_of: dt.date, min_years: int) -> RuleResult:
    """≥ 4 years in the current rank for KP Reguler (PP 99/2000 Pasal 7), ≥ 2 years for JF (Pasal 13)."""
    if rank_start is None:
        return failed("years_in_rank", N_("TMT pangkat terakhir belum tercatat."))
    due = add_years(rank_start, min_years)
    if as_of < due:
        return failed(
            "years_in_rank",
            N_(
                "Masa kerja dalam pangkat belum {years} tahun (TMT pangkat {start_date}, "
                "genap {years} tahun pada {due_date})."
            ),
            resolves_on=due,
            years=min_years,
            start_date=rank_start.isoformat(),
            due_date=due.isoformat(),
        )
    return RuleResult("years_in_rank", True)


def rule_predikat_last_two_years(
    predikat: Mapping[int, str], as_of: dt.date, window_opens: dt.date | None = None
) -> RuleResult:
    """Predikat kinerja at least Baik in each of the last 2 years (PP 99/2000 Pasal 7; PP 30/2019), the years
    being those final when the submission window opens (`assessment_years`; default window of `as_of`)."""
    years = assessment_years(window_opens or submission_window(as_of)[0])
    problems = []
    for year in years:
        value = predikat.get(year)
        if value is None:
            problems.append({"message": N_("{year}: belum ada predikat"), "params": {"year": year}})
        elif value not in GOOD_PREDIKATS:
            label = PREDIKAT_LABELS.get(value, value)
            problems.append({"message": "{year}: {predikat_label}", "params": {"year": year, "predikat_label": label}})
    if problems:
        return failed(
            "predikat",
            N_("Predikat kinerja {first} dan {second} harus minimal Baik ({problems})."),
            first=years[0],
            second=years[1],
            problems=problems,
        )
    return RuleResult("predikat", True)


def rule_education_cap(education_level: str, target_order: int, tables: Tables) -> RuleResult:
    """KP Reguler cannot go above the maximum rank for the person's diploma (Kepka BKN 12/2002, §4.3)."""
    cap_code = tables.education_caps.get(education_level)
    cap = tables.order_of(cap_code) if cap_code else None
    if cap is not None and target_order > cap:
        return failed(
            "education_cap",
            N_("Pangkat maksimal KP reguler untuk ijazah ini adalah {rank}; perlu penyesuaian ijazah."),
            rank=cap_code,
        )
    return RuleResult("education_cap", True)


def rule_superior_rank(target_order: int, supervisor_rank_order: int | None, tables: Tables) -> RuleResult:
    """The new rank may not exceed the direct superior's rank (bkd.batangkab.go.id, §4.3)."""
    if supervisor_rank_order is not None and target_order > supervisor_rank_order:
        code = tables.rank_codes.get(supervisor_rank_order, "?")
        return failed("superior_rank", N_("Pangkat tujuan melebihi pangkat atasan langsung ({rank})."), rank=code)
    return RuleResult("superior_rank", True)


def rule_civil_service_exam(rank_code: str, exams: Iterable[str]) -> RuleResult:
    """Ujian dinas passed to cross II → III (tingkat I) and III → IV (tingkat II) (§4.3)."""
    needed = EXAM_CROSSINGS.get(rank_code)
    if needed and needed not in set(exams):
        return failed("civil_service_exam", N_("Belum lulus {exam_label} (STLUD)."), exam_label=EXAM_LABELS[needed])
    return RuleResult("civil_service_exam", True)


def rule_no_sanction(sanctions: Iterable[Sanction], as_of: dt.date) -> RuleResult:
    """No disciplinary sanction in force on the period date (hukuman disiplin blocks KP)."""
    active = [s for s in sanctions if s.start <= as_of and (s.end is None or s.end >= as_of)]
    if active:
        ends = [s.end for s in active]
        until = None if any(e is None for e in ends) else max(e for e in ends if e is not None)
        if until is None:
            return failed("sanction", N_("Sedang menjalani hukuman disiplin (tanpa tanggal akhir)."))
        return failed(
            "sanction",
            N_("Sedang menjalani hukuman disiplin (sampai {until_date})."),
            resolves_on=until + dt.timedelta(days=1),
            until_date=until.isoformat(),
        )
    return RuleResult("sanction", True)


def credit_points(predikat: Mapping[int, str], since: dt.date, as_of: dt.date, functional_level: str) -> Decimal:
    """Cumulative AK from converted predikat since the last rank's TMT (Perban BKN 3/2023, §1.7):
    per year, months counted / 12 × % predikat × annual coefficient of the jenjang. Years end before `as_of`'s
    year (only completed appraisals count); a missing predikat adds nothing."""
    coefficient = ANNUAL_COEFFICIENT.get(functional_level)
    if coefficient is None:
        return Decimal("0")
    total = Decimal("0")
    for year in range(since.year, as_of.year):
        value = predikat.get(year)
        if value is None:
            continue
        months = 12 - since.month + 1 if year == since.year else 12
        total += Decimal(months) / 12 * PREDIKAT_PERCENT[value] * coefficient
    return total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _id_decimal(value: Decimal) -> str:
    """Rule reasons are Indonesian sentences: their numbers use the Indonesian decimal comma (46,88)."""
    return f"{value:.2f}".replace(".", ",")


def rule_credit_points(points: Decimal, required: Decimal | None, rank_code: str) -> RuleResult:
    """JF: the cumulative AK for the next rank must be reached (§1.7, §4.4)."""
    if required is None:
        return failed("credit_points", N_("Kebutuhan AK untuk golongan {rank} belum diatur."), rank=rank_code)
    if points < required:
        return failed(
            "credit_points",
            N_("Angka kredit kumulatif {points_num} dari {required_num} yang dibutuhkan untuk kenaikan pangkat."),
            points_num=str(points),
            required_num=str(required),
        )
    return RuleResult("credit_points", True)


def evaluate(facts: RankFacts, as_of: dt.date, tables: Tables, window_opens: dt.date | None = None) -> Evaluation:
    """Judge one employee for the KP period `as_of` (the new rank's TMT) whose submission window opens on
    `window_opens` (default: the seeded window of that period)."""
    kind = promotion_kind(facts.position_kind)
    top = rule_not_top_rank(facts.rank_order, tables.top_order)
    if not top.passed:
        return Evaluation(kind, None, (top,))
    target = facts.rank_order + 1
    results = [
        rule_years_in_rank(facts.rank_start, as_of, MIN_YEARS[kind]),
        rule_predikat_last_two_years(facts.predikat, as_of, window_opens),
    ]
    if kind == "reguler":
        results.append(rule_education_cap(facts.education_level, target, tables))
    results += [
        rule_superior_rank(target, facts.supervisor_rank_order, tables),
        rule_civil_service_exam(facts.rank_code, facts.exams),
        rule_no_sanction(facts.sanctions, as_of),
    ]
    points: Decimal | None = None
    if kind == "fungsional":
        category = "keterampilan" if facts.functional_level in SKILL_LEVELS else "keahlian"
        since = facts.rank_start or as_of
        points = credit_points(facts.predikat, since, as_of, facts.functional_level)
        results.append(
            rule_credit_points(points, tables.credit_thresholds.get((category, facts.rank_code)), facts.rank_code)
        )
    return Evaluation(kind, target, tuple(results), points)


def _projected(facts: RankFacts, until_year: int) -> RankFacts:
    """ "If nothing changes": future years keep the latest known predikat."""
    if not facts.predikat:
        return facts
    latest_year = max(facts.predikat)
    latest = facts.predikat[latest_year]
    filled = dict(facts.predikat)
    for year in range(latest_year + 1, until_year + 1):
        filled[year] = latest
    return replace(facts, predikat=filled)


def next_eligible_period(
    facts: RankFacts, after: dt.date, tables: Tables, horizon: int = 36, now: Evaluation | None = None
) -> dt.date | None:
    """The first KP period after `after` at which the employee is eligible if nothing changes (future years
    keep the latest predikat), or None when time alone will not fix it (education cap, superior's rank,
    ujian dinas, an open-ended sanction, a predikat below Baik). `now` is the evaluation at `after`, when known."""
    now = now or evaluate(facts, after, tables)
    if now.target_order is None:
        return None
    projected = _projected(facts, after.year + 12)
    if not evaluate(projected, add_years(after, 10), tables).eligible:
        return None
    start = max([after + dt.timedelta(days=1)] + [r.resolves_on for r in now.failing if r.resolves_on])
    for day in period_dates_from(start, horizon):
        if evaluate(projected, day, tables).eligible:
            return day
    return None
