"""The user guide (docs/panduan/): one chapter per role in Bahasa Indonesia and English, rendered in the portal,
and the one registry that maps each page (URL name) to the chapter and section that explains it.

The chapters are Markdown files written for people: `docs/panduan/<lang>/<file>.md`, their screenshots in
`docs/panduan/img/<lang>/<name>.png` (taken by `make guide`). Section anchors are written explicitly
(`## Judul {#anchor}`) and are the same in both languages, so one mapping serves both. UI labels a chapter quotes
are written «Label» and must exist in the templates or the catalogue (tests/asn_portal/test_guide.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language, pgettext_lazy

GUIDE_DIR = Path(settings.BASE_DIR) / "docs" / "panduan"
LANGS = ("id", "en")
_IMAGE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,80}\.png$")


@dataclass(frozen=True)
class Chapter:
    key: str
    title: object  # lazy translation
    files: dict[str, str]  # language -> file name without ".md" (also its URL slug)


CHAPTERS: dict[str, Chapter] = {
    c.key: c
    for c in (
        Chapter("index", pgettext_lazy("bab panduan", "Panduan pengguna"), {"id": "index", "en": "index"}),
        Chapter("staff", pgettext_lazy("bab panduan", "Pegawai"), {"id": "pegawai", "en": "staff"}),
        Chapter("head", pgettext_lazy("bab panduan", "Kepala unit"), {"id": "kepala-unit", "en": "unit-head"}),
        Chapter("admin", pgettext_lazy("bab panduan", "Admin BKD"), {"id": "admin-bkd", "en": "bkd-admin"}),
    )
}


@dataclass(frozen=True)
class HelpTopic:
    chapter: str  # a CHAPTERS key
    anchor: str = ""  # a section id written in the chapter ("" = its top)


# URL name -> the guide section that explains that page. Pages not listed get the guide's table of contents.
HELP: dict[str, HelpTopic] = {
    "home": HelpTopic("index", "memulai"),
    # Staff (pegawai)
    "competencies:me": HelpTopic("staff", "kesenjangan-kompetensi"),
    "careers:my": HelpTopic("staff", "rencana-karier"),
    "careers:plan-detail": HelpTopic("staff", "rencana-karier"),
    "careers:plan-create": HelpTopic("staff", "rencana-karier"),
    "training:catalogue": HelpTopic("staff", "mendaftar-pelatihan"),
    "training:recommended": HelpTopic("staff", "mendaftar-pelatihan"),
    "training:course-detail": HelpTopic("staff", "mendaftar-pelatihan"),
    "training:offering-detail": HelpTopic("staff", "mendaftar-pelatihan"),
    "training:my-learning": HelpTopic("staff", "mendaftar-pelatihan"),
    "training:questionnaires": HelpTopic("staff", "mengisi-kuesioner"),
    "training:questionnaire-answer": HelpTopic("staff", "mengisi-kuesioner"),
    "performance:my-skp": HelpTopic("staff", "skp-saya"),
    "promotions:my-outlook": HelpTopic("staff", "kenaikan-pangkat-saya"),
    # Head of a unit (kepala unit)
    "competencies:team": HelpTopic("head", "peta-kompetensi-tim"),
    "careers:sessions": HelpTopic("head", "mencatat-bimbingan"),
    "careers:session-create": HelpTopic("head", "mencatat-bimbingan"),
    "careers:session-detail": HelpTopic("head", "mencatat-bimbingan"),
    "careers:plans": HelpTopic("head", "menyetujui-rencana-karier"),
    "performance:inbox": HelpTopic("head", "menilai-skp"),
    "performance:evaluate": HelpTopic("head", "menilai-skp"),
    "performance:plan-detail": HelpTopic("head", "menilai-skp"),
    # BKD admin
    "performance:calibration": HelpTopic("admin", "kalibrasi"),
    "performance:unit-ratings": HelpTopic("admin", "kalibrasi"),
    "promotions:index": HelpTopic("admin", "antrean-kp"),
    "promotions:queue": HelpTopic("admin", "antrean-kp"),
    "promotions:vacancy-list": HelpTopic("admin", "peringkat-lowongan"),
    "promotions:vacancy-detail": HelpTopic("admin", "peringkat-lowongan"),
    "training:report-compliance": HelpTopic("admin", "kepatuhan-jp"),
}


def active_lang() -> str:
    lang = (get_language() or "id").split("-")[0]
    return lang if lang in LANGS else "id"


def chapter_url(key: str, lang: str | None = None, anchor: str = "") -> str:
    lang = lang or active_lang()
    url = reverse("guide", args=[lang, CHAPTERS[key].files[lang]])
    return f"{url}#{anchor}" if anchor else url


def help_url(url_name: str, lang: str | None = None) -> str:
    """The guide section for the page `url_name` (namespaced, e.g. "training:catalogue")."""
    return _help_url(url_name, lang or active_lang())


@lru_cache(maxsize=512)
def _help_url(url_name: str, lang: str) -> str:  # reversed once per process, like the menu's URLs
    topic = HELP.get(url_name, HelpTopic("index"))
    return chapter_url(topic.chapter, lang, topic.anchor)


def chapter_by_file(lang: str, file: str) -> Chapter | None:
    if lang not in LANGS:
        return None
    return next((c for c in CHAPTERS.values() if c.files.get(lang) == file), None)


def chapter_path(chapter: Chapter, lang: str) -> Path:
    return GUIDE_DIR / lang / f"{chapter.files[lang]}.md"


def image_path(lang: str, name: str) -> Path | None:
    """The screenshot file `name` of language `lang`, or None: only plain PNG names inside the guide's folder."""
    if lang not in LANGS or not _IMAGE_NAME.match(name):
        return None
    path = GUIDE_DIR / "img" / lang / name
    return path if path.is_file() else None


@dataclass(frozen=True)
class Rendered:
    title: str
    html: str
    toc: list[tuple[str, str]]  # (anchor, heading) of the chapter's sections


def render_chapter(chapter: Chapter, lang: str) -> Rendered:
    path = chapter_path(chapter, lang)
    return _render(str(path), path.stat().st_mtime_ns, lang)


@lru_cache(maxsize=32)
def _render(path: str, mtime: int, lang: str) -> Rendered:
    import markdown

    md = markdown.Markdown(extensions=["attr_list", "tables", "sane_lists", "toc"])
    html = md.convert(Path(path).read_text(encoding="utf-8"))
    tokens: list[dict[str, Any]] = getattr(md, "toc_tokens", [])
    top: dict[str, Any] = tokens[0] if tokens else {"name": "", "children": []}
    toc = [(t["id"], t["name"]) for t in top.get("children", [])]
    title = str(top["name"])
    # Links written for reading on disk (../img/id/x.png, kepala-unit.md#anchor) become portal URLs.
    html = re.sub(
        r'src="\.\./img/(id|en)/([a-z0-9-]+\.png)"',
        lambda m: f'src="{reverse("guide-image", args=[m.group(1), m.group(2)])}" loading="lazy"',
        html,
    )
    html = re.sub(
        r'href="([a-z-]+)\.md(#[a-z0-9-]+)?"',
        lambda m: f'href="{reverse("guide", args=[lang, m.group(1)])}{m.group(2) or ""}"',
        html,
    )
    return Rendered(title=title, html=html, toc=toc)
