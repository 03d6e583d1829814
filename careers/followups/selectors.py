"""Appraisal follow-up reads: the list a user may see, progress by unit and years."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from asn_portal.precompiled import Param, Statement
from careers.actors import visible_employee_rows_q
from careers.choices import FollowUpStatus
from careers.models import (
    AppraisalFollowUp,
    FollowUpSummary,
)


def follow_up_list_visible_to(*, user: Any) -> QuerySet[AppraisalFollowUp]:
    return AppraisalFollowUp.objects.filter(visible_employee_rows_q(user)).select_related(
        "employee", "employee__unit", "unit", "recognition_type", "employee__position"
    )


def follow_ups_of(employee_id: int) -> QuerySet[AppraisalFollowUp]:
    """The employee's own appraisal follow-ups narrowed to what "Karier Saya" shows (year, kind, status). They are
    the employee's rows of `follow_up_list_visible_to` their own user (everyone may see their own record:
    `people.access.employee_q`), read without the visibility test (tests/careers/test_my_career_reads.py)."""
    return AppraisalFollowUp.objects.filter(employee_id=employee_id).only("year", "kind", "status")


# The latest six of `follow_ups_of(e)` by year compiled once per process (issue #13); a year's follow-ups in the
# order they were drafted (the id), so the page lists them in a fixed order.
_OWN_FOLLOW_UPS = Statement(lambda e: follow_ups_of(e).order_by("-year", "pk")[:6], e=Param(-13_007_005))


def latest_follow_ups_of(employee_id: int) -> list[AppraisalFollowUp]:
    return _OWN_FOLLOW_UPS.instances(e=employee_id)


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


_DRAFTED_YEARS_SQL = """
WITH RECURSIVE y(year) AS (
    SELECT max(year) FROM {table}
    UNION ALL
    SELECT (SELECT max(t.year) FROM {table} t WHERE t.year < y.year) FROM y WHERE y.year IS NOT NULL
)
SELECT year FROM y WHERE year IS NOT NULL
"""


def _drafted_years() -> list[int]:
    """Every year with a follow-up, latest first: `SELECT DISTINCT year` read the whole table's index (17,676
    entries at 50,000 staff) to find a handful of years; this steps down the keyset index (year first), one
    probe per year (issue #13). Same years, same order."""
    with connection.cursor() as cursor:
        cursor.execute(_DRAFTED_YEARS_SQL.format(table=connection.ops.quote_name(AppraisalFollowUp._meta.db_table)))
        return [year for (year,) in cursor.fetchall()]


def follow_up_years(*, user: Any) -> list[int]:
    """The years (latest first) in which the user may see a follow-up: the years drafted at all (the keyset
    index's leading column), then one probe per year for a first visible item (`LIMIT 1` each, one query),
    instead of grouping every visible item of the agency by year."""
    drafted = _drafted_years()
    if not drafted:
        return []
    visible = follow_up_list_visible_to(user=user).select_related(None).order_by()
    probes = [visible.filter(year=y).values_list("year", flat=True)[:1] for y in drafted]
    found = set(probes[0].union(*probes[1:], all=True))
    return [y for y in drafted if y in found]
