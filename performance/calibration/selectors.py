"""Reads for unit ratings and calibration: distribution counts, the curve specs, calibration rows."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, QuerySet

from asn_portal import summaries
from people.access import unit_q
from people.models import OrgUnit
from performance import rules
from performance.calibration import summaries as calibration_summaries
from performance.choices import EvaluationStatus, Predikat
from performance.models import (
    DistributionRule,
    Evaluation,
    EvaluationPeriod,
    PerformancePlan,
    PredikatSummary,
    UnitCalibration,
    UnitPerformance,
)


def units_for_rating(*, user: Any) -> QuerySet[OrgUnit]:
    """Units whose rating the user may set: BKD admins' agencies, heads' subtrees."""
    return OrgUnit.objects.filter(unit_q(user), is_active=True).select_related("agency", "parent")


def rule_specs() -> dict[str, list[rules.RuleSpec]]:
    out: dict[str, list[rules.RuleSpec]] = defaultdict(list)
    for r in DistributionRule.objects.filter(is_active=True).order_by("unit_rating", "order"):
        out[r.unit_rating].append(rules.RuleSpec(tuple(r.predikats), r.comparator, Decimal(r.percent), r.message))
    return out


def distribution_counts(
    *, period: EvaluationPeriod, unit_ids: Iterable[int] | None = None
) -> dict[int, dict[str, int]]:
    """Per unit: how many employees hold each predikat in the period, from the summary rows (one indexed
    query; `performance.calibration.summaries` keeps them current)."""
    qs = PredikatSummary.objects.filter(period=period)
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=list(unit_ids))
    out: dict[int, dict[str, int]] = defaultdict(dict)
    for unit_id, predikat, n in qs.values_list("unit_id", "predikat", "employees"):
        out[unit_id][predikat] = n
    return out


def computed_at(period: EvaluationPeriod | None) -> dt.datetime | None:
    """When the distribution counts of the period's agency were computed (None: not yet)."""
    return summaries.computed_at(calibration_summaries.KIND, period.agency_id) if period else None


def distribution_counts_live(
    *, period: EvaluationPeriod, unit_ids: Iterable[int] | None = None
) -> dict[int, dict[str, int]]:
    """Per unit: how many employees hold each predikat in the period (one grouped query), computed now: the
    decisions (finalising a calibration) check this, and the tests compare the summary rows against it.

    For the annual period the SKP's annual predikat counts; for other periods the period evaluation."""
    if period.is_annual:
        qs = PerformancePlan.objects.filter(agency_id=period.agency_id, year=period.year).exclude(predikat="")
        if unit_ids is not None:
            qs = qs.filter(unit_id__in=list(unit_ids))
        rows: Any = qs.values_list("unit_id", "predikat").annotate(n=Count("pk")).order_by()
    else:
        eqs = Evaluation.objects.filter(period=period, status=EvaluationStatus.EVALUATED)
        if unit_ids is not None:
            eqs = eqs.filter(plan__unit_id__in=list(unit_ids))
        rows = eqs.values_list("plan__unit_id", "predikat").annotate(n=Count("pk")).order_by()
    out: dict[int, dict[str, int]] = defaultdict(dict)
    for unit_id, predikat, n in rows:
        out[unit_id][predikat] = n
    return out


def calibration_units(*, user: Any, period: EvaluationPeriod) -> QuerySet[OrgUnit]:
    """The calibration table's units: those the user rates that have a rating or a predikat count in the
    period (from the summary rows), by path; the page shows them a page at a time."""
    return (
        units_for_rating(user=user)
        .filter(agency_id=period.agency_id)
        .filter(
            Exists(PredikatSummary.objects.filter(period=period, unit_id=OuterRef("pk")))
            | Exists(UnitPerformance.objects.filter(period=period, unit_id=OuterRef("pk")))
        )
        .select_related(None)
        .only("pk", "name", "path")
        .order_by("path")
    )


def calibration_rows(*, period: EvaluationPeriod, units: Iterable[OrgUnit]) -> list[dict[str, Any]]:
    """Per unit: rating, predikat counts (also as `cells` in the order of `Predikat`), warnings and
    finalisation (4 queries whatever the unit count)."""
    units = list(units)
    ids = [u.pk for u in units]
    counts = distribution_counts(period=period, unit_ids=ids)
    # order_by(): the models' Meta ordering (period, unit path) would join both tables for rows keyed by unit.
    ratings = {
        r.unit_id: r
        for r in UnitPerformance.objects.filter(period=period, unit_id__in=ids).order_by().only("unit_id", "rating")
    }
    cals = {
        c.unit_id: c
        for c in UnitCalibration.objects.filter(period=period, unit_id__in=ids)
        .order_by()
        .select_related("finalised_by")
    }
    specs = rule_specs()
    rows = []
    for u in units:
        c = counts.get(u.pk, {})
        r = ratings.get(u.pk)
        rows.append(
            {
                "unit": u,
                "rating": r,
                "counts": c,
                "cells": [c.get(v, 0) for v in Predikat.values],
                "total": sum(c.values()),
                "warnings": rules.check_distribution(c, specs.get(r.rating, [])) if r else [],
                "calibration": cals.get(u.pk),
            }
        )
    return rows


def unit_people(*, period: EvaluationPeriod, unit_id: int) -> QuerySet[Any]:
    """Who is where: the unit's SKPs (annual period) or evaluations (other periods) with their predikat,
    by predikat then name; the page shows them a page at a time."""
    if period.is_annual:
        return (
            PerformancePlan.objects.filter(agency_id=period.agency_id, year=period.year, unit_id=unit_id)
            .select_related("employee")
            .only("pk", "predikat", "employee__front_title", "employee__name", "employee__back_title")
            .order_by("predikat", "employee__name", "pk")
        )
    return (
        Evaluation.objects.filter(period=period, plan__unit_id=unit_id)
        .select_related("plan__employee")
        .only("pk", "predikat", "plan__employee__front_title", "plan__employee__name", "plan__employee__back_title")
        .order_by("predikat", "plan__employee__name", "pk")
    )


def unit_rating_of(*, unit_id: int | None, period_id: int | None) -> UnitPerformance | None:
    """The organisational rating of a unit for a period, if one was set."""
    if unit_id is None or period_id is None:
        return None
    return UnitPerformance.objects.filter(unit_id=unit_id, period_id=period_id).first()


def unit_ratings_of(*, period: EvaluationPeriod | None, units: Iterable[OrgUnit]) -> dict[int, UnitPerformance]:
    """The ratings set for these units in the period, by unit id (one query)."""
    if period is None:
        return {}
    ids = [u.pk for u in units]
    rows = (
        UnitPerformance.objects.filter(period=period, unit_id__in=ids)
        .order_by()
        .only("pk", "unit_id", "rating", "note")
    )
    return {r.unit_id: r for r in rows}
