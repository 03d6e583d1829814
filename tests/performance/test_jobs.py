"""Periodic jobs: set-based, idempotent, each writes a JobRun."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from asn_portal.models import JobRun, Notification
from performance import jobs
from performance.choices import PlanStatus
from performance.models import Evaluation, EvaluationPeriod, UnitCalibration, UnitPerformance

from . import factories as f

pytestmark = pytest.mark.django_db


def test_open_periods_creates_evaluations_once(org: Any) -> None:
    periods = f.periods(org.agency, open_all=False)
    f.plan(org.staff, status=PlanStatus.APPROVED)
    f.plan(org.staff2, status=PlanStatus.DRAFT)
    day = periods[1].start_date + dt.timedelta(days=3)
    assert jobs.open_periods(day)["evaluations"] == 1
    assert jobs.open_periods(day)["evaluations"] == 0  # idempotent
    assert Evaluation.objects.filter(period=periods[1]).count() == 1
    assert JobRun.objects.filter(job="performance.open_periods", status="success").count() == 2


def test_reminders_reach_employees_without_progress_and_their_appraisers(org: Any) -> None:
    periods = f.periods(org.agency)
    plan = f.plan(org.staff, status=PlanStatus.APPROVED)
    Evaluation.objects.create(plan=plan, period=periods[0])
    counts = jobs.send_period_reminders(periods[0].end_date - dt.timedelta(days=7))
    assert counts["employees"] == 1 and counts["appraisers"] == 1
    assert Notification.objects.filter(user=org.staff.user, title__startswith="Isi realisasi").exists()
    assert Notification.objects.filter(user=org.head.user, title__startswith="Penilaian").exists()


def test_close_periods_reports_and_checks_distribution_after_annual(org: Any) -> None:
    periods = f.periods(org.agency)
    annual = periods[3]
    f.plan(org.staff, status=PlanStatus.EVALUATED, predikat="baik")
    plan2 = f.plan(org.staff2, status=PlanStatus.APPROVED)
    Evaluation.objects.create(plan=plan2, period=annual)
    UnitPerformance.objects.create(unit=org.dinas, period=annual, rating="baik")
    counts = jobs.close_periods(annual.end_date + dt.timedelta(days=1))
    assert counts["periods"] == 4 and counts["unevaluated"] == 1 and counts["units_checked"] == 1
    assert set(EvaluationPeriod.objects.values_list("status", flat=True)) == {"closed"}
    assert UnitCalibration.objects.get(unit=org.dinas, period=annual).breaks_rule
    assert jobs.close_periods(annual.end_date + dt.timedelta(days=2))["periods"] == 0


def test_distribution_check_job_entry_point(org: Any) -> None:
    periods = f.periods(org.agency)
    f.plan(org.staff, status=PlanStatus.EVALUATED, predikat="baik")
    UnitPerformance.objects.create(unit=org.dinas, period=periods[3], rating="baik")
    assert jobs.distribution_check_latest_annual()["units"] == 1
