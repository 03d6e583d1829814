"""Browser: staff drafts and submits an SKP, the head approves it and rates a quarter, and the
predikat shows on the staff member's page."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import assert_accessible, login

from . import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_skp_from_draft_to_quarter_predikat(live_server: Any, page: Any, org: Any) -> None:
    f.periods(org.agency)

    # Staff drafts and submits.
    login(page, live_server, org.staff.nip)
    page.goto(f"{live_server.url}/kinerja/")
    assert_accessible(page)
    page.get_by_test_id("btn-create-plan").click()
    page.get_by_label("Rencana hasil kerja").first.fill("Terlaksananya pelayanan imunisasi dasar")
    page.get_by_label("IKI Kuantitas").first.fill("Jumlah balita diimunisasi")
    page.get_by_label("Target Kuantitas").first.fill("120")
    page.get_by_label("Satuan Kuantitas").first.fill("balita")
    assert_accessible(page)
    page.get_by_test_id("btn-save-submit").click()
    expect(page.get_by_test_id("plan-status").first).to_have_text("Diajukan")  # waits for the next page

    # The head approves it and rates Triwulan I.
    page.context.clear_cookies()
    login(page, live_server, org.head.nip)
    page.goto(f"{live_server.url}/kinerja/kotak-masuk/")
    assert_accessible(page)
    page.get_by_role("link", name="Periksa & setujui").click()
    page.get_by_test_id("btn-approve").click()
    expect(page.get_by_test_id("plan-status").first).to_have_text("Disetujui")
    page.get_by_test_id("btn-evaluate").click()
    page.get_by_label("Periode").select_option(label="Triwulan I")
    page.get_by_label("Rating hasil kerja").select_option("above")
    page.get_by_label("Rating perilaku kerja").select_option("above")
    assert_accessible(page)
    page.get_by_test_id("btn-save-evaluation").click()
    expect(page.get_by_text("predikat Sangat Baik")).to_be_visible()

    # The staff member sees the predikat on "SKP Saya".
    page.context.clear_cookies()
    login(page, live_server, org.staff.nip)
    page.goto(f"{live_server.url}/kinerja/")
    evaluations = page.get_by_test_id("evaluations")
    expect(evaluations).to_contain_text("Sangat Baik")
    assert_accessible(page)
