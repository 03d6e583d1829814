"""Complete language: as each role, every page reachable from the home page (one per URL pattern) in
English shows no Indonesian text of the catalogue left untranslated and no raw enum value; in Indonesian
no raw enum value either. The catalogue itself has an English text for every entry (none empty or fuzzy).

The data is the deterministic demo (seed_demo, 40 employees, two agencies): every app's records, so the
crawl reaches detail pages of plans, SKPs, courses, vacancies, proposals..."""

from __future__ import annotations

import os
import re
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client

from tests.asn_portal.fuzz_world import seed_world
from tests.i18n_check import po_entries, problems_on, read_page, route_of, same_site, stored_texts

MAX_PAGES = 260
CRAWL_ROLES = ("staff", "head", "admin", "committee", "superuser")
START = ("/", "/beranda/")
DOWNLOAD = re.compile(r"(pdf|csv|xlsx|ekspor|unduh|export)", re.IGNORECASE)  # files, not pages


def test_every_catalogue_entry_has_an_english_text():
    bad = [
        f"line {e.line}: {e.msgid!r} {'fuzzy' if e.fuzzy else 'empty'}"
        for e in po_entries()
        if e.fuzzy or not e.msgstr or any(not s.strip() for s in e.msgstr)
    ]
    assert not bad, "\n".join(bad[:50])


def role_user(role: str) -> Any:
    from people.choices import AgencyRoleKind
    from people.models import AgencyRole

    users = get_user_model().objects
    if role == "committee":
        return AgencyRole.objects.filter(role=AgencyRoleKind.COMMITTEE, agency__code="medan").first().user
    return users.get(
        username={
            "staff": "demo.pegawai.medan",
            "head": "demo.kepala.medan",
            "admin": "demo.admin.medan",
            "superuser": "demo.superadmin",
        }[role]
    )


def crawl(
    client: Client, language: str, stored: frozenset[str], urls: list[str] | None = None
) -> tuple[dict[str, str], list[str]]:
    """Breadth first from the home page (or over `urls`), one page per URL pattern: the pages seen
    (route -> url) and the problems found on them."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    found: dict[str, str] = {}
    problems: list[str] = []
    queue = list(urls or START)
    seen = set(queue)
    while queue and len(found) < MAX_PAGES:
        url = queue.pop(0)
        route = route_of(url)
        if route is None or route in found:
            continue
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        found[route] = url
        page = read_page(response.content.decode(), language, url)
        problems += [f"{url}: {p}" for p in problems_on(page.texts, language, stored)]
        if os.environ.get("I18N_DUMP"):  # a reviewer's aid: every text of the English pages, to read
            with open(os.environ["I18N_DUMP"], "a") as dump:
                dump.writelines(f"{language} {url}\t{t}\n" for t in page.texts)
        if urls is not None:
            continue
        for link in page.links:
            target = same_site(link)
            if target and not DOWNLOAD.search(target) and target not in seen:
                seen.add(target)
                queue.append(target)
    return found, problems


@pytest.fixture(scope="module")
def demo_world(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """The demo data, seeded once for the module's tests inside a transaction rolled back at the end (each
    test runs in its own savepoint within it)."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            seed_world()
            yield stored_texts()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.mark.django_db
@pytest.mark.parametrize("role", CRAWL_ROLES)
def test_every_page_reads_in_english_without_raw_values(demo_world, role):
    client = Client()
    client.force_login(role_user(role))
    stored = demo_world
    pages, problems = crawl(client, "en", stored)
    _, problems_id = crawl(client, "id", stored, list(pages.values()))
    assert len(pages) >= 15, sorted(pages)
    problems += [f"(id) {p}" for p in problems_id]
    assert not problems, f"{len(problems)} problems as {role}:\n" + "\n".join(sorted(set(problems)))
