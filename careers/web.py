"""Helpers the careers pages share: the section's menu, rendering with it, error messages and 404s."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Mapping
from typing import Any, TypeVar, cast

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from asn_portal.errors import ApplicationError
from people.access import agency_for_request, is_head, is_hr_admin, requested_agency

T = TypeVar("T")


def user_of(request: HttpRequest) -> Any:
    return request.user


def local_today() -> Any:
    return timezone.localdate()


def fail(request: HttpRequest, exc: ApplicationError, form: Any = None) -> None:
    if form is not None:
        form.add_error(None, exc.message)
    else:
        messages.error(request, exc.message)


def admin_agency_id(request: HttpRequest) -> int:
    """The agency a BKD admin works on: `?agency=` or their own (people.access.agency_for); 404 otherwise."""
    return int(agency_for_request(user_of(request), requested_agency(request)).pk)


def subnav(request: HttpRequest) -> list[tuple[str, str, bool]]:
    """The careers section's own menu (the main menu holds only its three entry points)."""
    user = user_of(request)
    head, admin = is_head(user), is_hr_admin(user)
    items: list[tuple[str, str]] = [(_("Bimbingan"), "careers:sessions")]
    if head:
        items.append((_("Tim saya"), "careers:team"))
    if admin:
        items.append((_("Kadens per unit"), "careers:cadence"))
    if head or admin:
        items += [
            (_("Rencana karier"), "careers:plans"),
            (_("Manajemen talenta"), "careers:reviews"),
            (_("Tindak lanjut penilaian"), "careers:follow-ups"),
        ]
    if admin:
        items.append((_("Suksesi"), "careers:succession"))
    current = request.resolver_match.view_name if request.resolver_match else ""
    return [(str(label), reverse(name), name == current) for label, name in items] if len(items) > 1 else []


def render_page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, {"subnav": subnav(request), **context})


def cached_for_computation(
    name: str, *, computed_at: dt.datetime | None, vary: tuple[object, ...], build: Callable[[], T]
) -> T:
    """`build()` once per summary computation: the cache key holds the summary's `computed_at` (a refresh
    rewrites the rows and the stamp in one transaction, so new figures make a new key), the language and
    whatever else the result depends on (`vary`: the agency, the reader's scope, the year, today's date). Never
    cached before the first computation; kept at most `SUMMARY_FRAGMENT_CACHE_SECONDS`."""
    if computed_at is None:
        return build()
    digest = hashlib.sha256(repr((computed_at.isoformat(), get_language(), *vary)).encode()).hexdigest()
    key = f"careers:computed:{name}:{digest}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, getattr(settings, "SUMMARY_FRAGMENT_CACHE_SECONDS", 600))
    return cast(T, value)


def summary_fragment(
    template: str,
    *,
    agency_id: int,
    computed_at: dt.datetime | None,
    build: Callable[[], Mapping[str, Any]],
    vary: tuple[object, ...] = (),
) -> SafeString:
    """A page's per-unit table read from an agency's summary rows, rendered once per computation
    (`cached_for_computation`): hundreds of units are hundreds of table rows, and rendering them was most of
    such a page's work."""
    html = cached_for_computation(
        template,
        computed_at=computed_at,
        vary=(agency_id, *vary),
        build=lambda: str(render_to_string(template, {**build(), "computed_at": computed_at})),
    )
    return mark_safe(html)  # noqa: S308 - rendered from our own template with autoescaping


def require(cond: bool) -> None:
    if not cond:
        raise Http404
