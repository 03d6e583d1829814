"""Portal middleware: login required on every page (except login, health and the API, which answers JSON
itself), the working language, and a 400 (never a 500) for input the database cannot take."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.db import DataError, IntegrityError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import gettext as _

OPEN_PREFIXES = ("/api/", "/healthz", "/static/", "/i18n/")


class LoginRequiredMiddleware(DjangoLoginRequired):
    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponseBase | None:
        if request.path.startswith(OPEN_PREFIXES):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class PermissionsPolicyMiddleware:
    """Sets `Permissions-Policy` (settings.PERMISSIONS_POLICY) on every response, static files included:
    browser features the portal never uses stay off even if a script were injected."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        policy = getattr(settings, "PERMISSIONS_POLICY", "")
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        return response


class LanguageMiddleware(LocaleMiddleware):
    """Bahasa Indonesia unless the user chose another language (the language cookie set by the
    selector in the menu). The browser's Accept-Language is deliberately ignored: government PCs often
    run English browsers, and the portal's working language is Indonesian."""

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path:
        return True
    params = [request.GET]
    if request.method == "POST" and request.content_type in FORM_CONTENT_TYPES:
        params.append(request.POST)
    return any("\x00" in key or any("\x00" in v for v in values) for qd in params for key, values in qd.lists())


class BadInputMiddleware:
    """PostgreSQL cannot store or compare text containing NUL (0x00), and no field of the portal takes one:
    such a request (path, query string or form field) is answered 400 before any filter or view sends it
    to the database. As a last line of defence for pages, a write the database refuses (a unique or check
    constraint, a value out of range) becomes a 400 page instead of a server error; the API has the same
    mapping in its exception handler. Views and services are still expected to validate first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        from .views import bad_request

        if _has_nul(request):
            return bad_request(request, _("Permintaan memuat karakter NUL (0x00) yang tidak diizinkan."))
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from .api import database_refusal_message
        from .views import bad_request

        if isinstance(exception, IntegrityError | DataError):
            return bad_request(request, database_refusal_message(exception))
        return None
