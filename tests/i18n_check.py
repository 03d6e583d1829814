"""What the language checks compare pages against: the English catalogue (locale/en/LC_MESSAGES/django.po,
read as text so a fuzzy or empty entry is seen too), every raw enum value of the project's TextChoices,
and what a reader sees on a page (text nodes and the attributes read aloud or shown: title, aria-label,
placeholder, alt, a button's value), leaving out script/style and any element marked in another language
(`lang="id"` on the option "Bahasa Indonesia" in an English page)."""

from __future__ import annotations

import contextlib
import json
import re
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import polib
from django.urls import resolve
from django.urls.exceptions import Resolver404

PO_FILE = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES" / "django.po"


@dataclass
class Entry:
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: list[str] = field(default_factory=list)
    fuzzy: bool = False
    line: int = 0


def po_entries(path: Path = PO_FILE) -> list[Entry]:
    """Every entry of a .po file except the header (msgid ""), fuzzy and obsolete ones included (read with polib,
    so an entry the catalogue compiler would skip is still seen and reported)."""
    out = []
    for e in polib.pofile(str(path), wrapwidth=0):
        if e.obsolete:
            continue
        msgstr = [e.msgstr_plural[k] for k in sorted(e.msgstr_plural)] if e.msgid_plural else [e.msgstr]
        out.append(Entry(e.msgctxt, e.msgid, e.msgid_plural or None, msgstr, e.fuzzy, e.linenum))
    return out


_PLACEHOLDER = re.compile(r"%(\([^)]*\))?[#0 +-]*\d*(\.\d+)?[sdifr%]|\{[^}]*\}")


@cache
def untranslated_markers() -> frozenset[str]:
    """Indonesian catalogue texts whose English differs and that a page can show verbatim (no placeholder):
    seeing one of them in an English page means a string was not marked or not translated."""
    markers = set()
    for entry in po_entries():
        for source, target in zip([entry.msgid, entry.msgid_plural or entry.msgid], entry.msgstr, strict=False):
            text = _norm(source)
            if not text or _PLACEHOLDER.search(source) or _norm(target) == text:
                continue
            if len(text) < 3 or not re.search(r"[A-Za-z]", text):
                continue
            markers.add(text)
    return frozenset(markers)


@cache
def raw_enum_values() -> dict[str, str]:
    """value -> the TextChoices class it belongs to, for every project choice whose label differs from its
    stored value (a page showing the value shows an internal code)."""
    from django.db import models
    from django.utils import translation

    def subclasses(cls: type) -> list[type]:
        out: list[type] = []
        subs: list[type] = cls.__subclasses__()
        for sub in subs:
            out += [sub, *subclasses(sub)]
        return out

    values: dict[str, str] = {}
    with translation.override("id"):
        for cls in subclasses(models.TextChoices):
            if cls.__module__.startswith(("django.", "rest_framework")):
                continue
            for value, label in cls.choices:
                if str(value) != str(label):
                    values.setdefault(str(value), f"{cls.__module__}.{cls.__name__}")
    return values


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


_SKIP = {"script", "style", "template", "noscript", "svg"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
SHOWN_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")


class PageText(HTMLParser):
    """Visible text pieces of a page (whitespace collapsed) and the same-site links on it."""

    def __init__(self, language: str, url: str = "http://testserver/") -> None:
        super().__init__(convert_charrefs=True)
        self.language = language
        self.url = url
        self.stack: list[tuple[str, bool]] = []  # (tag, hidden-from-check) of open elements
        self.texts: list[str] = []
        self.links: list[str] = []
        self.in_json = False

    @property
    def hidden(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.url, a["href"]))
        lang = a.get("lang", "")
        hidden = (
            self.hidden
            or tag in _SKIP
            or (lang != "" and lang.split("-")[0] != self.language)
            or a.get("translate") == "no"
        )
        if not hidden:
            for name in SHOWN_ATTRIBUTES:
                if a.get(name):
                    self.texts.append(_norm(a[name]))
            if tag == "input" and a.get("type") in ("submit", "button") and a.get("value"):
                self.texts.append(_norm(a["value"]))
        if tag not in _VOID:
            self.stack.append((tag, hidden))
        self.in_json = tag == "script" and a.get("type") == "application/json"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and self.stack:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data: str) -> None:
        if self.in_json:  # chart data (json_script): its labels are shown in the chart
            with contextlib.suppress(ValueError):
                self.texts += [_norm(t) for t in _chart_labels(json.loads(data))]
            self.in_json = False
            return
        text = _norm(data)
        if text and not self.hidden:
            self.texts.append(text)


def _chart_labels(value: Any, key: str = "") -> list[str]:
    """The strings a Chart.js config shows: axis labels, dataset labels, titles."""
    if isinstance(value, dict):
        return [t for k, v in value.items() for t in _chart_labels(v, k)]
    if isinstance(value, list) and key == "labels" and value and all(isinstance(v, list) for v in value):
        return [" ".join(map(str, v)) for v in value]  # a label wrapped onto short lines reads as one
    if isinstance(value, list):
        return [t for v in value for t in _chart_labels(v, key)]
    if isinstance(value, str) and key in ("labels", "label", "text", "title"):
        return [value]
    return []


def read_page(html: str, language: str, url: str) -> PageText:
    parser = PageText(language, "http://testserver" + url)
    parser.feed(html)
    parser.close()
    return parser


def route_of(url: str) -> str | None:
    """The URL pattern a path resolves to (its route), or None outside the URLconf."""
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    return match.route


SKIP_PREFIXES = ("/admin/", "/api/", "/i18n/", "/bench/", "/akun/keluar", "/media/", "/static/")


def same_site(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.netloc not in ("", "testserver") or parts.path.startswith(SKIP_PREFIXES):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


@cache
def english_texts() -> frozenset[str]:
    """Every English text of the catalogue: "open" in an English page is the translation of "terbuka", not
    the raw PeriodStatus value."""
    return frozenset(_norm(s) for e in po_entries() for s in e.msgstr)


def stored_texts() -> frozenset[str]:
    """Every text users or reference data put in the database (course titles, an assessor typed as "Atasan
    langsung", unit names...): shown as written, whatever the language, so not a missing translation."""
    from django.apps import apps
    from django.db import models

    out: set[str] = set()
    for model in apps.get_models():
        if model._meta.app_label not in ("people", "competencies", "performance", "training", "careers", "promotions"):
            continue
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and not f.choices
        ]
        for name in fields:
            out.update(_norm(str(v)) for v in model._default_manager.values_list(name, flat=True).distinct() if v)
    return frozenset(out)


def problems_on(texts: list[str], language: str, stored: frozenset[str] = frozenset()) -> list[str]:
    """Untranslated catalogue texts (English pages) and raw enum values (any language) among `texts`."""
    enums = raw_enum_values()
    markers = untranslated_markers() if language == "en" else frozenset()
    english = english_texts() if language == "en" else frozenset()
    found = []
    for text in dict.fromkeys(texts):
        if text in enums and text not in english:
            found.append(f"raw value {text!r} ({enums[text]})")
        elif text in markers and text not in stored:
            found.append(f"untranslated {text!r}")
    return found
