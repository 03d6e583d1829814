"""A small HTML-form fuzzer: every page route that takes a POST, as each role, with bad input, must answer
without a server error (a form error, 400, 403, 404, 405 or a redirect are all fine).

How it finds what to post, deterministically and within bounds:
1. every URL pattern of the root URLconf outside admin/, api/ (the schema fuzzer covers it) and i18n/;
2. a crawl as the role from the parameterless pages, following same-site links, keeps the first real URL
   of each pattern (so path ids are real rows of the seeded demo), at most MAX_PAGES pages;
3. each pattern is also tried with garbage path values (0 and 99999999 for ids, `abc` for text segments);
4. the POST forms of the crawled pages are read (field names, defaults, submit buttons); each distinct
   form is posted with its defaults, with every field set to each bad value (`abc`, a NUL byte, `-1`, a
   huge number, 3,000 characters, `2026-13-45`, `²`), and with each of its first three id-like fields (select,
   hidden, number) alone set to `abc`;
5. every real URL also gets the bad values in the field names views read by hand (`op`, `item`, ...).
Order is sorted everywhere, so two runs send the same requests."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from tests.asn_portal.fuzz_world import ROLES, in_own_transaction, seed_world, user_for
from tests.conftest import ARTIFACTS

pytestmark = pytest.mark.django_db

SKIP_PREFIXES = ("/admin/", "/api/", "/i18n/", "/bench/", "/akun/keluar", "/media/", "/static/")
MAX_PAGES = 220
BAD_VALUES = ("abc", "\x00", "-1", "99999999999999999999", "x" * 3000, "2026-13-45", "²")
# Field names views read straight from request.POST (outside a Django form).
HAND_READ_FIELDS = (
    "op",
    "item",
    "action",
    "status",
    "placement",
    "target",
    "unit",
    "period",
    "record",
    "employee",
    "mentees",
    "result",
    "rating",
    "owner",
    "row",
    "agency",
    "decision",
    "confirm",
    "follow",
)
MAX_SINGLE_FIELD_MUTATIONS = 3


@dataclass
class Form:
    action: str
    fields: dict[str, str] = field(default_factory=dict)
    buttons: list[tuple[str, str]] = field(default_factory=list)
    id_like: list[str] = field(default_factory=list)


class _Parser(HTMLParser):
    def __init__(self, page_url: str) -> None:
        super().__init__()
        self.page_url = page_url
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.page_url, a["href"]))
        elif tag == "form":
            if a.get("method", "get").lower() == "post":
                self._form = Form(action=urljoin(self.page_url, a.get("action") or self.page_url))
        elif self._form is not None and tag in self._FIELD_TAGS:
            self._FIELD_TAGS[tag](self, self._form, a)

    def _input(self, form: Form, a: dict[str, str]) -> None:
        if not a.get("name"):
            return
        kind = a.get("type", "text").lower()
        name = a["name"]
        if kind in ("submit", "image"):
            form.buttons.append((name, a.get("value", "")))
        elif kind in ("checkbox", "radio"):
            if "checked" in a or name not in form.fields:
                form.fields[name] = a.get("value", "on")
        elif kind != "file":
            form.fields[name] = a.get("value", "")
            if kind in ("hidden", "number") and name != "csrfmiddlewaretoken":
                form.id_like.append(name)

    def _select_start(self, form: Form, a: dict[str, str]) -> None:
        if a.get("name"):
            self._select, self._select_first = a["name"], None
            form.id_like.append(a["name"])

    def _option(self, form: Form, a: dict[str, str]) -> None:
        if not self._select:
            return
        value = a.get("value", "")
        if self._select_first is None or "selected" in a:
            self._select_first = value
            form.fields[self._select] = value

    def _textarea_start(self, form: Form, a: dict[str, str]) -> None:
        if a.get("name"):
            self._textarea = a["name"]
            form.fields[self._textarea] = ""

    def _button(self, form: Form, a: dict[str, str]) -> None:
        if a.get("name") and a.get("type", "submit") == "submit":
            form.buttons.append((a["name"], a.get("value", "")))

    _FIELD_TAGS = {
        "input": _input,
        "select": _select_start,
        "option": _option,
        "textarea": _textarea_start,
        "button": _button,
    }

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea:
            self._form.fields[self._textarea] += data


def all_routes() -> list[str]:
    """Every route of the root URLconf as a template, e.g. /karier/rencana/<int:pk>/."""

    def walk(patterns: list, prefix: str) -> list[str]:
        out: list[str] = []
        for p in patterns:
            route = str(p.pattern).replace("^", "").replace("\\Z", "").replace("$", "")
            if isinstance(p, URLResolver):
                out += walk(p.url_patterns, prefix + route)
            elif isinstance(p, URLPattern):
                out.append(prefix + route)
        return out

    return sorted({"/" + r for r in walk(get_resolver().url_patterns, "") if not ("/" + r).startswith(SKIP_PREFIXES)})


def route_of(url: str) -> str | None:
    try:
        return "/" + resolve(urlsplit(url).path).route.replace("^", "").replace("\\Z", "").replace("$", "")
    except Resolver404:
        return None


def garbage_urls(route: str) -> list[str]:
    """The route with ids no row has (0, 99999999) and text segments no view knows (`abc`); `abc` in an
    int segment cannot match the route at all, so it is a plain 404."""
    if "<" not in route:
        return []
    urls = [re.sub(r"<int:\w+>", value, route) for value in ("0", "99999999")]
    return sorted({re.sub(r"<(?:str|slug|path):\w+>", "abc", url) for url in urls})


def _same_site(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.netloc not in ("", "testserver") or parts.path.startswith(SKIP_PREFIXES):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def crawl(client: Client, routes: list[str]) -> tuple[dict[str, str], list[Form]]:
    """First real URL per route reachable from the parameterless pages (breadth first), and the POST
    forms found on those pages."""
    found: dict[str, str] = {}
    forms: list[Form] = []
    queue = [r for r in routes if "<" not in r]
    seen: set[str] = set(queue)
    while queue and len(found) < MAX_PAGES:
        url = queue.pop(0)
        route = route_of(url)
        if route is None or route in found:
            continue
        found[route] = url
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = _Parser("http://testserver" + url)
        parser.feed(response.content.decode("utf-8", "replace"))
        forms += [f for f in parser.forms if _same_site(f.action)]
        for link in sorted(set(parser.links)):
            target = _same_site(link)
            if target and target not in seen:
                seen.add(target)
                queue.append(target)
    return found, forms


def form_payloads(form: Form) -> list[dict[str, str]]:
    buttons = form.buttons or [("", "")]
    editable = [n for n in form.fields if n != "csrfmiddlewaretoken"]
    payloads = []
    for name, value in buttons:
        base = dict(form.fields)
        if name:
            base[name] = value
        payloads.append(base)
        for bad in BAD_VALUES:
            payloads.append({**base, **dict.fromkeys(editable, bad)})
        for field_name in form.id_like[:MAX_SINGLE_FIELD_MUTATIONS]:
            payloads.append({**base, field_name: "abc"})
    return payloads


def _fuzz_routes(post: Callable[[str, dict[str, str]], None], routes: list[str], real: dict[str, str]) -> None:
    """Every route: garbage path values, and the hand-read field names with bad values on the real URL."""
    for route in routes:
        for url in garbage_urls(route):
            post(url, {})
        if route in real:
            post(real[route], {})
            for bad in ("abc", "-1"):
                post(real[route], dict.fromkeys(HAND_READ_FIELDS, bad))


def _fuzz_forms(post: Callable[[str, dict[str, str]], None], forms: list[Form]) -> int:
    """Every distinct form found while crawling: defaults, all fields bad, each id-like field bad.
    Returns how many distinct forms were posted."""
    seen_forms: set[tuple] = set()
    for form in forms:
        key = (route_of(form.action), urlsplit(form.action).query, tuple(sorted(form.fields)), tuple(form.buttons))
        if key in seen_forms:
            continue
        seen_forms.add(key)
        target = _same_site(form.action)
        assert target is not None
        for data in form_payloads(form):
            post(target, data)
    return len(seen_forms)


def fuzz_as(role: str) -> tuple[list[str], int, str]:
    client = Client(raise_request_exception=False)
    client.force_login(user_for(role))
    routes = all_routes()
    real, forms = crawl(client, routes)
    failures: list[str] = []
    sent = 0

    def post(url: str, data: dict[str, str]) -> None:
        nonlocal sent
        sent += 1
        response, commit_error = in_own_transaction(lambda: client.post(url, data))
        assert response is not None
        shown = {k: (v[:20] + "…" if len(v) > 20 else v) for k, v in data.items() if k != "csrfmiddlewaretoken"}
        if response.status_code >= 500:
            failures.append(f"POST {url} {shown!r} -> {response.status_code}")
        if commit_error:
            failures.append(f"POST {url} {shown!r}: COMMIT would fail ({commit_error})")

    _fuzz_routes(post, routes, real)
    distinct = _fuzz_forms(post, forms)
    coverage = f"{len(routes)} routes, {len(real)} reached with a real URL, {distinct} distinct forms"
    return failures, sent, coverage


@pytest.mark.parametrize("role", ROLES)
def test_no_page_form_answers_a_server_error_on_bad_input(role):
    seed_world()
    failures, sent, coverage = fuzz_as(role)
    ARTIFACTS.mkdir(exist_ok=True)
    report = f"{sent} requests; {coverage}\n" + "\n".join(failures) + "\n"
    (ARTIFACTS / f"form_fuzz_{role}.txt").write_text(report, encoding="utf-8")
    assert sent > 300, "the fuzzer should reach the portal's forms"
    assert not failures, f"{len(failures)} of {sent} posts as {role} failed:\n" + "\n".join(sorted(set(failures))[:80])
