"""Every parameterless page and API list answers each role without a server error, and the API
always answers JSON. (Object-level scoping is tested per app with other agencies' and units' objects.)"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

SKIP_PREFIXES = ("admin/", "akun/keluar", "i18n/", "api/schema", "api/docs", "api/redoc", "media/", "bench/")


def _walk(patterns: list, prefix: str = "") -> list[str]:
    urls: list[str] = []
    for p in patterns:
        if isinstance(p, URLResolver):
            route = str(p.pattern)
            if "<" in route:
                continue
            urls += _walk(p.url_patterns, prefix + route)
        elif isinstance(p, URLPattern):
            route = str(p.pattern)
            if "<" in route or "(?P" in route or route.startswith("^"):
                continue
            urls.append("/" + prefix + route)
    return urls


def parameterless_urls() -> list[str]:
    urls = sorted(set(_walk(get_resolver().url_patterns)))
    return [u.replace("\\Z", "").replace("^", "") for u in urls if not u.lstrip("/").startswith(SKIP_PREFIXES)]


@pytest.mark.parametrize("role", ["staff", "head", "admin", "foreign_admin"])
def test_no_page_or_api_list_fails_for_any_role(org, role):
    user = getattr(org, role).user
    client = Client()
    client.force_login(user)
    failures = []
    for url in parameterless_urls():
        response = client.get(url)
        if response.status_code >= 500:
            failures.append(f"{url} -> {response.status_code}")
        elif (
            url.startswith("/api/")
            and response.status_code != 204
            and not response["Content-Type"].startswith("application/json")
        ):
            failures.append(f"{url} answered {response['Content-Type']}")
    assert not failures, "\n".join(failures)
