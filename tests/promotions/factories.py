"""Factories and helpers for promotions tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from people.models import Employee
from promotions.data import ensure_periods, ensure_reference_data
from promotions.models import PromotionPeriod
from tests.people.factories import rank


def reference_data() -> None:
    """Reload the data-migration rows (a transactional test flushes them)."""
    ensure_reference_data()
    ensure_periods(PromotionPeriod, [2025, 2026, 2027, 2028])


def period(day: dt.date) -> PromotionPeriod:
    reference_data()
    return PromotionPeriod.objects.get(period_date=day)


def give_predikat(employees: list[Any], years: range | list[int], value: str = "baik") -> None:
    from performance.models import PredikatRecord

    PredikatRecord.objects.bulk_create(
        [PredikatRecord(employee=e, year=y, predikat=value, source="import") for e in employees for y in years],
        ignore_conflicts=True,
    )


def set_rank(employee: Employee, code: str, start: dt.date, **extra: Any) -> Employee:
    employee.rank = rank(code)
    employee.rank_start_date = start
    for k, v in extra.items():
        setattr(employee, k, v)
    employee.save()
    return employee
