"""The user guide stays true: each chapter renders in the portal, every help link of the registry points at a
section that exists (in both languages) from a URL name that exists, every screenshot the chapters show is
committed and small, and every UI label they quote «…» exists in the templates or the catalogue, so renaming a
button without updating the guide fails here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import get_resolver

from asn_portal import guide

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"


@pytest.fixture(autouse=True)
def _indonesian_afterwards():
    """An English request leaves English active in this thread; later tests in the worker expect Indonesian."""
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


CHAPTER_FILES = [(lang, c) for c in guide.CHAPTERS.values() for lang in guide.LANGS]


def _client(user, lang="id"):
    c = Client()
    c.force_login(user)
    if lang != "id":
        c.post("/i18n/setlang/", {"language": lang, "next": "/"})
    return c


def _po_entries() -> list[tuple[str, str]]:
    """(msgid, msgstr) pairs of the English catalogue (multi-line strings joined, escapes undone)."""
    entries, current, field = [], {"msgid": "", "msgstr": ""}, None
    for line in PO.read_text(encoding="utf-8").splitlines() + [""]:
        m = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[0\])?) "(.*)"$', line)
        if m:
            field = {"msgstr[0]": "msgstr", "msgid_plural": None}.get(m.group(1), m.group(1))
            if field == "msgctxt":
                current = {"msgid": "", "msgstr": ""}
            if field in ("msgid", "msgstr"):
                current[field] = m.group(2)
        elif line.startswith('"') and field in ("msgid", "msgstr"):
            current[field] += line[1:-1]
        elif not line.strip() and current["msgid"]:
            entries.append((current["msgid"], current["msgstr"]))
            current, field = {"msgid": "", "msgstr": ""}, None
    return [(i.replace('\\"', '"'), s.replace('\\"', '"')) for i, s in entries]


def _template_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "templates").rglob("*.html"))


def _quoted(text: str) -> list[str]:
    return re.findall(r"«(\S[^»]*)»", text)  # "« dan »" (the convention itself) is no label


@pytest.mark.django_db
@pytest.mark.parametrize(("lang", "chapter"), CHAPTER_FILES, ids=lambda v: getattr(v, "key", v))
def test_each_chapter_renders_in_the_portal(org, lang, chapter):
    r = _client(org.staff.user, lang).get(f"/panduan/{lang}/{chapter.files[lang]}/")
    assert r.status_code == 200
    html = r.content.decode()
    assert 'data-testid="guide-chapter"' in html
    rendered = guide.render_chapter(chapter, lang)
    assert rendered.title and "<h1" in rendered.html
    for name in re.findall(r"\(\.\./img/" + lang + r"/([a-z0-9-]+\.png)\)", chapter_path_text(chapter, lang)):
        assert f'src="/panduan/img/{lang}/{name}"' in html
    # Links between chapters point at the portal's chapter pages, not at .md files.
    assert ".md" not in rendered.html


def chapter_path_text(chapter, lang):
    return guide.chapter_path(chapter, lang).read_text(encoding="utf-8")


def test_both_languages_have_the_same_sections():
    for chapter in guide.CHAPTERS.values():
        ids = {lang: [a for a, _ in guide.render_chapter(chapter, lang).toc] for lang in guide.LANGS}
        assert ids["id"] == ids["en"], chapter.key


@pytest.mark.parametrize("lang", guide.LANGS)
def test_every_help_anchor_exists_in_its_chapter(lang):
    for url_name, topic in guide.HELP.items():
        html = guide.render_chapter(guide.CHAPTERS[topic.chapter], lang).html
        assert not topic.anchor or f'id="{topic.anchor}"' in html, (url_name, lang, topic)


def test_every_mapped_url_name_exists():
    resolver = get_resolver()
    for url_name in guide.HELP:
        namespace, _, name = url_name.rpartition(":")
        sub = resolver.namespace_dict[namespace][1] if namespace else resolver
        assert name in sub.reverse_dict, url_name


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "expected"),
    [("id", "/panduan/id/pegawai/#kesenjangan-kompetensi"), ("en", "/panduan/en/staff/#kesenjangan-kompetensi")],
)
def test_a_page_links_to_its_guide_section_in_the_active_language(org, lang, expected):
    html = _client(org.staff.user, lang).get("/kompetensi/saya/").content.decode()
    link = re.search(r'<a [^>]*href="([^"]+)" data-testid="help-link"', html)
    assert link and link.group(1) == expected
    # A page the registry does not name gets the guide's contents.
    html = _client(org.staff.user, lang).get("/notifikasi/").content.decode()
    link = re.search(r'<a [^>]*href="([^"]+)" data-testid="help-link"', html)
    assert link and link.group(1) == f"/panduan/{lang}/index/"


def test_every_screenshot_the_guide_shows_is_committed_and_small():
    shown = set()
    for lang, chapter in CHAPTER_FILES:
        for name in re.findall(r"\]\(\.\./img/([a-z]{2}/[a-z0-9-]+\.png)\)", chapter_path_text(chapter, lang)):
            path = guide.GUIDE_DIR / "img" / name
            assert path.is_file(), f"{name} is shown by {lang}/{chapter.files[lang]}.md but missing: run make guide"
            assert path.stat().st_size < 150_000, f"{name} is {path.stat().st_size} bytes"
            assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
            shown.add(name)
    on_disk = {f"{p.parent.name}/{p.name}" for p in (guide.GUIDE_DIR / "img").glob("*/*.png")}
    assert on_disk == shown, f"screenshots nobody shows: {sorted(on_disk - shown)}"


def test_every_label_the_guide_quotes_exists_in_the_ui():
    entries = _po_entries()
    msgids = {i for i, _ in entries}
    msgstrs = {s for _, s in entries}
    templates = _template_text()
    missing = []
    for lang, chapter in CHAPTER_FILES:
        for label in _quoted(chapter_path_text(chapter, lang)):
            known = (
                (label in msgids or f'"{label}"' in templates or f">{label}<" in templates)
                if lang == "id"
                else (label in msgstrs)
            )
            if not known:
                missing.append(f"{lang}/{chapter.files[lang]}.md: «{label}»")
    assert not missing, "labels the guide quotes but the UI does not show:\n" + "\n".join(missing)


@pytest.mark.django_db
def test_screenshots_are_served_and_nothing_else(org):
    c = _client(org.staff.user)
    any_png = next((guide.GUIDE_DIR / "img" / "id").glob("*.png"))
    r = c.get(f"/panduan/img/id/{any_png.name}")
    assert r.status_code == 200 and r["Content-Type"] == "image/png"
    for bad in ("../../../README.md", "..%2F..%2Fid%2Fpegawai.md", "pegawai.md", "x.PNG", "nothere.png"):
        assert c.get(f"/panduan/img/id/{bad}").status_code == 404, bad
    assert c.get("/panduan/xx/pegawai/").status_code == 404
    assert c.get("/panduan/id/staff/").status_code == 404  # an English file name under Indonesian
    assert Client().get("/panduan/id/pegawai/").status_code == 302  # signed-in users only, like every page
