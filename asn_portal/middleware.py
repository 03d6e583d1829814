"""Portal middleware: login required on every page (except login, health and the API, which answers JSON
itself) and the working language."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.http import HttpRequest, HttpResponseBase
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

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
