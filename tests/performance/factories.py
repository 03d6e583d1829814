"""Factories for performance: periods, SKPs with results and indicators, predikat records."""

from __future__ import annotations

import datetime as dt
from typing import Any

from people.models import Employee
from performance.choices import PeriodKind, PlanStatus
from performance.loaders import ensure_all
from performance.models import EvaluationPeriod, Indicator, PerformancePlan, PlannedResult
from performance.periods import services as periods_services
from performance.plans import services as plans_services

YEAR = dt.date.today().year


def periods(
    agency: Any, year: int = YEAR, kind: str = PeriodKind.QUARTERLY, open_all: bool = True
) -> list[EvaluationPeriod]:
    ensure_all()
    rows = periods_services.ensure_periods(agency_id=agency.pk, year=year, kind=kind, actor=None)
    if open_all:
        from django.utils import timezone

        EvaluationPeriod.objects.filter(pk__in=[p.pk for p in rows]).update(opened_at=timezone.now())
        for p in rows:
            p.opened_at = timezone.now()
    return rows


def plan(
    employee: Employee, *, year: int = YEAR, status: str = PlanStatus.DRAFT, results: int = 1, **kw: Any
) -> PerformancePlan:
    """An SKP with `results` main results, each with one numeric quantity indicator."""
    ensure_all()
    obj = plans_services._plan_create(employee, year, None)
    for i in range(results):
        res = PlannedResult.objects.create(plan=obj, kind="main", text=f"Hasil kerja {i + 1}", order=i)
        Indicator.objects.create(
            result=res, aspect="quantity", text=f"Jumlah laporan {i + 1}", target="12", target_value=12, unit="laporan"
        )
    changes = {"status": status, **kw}
    PerformancePlan.objects.filter(pk=obj.pk).update(**changes)
    obj.refresh_from_db()
    return obj
