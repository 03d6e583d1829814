"""Evaluation periods of an agency's year: configuration, opening/closing, opening the period's evaluations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from asn_portal.errors import ApplicationError
from asn_portal.services import audit
from people.access import is_hr_admin
from performance import rules
from performance.calibration import summaries as calibration_summaries
from performance.choices import PeriodStatus, PlanStatus
from performance.models import Evaluation, EvaluationPeriod, PerformancePlan, PerformanceSetting


def periods_configure(
    *,
    agency_id: int,
    year: int,
    kind: str,
    actor: Any,
    objection_window_days: int | None = None,
    reminder_days_before: int | None = None,
) -> list[EvaluationPeriod]:
    """Set the agency's evaluation frequency for a year and create its periods (§1.3); optionally also the
    objection window and reminder lead time, in the same transaction and audit entry."""
    if not is_hr_admin(actor, agency_id):
        raise ApplicationError(_("Hanya admin BKD yang dapat mengatur periode."), status=403)
    if kind not in rules.PERIOD_MONTHS:
        raise ApplicationError(_("Jenis periode tidak dikenal."))
    existing = EvaluationPeriod.objects.filter(agency_id=agency_id, year=year)
    if existing.exclude(kind=kind).filter(Q(progress__isnull=False) | Q(evaluations__status="evaluated")).exists():
        raise ApplicationError(
            _("Periode tahun ini sudah dipakai untuk realisasi/penilaian; jenisnya tidak dapat diubah.")
        )
    numbers = {"objection_window_days": objection_window_days, "reminder_days_before": reminder_days_before}
    numbers = {k: v for k, v in numbers.items() if v is not None}
    with transaction.atomic():
        existing.exclude(kind=kind).delete()
        PerformanceSetting.objects.update_or_create(agency_id=agency_id, defaults={"period_kind": kind, **numbers})
        periods = ensure_periods(agency_id=agency_id, year=year, kind=kind, actor=actor)
        audit(
            actor=actor,
            action="performance.periods.configure",
            obj=periods[0],
            after={"year": year, "kind": kind, **numbers},
            agency_id=agency_id,
        )
    return periods


def ensure_periods(*, agency_id: int, year: int, kind: str, actor: Any) -> list[EvaluationPeriod]:
    """The agency's periods of a year for the frequency (idempotent); audited by the caller (`periods_configure`)."""
    rows = [
        EvaluationPeriod(
            agency_id=agency_id,
            year=year,
            kind=kind,
            number=s.number,
            name=s.name,
            start_date=dt.date(year, s.start_month, 1),
            end_date=(dt.date(year + 1, 1, 1) if s.end_month == 12 else dt.date(year, s.end_month + 1, 1))
            - dt.timedelta(days=1),
            is_annual=s.is_annual,
        )
        for s in rules.period_specs(kind)
    ]
    EvaluationPeriod.objects.bulk_create(rows, ignore_conflicts=True)
    calibration_summaries.touch(agency_id)  # a new annual period counts the year's SKPs
    return list(EvaluationPeriod.objects.filter(agency_id=agency_id, year=year, kind=kind).order_by("number"))


def period_set_status(*, period: EvaluationPeriod, status: str, actor: Any) -> EvaluationPeriod:
    if not is_hr_admin(actor, period.agency_id):
        raise ApplicationError(_("Hanya admin BKD yang dapat membuka/menutup periode."), status=403)
    now = timezone.now()
    changes: dict[str, Any] = {"status": status}
    if status == PeriodStatus.OPEN and period.opened_at is None:
        changes["opened_at"] = now
    if status == PeriodStatus.CLOSED:
        changes["closed_at"] = now
    with transaction.atomic():
        before = period.status
        EvaluationPeriod.objects.filter(pk=period.pk).update(**changes)
        for k, v in changes.items():
            setattr(period, k, v)
        if status == PeriodStatus.OPEN:
            open_period_evaluations(period=period, actor=actor)
        audit(actor=actor, action="performance.period.status", obj=period, before={"status": before}, after=changes)
    return period


def open_period_evaluations(*, period: EvaluationPeriod, actor: Any) -> int:
    """Create the period's evaluation rows for every approved SKP (idempotent, set-based). `actor` is the admin
    opening the period (audited by `period_set_status`), None when the opening job does it."""
    plan_ids = list(
        PerformancePlan.objects.filter(agency_id=period.agency_id, year=period.year, status=PlanStatus.APPROVED)
        .exclude(evaluations__period=period)
        .values_list("pk", flat=True)
    )
    Evaluation.objects.bulk_create(
        [Evaluation(plan_id=pid, period_id=period.pk) for pid in plan_ids], ignore_conflicts=True, batch_size=2000
    )
    return len(plan_ids)
