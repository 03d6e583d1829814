"""The main menu's HTML is rendered once per (roles, page, language) and reused: each user still sees the menu
of their own roles, the entry of the page they are on, in their language, exactly as a fresh render shows it."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from asn_portal import context_processors, registry
from people.choices import AgencyRoleKind
from people.models import AgencyRole

pytestmark = pytest.mark.django_db


def _menu(client: Client, user: Any, url: str = "/") -> str:
    client.force_login(user)
    html = client.get(url).content.decode()
    start = html.index('<ul class="navbar-nav me-auto">')
    return html[start : html.index('</ul>\n      <ul class="navbar-nav">', start) + 5]


def _fresh(user: Any, view_name: str) -> str:
    context_processors._MENU_HTML.clear()
    user._portal_roles = None
    return str(context_processors.nav_menu_html(user, view_name))


def test_each_role_gets_its_own_menu_after_another_role_was_served(client: Client, org: Any) -> None:
    admin_menu = _menu(client, org.admin.user)
    staff_menu = _menu(client, org.staff.user)
    head_menu = _menu(client, org.head.user)
    assert len({admin_menu, staff_menu, head_menu}) == 3
    assert 'data-nav-group="team"' in head_menu and 'data-nav-group="team"' not in staff_menu
    assert staff_menu == _fresh(org.staff.user, "home")
    assert admin_menu == _fresh(org.admin.user, "home")


def test_the_current_page_is_marked_in_the_reused_menu(client: Client, org: Any) -> None:
    home = _menu(client, org.head.user)
    inbox = _menu(client, org.head.user, reverse("performance:inbox"))
    assert 'aria-current="page"' in inbox and "Kotak masuk SKP" in inbox
    assert home != inbox
    assert _menu(client, org.head.user) == home
    assert inbox == _fresh(org.head.user, "performance:inbox")


def test_the_menu_follows_the_language(client: Client, org: Any) -> None:
    indonesian = _menu(client, org.head.user)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = _menu(client, org.head.user)
    assert "Tim" in indonesian and ">Team<" not in indonesian
    assert english != indonesian and "Team" in english


def test_roles_are_decided_per_request_not_cached_with_the_menu(client: Client, org: Any) -> None:
    """A staff member made a BKD admin sees the admin's menu on the next request (the menu is keyed by roles)."""
    before = _menu(client, org.staff.user)
    assert registry.HR_ADMIN not in registry.roles_of(org.staff.user)
    AgencyRole.objects.create(user=org.staff.user, agency=org.agency, role=AgencyRoleKind.HR_ADMIN)
    after = _menu(client, org.staff.user)
    assert after != before and after == _menu(client, org.admin.user)
