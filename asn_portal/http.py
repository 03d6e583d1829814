"""Small HTTP helpers shared by every app's views."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next_url(request: HttpRequest, fallback: str, *, value: str | None = None) -> str:
    """The `next` the form posted (or `value`) when it stays on this site, else `fallback`.

    `url_has_allowed_host_and_scheme` rejects other hosts, `//host`, `\\\\host`, `javascript:` and, on an HTTPS
    request, plain-HTTP targets; a URL name or path is accepted as the fallback.
    """
    target = value if value is not None else (request.POST.get("next") or request.GET.get("next") or "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(fallback)


def safe_next(request: HttpRequest, fallback: str, *, value: str | None = None) -> HttpResponseRedirect:
    """Redirect to `next` only when it is on this site (never an open redirect), else to `fallback`."""
    return HttpResponseRedirect(safe_next_url(request, fallback, value=value))
