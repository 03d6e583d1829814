"""What the SKP pages share: the year and agency taken from the request, error flashes, breadcrumbs."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from asn_portal.errors import ApplicationError
from asn_portal.params import int_or_none
from people.access import agency_for, is_hr_admin

from .models import PerformancePlan


def year_param(request: HttpRequest) -> int:
    return int_or_none(request.GET.get("year")) or timezone.localdate().year


def admin_agency_id(request: HttpRequest) -> int:
    """The agency a BKD admin works on: `?agency=` or their own (people.access.agency_for)."""
    if not is_hr_admin(request.user):
        raise PermissionDenied
    return int(agency_for(request).pk)


def flash_error(request: HttpRequest, exc: ApplicationError) -> None:
    messages.error(request, exc.message)
    for extra in exc.extra.get("errors", [])[1:]:
        messages.error(request, extra)
    for w in exc.extra.get("warnings", []):
        messages.warning(request, w)


def plan_crumbs(request: HttpRequest, plan: PerformancePlan, *extra: tuple[str, str | None]) -> list[Any]:
    if plan.employee.user_id == request.user.pk:
        base = [(_("SKP Saya"), reverse("performance:my-skp"))]
    else:
        base = [(_("Kotak masuk SKP"), reverse("performance:inbox"))]
    label = _("SKP %(year)s · %(name)s") % {"year": plan.year, "name": plan.employee.full_name}
    if extra:
        return [*base, (label, reverse("performance:plan-detail", args=[plan.pk])), *extra]
    return [*base, (label, None)]


@dataclass
class UncountedPage:
    """A page of a list too large to count on every request (issue #13: no COUNT over an agency's 50,000
    SKPs): its rows, its number and whether a next page exists (one row more than a page is read)."""

    object_list: list[Any]
    number: int
    has_next: bool

    def __iter__(self) -> Iterator[Any]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def uncounted_page(queryset: QuerySet[Any], size: int, raw_number: str | None) -> UncountedPage:
    """Page `raw_number` (1 when missing or not a positive number) of the queryset, in one query."""
    number = int_or_none(raw_number) or 1
    number = max(number, 1)
    start = (number - 1) * size
    rows = list(queryset[start : start + size + 1])
    return UncountedPage(object_list=rows[:size], number=number, has_next=len(rows) > size)
