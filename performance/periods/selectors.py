"""Reads of an agency's evaluation periods."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from asn_portal.precompiled import FIRST_DAY, Param, Statement
from people.access import admin_agency_q, scope_for
from performance.choices import PeriodStatus
from performance.models import EvaluationPeriod, PerformanceSetting


def setting_of(agency_id: int) -> PerformanceSetting:
    """The agency's SKP settings as stored, or the defaults (unsaved) when none were saved yet: a read never
    writes (the row is created by the first write that needs it, `workflow.settings_for`)."""
    return PerformanceSetting.objects.filter(agency_id=agency_id).first() or PerformanceSetting(agency_id=agency_id)


# Compiled once per process (asn_portal.precompiled): the team page reads it on every request.
_CURRENT = Statement(
    lambda a, d: EvaluationPeriod.objects.filter(agency_id=a, start_date__lte=d, end_date__gte=d).order_by("kind")[:1],
    a=Param(-13_170_002),
    d=Param(FIRST_DAY),
)


def current_period(agency_id: int, today: Any = None) -> EvaluationPeriod | None:
    """The agency's period running today (of two, the first by kind)."""
    found: list[EvaluationPeriod] = _CURRENT.instances(a=agency_id, d=today or timezone.localdate())
    return found[0] if found else None


def periods_of(*, agency_id: int, year: int) -> list[EvaluationPeriod]:
    """An agency's evaluation periods of a year, annual last."""
    return list(EvaluationPeriod.objects.filter(agency_id=agency_id, year=year).order_by("kind", "number"))


def periods_for_admin(*, user: Any, year: int) -> QuerySet[EvaluationPeriod]:
    return (
        EvaluationPeriod.objects.filter(admin_agency_q(user), year=year)
        .select_related("agency")
        .order_by("agency__name", "kind", "number")
    )


def period_get_visible(*, user: Any, pk: int) -> EvaluationPeriod:
    scope = scope_for(user)
    qs = EvaluationPeriod.objects.all()
    if not scope.everything:
        qs = qs.filter(agency_id__in=scope.agency_ids)
    period = qs.filter(pk=pk).first()
    if period is None:
        raise Http404("Periode tidak ditemukan.")
    return period


def open_periods(agency_id: int, year: int) -> list[EvaluationPeriod]:
    return list(
        EvaluationPeriod.objects.filter(agency_id=agency_id, year=year, status=PeriodStatus.OPEN)
        .exclude(opened_at=None)
        .order_by("number")
    )


# Compiled once per process (asn_portal.precompiled): the calibration pages read it on every request.
_AGENCY_PERIODS = Statement(
    lambda a: EvaluationPeriod.objects.filter(agency_id=a).order_by("-year", "kind", "number"), a=Param(-13_170_001)
)


def agency_periods(agency_id: int) -> list[EvaluationPeriod]:
    """Every period of an agency for a period picker: newest year first, annual last within a year."""
    periods: list[EvaluationPeriod] = _AGENCY_PERIODS.instances(a=agency_id)
    return periods


def period_for_review(
    *, agency_id: int, pk: int | None, today: Any = None
) -> tuple[EvaluationPeriod | None, list[EvaluationPeriod]]:
    """The agency's period `pk` (Http404 when it is not the agency's), or by default the latest period that has
    ended (its ratings are the ones to calibrate), else the latest started, else the latest; with every period
    of the agency in the picker's order (`agency_periods`): one read for both. Of periods ending the same day
    (the annual period and the last quarter) the first in the picker's order."""
    periods = agency_periods(agency_id)
    if pk is not None:
        found = next((p for p in periods if p.pk == pk), None)
        if found is None:
            raise Http404
        return found, periods
    today = today or timezone.localdate()
    for candidates in (
        [p for p in periods if p.end_date < today],
        [p for p in periods if p.start_date <= today],
        periods,
    ):
        if candidates:
            latest = max(p.end_date for p in candidates)
            return next(p for p in candidates if p.end_date == latest), periods
    return None, periods
