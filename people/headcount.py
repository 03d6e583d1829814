"""Summary rows of the headcount per unit, status and employment type (`UnitHeadcount`), kept current on change.

Registered as the summary kind `people.headcount`: every people service that adds, moves or changes employees
already calls `people.services.touch_summaries(agency_id)`, which marks every kind stale for the agency; the
refresh rewrites the agency's rows with one `INSERT … SELECT … GROUP BY`. The org chart and the BKD admin's home
card read these rows (a few hundred per agency) instead of counting the employees per request.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce

from asn_portal import summaries

from .choices import ACTIVE_STATUSES, EmployeeStatus
from .models import Employee, UnitHeadcount

KIND = "people.headcount"
ON_LEAVE = frozenset({EmployeeStatus.LEAVE, EmployeeStatus.STUDY})

_REFRESH_SQL = """
    INSERT INTO {summary} (agency_id, unit_id, status, employment_type, n)
    SELECT e.agency_id, e.unit_id, e.status, e.employment_type, COUNT(*)
    FROM {employee} e WHERE e.agency_id = %s
    GROUP BY e.agency_id, e.unit_id, e.status, e.employment_type
"""


def refresh(agency_id: int) -> None:
    """Replace the agency's rows (runs inside `summaries.refresh`'s transaction)."""
    UnitHeadcount.objects.filter(agency_id=agency_id).delete()
    sql = _REFRESH_SQL.format(summary=UnitHeadcount._meta.db_table, employee=Employee._meta.db_table)
    with connection.cursor() as cur:
        cur.execute(sql, [agency_id])


def register() -> None:
    summaries.register(KIND, refresh)


def fill_if_empty() -> int:
    """Compute every agency's rows when the table is empty but employees exist; returns how many agencies."""
    if UnitHeadcount.objects.exists():
        return 0
    agency_ids = sorted(set(Employee.objects.values_list("agency_id", flat=True).distinct()))
    return summaries.refresh_all(agency_ids, [KIND])


def computed_at(agency_id: int | None) -> Any:
    return summaries.computed_at(KIND, agency_id)


def active_by_unit(agency_id: int) -> dict[int, int]:
    """{unit_id: active employees} of one agency (the org chart's own counts)."""
    rows = (
        UnitHeadcount.objects.filter(agency_id=agency_id, status__in=ACTIVE_STATUSES)
        .values("unit_id")
        .annotate(total=Sum("n"))
        .values_list("unit_id", "total")
    )
    return {unit_id: int(total) for unit_id, total in rows}


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
