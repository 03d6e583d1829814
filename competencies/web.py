"""Helpers the competency pages share: page size, the admin check and the admin's agency."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest

from asn_portal.pagination import UncountedPage, uncounted_page
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


def page_without_count(qs: QuerySet[Any], raw_page: object, size: int = PAGE_SIZE) -> UncountedPage:
    """`?page=` of an ordered queryset without COUNT(*) (asn_portal.pagination.uncounted_page)."""
    return uncounted_page(qs, raw_page, size)
