"""Reads of the agency analytics from the summary rows (`competencies.summaries`): a few indexed queries
whatever the number of employees. `competencies.selectors.analytics_live` computes the same figures live."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import F, Min, Q, QuerySet, Sum, Window
from django.db.models.functions import RowNumber

from asn_portal.models import SummaryState
from competencies.choices import JpmCategory
from competencies.models import CompetencyGapSummary, CompetencyUnitSummary
from people.access import admin_agency_ids, admin_agency_q

from .. import summaries
from ..selectors import competency_names, gap_rows_by_competency

_TOTAL_FIELDS = ("employees", "assessed", "jpm_sum", "optimal", "cukup_optimal", "kurang_optimal", "ms", "mms", "kms")


def _scope(user: Any, agency_id: int | None) -> Q:
    q = admin_agency_q(user)
    if agency_id:
        q &= Q(agency_id=agency_id)
    return q


def _states(user: Any, agency_id: int | None, kind: str) -> QuerySet[SummaryState]:
    """The summary states of the agencies the user's analytics show (one agency when chosen)."""
    qs = SummaryState.objects.filter(kind=kind)
    ids = admin_agency_ids(user)
    if agency_id:
        return qs.filter(agency_id=agency_id)
    return qs if ids is None else qs.filter(agency_id__in=ids)


def computed_at(*, user: Any, agency_id: int | None = None, kind: str = summaries.KIND) -> dt.datetime | None:
    """When the figures were computed: the oldest refresh among the agencies shown (None: not yet)."""
    value: dt.datetime | None = _states(user, agency_id, kind).aggregate(m=Min("computed_at"))["m"]
    return value


def summary_version(*, user: Any, agency_id: int | None = None, kind: str = summaries.KIND) -> str | None:
    """A key that changes whenever any summary row the user's analytics read is rewritten: every agency's
    refresh time (one query). None while an agency shown has never been computed."""
    states = list(_states(user, agency_id, kind).order_by("agency_id").values_list("agency_id", "computed_at"))
    if not states or any(at is None for _a, at in states):
        return None
    return ";".join(f"{a}@{at}" for a, at in states)


def _average(total: Decimal, count: int) -> Decimal | None:
    return total / count if count else None


def _unit_rows(scope: Q) -> list[dict[str, Any]]:
    rows = CompetencyUnitSummary.objects.filter(scope).values(
        "unit_id", "unit__name", "unit__path", *_TOTAL_FIELDS, "with_gaps"
    )
    return [
        {
            "employee__unit_id": r["unit_id"],
            "employee__unit__name": r["unit__name"],
            "path": r["unit__path"],
            "n": r["employees"],
            "assessed": r["assessed"],
            "avg": _average(r["jpm_sum"], r["assessed"]),
            "optimal": r["optimal"],
            "cukup": r["cukup_optimal"],
            "kurang": r["kurang_optimal"],
            "gaps": r["with_gaps"],
            "_row": r,
        }
        for r in rows.order_by("unit__path")
    ]


def _totals(units: list[dict[str, Any]]) -> tuple[dict[str, Any], dict[str, int], dict[str, int]]:
    acc: dict[str, Any] = dict.fromkeys(_TOTAL_FIELDS, 0)
    for u in units:
        row = u.pop("_row")
        for f in _TOTAL_FIELDS:
            acc[f] += row[f]
    totals = {
        "avg": _average(Decimal(acc["jpm_sum"]), acc["assessed"]),
        "n": acc["employees"],
        "assessed": acc["assessed"],
    }
    zero = dict.fromkeys((c.value for c in JpmCategory), 0)
    by_mapping = zero | {
        JpmCategory.OPTIMAL.value: acc["optimal"],
        JpmCategory.CUKUP_OPTIMAL.value: acc["cukup_optimal"],
        JpmCategory.KURANG_OPTIMAL.value: acc["kurang_optimal"],
    }
    by_filling = zero | {
        JpmCategory.MS.value: acc["ms"],
        JpmCategory.MMS.value: acc["mms"],
        JpmCategory.KMS.value: acc["kms"],
    }
    return totals, by_mapping, by_filling


def _gaps(scope: Q) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The 20 most common gaps by competency (grouped over the summary rows) and the top three per unit."""
    comp_rows = list(
        CompetencyGapSummary.objects.filter(scope)
        .values("competency_id")
        .annotate(n=Sum("employees"), total=Sum("gap_sum"))
        .order_by("-n", "competency_id")[:20]
    )
    # the top three per unit ranked in the database (a window over the unit's rows), not every pair in Python
    top = (
        CompetencyGapSummary.objects.filter(scope)
        .annotate(
            _rank=Window(
                RowNumber(), partition_by=[F("unit_id")], order_by=[F("employees").desc(), F("competency__name")]
            )
        )
        .filter(_rank__lte=3)
        .values("unit_id", "unit__name", "competency__name", "employees")
        .order_by("unit__path", "unit_id", "_rank")
    )
    names = competency_names(comp_rows)
    by_comp = gap_rows_by_competency(comp_rows, names, lambda r: round(Decimal(r["total"]) / r["n"], 2))
    per_unit: dict[int, dict[str, Any]] = {}
    for r in top:
        entry = per_unit.setdefault(r["unit_id"], {"unit_id": r["unit_id"], "unit": r["unit__name"], "gaps": []})
        entry["gaps"].append({"competency": r["competency__name"], "count": r["employees"]})
    by_unit = list(per_unit.values())
    return by_comp, by_unit


def analytics(*, user: Any, agency_id: int | None = None) -> dict[str, Any]:
    """The analytics page's figures, same shape as `analytics_live`, from the summary rows (5 queries)."""
    scope = _scope(user, agency_id)
    units = _unit_rows(scope)
    totals, by_category, by_filling = _totals(units)
    gap_by_comp, gap_by_unit = _gaps(scope)
    return {
        "by_category": by_category,
        "by_filling": by_filling,
        "totals": totals,
        "units": units,
        "gap_by_competency": gap_by_comp,
        "gap_by_unit": gap_by_unit,
        "computed_at": computed_at(user=user, agency_id=agency_id),
    }
