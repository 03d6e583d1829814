"""Agency-level SKP statistics."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count

from people.choices import ACTIVE_STATUSES
from people.models import Employee, OrgUnit
from performance.models import PerformancePlan


def agency_statistics(*, agency_id: int, year: int) -> dict[str, Any]:
    """Predikat distribution by unit for a year and SKP completion rates (3 grouped queries)."""
    from performance.models import PredikatRecord

    by_unit: dict[int, dict[str, int]] = defaultdict(dict)
    for unit_id, predikat, n in (
        PredikatRecord.objects.filter(year=year, employee__agency_id=agency_id)
        .values_list("unit_id", "predikat")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        by_unit[unit_id or 0][predikat] = n
    status_counts = dict(
        PerformancePlan.objects.filter(agency_id=agency_id, year=year)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("status", "n")
    )
    employees = Employee.objects.filter(agency_id=agency_id, status__in=ACTIVE_STATUSES).count()
    units = {u.pk: u for u in OrgUnit.objects.filter(pk__in=list(by_unit))}
    return {
        "by_unit": [
            (units.get(uid), c)
            for uid, c in sorted(by_unit.items(), key=lambda kv: getattr(units.get(kv[0]), "path", ""))
        ],
        "status_counts": status_counts,
        "employees": employees,
    }
