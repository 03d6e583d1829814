"""What the training pages share: breadcrumbs, the admin's agency and the year from the request, form errors."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from asn_portal.errors import ApplicationError
from asn_portal.exports import xlsx_response
from asn_portal.params import int_or_none
from people.access import agency_for, is_hr_admin

FRAGMENT_SECONDS = 6 * 3600


def cached_fragment(name: str, data: Any, render: Callable[[], str]) -> SafeString:
    """A piece of a page rendered once per language and per `data`, everything the piece shows (row values,
    choices): the key is a digest of them, so any change renders it anew and nothing has to invalidate it.
    Only for pieces that hold no user-specific content beyond what `data` names (no CSRF token)."""
    digest = hashlib.sha256(repr((name, get_language(), data)).encode()).hexdigest()
    key = f"training:fragment:{name}:{digest}"
    html = cache.get(key)
    if html is None:
        html = str(render())
        cache.set(key, html, FRAGMENT_SECONDS)
    return mark_safe(html)  # noqa: S308 - the project's own template output, escaped when it was rendered


def course_card_data(courses: list[Any]) -> list[tuple[Any, ...]]:
    """Everything `training/partials/course_card.html` shows of recommended courses (a fragment's key)."""
    return [
        (
            c.pk,
            c.title,
            c.format,
            c.provider,
            c.jp,
            [(cc.competency.name, cc.target_level) for cc in getattr(c, "gap_competencies", [])],
            getattr(c, "gap_closed", None),
            getattr(c, "available", None),
            getattr(c, "has_open", None),
            getattr(c, "next_start", None),
        )
        for c in courses
    ]


def crumbs(*items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(str(_("Pelatihan")), reverse("training:catalogue")), *items]


def admin_agency_id(request: HttpRequest) -> int:
    """The agency a BKD admin works on (`?agency=`; one rule for every page and endpoint)."""
    return int(agency_for(request).pk)


def form_errors(form: Any, exc: ApplicationError) -> None:
    """A refused write shown on the form: each field's message next to the field, the rest on top."""
    fields = exc.extra.get("fields") or {exc.extra.get("field"): exc.message}
    for field, message in fields.items():
        form.add_error(field if field in form.fields else None, message)


def require_admin(request: HttpRequest) -> None:
    if not is_hr_admin(request.user):
        raise PermissionDenied


def year_param(request: HttpRequest) -> int:
    year = int_or_none(request.GET.get("year")) or timezone.localdate().year
    return max(2000, min(2100, year))


def xlsx(filename: str, header: list[str], rows: list[list[Any]]) -> HttpResponse:
    return xlsx_response(filename, header, rows)
