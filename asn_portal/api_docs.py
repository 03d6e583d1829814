"""The OpenAPI schema and its interactive docs, public or sign-in only (settings.API_DOCS_PUBLIC).

Kept out of asn_portal.api: DRF imports that module (the pagination setting) while drf-spectacular's views
are still importing DRF."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated


class SchemaView(SpectacularAPIView):
    """The schema: public when API_DOCS_PUBLIC, otherwise for signed-in users (session or API token); decided
    per request so the setting can change without re-importing the URLconf."""

    def get_permissions(self) -> list[Any]:
        if settings.API_DOCS_PUBLIC:
            return [AllowAny()]
        return [IsAuthenticated()]


def docs_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Swagger/ReDoc pages: when the docs are not public, anonymous visitors are sent to the login page."""

    @login_not_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.API_DOCS_PUBLIC and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped
