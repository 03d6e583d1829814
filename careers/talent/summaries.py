"""Summary rows of the nine-box grid counts and the talent pool sizes (kind "careers.talent",
`asn_portal.summaries`).

Inputs: the placements of the agency's reviews (computed, overridden), the employees' current unit (the scope
heads read by) and the kind of post placed. `careers.talent.services` touches this kind when placements change;
people's services touch every kind when an employee changes unit or status. The refresher replaces the rows of
the agency's reviews with one grouped query and a bulk insert."""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from asn_portal import summaries
from careers.models import TalentBoxSummary, TalentPlacement

KIND = "careers.talent"


def refresh(agency_id: int) -> None:
    rows = (
        TalentPlacement.objects.filter(review__agency_id=agency_id)
        .values_list("review_id", "employee__agency_id", "employee__unit_id", "position__kind", "box")
        .annotate(n=Count("pk"))
        .order_by()
    )
    TalentBoxSummary.objects.filter(review__agency_id=agency_id).delete()
    TalentBoxSummary.objects.bulk_create(
        (
            TalentBoxSummary(
                review_id=review_id,
                agency_id=agency,
                unit_id=unit_id,
                position_kind=kind or "",
                box=box,
                employees=n,
            )
            for review_id, agency, unit_id, kind, box, n in rows
        ),
        batch_size=5000,
    )


def touch(agency_id: Any) -> None:
    summaries.touch(KIND, agency_id)


def register() -> None:
    summaries.register(KIND, refresh)
