"""Helpers the competency pages share: page size, the admin check and the admin's agency."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest

from asn_portal.params import int_or_none
from competencies.permissions import can_manage_competencies
from people.access import agency_for, is_hr_admin
from people.models import Agency

PAGE_SIZE = 25


def require_admin(request: HttpRequest) -> None:
    if not can_manage_competencies(request.user):
        raise PermissionDenied


def admin_agency(request: HttpRequest) -> Agency:
    """The agency an admin works on: `?agency=` or their own (people.access.agency_for, one rule everywhere)."""
    if not is_hr_admin(request.user):
        raise PermissionDenied
    return agency_for(request)  # type: ignore[no-any-return]


@dataclass
class Page:
    """One page of a list that grows with the workforce, without counting it: one row more than the page is
    read to know whether a next page exists ("Sebelumnya" / "Berikutnya", no "dari N")."""

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
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1


def page_without_count(qs: QuerySet[Any], raw_page: object, size: int = PAGE_SIZE) -> Page:
    """`?page=` of an ordered queryset: no COUNT(*); an unusable or absurd page number is the first/last
    reachable OFFSET (never an overflow)."""
    number = min(max(int_or_none(raw_page) or 1, 1), 10**6)
    rows = list(qs[(number - 1) * size : number * size + 1])
    return Page(object_list=rows[:size], number=number, has_next=len(rows) > size)
