"""Reads for unit ratings and calibration: distribution counts, the curve specs, calibration rows."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, QuerySet, Window

from asn_portal import summaries
from asn_portal.precompiled import Param, Statement
from people.access import scope_for, unit_q
from people.models import OrgUnit
from performance import rules
from performance.calibration import summaries as calibration_summaries
from performance.choices import EvaluationStatus, Predikat
from performance.lookups import any_of
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


# The calibration page's reads compiled once per process (asn_portal.precompiled): building and compiling
# these querysets cost more CPU than their rows (issue #13).
_RULES = Statement(
    lambda: (
        DistributionRule.objects.filter(is_active=True)
        .order_by("unit_rating", "order")
        .values_list("unit_rating", "predikats", "comparator", "percent", "message")
    )
)
_PERIOD, _UNIT_IDS = Param(-13_150_001), Param([-13_150_002])
_COUNTS = Statement(
    lambda p, ids: PredikatSummary.objects.filter(any_of("unit_id", ids), period_id=p).values_list(
        "unit_id", "predikat", "employees"
    ),
    p=_PERIOD,
    ids=_UNIT_IDS,
)
# order_by(): the models' Meta ordering (period, unit path) would join both tables for rows keyed by unit.
_RATINGS = Statement(
    lambda p, ids: (
        UnitPerformance.objects.filter(any_of("unit_id", ids), period_id=p).order_by().only("unit_id", "rating")
    ),
    p=_PERIOD,
    ids=_UNIT_IDS,
)
_CALIBRATIONS = Statement(
    lambda p, ids: (
        UnitCalibration.objects.filter(any_of("unit_id", ids), period_id=p).order_by().select_related("finalised_by")
    ),
    p=_PERIOD,
    ids=_UNIT_IDS,
)
# The units of an agency in the calibration table (see calibration_unit_rows), as (pk, name, path).
_AGENCY_UNITS = Statement(
    lambda a, p: (
        OrgUnit.objects.filter(agency_id=a, is_active=True)
        .filter(
            Exists(PredikatSummary.objects.filter(period_id=p, unit_id=OuterRef("pk")))
            | Exists(UnitPerformance.objects.filter(period_id=p, unit_id=OuterRef("pk")))
        )
        .order_by("path")
        .values_list("pk", "name", "path")
    ),
    a=Param(-13_150_003),
    p=_PERIOD,
)


def rule_specs() -> dict[str, list[rules.RuleSpec]]:
    out: dict[str, list[rules.RuleSpec]] = defaultdict(list)
    for rating, predikats, comparator, percent, message in _RULES.rows():
        out[rating].append(rules.RuleSpec(tuple(predikats), comparator, Decimal(percent), message))
    return out


def distribution_counts(
    *, period: EvaluationPeriod, unit_ids: Iterable[int] | None = None
) -> dict[int, dict[str, int]]:
    """Per unit: how many employees hold each predikat in the period, from the summary rows (one indexed
    query; `performance.calibration.summaries` keeps them current)."""
    out: dict[int, dict[str, int]] = defaultdict(dict)
    if unit_ids is not None:
        rows: Any = _COUNTS.rows(p=period.pk, ids=list(unit_ids))
    else:
        rows = PredikatSummary.objects.filter(period=period).values_list("unit_id", "predikat", "employees")
    for unit_id, predikat, n in rows:
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


def calibration_unit_list(*, user: Any, period: EvaluationPeriod) -> list[tuple[int, str, str]]:
    """`calibration_units` as (pk, name, path) rows: the view pages them and finds the chosen unit among them
    (no count, no second read). For a user who rates every unit of the period's agency (its BKD admin) one
    precompiled read; for a head, the queryset's rows."""
    scope = scope_for(user)
    if scope.everything or period.agency_id in scope.admin_agency_ids:
        return _AGENCY_UNITS.rows(a=period.agency_id, p=period.pk)  # type: ignore[return-value]
    return list(calibration_units(user=user, period=period).values_list("pk", "name", "path"))


def unit_of_row(row: tuple[int, str, str], agency_id: int) -> OrgUnit:
    """A unit of `calibration_unit_list` as an OrgUnit carrying those fields (the table's link and name)."""
    values = {"id": row[0], "name": row[1], "path": row[2], "agency_id": agency_id}
    # from_db takes a subset of the fields in the model's field order.
    return OrgUnit.from_db(None, _UNIT_FIELDS, [values[name] for name in _UNIT_FIELDS])


