"""Summary rows of the nine-box grid counts and the talent pool sizes (kind "careers.talent",
`asn_portal.summaries`).

Inputs: the placements of the agency's reviews (computed, overridden), the employees' current unit (the scope
heads read by), the kind of post placed and, for the movement, the box in the previous published review (which
review that is changes when one is published). `careers.talent.services` touches this kind when placements
change or a review is published;
people's services touch every kind when an employee changes unit or status. The refresher replaces the rows of
the agency's reviews with one grouped query and a bulk insert per review, and their agency totals
(`TalentBoxAgencySummary`, what BKD admins read), and returns each review's talent pool size (placements in the
pool boxes, `pool_figure_key`): the BKD admin's home card reads it with the review."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, FilteredRelation, Q

from asn_portal import summaries
from careers.models import TalentBoxAgencySummary, TalentBoxSummary, TalentPlacement, TalentReview

KIND = "careers.talent"


def pool_figure_key(review_id: int) -> str:
    return f"pool:{review_id}"


def refresh(agency_id: int) -> dict[str, int]:
    from careers.talent.selectors import previous_review  # the selectors read this module's kind

    TalentBoxSummary.objects.filter(review__agency_id=agency_id).delete()
    TalentBoxAgencySummary.objects.filter(review__agency_id=agency_id).delete()
    for review in TalentReview.objects.filter(agency_id=agency_id):
        previous = previous_review(review)
        rows = (
            TalentPlacement.objects.filter(review=review)
            # each placement's box in the previous published review (a left join; none when there is none)
            .annotate(
                before=FilteredRelation(
                    "employee__talent_placements",
                    condition=Q(employee__talent_placements__review=previous.pk if previous else None),
                )
            )
            .values_list("employee__agency_id", "employee__unit_id", "position__kind", "box", "before__box")
            .annotate(n=Count("pk"))
            .order_by()
        )
        grouped = list(rows)
        TalentBoxSummary.objects.bulk_create(
            (
                TalentBoxSummary(
                    review_id=review.pk,
                    agency_id=agency,
                    unit_id=unit_id,
                    position_kind=kind or "",
                    box=box,
                    previous_box=previous_box,
                    employees=n,
                )
                for agency, unit_id, kind, box, previous_box, n in grouped
            ),
            batch_size=5000,
        )
        totals: dict[tuple[Any, str, int, int | None], int] = {}
        for agency, _unit_id, kind, box, previous_box, n in grouped:
            key = (agency, kind or "", box, previous_box)
            totals[key] = totals.get(key, 0) + n
        TalentBoxAgencySummary.objects.bulk_create(
            TalentBoxAgencySummary(
                review_id=review.pk,
                agency_id=agency,
                position_kind=kind,
                box=box,
                previous_box=previous_box,
                employees=n,
            )
            for (agency, kind, box, previous_box), n in totals.items()
        )
    return {pool_figure_key(review_id): n for review_id, n in _pool_sizes(agency_id)}


def _pool_sizes(agency_id: int) -> Any:
    from careers import rules

    return (
        TalentPlacement.objects.filter(review__agency_id=agency_id, box__in=rules.TALENT_POOL_BOXES)
        .values_list("review_id")
        .annotate(n=Count("pk"))
        .order_by()
    )


def pool_size_live(review_id: int) -> int:
    """Placements of the review in the talent pool boxes, counted now (the tests' oracle)."""
    from careers import rules

    return TalentPlacement.objects.filter(review_id=review_id, box__in=rules.TALENT_POOL_BOXES).count()


def touch(agency_id: Any) -> None:
    summaries.touch(KIND, agency_id)


def register() -> None:
    summaries.register(KIND, refresh, figures=True)
