"""Appraisal follow-up reads: the list a user may see, progress by unit and years."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from careers.choices import FollowUpStatus
from careers.models import (
    AppraisalFollowUp,
    FollowUpSummary,
)
from people.access import employee_q


def follow_up_list_visible_to(*, user: Any) -> QuerySet[AppraisalFollowUp]:
    return AppraisalFollowUp.objects.filter(employee_q(user, "employee__")).select_related(
        "employee", "employee__unit", "unit", "recognition_type", "employee__position"
    )


def follow_up_get_visible(*, user: Any, pk: int) -> AppraisalFollowUp:
    item = follow_up_list_visible_to(user=user).filter(pk=pk).first()
    if item is None:
        raise Http404("Tindak lanjut tidak ditemukan.")
    return item


def follow_up_counts(*, agency_id: int) -> list[dict[str, Any]]:
    """Per year and unit: items, still proposed, carried out (done), cancelled, counted now (one grouped query)."""
    rows: Iterable[Mapping[str, Any]] = (
        AppraisalFollowUp.objects.filter(agency_id=agency_id)
        .values("year", "unit_id")
        .annotate(
            total=Count("pk"),
            proposed=Count("pk", filter=Q(status=FollowUpStatus.PROPOSED)),
            done=Count("pk", filter=Q(status=FollowUpStatus.DONE)),
            cancelled=Count("pk", filter=Q(status=FollowUpStatus.CANCELLED)),
        )
        .order_by()
    )
    return [dict(r) for r in rows]


def follow_up_progress_by_unit(*, agency_id: int, year: int) -> list[dict[str, Any]]:
    """Per unit: items, confirmed by the head, carried out (done), cancelled, read from the agency's summary rows
    (one indexed query; `careers.summaries` keeps them current)."""
    rows: Iterable[Mapping[str, Any]] = (
        FollowUpSummary.objects.filter(agency_id=agency_id, year=year)
        .values("unit_id", "unit__name", "unit__path", "total", "proposed", "done", "cancelled")
        .order_by("unit__path")
    )
    return _with_percent(rows)


def follow_up_progress_by_unit_live(*, agency_id: int, year: int) -> list[dict[str, Any]]:
    """Per unit: items, confirmed by the head, carried out (done), cancelled, counted now (the summary's oracle)."""
    rows: Iterable[Mapping[str, Any]] = (
        AppraisalFollowUp.objects.filter(agency_id=agency_id, year=year)
        .values("unit_id", "unit__name", "unit__path")
        .annotate(
            total=Count("pk"),
            proposed=Count("pk", filter=Q(status=FollowUpStatus.PROPOSED)),
            done=Count("pk", filter=Q(status=FollowUpStatus.DONE)),
            cancelled=Count("pk", filter=Q(status=FollowUpStatus.CANCELLED)),
        )
        .order_by("unit__path")
    )
    return _with_percent(rows)


def _with_percent(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for r in rows:
        live = r["total"] - r["cancelled"]
        out.append({**r, "percent": round(100 * r["done"] / live) if live else 0})
    return out


def follow_up_years(*, user: Any) -> list[int]:
    """The years (latest first) in which the user may see a follow-up: the years drafted at all (the keyset
    index's leading column), then one probe per year for a first visible item (`LIMIT 1` each, one query),
    instead of grouping every visible item of the agency by year."""
    drafted = list(AppraisalFollowUp.objects.order_by("-year").values_list("year", flat=True).distinct())
    if not drafted:
        return []
    visible = follow_up_list_visible_to(user=user).select_related(None).order_by()
    probes = [visible.filter(year=y).values_list("year", flat=True)[:1] for y in drafted]
    found = set(probes[0].union(*probes[1:], all=True))
    return [y for y in drafted if y in found]
