"""Summary rows of the agency competency analytics (kind "competencies.analytics", `asn_portal.summaries`).

The inputs are the stored JPM (EmployeeJpm) and current profile (CurrentLevel), both rewritten only by
`services.jpm_refresh`, which touches this kind for the agencies of the people it refreshed; people's services
touch every kind when an employee changes unit, agency or status. The refresher replaces one agency's rows with
two grouped queries; the page and its XLSX read them (`selectors.analytics`), `selectors.analytics_live` stays
the oracle the tests compare against."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum

from asn_portal import summaries
from people.choices import ACTIVE_STATUSES

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


def refresh(agency_id: int) -> None:
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


def touch_agencies(agency_ids: Any) -> None:
    summaries.touch_all([KIND], agency_ids)


def register() -> None:
    summaries.register(KIND, refresh)
