"""Pure rules, typed from regulations.md §5 and the issue."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from training import rules
from training.choices import EnrollmentStatus as S


@pytest.mark.parametrize(
    ("total", "percent", "met"),
    [
        (Decimal("0"), 0, False),
        (Decimal("10"), 50, False),
        (Decimal("19.99"), 100, False),  # rounds to 100% on the bar but is not yet 20 JP
        (Decimal("20"), 100, True),  # PP 11/2017 jo. PP 17/2020 Pasal 203 (4): at least 20 JP
        (Decimal("45"), 100, True),
    ],
)
def test_jp_progress_toward_twenty(total: Decimal, percent: int, met: bool) -> None:
    assert rules.jp_progress_percent(total) == percent
    assert rules.meets_target(total) is met


@pytest.mark.parametrize(
    ("jp", "ok"),
    [
        (Decimal("-1"), False),
        (Decimal("0"), False),
        (Decimal("0.5"), True),
        (Decimal("500"), True),
        (Decimal("501"), False),
        (None, False),
    ],
)
def test_absurd_jp_is_refused(jp: Decimal | None, ok: bool) -> None:
    assert (rules.jp_problem(jp) is None) is ok


@pytest.mark.parametrize(
    ("fmt", "hours", "rate", "cap", "expected"),
    [
        ("teknis", Decimal("6"), None, None, Decimal("8.00")),  # 1 JP = 45 minutes: 6 h = 8 JP
        ("seminar", Decimal("3"), None, None, Decimal("4.00")),
        ("e_learning", Decimal("5"), Decimal("1"), Decimal("20"), Decimal("5.00")),
        ("coaching", Decimal("30"), Decimal("1"), Decimal("10"), Decimal("10.00")),  # capped
        ("magang", Decimal("40"), Decimal("0.5"), Decimal("40"), Decimal("20.00")),
        ("teknis", Decimal("0"), None, None, Decimal("0")),
    ],
)
def test_jp_for_hours(fmt: str, hours: Decimal, rate: Decimal | None, cap: Decimal | None, expected: Decimal) -> None:
    assert rules.jp_for_hours(fmt=fmt, hours=hours, rate_per_hour=rate, max_jp=cap) == expected


@pytest.mark.parametrize(
    ("fmt", "mode"),
    [
        ("pkp", "klasikal"),
        ("seminar", "klasikal"),
        ("workshop", "klasikal"),
        ("e_learning", "nonklasikal"),
        ("coaching", "nonklasikal"),
        ("mentoring", "nonklasikal"),
        ("magang", "nonklasikal"),
    ],
)
def test_perlan_5_2018_classical_and_nonclassical(fmt: str, mode: str) -> None:
    assert rules.mode_for_format(fmt) == mode


@pytest.mark.parametrize(
    ("frm", "to", "ok"),
    [
        (S.REQUESTED, S.APPROVED, True),
        (S.REQUESTED, S.DECLINED, True),
        (S.REQUESTED, S.ENROLLED, False),
        (S.APPROVED, S.ENROLLED, True),
        (S.APPROVED, S.WAITLISTED, True),
        (S.WAITLISTED, S.ENROLLED, True),
        (S.ENROLLED, S.ATTENDED, True),
        (S.ENROLLED, S.NO_SHOW, True),
        (S.ATTENDED, S.COMPLETED, True),
        (S.ATTENDED, S.FAILED, True),
        (S.ATTENDED, S.CANCELLED, False),
        (S.COMPLETED, S.CANCELLED, False),
        (S.COMPLETED, S.COMPLETED, False),
        (S.CANCELLED, S.ENROLLED, False),
        (S.NO_SHOW, S.COMPLETED, False),
    ],
)
def test_enrolment_state_machine(frm: str, to: str, ok: bool) -> None:
    assert rules.can_transition(frm, to) is ok


def test_every_status_has_a_row_in_the_transition_table() -> None:
    assert set(rules.TRANSITIONS) == set(S.values)


@pytest.mark.parametrize(
    ("today", "is_open", "ok"),
    [
        (dt.date(2026, 3, 1), True, False),  # before the window
        (dt.date(2026, 3, 10), True, True),
        (dt.date(2026, 3, 20), True, True),
        (dt.date(2026, 3, 21), True, False),  # after the window
        (dt.date(2026, 3, 15), False, False),  # offering not open
    ],
)
def test_enrolment_window(today: dt.date, is_open: bool, ok: bool) -> None:
    problem = rules.window_problem(
        today=today, enrol_open=dt.date(2026, 3, 10), enrol_close=dt.date(2026, 3, 20), is_open=is_open
    )
    assert (problem is None) is ok


@pytest.mark.parametrize(
    ("kind", "rank", "kinds", "lo", "hi", "missing", "n"),
    [
        ("pengawas", 9, ["pengawas"], None, None, [], 0),
        ("pelaksana", 9, ["pengawas", "administrator"], None, None, [], 1),
        ("pengawas", 8, [], 9, None, [], 1),  # III/a = order 9 minimum
        ("pengawas", 14, [], None, 12, [], 1),
        ("pengawas", 9, [], None, None, ["PKP"], 1),
        ("pelaksana", 5, ["pengawas"], 9, None, ["PKP"], 3),
        ("pelaksana", None, [], None, None, [], 0),
    ],
)
def test_eligibility(
    kind: str, rank: int | None, kinds: list[str], lo: int | None, hi: int | None, missing: list[str], n: int
) -> None:
    problems = rules.eligibility_problems(
        position_kind=kind,
        rank_order=rank,
        allowed_kinds=kinds,
        min_rank_order=lo,
        max_rank_order=hi,
        missing_prerequisites=missing,
    )
    assert len(problems) == n


@pytest.mark.parametrize(
    ("required", "current", "target", "closed"),
    [(3, 1, 3, 2), (3, 1, 5, 2), (3, 1, 2, 1), (3, None, 3, 3), (3, 3, 4, 0), (2, 4, 5, 0)],
)
def test_gap_closed(required: int, current: int | None, target: int, closed: int) -> None:
    assert rules.gap_closed(required=required, current=current, target=target) == closed


def test_reminder_after_seven_days_once() -> None:
    issued = dt.date(2026, 5, 1)
    assert not rules.reminder_due(issued_on=issued, today=dt.date(2026, 5, 7), answered=False, reminded=False)
    assert rules.reminder_due(issued_on=issued, today=dt.date(2026, 5, 8), answered=False, reminded=False)
    assert not rules.reminder_due(issued_on=issued, today=dt.date(2026, 5, 9), answered=False, reminded=True)
    assert not rules.reminder_due(issued_on=issued, today=dt.date(2026, 5, 9), answered=True, reminded=False)


@pytest.mark.parametrize(("month", "due"), [(1, False), (6, False), (7, True), (12, True)])
def test_monthly_reminder_from_july(month: int, due: bool) -> None:
    assert rules.monthly_reminder_month(month) is due


@pytest.mark.parametrize(("value", "ok"), [(1, True), (5, True), (0, False), (6, False), (None, False)])
def test_likert_scale(value: int | None, ok: bool) -> None:
    assert (rules.likert_problem(value, required=True) is None) is ok


@pytest.mark.parametrize(
    ("fmt", "etype", "ok"), [("latsar", "cpns", True), ("latsar", "pns", False), ("pkp", "pns", True)]
)
def test_latsar_only_for_cpns(fmt: str, etype: str, ok: bool) -> None:
    assert (rules.employment_problem(fmt=fmt, employment_type=etype) is None) is ok


def test_unknown_status_has_no_transitions() -> None:
    assert rules.can_transition("unknown", S.ENROLLED) is False
    assert rules.sources_for(S.ENROLLED) == sorted([S.APPROVED, S.WAITLISTED])


@pytest.mark.parametrize(
    ("jp", "message"),
    [
        (None, "JP wajib diisi."),
        (Decimal("0"), "JP harus lebih dari 0."),
        (Decimal("-2"), "JP harus lebih dari 0."),
        (Decimal("501"), "JP 501 tidak wajar: satu kegiatan paling banyak 500 JP."),
        (Decimal("500"), None),
        (Decimal("0.5"), None),
    ],
)
def test_jp_problem_messages(jp: Decimal | None, message: str | None) -> None:
    assert rules.jp_problem(jp) == message


@pytest.mark.parametrize(
    ("fmt", "hours", "rate", "cap", "jp"),
    [
        ("teknis", "0", None, None, "0"),
        ("teknis", "-1", None, None, "0"),
        ("teknis", "1", None, None, "1.33"),  # 60/45, rounded half up to 2 decimals
        ("teknis", "0.5", "2", None, "0.67"),  # classroom hours ignore the nonclassical rate
        ("e_learning", "0.5", "2", None, "1.00"),  # below one hour still counts
        ("e_learning", "3", "2", "4", "4.00"),  # capped
        ("e_learning", "3", None, None, "4.00"),  # no rate configured: the classroom conversion
        ("e_learning", "0.005", "1", None, "0.01"),  # 0.005 rounds half up
    ],
)
def test_jp_for_hours_exact_figures(fmt: str, hours: str, rate: str | None, cap: str | None, jp: str) -> None:
    got = rules.jp_for_hours(
        fmt=fmt,
        hours=Decimal(hours),
        rate_per_hour=Decimal(rate) if rate else None,
        max_jp=Decimal(cap) if cap else None,
    )
    assert str(got) == jp


def test_jp_progress_rounds_half_up() -> None:
    assert rules.jp_progress_percent(Decimal("0.1")) == 1  # 0.5% → 1% (half-even would show 0%)
    assert rules.jp_progress_percent(Decimal("0.3")) == 2  # 1.5% → 2%


D = dt.date


@pytest.mark.parametrize(
    ("today", "is_open", "message"),
    [
        (D(2026, 3, 1), False, "Pendaftaran angkatan ini tidak dibuka."),
        (D(2026, 2, 28), True, "Pendaftaran baru dibuka pada 1 Mar 2026."),
        (D(2026, 3, 1), True, None),
        (D(2026, 3, 15), True, None),
        (D(2026, 3, 16), True, "Pendaftaran sudah ditutup pada 15 Mar 2026."),
    ],
)
def test_window_messages_give_the_dates(today: dt.date, is_open: bool, message: str | None) -> None:
    problem = rules.window_problem(today=today, enrol_open=D(2026, 3, 1), enrol_close=D(2026, 3, 15), is_open=is_open)
    assert problem == message


@pytest.mark.parametrize(
    ("kwargs", "problems"),
    [
        (
            {"position_kind": "pelaksana", "allowed_kinds": ["fungsional"]},
            ["Jenis jabatan Anda tidak termasuk sasaran pelatihan ini."],
        ),
        ({"position_kind": "pelaksana", "allowed_kinds": ["", "pelaksana"]}, []),
        ({"rank_order": 5, "min_rank_order": 6}, ["Pangkat/golongan Anda di bawah syarat minimum pelatihan ini."]),
        ({"rank_order": None, "min_rank_order": 6}, ["Pangkat/golongan Anda di bawah syarat minimum pelatihan ini."]),
        ({"rank_order": 6, "min_rank_order": 6, "max_rank_order": 6}, []),
        ({"rank_order": 7, "max_rank_order": 6}, ["Pangkat/golongan Anda di atas batas pelatihan ini."]),
        ({"rank_order": None, "max_rank_order": 6}, []),
        ({"missing_prerequisites": ["Latsar", "PKP"]}, ["Prasyarat belum dipenuhi: Latsar, PKP."]),
        (
            {"position_kind": None, "allowed_kinds": ["fungsional"], "rank_order": 9, "max_rank_order": 6},
            [
                "Jenis jabatan Anda tidak termasuk sasaran pelatihan ini.",
                "Pangkat/golongan Anda di atas batas pelatihan ini.",
            ],
        ),
    ],
)
def test_eligibility_problems_name_every_reason(kwargs: dict, problems: list[str]) -> None:
    base: dict = {
        "position_kind": "pelaksana",
        "rank_order": 6,
        "allowed_kinds": [],
        "min_rank_order": None,
        "max_rank_order": None,
    }
    assert rules.eligibility_problems(**{**base, **kwargs}) == problems


def test_latsar_message() -> None:
    assert rules.employment_problem(fmt="latsar", employment_type="pns") == "Pelatihan Dasar (Latsar) hanya untuk CPNS."
    assert rules.employment_problem(fmt="latsar", employment_type="cpns") is None
    assert rules.employment_problem(fmt="teknis", employment_type="pns") is None


@pytest.mark.parametrize(
    ("value", "required", "message"),
    [
        (None, True, "Pertanyaan ini wajib dijawab."),
        (None, False, None),
        (0, False, "Jawaban skala harus 1 sampai 5."),
        (6, True, "Jawaban skala harus 1 sampai 5."),
        (1, True, None),
        (5, True, None),
    ],
)
def test_likert_messages(value: int | None, required: bool, message: str | None) -> None:
    assert rules.likert_problem(value, required=required) == message


def test_likert_distribution_and_followup_date() -> None:
    assert rules.likert_distribution({5: 3, 1: 1, 9: 4}) == [1, 0, 0, 0, 3]
    assert rules.likert_distribution({}) == [0, 0, 0, 0, 0]
    assert rules.followup_due_on(D(2026, 11, 15), 90) == D(2027, 2, 13)


# ---------------------------------------------------------------- rules reached only through pages before


@pytest.mark.parametrize(
    ("status", "nxt"),
    [
        ("draft", ["open", "cancelled"]),
        ("open", ["closed", "running", "cancelled"]),
        ("closed", ["open", "running", "cancelled"]),
        ("running", ["finished", "cancelled"]),
        ("finished", []),
        ("cancelled", []),
        ("unknown", []),
    ],
)
def test_offering_next_statuses_in_life_cycle_order(status: str, nxt: list[str]) -> None:
    assert rules.offering_next_statuses(status) == nxt


D = dt.date


@pytest.mark.parametrize(
    ("dates", "problems"),
    [
        ((D(2026, 1, 1), D(2026, 1, 10), D(2026, 1, 10), D(2026, 1, 12)), {}),  # closes on the first day: fine
        ((D(2026, 1, 10), D(2026, 1, 9), D(2026, 1, 20), D(2026, 1, 21)), {"enrol_close": "pembukaannya"}),
        ((D(2026, 1, 1), D(2026, 1, 11), D(2026, 1, 10), D(2026, 1, 12)), {"enrol_close": "paling lambat"}),
        ((D(2026, 1, 1), D(2026, 1, 10), D(2026, 1, 10), D(2026, 1, 9)), {"end_date": "sebelum tanggal mulai"}),
        ((D(2026, 1, 1), D(2026, 1, 10), D(2026, 1, 10), D(2026, 1, 10)), {}),  # a one-day training
        ((None, D(2026, 1, 11), D(2026, 1, 10), None), {"enrol_close": "paling lambat"}),
        ((D(2026, 1, 10), D(2026, 1, 9), D(2026, 1, 5), D(2026, 1, 4)),
         {"enrol_close": "pembukaannya", "end_date": "sebelum tanggal mulai"}),
        ((None, None, None, None), {}),
    ],
)  # fmt: skip
def test_offering_dates_problems(dates: tuple[dt.date | None, ...], problems: dict[str, str]) -> None:
    enrol_open, enrol_close, start_date, end_date = dates
    found = rules.offering_dates_problems(
        enrol_open=enrol_open, enrol_close=enrol_close, start_date=start_date, end_date=end_date
    )
    assert set(found) == set(problems)
    assert all(problems[k] in str(found[k]) for k in problems)


@pytest.mark.parametrize(
    ("source", "kind", "expected"),
    [
        ("training.enrollment", "", "course"),
        ("careers.mentoring", "", "mentoring"),
        ("coaching.mentoring.x", "", "mentoring"),
        ("training.external", "", "other"),
        ("training.enrollment", "other", "course"),  # "other" is no explicit choice
        ("careers.mentoring", "external", "external"),  # an explicit kind wins
    ],
)
def test_credit_kind(source: str, kind: str, expected: str) -> None:
    assert rules.credit_kind(source, kind) == expected
