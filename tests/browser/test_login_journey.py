"""Browser: a staff member signs in through the real login page and sees the dashboard."""

import pytest

from tests.browser.helpers import assert_accessible, login
from tests.people.factories import EmployeeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_staff_logs_in_and_sees_the_dashboard(live_server, page):
    emp = EmployeeFactory(name="Rina Siregar")
    page.goto(f"{live_server.url}/")
    assert "/akun/masuk/" in page.url
    assert_accessible(page)
    login(page, live_server, emp.nip)
    assert page.get_by_role("heading", name="Selamat datang").is_visible()
    assert_accessible(page)


def test_wrong_password_shows_the_message(live_server, page):
    emp = EmployeeFactory()
    login(page, live_server, emp.nip, "keliru")
    assert page.get_by_text("kata sandi salah").is_visible()
