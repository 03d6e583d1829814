"""Summary rows of the agency competency analytics (kind "competencies.analytics", `asn_portal.summaries`).

The inputs are the stored JPM (EmployeeJpm) and current profile (CurrentLevel), both rewritten only by
`services.jpm_refresh`, which touches this kind for the agencies of the people it refreshed; people's services
touch every kind when an employee changes unit, agency or status. The refresher replaces one agency's rows with
two grouped queries; the page and its XLSX read them (`selectors.analytics`), `selectors.analytics_live` stays
the oracle the tests compare against. The refresh also returns the BKD admin's home-card figures (`card_figures`,
kept on the kind's state row): the agency's JPM totals, its active employees and its active posts without a
standard (`standards.services` touches this kind when a post's requirements change)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum

from asn_portal import summaries
from people.choices import ACTIVE_STATUSES
from people.models import Employee, Position

from .choices import JpmCategory
from .models import CompetencyGapSummary, CompetencyUnitSummary, CurrentLevel, EmployeeJpm

KIND = "competencies.analytics"

_DONE = Q(assessed_count__gt=0, jpm__isnull=False)  # never assessed: counted in the coverage only
_CATEGORY_FIELDS = {
    "optimal": ("category", JpmCategory.OPTIMAL),
    "cukup_optimal": ("category", JpmCategory.CUKUP_OPTIMAL),
    "kurang_optimal": ("category", JpmCategory.KURANG_OPTIMAL),
    "ms": ("filling_category", JpmCategory.MS),
    "mms": ("filling_category", JpmCategory.MMS),
    "kms": ("filling_category", JpmCategory.KMS),
}
_COUNT_FIELDS = ("employees", "assessed", "with_gaps", *_CATEGORY_FIELDS)


def refresh(agency_id: int) -> dict[str, int | Decimal]:
    """Replace the agency's rows: one GROUP BY unit over the stored JPM, one GROUP BY (unit, competency) over
    the stored gaps, bulk-inserted (inside `summaries.refresh`'s transaction)."""
    active = {"employee__agency_id": agency_id, "employee__status__in": ACTIVE_STATUSES}
    units = (
        EmployeeJpm.objects.filter(**active)
        .values("employee__unit_id")
        .annotate(
            employees=Count("pk"),
            assessed=Count("pk", filter=_DONE),
            jpm_sum=Sum("jpm", filter=_DONE),
            with_gaps=Count("pk", filter=Q(gap_count__gt=0)),
            **{name: Count("pk", filter=_DONE & Q(**{col: value})) for name, (col, value) in _CATEGORY_FIELDS.items()},
        )
        .order_by()
    )
    gaps = (
        CurrentLevel.objects.filter(gap__gt=0, **active)
        .values("employee__unit_id", "competency_id")
        .annotate(employees=Count("pk"), gap_sum=Sum("gap"))
        .order_by()
    )
    unit_rows: list[dict[str, Any]] = [dict(r) for r in units]
    CompetencyUnitSummary.objects.filter(agency_id=agency_id).delete()
    CompetencyGapSummary.objects.filter(agency_id=agency_id).delete()
    CompetencyUnitSummary.objects.bulk_create(
        CompetencyUnitSummary(
            agency_id=agency_id,
            unit_id=r["employee__unit_id"],
            jpm_sum=r["jpm_sum"] or Decimal("0"),
            **{f: r[f] for f in _COUNT_FIELDS},
        )
        for r in unit_rows
    )
    CompetencyGapSummary.objects.bulk_create(
        CompetencyGapSummary(
            agency_id=agency_id,
            unit_id=r["employee__unit_id"],
            competency_id=r["competency_id"],
            employees=r["employees"],
            gap_sum=r["gap_sum"],
        )
        for r in gaps
    )
    figures: dict[str, int | Decimal] = {
        "jpm_sum": sum((r["jpm_sum"] or Decimal("0") for r in unit_rows), Decimal("0")),
        **{f: sum(r[f] for r in unit_rows) for f in ("assessed", "optimal", "cukup_optimal", "kurang_optimal")},
    }
    return {**figures, **_agency_counts([agency_id])}


CARD_FIGURES = ("jpm_sum", "assessed", "optimal", "cukup_optimal", "kurang_optimal", "employees", "no_standard")


def _agency_counts(agency_ids: list[int] | None) -> dict[str, int]:
    """Active employees and active posts without any competency requirement of these agencies (None: all)."""
    employees = Employee.objects.filter(status__in=ACTIVE_STATUSES)
    posts = Position.objects.filter(is_active=True, competency_requirements__isnull=True)
    if agency_ids is not None:
        employees = employees.filter(agency_id__in=agency_ids)
        posts = posts.filter(agency_id__in=agency_ids)
    return {"employees": employees.count(), "no_standard": posts.count()}


def card_figures(agency_ids: list[int] | None) -> dict[str, int | Decimal]:
    """The admin card's figures of these agencies (None: every agency) as of their last refresh, in one indexed
    query (zeros before the first): JPM sum and counts of the assessed active employees (in total and per
    category), active employees and active posts without a standard."""
    stored = summaries.figures(KIND, agency_ids)
    return {name: stored.get(name, Decimal("0") if name == "jpm_sum" else 0) for name in CARD_FIGURES}


def card_figures_live(agency_ids: list[int] | None) -> dict[str, int | Decimal]:
    """The same figures computed now from the stored JPM, employees and posts (the tests' oracle)."""
    jpm = EmployeeJpm.objects.filter(employee__status__in=ACTIVE_STATUSES)
    if agency_ids is not None:
        jpm = jpm.filter(employee__agency_id__in=agency_ids)
    agg = jpm.aggregate(
        jpm_sum=Sum("jpm", filter=_DONE),
        assessed=Count("pk", filter=_DONE),
        **{
            name: Count("pk", filter=_DONE & Q(category=value))
            for name, value in (
                ("optimal", JpmCategory.OPTIMAL),
                ("cukup_optimal", JpmCategory.CUKUP_OPTIMAL),
                ("kurang_optimal", JpmCategory.KURANG_OPTIMAL),
            )
        },
    )
    agg["jpm_sum"] = agg["jpm_sum"] or Decimal("0")
    return {**agg, **_agency_counts(agency_ids)}


def touch_agencies(agency_ids: Any) -> None:
    summaries.touch_all([KIND], agency_ids)


def register() -> None:
    summaries.register(KIND, refresh, figures=True)
