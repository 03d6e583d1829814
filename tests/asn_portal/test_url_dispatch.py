"""Resolving by first path segment (asn_portal.url_dispatch) changes nothing a request or a link can see.

url_snapshot.json is the table of every URL of the portal (one per pattern with sample arguments, plus near misses
that are 404s) and what it resolved to with the flat URLconf before the segment dispatch: the view, actions, URL
name, namespaces, route and arguments. Every URL must resolve exactly so today, and the URLconf must still hold
exactly those patterns.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.urls import URLPattern, get_resolver, path
from django.urls.exceptions import Resolver404

from asn_portal.url_dispatch import SegmentDispatchResolver, dispatch, segment_of

from .url_snapshot import resolution, sample_urls

SNAPSHOT = json.loads((Path(__file__).parent / "url_snapshot.json").read_text())


def test_the_urlconf_holds_the_same_patterns() -> None:
    assert sample_urls() == sorted(SNAPSHOT)


def test_every_url_resolves_to_the_same_view_as_before() -> None:
    changed = {url: (resolution(url), row) for url, row in SNAPSHOT.items() if resolution(url) != row}
    assert changed == {}


def test_the_api_and_the_root_dispatch_by_segment() -> None:
    root = get_resolver().url_patterns
    assert len(root) == 1 and isinstance(root[0], SegmentDispatchResolver)
    api = next(p for p in root[0].url_patterns if str(p.pattern) == "api/v1/")
    assert isinstance(api, SegmentDispatchResolver)
    by_segment, rest = api._resolvers
    assert len(by_segment["mentoring-sessions"].url_patterns) <= 16  # its routes and the two router roots' `.json`
    assert len(rest.url_patterns) <= 2  # the two router roots' `.json`


def _view(name: str) -> object:
    return lambda request: name


@pytest.mark.parametrize(
    ("pattern", "segment"),
    [
        (path("", _view("home")), ""),
        (path("healthz", _view("h")), "healthz"),
        (path("bare.json", _view("b")), "bare"),
        (path("me/tokens/", _view("t")), "me"),
        (path("employees/<int:pk>/timeline/", _view("t")), "employees"),
        (path("<int:pk>/", _view("d")), None),
        (path("pegawai", _view("p")), "pegawai"),
    ],
)
def test_the_segment_of_a_route(pattern: URLPattern, segment: str | None) -> None:
    assert segment_of(pattern) == segment


def test_the_segment_of_a_regex_is_only_a_literal_that_cannot_run_on() -> None:
    from django.urls import re_path

    cases = {
        r"^employees/(?P<pk>[0-9]+)/$": "employees",
        r"^employees\.(?P<format>[a-z0-9]+)/?$": "employees",
        r"^$": "",
        r"^\.(?P<format>[a-z0-9]+)/?$": "",
        r"^employees?/$": None,
        r"^employees$|^units/$": None,
        r"^(?i)employees/$": None,
        r"employees/$": None,
        r"^employees": None,
    }
    for regex, segment in cases.items():
        assert segment_of(re_path(regex, _view(regex))) == segment, regex


def test_a_dispatching_resolver_keeps_the_order_of_patterns_that_can_match_anything() -> None:
    resolver = dispatch(
        "",
        [
            path("a/x/", _view("a-x")),
            path("<str:word>/x/", _view("any-x")),
            path("a/<str:word>/", _view("a-any")),
            path("b/", _view("b")),
        ],
    )
    assert resolver.resolve("a/x/").func(None) == "a-x"
    assert resolver.resolve("c/x/").func(None) == "any-x"
    assert resolver.resolve("a/y/").func(None) == "a-any"
    assert resolver.resolve("b/").func(None) == "b"
    with pytest.raises(Resolver404):
        resolver.resolve("c/y/")
