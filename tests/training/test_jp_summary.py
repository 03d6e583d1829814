"""The JP summary (API `/employees/{id}/jp-summary/`) is read in one statement compiled once per process; it equals
the two plain ORM queries it replaced (`jp_summary_live`) for verified, pending and rejected learning over several
years, a year with pending learning only and an employee with none."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Count, Sum

from people.models import Employee
from training import rules
from training.choices import VerificationStatus
from training.ledger import selectors
from training.ledger.selectors import ZERO
from training.models import LearningRecord

pytestmark = pytest.mark.django_db


def jp_summary_live(*, employee: Employee, year: int) -> dict[str, Any]:
    """`jp_summary` as it was before issue #13: two plain ORM queries (this test's oracle)."""
    by_year = list(
        LearningRecord.objects.filter(employee=employee, status=VerificationStatus.VERIFIED)
        .values("year")
        .annotate(total=Sum("jp"), count=Count("pk"))
        .order_by("-year")
    )
    total = next((r["total"] for r in by_year if r["year"] == year), ZERO) or ZERO
    pending = (
        LearningRecord.objects.filter(employee=employee, year=year, status=VerificationStatus.PENDING).aggregate(
            s=Sum("jp")
        )["s"]
        or ZERO
    )
    return {
        "employee_id": employee.pk,
        "year": year,
        "jp": total,
        "target": rules.JP_TARGET,
        "remaining": max(ZERO, rules.JP_TARGET - total),
        "percent": rules.jp_progress_percent(total),
        "met": rules.meets_target(total),
        "pending_jp": pending,
        "by_year": [{"year": r["year"], "jp": r["total"], "records": r["count"]} for r in by_year],
    }


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
        assert selectors.jp_summary(employee=staff, year=year) == jp_summary_live(employee=staff, year=year)
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
        assert summary == jp_summary_live(employee=staff, year=year)
    summary = selectors.jp_summary(employee=staff, year=2025)
    assert (summary["jp"], summary["pending_jp"]) == (Decimal("12.25"), Decimal("6"))
    assert [(r["year"], r["records"]) for r in summary["by_year"]] == [(2025, 2), (2024, 1)]
    assert selectors.jp_summary(employee=staff, year=2026)["pending_jp"] == Decimal("2")