_UNIT_FIELDS = [f.attname for f in OrgUnit._meta.concrete_fields if f.attname in ("id", "name", "path", "agency_id")]


def calibration_rows(*, period: EvaluationPeriod, units: Iterable[OrgUnit]) -> list[dict[str, Any]]:
    """Per unit: rating, predikat counts (also as `cells` in the order of `Predikat`), warnings and
    finalisation (4 queries whatever the unit count)."""
    units = list(units)
    ids = [u.pk for u in units]
    counts = distribution_counts(period=period, unit_ids=ids)
    ratings = {r.unit_id: r for r in _RATINGS.instances(p=period.pk, ids=ids)}
    cals = {c.unit_id: c for c in _CALIBRATIONS.instances(p=period.pk, ids=ids)}
    specs = rule_specs()
    predikats = Predikat.values  # (a list built anew on each access)
    rows = []
    for u in units:
        c = counts.get(u.pk, {})
        r = ratings.get(u.pk)
        rows.append(
            {
                "unit": u,
                "rating": r,
                "counts": c,
                "cells": [c.get(v, 0) for v in predikats],
                "total": sum(c.values()),
                "warnings": rules.check_distribution(c, specs.get(r.rating, [])) if r else [],
                "calibration": cals.get(u.pk),
            }
        )
    return rows


@dataclass(frozen=True)
class PersonRow:
    """One row of "who is where": the SKP (its id for the link), its employee's id and name, the predikat."""

    plan_id: int
    employee_id: int
    predikat: str
    name: str

    @property
    def predikat_label(self) -> str:
        return str(_PREDIKAT_LABELS.get(self.predikat, self.predikat))


_PREDIKAT_LABELS: dict[str, Any] = dict(Predikat.choices)


def unit_people(*, period: EvaluationPeriod, unit_id: int) -> QuerySet[Any]:
    """Who is where: the unit's SKPs (annual period) or evaluations (other periods) with their predikat,
    by predikat then name, as plain rows (`person_rows` turns a page of them into PersonRow); the page shows
    them a page at a time."""
    if period.is_annual:
        return (
            PerformancePlan.objects.filter(agency_id=period.agency_id, year=period.year, unit_id=unit_id)
            .order_by("predikat", "employee__name", "pk")
            .values_list(
                "pk", "employee_id", "predikat", "employee__front_title", "employee__name", "employee__back_title"
            )
        )
    return (
        Evaluation.objects.filter(period=period, plan__unit_id=unit_id)
        .order_by("predikat", "plan__employee__name", "pk")
        .values_list(
            "plan_id",
            "plan__employee_id",
            "predikat",
            "plan__employee__front_title",
            "plan__employee__name",
            "plan__employee__back_title",
        )
    )


def unit_people_page(*, period: EvaluationPeriod, unit_id: int, number: Any, per_page: int) -> Page[Any]:
    """`Paginator(unit_people(...), per_page).get_page(number)` with its rows as `person_rows`, the total counted
    by the page's own read (`COUNT(*) OVER ()`, before LIMIT: one query instead of a count and a page); a page
    past the end (no row to carry the total) falls back to the paginator's count and last page."""
    people = unit_people(period=period, unit_id=unit_id)
    paginator = Paginator(people, per_page)
    try:  # Paginator.validate_number without its count: anything but a whole number is the first page
        if isinstance(number, float) and not number.is_integer():
            raise ValueError
        wanted = int(number)
    except (TypeError, ValueError):
        wanted = 1
    if wanted >= 1:
        offset = (wanted - 1) * per_page
        rows = list(people.annotate(total=Window(Count("*")))[offset : offset + per_page])
        if rows or wanted == 1:
            paginator.count = rows[0][-1] if rows else 0  # type: ignore[misc]  # (a cached_property)
            return Page(person_rows(row[:-1] for row in rows), wanted, paginator)
    page = paginator.get_page(number)
    page.object_list = person_rows(page.object_list)
    return page


def person_rows(rows: Iterable[tuple[Any, ...]]) -> list[PersonRow]:
    """A page of `unit_people` as rows, the name as `Employee.full_name` gives it."""
    out = []
    for plan_id, employee_id, predikat, front, name, back in rows:
        full = f"{front or ''} {name}".strip()
        out.append(PersonRow(plan_id, employee_id, predikat, f"{full}, {back}" if back else full))
    return out


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
