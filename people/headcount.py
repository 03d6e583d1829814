"""Summary rows of the headcount per unit, status and employment type (`UnitHeadcount`), kept current on change.

Registered as the summary kind `people.headcount`: every people service that adds, moves or changes employees
already calls `people.services.touch_summaries(agency_id)`, which marks every kind stale for the agency; the
refresh rewrites the agency's rows with one `INSERT … SELECT … GROUP BY`. The org chart reads these rows (a few
hundred per agency) instead of counting the employees per request; the BKD admin's home card reads the agency
figures the refresh returns with them (`agency_figures`: active employees by type, units, positions and posts not
fully filled, kept on the kind's `SummaryState` row) in one indexed query. Positions change only through the
import and the Django admin, which touch every kind too.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from asn_portal import summaries
from asn_portal.precompiled import Param, Statement

from .choices import ACTIVE_STATUSES, EmployeeStatus
from .models import Employee, OrgUnit, Position, UnitHeadcount

KIND = "people.headcount"
ON_LEAVE = frozenset({EmployeeStatus.LEAVE, EmployeeStatus.STUDY})

_REFRESH_SQL = """
    INSERT INTO {summary} (agency_id, unit_id, status, employment_type, n)
    SELECT e.agency_id, e.unit_id, e.status, e.employment_type, COUNT(*)
    FROM {employee} e WHERE e.agency_id = %s
    GROUP BY e.agency_id, e.unit_id, e.status, e.employment_type
"""


def refresh(agency_id: int) -> dict[str, int]:
    """Replace the agency's rows (runs inside `summaries.refresh`'s transaction); returns the agency figures of
    the BKD admin's home card, kept with them."""
    UnitHeadcount.objects.filter(agency_id=agency_id).delete()
    sql = _REFRESH_SQL.format(summary=UnitHeadcount._meta.db_table, employee=Employee._meta.db_table)
    with connection.cursor() as cur:
        cur.execute(sql, [agency_id])
    return {**agency_totals(agency_id), **_post_figures(agency_id)}


def _post_figures(agency_id: int) -> dict[str, int]:
    active_holders = Count("holders", filter=Q(holders__status__in=ACTIVE_STATUSES))
    positions = Position.objects.filter(agency_id=agency_id, is_active=True)
    return {
        "units": OrgUnit.objects.filter(agency_id=agency_id, is_active=True).count(),
        "positions": positions.count(),
        "vacant_posts": positions.annotate(n=active_holders).filter(n__lt=F("headcount")).count(),
        "vacant_key_posts": positions.filter(is_key=True).annotate(n=active_holders).filter(n=0).count(),
    }


FIGURES = ("total", "pns", "cpns", "pppk", "units", "positions", "vacant_posts", "vacant_key_posts")


def agency_figures(agency_id: int) -> dict[str, int]:
    """The BKD admin's home card: active employees (in total and per employment type), active units and
    positions, active posts with fewer active holders than their formasi and active key posts with none, as of
    the last refresh (one indexed query; zeros before the first)."""
    stored = summaries.figures(KIND, [agency_id])
    return {name: int(stored.get(name, 0)) for name in FIGURES}


def agency_figures_live(agency_id: int) -> dict[str, int]:
    """The same figures counted now from the employees and positions (the tests' oracle)."""
    active = Q(status__in=ACTIVE_STATUSES)
    emp = Employee.objects.filter(active, agency_id=agency_id).aggregate(
        total=Count("pk"),
        pns=Count("pk", filter=Q(employment_type="pns")),
        cpns=Count("pk", filter=Q(employment_type="cpns")),
        pppk=Count("pk", filter=Q(employment_type="pppk")),
    )
    return {**emp, **_post_figures(agency_id)}


def register() -> None:
    summaries.register(KIND, refresh, figures=True)


def fill_if_empty() -> int:
    """Compute every agency's rows when the table is empty but employees exist; returns how many agencies."""
    if UnitHeadcount.objects.exists():
        return 0
    agency_ids = sorted(set(Employee.objects.values_list("agency_id", flat=True).distinct()))
    return summaries.refresh_all(agency_ids, [KIND])


def computed_at(agency_id: int | None) -> Any:
    return summaries.computed_at(KIND, agency_id)


def _active_by_unit(agency_id: int) -> QuerySet[Any]:
    return (
        UnitHeadcount.objects.filter(agency_id=agency_id, status__in=ACTIVE_STATUSES)
        .values("unit_id")
        .annotate(total=Sum("n"))
        .values_list("unit_id", "total")
    )


def active_by_unit(agency_id: int) -> dict[int, int]:
    """{unit_id: active employees} of one agency (the org chart's own counts)."""
    return {unit_id: int(total) for unit_id, total in _active_by_unit(agency_id)}


# `active_by_unit`'s rows, compiled once per process (the org chart reads them with its other rows: `rows_together`)
ACTIVE_BY_UNIT = Statement(_active_by_unit, agency_id=Param(-13_000_502))


def agency_totals(agency_id: int) -> dict[str, int]:
    """Active employees of an agency, in total and per employment type (the BKD admin's home card)."""
    active = Q(status__in=ACTIVE_STATUSES)
    totals = UnitHeadcount.objects.filter(active, agency_id=agency_id).aggregate(
        total=Coalesce(Sum("n"), 0),
        pns=Coalesce(Sum("n", filter=Q(employment_type="pns")), 0),
        cpns=Coalesce(Sum("n", filter=Q(employment_type="cpns")), 0),
        pppk=Coalesce(Sum("n", filter=Q(employment_type="pppk")), 0),
    )
    return {k: int(v) for k, v in totals.items()}
