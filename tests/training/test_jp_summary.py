"""The JP summary (API `/employees/{id}/jp-summary/`) is read in one statement compiled once per process; it equals
the two plain ORM queries it replaced (`jp_summary_live`) for verified, pending and rejected learning over several
years, a year with pending learning only and an employee with none."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from training.ledger import selectors
from training.models import LearningRecord

pytestmark = pytest.mark.django_db


def _line(employee: Any, year: int, jp: str, status: str, n: int) -> None:
    LearningRecord.objects.create(
        employee=employee,
        agency=employee.agency,
        year=year,
        date=dt.date(year, 3, 1),
        jp=Decimal(jp),
        title=f"Kegiatan {n}",
        source_type="test",
        source_id=str(n),
        status=status,
    )


def test_jp_summary_equals_the_plain_queries(org: Any, django_assert_num_queries: Any) -> None:
    staff = org.staff
    for year in (2024, 2025, 2026, 2027):
        assert selectors.jp_summary(employee=staff, year=year) == selectors.jp_summary_live(employee=staff, year=year)
    lines = [
        (2024, "12.5", "verified"),
        (2024, "3", "rejected"),
        (2025, "8", "verified"),
        (2025, "4.25", "verified"),
        (2025, "6", "pending"),
        (2026, "2", "pending"),  # a year with pending learning only
        (2026, "5", "rejected"),
    ]
    for n, (year, jp, status) in enumerate(lines):
        _line(staff, year, jp, status, n)
    _line(org.staff2, 2025, "40", "verified", 99)  # someone else's learning
    for year in (2023, 2024, 2025, 2026):
        with django_assert_num_queries(1):
            summary = selectors.jp_summary(employee=staff, year=year)
        assert summary == selectors.jp_summary_live(employee=staff, year=year)
    summary = selectors.jp_summary(employee=staff, year=2025)
    assert (summary["jp"], summary["pending_jp"]) == (Decimal("12.25"), Decimal("6"))
    assert [(r["year"], r["records"]) for r in summary["by_year"]] == [(2025, 2), (2024, 1)]
    assert selectors.jp_summary(employee=staff, year=2026)["pending_jp"] == Decimal("2")
