"""The main menu: grouped into dropdowns, at most 7 top-level entries for every role, current section marked."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from people.choices import AgencyRoleKind
from people.models import AgencyRole

pytestmark = pytest.mark.django_db

TOP_LEVEL = re.compile(r'<li class="nav-item(?: dropdown)?"(?: data-nav-group="[^"]+")?>')


def _menu(client, user, url="/"):
    client.force_login(user)
    html = client.get(url).content.decode()
    start = html.index('<ul class="navbar-nav me-auto">')
    return html[start : html.index('</ul>\n      <ul class="navbar-nav">', start)]


def _committee(org):
    AgencyRole.objects.create(user=org.head.user, agency=org.agency, role=AgencyRoleKind.COMMITTEE)
    return org.head.user


@pytest.mark.parametrize("who", ["staff", "head", "admin", "committee", "superuser"])
def test_every_role_sees_at_most_seven_top_level_entries(client, org, who):
    user = {
        "staff": lambda: org.staff.user,
        "head": lambda: org.head.user,
        "admin": lambda: org.admin.user,
        "committee": lambda: _committee(org),
        "superuser": lambda: get_user_model().objects.create_superuser("root", "root@example.org", "x"),
    }[who]()
    menu = _menu(client, user)
    assert 1 <= len(TOP_LEVEL.findall(menu)) <= 7


def test_head_finds_team_pages_in_the_tim_dropdown(client, org):
    menu = _menu(client, org.head.user)
    team = menu[menu.index('data-nav-group="team"') :]
    team = team[: team.index("</li>\n        ")]
    assert "Tim" in team and "Peta Kompetensi Tim" in team and "Kotak masuk SKP" in team
    assert 'data-bs-toggle="dropdown"' in team and 'aria-expanded="false"' in team


def test_current_section_is_highlighted(client, org):
    menu = _menu(client, org.head.user, reverse("performance:inbox"))
    group = re.search(r'data-nav-group="team">\s*<a class="nav-link dropdown-toggle active"', menu)
    assert group, menu
    current = r'class="dropdown-item active" aria-current="page" href="[^"]*"><i[^>]*></i> Kotak masuk SKP'
    assert re.search(current, menu)


def test_menu_sections_are_translated(client, org):
    client.force_login(org.head.user)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    menu = html[html.index('<ul class="navbar-nav me-auto">') :]
    assert ">Team<" in menu.replace("</i> ", ">") and ">Me<" in menu.replace("</i> ", ">")
