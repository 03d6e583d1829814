"""Employee queryset helpers. Scoping lives in people.access / people.selectors (employee_list_visible_to),
never here: this module imports nothing of the app, so models ← managers has no cycle back to access."""

from __future__ import annotations

from django.db import models


class EmployeeQuerySet(models.QuerySet):
    def active(self) -> EmployeeQuerySet:
        from .choices import ACTIVE_STATUSES

        return self.filter(status__in=ACTIVE_STATUSES)
