"""Helpers the careers pages share: the section's menu, rendering with it, error messages and 404s."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from asn_portal.errors import ApplicationError
from people.access import agency_for_request, is_head, is_hr_admin, requested_agency


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


def require(cond: bool) -> None:
    if not cond:
        raise Http404
