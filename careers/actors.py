"""Who acts in careers' services: the acting user's employee, their team and today's date."""

from __future__ import annotations

import datetime as dt
from typing import Any

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
