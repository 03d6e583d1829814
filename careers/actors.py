"""Who acts in careers' services: the acting user's employee, their team and today's date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils import timezone

from people.access import employee_q, scope_for, team_q
from people.models import Employee


def local_today() -> dt.date:
    return timezone.localdate()


def employee_of(user: Any) -> Employee | None:
    scope = scope_for(user)
    return Employee.objects.filter(pk=scope.employee_id).first() if scope.employee_id else None


def heads_employee(user: Any, employee: Employee) -> bool:
    return Employee.objects.filter(team_q(user), pk=employee.pk).exists()


def visible_employee_or_none(user: Any, pk: int) -> Employee | None:
    return Employee.objects.filter(employee_q(user), pk=pk).first()


def visible_employee_rows_q(user: Any, field: str = "employee") -> Q:
    """`employee_q(user, f"{field}__")` for rows pointing at an employee, in the form PostgreSQL can index (issue
    #13): the same rows. A head's rule `own key OR unit in headed units` put on a joined employee became
    `row.employee_id = me OR employee.unit_id = ANY(…)`, an OR across two tables that only a join of every
    employee (50,000) can answer; a head or staff member's people are read first instead (key and unit indexes,
    a few hundred rows) and their rows found by `employee_id IN (…)`. A BKD admin's rule is a test on the joined
    employee alone (`agency_id IN (…)`), kept as it is: agency-wide pages walk the agency's indexes."""
    scope = scope_for(user)
    if scope.everything or scope.admin_agency_ids:
        return employee_q(user, f"{field}__")
    people = Employee.objects.filter(employee_q(user)).order_by().values("pk")
    return Q(**{f"{field}_id__in": people})
