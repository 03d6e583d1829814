"""URL resolving by first path segment: a URLResolver that tries only the patterns that can match the path.

Django's resolver tries every pattern of a URLconf in order until one matches, and every include that does not
match raises and records a `Resolver404`. The API was one flat list of about 190 patterns under /api/v1/ (six apps
included at "" and each router's routes twice, with and without a `.json` suffix), so a careers or promotions
request tried some 165 patterns before its own: about 0.13 ms of CPU per request, a quarter of a bare JSON view's
own Python time.

`dispatch(route, patterns)` is `path(route, include(patterns))` whose resolver looks at the first segment of the
rest of the path (its leading run of letters, digits, `-` and `_`, e.g. `mentoring-sessions` in
`mentoring-sessions/12/`) and tries, in their order, only the patterns that begin with that literal segment plus the
patterns that could match anything (a converter or a regex first, an include at ""). A pattern that begins with a
literal run followed by `/`, `.` or the end of an endpoint can only match paths whose leading run is exactly that
literal, so skipping the others changes nothing: the same pattern matches, with the same arguments, route, URL name
and namespaces. Only the `tried` list of a 404 (shown by Django's debug page) is shorter.

The patterns themselves, `url_patterns`, stay the full list in their order (includes at "" without namespace are
inlined: they add nothing to a path, a route or a name), so `reverse()`, `{% url %}` and the OpenAPI schema
(drf-spectacular walks `url_patterns`) see the same URLs. tests/asn_portal/test_url_dispatch.py checks every URL
against the table of what it resolved to before.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cached_property
from typing import Any

from django.urls import URLPattern, URLResolver
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RegexPattern, RoutePattern

_LEADING = re.compile(r"[A-Za-z0-9_-]*")
# After the literal run of a regex: a slash, an escaped dot, or the end of the pattern.
_REGEX_FOLLOW = ("/", r"\/", r"\.", "$", r"\Z")


def segment_of(pattern: URLPattern | URLResolver) -> str | None:
    """The literal first segment every path this pattern matches begins with, or None when it cannot tell."""
    pat = pattern.pattern
    is_endpoint = isinstance(pattern, URLPattern)
    if isinstance(pat, RoutePattern):
        route = pat._route  # type: ignore[attr-defined]
        if not isinstance(route, str):  # a translated (lazy) route differs by language
            return None
        literal = _LEADING.match(route)[0]  # type: ignore[index]
        rest = route[len(literal) :]
        if rest.startswith(("/", ".")) or (rest == "" and is_endpoint):
            return literal
        return None
    if isinstance(pat, RegexPattern):
        regex = pat._regex  # type: ignore[attr-defined]
        if not isinstance(regex, str) or not regex.startswith("^") or "|" in regex:
            return None
        literal = _LEADING.match(regex, 1)[0]  # type: ignore[index]
        rest = regex[1 + len(literal) :]
        if rest.startswith(_REGEX_FOLLOW[:3]) or (is_endpoint and rest in _REGEX_FOLLOW[3:]):
            return literal
        return None
    return None  # a locale prefix or another kind of pattern


def _inline(patterns: Sequence[Any]) -> list[URLPattern | URLResolver]:
    """The patterns with every include at "" (no namespace, no extra arguments) replaced by its own patterns."""
    flat: list[URLPattern | URLResolver] = []
    for pattern in patterns:
        if (
            isinstance(pattern, URLResolver)
            and isinstance(pattern.pattern, RoutePattern)
            and pattern.pattern._route == ""  # type: ignore[attr-defined]
            and pattern.namespace is None
            and pattern.app_name is None
            and not pattern.default_kwargs
        ):
            flat += _inline(pattern.url_patterns)
        else:
            flat.append(pattern)
    return flat


class SegmentDispatchResolver(URLResolver):
    """A URLResolver that resolves a path against the patterns of its first segment only (see the module)."""

    @cached_property
    def url_patterns(self) -> list[URLPattern | URLResolver]:  # type: ignore[override]
        return _inline(super().url_patterns)

    @cached_property
    def _resolvers(self) -> tuple[dict[str, URLResolver], URLResolver]:
        keyed = [(pattern, segment_of(pattern)) for pattern in self.url_patterns]

        def subset(segment: str | None) -> URLResolver:
            patterns = [p for p, key in keyed if key is None or key == segment]
            return URLResolver(self.pattern, patterns, self.default_kwargs, self.app_name, self.namespace)

        segments = {key for _, key in keyed if key is not None}
        return {segment: subset(segment) for segment in segments}, subset(None)

    def resolve(self, path: Any) -> Any:
        path = str(path)
        match = self.pattern.match(path)
        if not match:
            raise Resolver404({"path": path})
        by_segment, rest = self._resolvers
        return by_segment.get(_LEADING.match(match[0])[0], rest).resolve(path)  # type: ignore[index]


def dispatch(route: str, patterns: Any, name: str | None = None) -> SegmentDispatchResolver:
    """`path(route, include(patterns))` resolved by first segment; `patterns` is a list, a module path or the
    tuple `include()` returns."""
    urlconf, app_name, namespace = patterns if isinstance(patterns, tuple) else (patterns, None, None)
    return SegmentDispatchResolver(
        RoutePattern(route, name=name, is_endpoint=False), urlconf, app_name=app_name, namespace=namespace
    )
