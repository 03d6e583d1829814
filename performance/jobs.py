"""Periodic jobs of the SKP cycle: open periods, remind before closing, close and check distributions.
Each writes a JobRun, is set-based and idempotent (re-running does nothing new)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from asn_portal.services import job_run, notify
from people.models import Employee
from performance.calibration import services as calibration_services
from performance.periods import services as periods_services

from .choices import EvaluationStatus, PeriodStatus, PlanStatus
from .models import Evaluation, EvaluationPeriod, PerformancePlan, PerformanceSetting, Progress


def open_periods(today: dt.date | None = None) -> dict[str, int]:
    """Open every period that has started and create its evaluation rows for every approved SKP."""
    today = today or timezone.localdate()
    with job_run("performance.open_periods") as run:
        periods = list(EvaluationPeriod.objects.filter(start_date__lte=today, end_date__gte=today, opened_at=None))
        created = 0
        for period in periods:
            EvaluationPeriod.objects.filter(pk=period.pk, opened_at=None).update(
                opened_at=timezone.now(), status=PeriodStatus.OPEN
            )
            created += periods_services.open_period_evaluations(period=period, actor=None)
        run.counts.update({"periods": len(periods), "evaluations": created})
    return run.counts


def send_period_reminders(today: dt.date | None = None) -> dict[str, int]:
    """A few days before a period closes: employees with no progress, appraisers with unrated SKPs."""
    today = today or timezone.localdate()
    with job_run("performance.reminders") as run:
        lead = dict(PerformanceSetting.objects.values_list("agency_id", "reminder_days_before"))
        periods = [
            p
            for p in EvaluationPeriod.objects.filter(status=PeriodStatus.OPEN, end_date__gte=today).exclude(
                opened_at=None
            )
            if (p.end_date - today).days == lead.get(p.agency_id, 7)
        ]
        employees = appraisers = 0
        for period in periods:
            plans = PerformancePlan.objects.filter(
                agency_id=period.agency_id, year=period.year, status=PlanStatus.APPROVED
            )
            missing = plans.exclude(
                Exists(Progress.objects.filter(period=period, indicator__result__plan=OuterRef("pk")))
            ).values_list("employee_id", flat=True)
            users = [e.user for e in Employee.objects.filter(pk__in=missing).exclude(user=None).select_related("user")]
            notify(
                users=users,
                title=_("Isi realisasi %(p)s sebelum %(d)s") % {"p": period.name, "d": f"{period.end_date:%d-%m-%Y}"},
                url=reverse("performance:my-skp"),
            )
            employees += len(users)
            unrated = Evaluation.objects.filter(period=period, status=EvaluationStatus.PENDING).values_list(
                "plan__appraiser_id", flat=True
            )
            app_users = [
                e.user for e in Employee.objects.filter(pk__in=unrated).exclude(user=None).select_related("user")
            ]
            notify(
                users=app_users,
                title=_("Penilaian %(p)s belum lengkap") % {"p": period.name},
                body=_("Beri umpan balik dan rating sebelum periode ditutup."),
                url=reverse("performance:inbox"),
            )
            appraisers += len(app_users)
        run.counts.update({"periods": len(periods), "employees": employees, "appraisers": appraisers})
    return run.counts


def close_periods(today: dt.date | None = None) -> dict[str, Any]:
    """Close ended periods, report per unit what is still unevaluated; after the annual close,
    check every unit's distribution."""
    from django.db.models import Count

    today = today or timezone.localdate()
    with job_run("performance.close_periods") as run:
        periods = list(EvaluationPeriod.objects.filter(status=PeriodStatus.OPEN, end_date__lt=today))
        unevaluated = 0
        units = 0
        for period in periods:
            EvaluationPeriod.objects.filter(pk=period.pk, status=PeriodStatus.OPEN).update(
                status=PeriodStatus.CLOSED, closed_at=timezone.now()
            )
            per_unit = dict(
                Evaluation.objects.filter(period=period, status=EvaluationStatus.PENDING)
                .values_list("plan__unit_id")
                .annotate(n=Count("pk"))
                .order_by()
                .values_list("plan__unit_id", "n")
            )
            unevaluated += sum(per_unit.values())
            run.counts[f"unevaluated_units_{period.pk}"] = len(per_unit)
            if period.is_annual:
                units += calibration_services.distribution_check_all(period=period, actor=None)["units"]
        run.counts.update({"periods": len(periods), "unevaluated": unevaluated, "units_checked": units})
    return run.counts


def distribution_check_latest_annual() -> dict[str, int]:
    """Bench/ops entry: run the distribution check for every agency's latest annual period."""
    with job_run("performance.distribution_check") as run:
        total = 0
        for period in (
            EvaluationPeriod.objects.filter(is_annual=True).order_by("agency_id", "-year").distinct("agency_id")
        ):
            total += calibration_services.distribution_check_all(period=period, actor=None)["units"]
        run.counts["units"] = total
    return run.counts
