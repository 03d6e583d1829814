"""Every URL of the portal and what it resolves to, as plain data (the reference of test_url_dispatch.py).

`sample_urls()` walks the URLconf and writes one concrete URL per pattern (sample values for its arguments; the
admin site is Django's own and left out) plus near misses (no trailing slash, one segment more, a `.json` suffix, a
letter for a number), so the frozen table covers both what matches and what is a 404. `resolution(url)` is what
Django's resolver makes of one URL: the view (class, actions, init arguments), the URL name, the namespaces, the
route and the captured arguments. Only when URLs are meant to change, rewrite the table with

    DJANGO_SETTINGS_MODULE=asn_portal.settings.test .venv/bin/python -m tests.asn_portal.url_snapshot \
        > tests/asn_portal/url_snapshot.json
"""

from __future__ import annotations

import json
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.exceptions import Resolver404
from django.utils.regex_helper import normalize

SAMPLES = {
    "format": "json",
    "lang": "id",
    "chapter": "pengantar",
    "name": "gambar.png",
    "public_id": "0b7c2d9e-5f3a-4c1e-9a6b-2d8e7f1a3c4b",
    "uidb64": "MQ",
    "token": "set-password",
    "app_label": "people",
    "model_name": "employee",
    "object_id": "17",
    "content_type_id": "3",
    "url": "x/y",
}


def _regex(pattern: URLPattern | URLResolver) -> str:
    text = pattern.pattern.regex.pattern
    text = text.removeprefix("^")
    for end in (r"\Z", "$"):
        text = text.removesuffix(end)
    return text


def _patterns(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    resolver = resolver or get_resolver()
    found = []
    for pattern in resolver.url_patterns:
        regex = prefix + _regex(pattern)
        if isinstance(pattern, URLResolver):
            found += _patterns(pattern, regex)
        else:
            found.append(regex)
    return found


def sample_urls() -> list[str]:
    urls: set[str] = set()
    for regex in _patterns():
        if regex.startswith("admin/"):
            continue  # Django's own admin site, left as it is
        for text, params in normalize(regex):
            base = "/" + (text % {p: SAMPLES.get(p, "17") for p in params})
            urls.add(base)
            stem = base.rstrip("/")
            urls.update({stem, stem + "/", base + "x/", stem + ".json", stem + ".json/"})
            if "17" in base:
                urls.add(base.replace("17", "abc", 1))
    return sorted(urls)


def _describe(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _describe(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, list | tuple):
        return [_describe(v) for v in value]
    if isinstance(value, type) or callable(value):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', repr(value))}"
    return value if isinstance(value, str | int | float | bool | type(None)) else repr(value)


def _actions(func: Any) -> dict[str, str] | None:
    """A viewset's method -> action map, without the `head` DRF adds to it on the view's first GET."""
    actions = getattr(func, "actions", None)
    if not actions:
        return None
    return {m: a for m, a in actions.items() if not (m == "head" and a == actions.get("get"))}


def resolution(url: str) -> dict[str, Any] | str:
    try:
        match = get_resolver().resolve(url)
    except Resolver404:
        return "404"
    func = match.func
    view_class = getattr(func, "cls", None) or getattr(func, "view_class", None)
    described = {
        "view": _describe(view_class or func),
        "actions": _describe(_actions(func)),
        "initkwargs": _describe(getattr(func, "initkwargs", None) or getattr(func, "view_initkwargs", None)),
        "url_name": match.url_name,
        "view_name": match.view_name,
        "namespaces": list(match.namespaces),
        "app_names": list(match.app_names),
        "route": match.route,
        "args": list(match.args),
        "kwargs": _describe(match.kwargs),
        "captured_kwargs": _describe(match.captured_kwargs),
        "extra_kwargs": _describe(match.extra_kwargs),
    }
    return {key: value for key, value in described.items() if value not in (None, [], {})}


def table() -> dict[str, Any]:
    return {url: resolution(url) for url in sample_urls()}


if __name__ == "__main__":
    import django

    django.setup()
    rows = [f"{json.dumps(url)}: {json.dumps(row, sort_keys=True)}" for url, row in table().items()]
    print("{\n" + ",\n".join(rows) + "\n}")  # noqa: T201
