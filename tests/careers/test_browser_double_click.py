"""Browser: once "Simpan sesi" is clicked its button is disabled, so a second click submits nothing (issue 12)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_second_click_on_simpan_sesi_submits_nothing(live_server: Any, page: Any, org: Any) -> None:
    login(page, live_server, org.head.nip)
    page.goto(f"{live_server.url}/karier/bimbingan/baru/")
    page.get_by_role("combobox", name="Pegawai yang dibimbing").focus()
    page.keyboard.type("Staf Sa")
    page.locator(".ts-dropdown .option.active", has_text="Staf Satu").wait_for()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.get_by_label("Tanggal sesi").fill((dt.date.today() - dt.timedelta(days=1)).isoformat())
    page.get_by_label("Topik").fill("Capaian RHK triwulan")
    # Count submissions and keep the page here (as on a slow connection, where the next page has not come yet).
    # This listener is on window, so it runs after the portal's own handler on document.
    page.evaluate(
        "() => { window.submits = 0;"
        " window.addEventListener('submit', (e) => { window.submits += 1; e.preventDefault(); }); }"
    )
    button = page.get_by_role("button", name="Simpan sesi")
    button.click(no_wait_after=True)
    expect(button).to_be_disabled()  # waits (a loaded CI machine may take more than a fixed 100 ms)
    button.click(force=True, no_wait_after=True)
    page.wait_for_function("() => window.submits >= 1")
    page.evaluate("() => new Promise((done) => setTimeout(done, 300))")  # room for a second submit to arrive
    assert page.evaluate("() => window.submits") == 1
