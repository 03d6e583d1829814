"""The portal's `{% url %}` (asn_portal.templatetags.portal_builtins, reversed once per route) renders exactly what
Django's own tag renders, for every named route of the portal, and falls back to Django for everything else."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.template import Context, Engine, engines
from django.test import RequestFactory
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse
from django.utils import translation

from asn_portal.templatetags.portal_builtins import FastURLNode, fast_reverse


def _named_routes(resolver: URLResolver | None = None, prefix: str = "") -> list[tuple[str, int]]:
    """(name with namespaces, number of path arguments) of every named route."""
    resolver = resolver or get_resolver()
    routes = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            routes += _named_routes(pattern, ns)
        elif pattern.name:
            routes.append((prefix + pattern.name, re.compile(pattern.pattern.regex.pattern).groups))
    return routes


def _django(name: str, args: list[Any]) -> str | type[Exception]:
    try:
        return reverse(name, args=args)
    except (NoReverseMatch, TypeError) as exc:  # TypeError: DRF's format-suffix converter refuses numbers
        return type(exc)


def test_every_named_route_reverses_like_django_for_ids() -> None:
    routes = _named_routes()
    assert len(routes) > 150  # the sweep really covers the portal's routes
    compared = 0
    for name, nargs in routes:
        for args in ([7] * nargs, [0] * nargs, [123456 + i for i in range(nargs)], [1]):
            expected = _django(name, args)
            if not isinstance(expected, str):
                with pytest.raises(expected):
                    fast_reverse(name, args, None)
            else:
                assert fast_reverse(name, args, None) == expected, (name, args)
                compared += 1
    assert compared > 300


def test_arguments_that_are_not_ids_take_djangos_reverse() -> None:
    assert fast_reverse("training:offering-detail", ["12"], None) == reverse("training:offering-detail", args=["12"])
    for bad in ([-3], [True], ["abc"], [None]):
        with pytest.raises(NoReverseMatch):
            fast_reverse("training:offering-detail", bad, None)
    with pytest.raises(NoReverseMatch):
        fast_reverse("no-such-route", [], None)


def _render(source: str, **context: Any) -> str:
    return engines["django"].from_string(source).render(context)


def _render_plain_django(source: str, **context: Any) -> str:
    """The same template through an engine without the portal's builtins (Django's own `{% url %}`)."""
    return Engine(libraries={}, builtins=[]).from_string(source).render(Context(context))


@pytest.mark.parametrize(
    "source",
    [
        "{% url 'home' %}",
        "{% url 'training:offering-detail' pk %}",
        "{% url 'training:offering-detail' pk=pk %}",
        "{% url 'training:offering-detail' text %}",
        "{% url name pk %}",
        "{% url 'training:offering-detail' pk as link %}[{{ link }}]",
        "{% url 'no-such-route' as link %}[{{ link }}]",
        "{% for o in rows %}<a href=\"{% url 'training:offering-detail' o %}\">{{ o }}</a>{% endfor %}",
    ],
)
def test_template_output_equals_djangos_url_tag(source: str) -> None:
    context = {"pk": 41, "text": "41", "name": "training:offering-detail", "rows": [1, 22, 333]}
    assert _render(source, **context) == _render_plain_django(source, **context)


def test_every_template_uses_the_portal_url_tag() -> None:
    template = engines["django"].from_string("{% url 'home' %}")
    assert isinstance(template.template.nodelist[0], FastURLNode)  # type: ignore[attr-defined]


def test_unknown_route_still_fails_the_page() -> None:
    with pytest.raises(NoReverseMatch):
        _render("{% url 'no-such-route' 5 %}")


def test_current_app_and_language_are_part_of_the_cached_url() -> None:
    request = RequestFactory().get("/")
    request.current_app = "admin"
    with translation.override("en"):
        assert _render("{% url 'admin:index' %}", request=request) == reverse("admin:index", current_app="admin")
    assert _render("{% url 'training:offering-detail' 5 %}", request=request) == reverse(
        "training:offering-detail", args=[5]
    )
