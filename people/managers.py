"""Employee queryset with the scoping entry point used everywhere."""

from __future__ import annotations

from typing import Any

from django.db import models


class EmployeeQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> EmployeeQuerySet:
        from .access import employee_q

        return self.filter(employee_q(user))

    def active(self) -> EmployeeQuerySet:
        from .choices import ACTIVE_STATUSES

        return self.filter(status__in=ACTIVE_STATUSES)
