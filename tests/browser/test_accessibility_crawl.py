"""Browser: axe-core finds no serious or critical violation on any page the crawl reaches, as each role, in
both languages (headless Chromium, one browser, one context per role and language).

The crawl (the test client, breadth first from the home page, one page per URL pattern per role) finds the
pages; every URL pattern is then checked in the browser once in each language, as the first role that
reaches it in English and as the last one in Indonesian, so each role's variant of shared pages is seen too
while the run stays within its time budget."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from tests.asn_portal.fuzz_world import seed_world
from tests.browser.helpers import axe_violations
from tests.test_language_crawl import CRAWL_ROLES, crawl, role_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.xdist_group("axe-crawl"),
]


def _context(browser: Any, live_server: Any, client: Client, language: str) -> Any:
    # Reduced motion: Bootstrap then drops its colour transitions, so axe reads settled colours.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID", reduced_motion="reduce")
    host = live_server.url
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": host,
            },
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": host},
        ]
    )
    return context


def test_no_serious_accessibility_violation_on_any_crawled_page(live_server, browser_instance):
    seed_world()
    clients: dict[str, Client] = {}
    reached: dict[str, dict[str, str]] = {}  # role -> route -> url
    for role in CRAWL_ROLES:
        client = Client()
        client.force_login(role_user(role))
        clients[role] = client
        reached[role], _ = crawl(client, "en", frozenset())
    plan: dict[tuple[str, str], list[str]] = {}  # (role, language) -> urls
    routes = sorted({route for pages in reached.values() for route in pages})
    for route in routes:
        roles = [r for r in CRAWL_ROLES if route in reached[r]]
        plan.setdefault((roles[0], "en"), []).append(reached[roles[0]][route])
        plan.setdefault((roles[-1], "id"), []).append(reached[roles[-1]][route])
    failures: list[str] = []
    checked = 0
    for (role, language), urls in sorted(plan.items()):
        context = _context(browser_instance, live_server, clients[role], language)
        page = context.new_page()
        page.set_default_timeout(15000)
        try:
            for url in urls:
                page.goto(live_server.url + url)
                page.wait_for_load_state("load")
                checked += 1
                failures += [f"{role}/{language} {url}: {v}" for v in axe_violations(page)]
        finally:
            context.close()
    assert checked >= 2 * len(routes) >= 2 * 40, checked
    assert not failures, f"{len(failures)} serious/critical violations:\n" + "\n".join(failures)
