"""Browser: the menu fits one row at 1280 px; phone pages (390 px) do not scroll sideways; heatmap cells
are coloured by level."""

import pytest
from django.contrib.auth import get_user_model

from people.choices import AgencyRoleKind
from people.models import AgencyRole
from tests.browser.helpers import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ROWS = """() => new Set([...document.querySelectorAll('#mainNav > ul.me-auto > li.nav-item')]
  .map(li => Math.round(li.getBoundingClientRect().top))).size"""


NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"
WIDEST = """() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > innerWidth)
  .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""


@pytest.mark.parametrize("who", ["head", "admin", "every-role"])
def test_main_menu_fits_one_row_at_1280px(live_server, page, org, who):
    if who == "every-role":  # a head who is also BKD admin and on the committee: the longest menu (7 entries)
        get_user_model().objects.filter(pk=org.head.user_id).update(
            first_name="Administrator Sistem", last_name="Kepegawaian Daerah Provinsi"
        )
        for role in (AgencyRoleKind.HR_ADMIN, AgencyRoleKind.COMMITTEE):
            AgencyRole.objects.create(user=org.head.user, agency=org.agency, role=role)
        who = "head"
    login(page, live_server, getattr(org, who).nip)
    entries = page.evaluate("() => document.querySelectorAll('#mainNav > ul.me-auto > li.nav-item').length")
    assert entries <= 7
    if who == "head" and AgencyRole.objects.filter(user=org.head.user).exists():
        assert entries == 7
    assert page.evaluate(ROWS) == 1
    assert page.evaluate(NO_SIDEWAYS_SCROLL), page.evaluate(WIDEST)
    # Keyboard: the section dropdowns open from the keyboard and list their pages.
    page.locator("#mainNav .dropdown-toggle").first.focus()
    page.keyboard.press("Enter")
    assert page.locator("#mainNav .dropdown-menu.show .dropdown-item").first.is_visible()
