"""Browser: staff opens Kompetensi Saya and sees the radar chart; a BKD admin imports assessment results."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from competencies.models import CompetencyAssessment, EmployeeJpm
from tests.browser.helpers import assert_accessible, login
from tests.competencies.factories import record, set_standard

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_staff_sees_radar_gaps_and_jpm(live_server, page, org) -> None:
    comps = set_standard(org.staff.position, [3, 3, 3, 3, 3])
    record(org.staff, {comps[0].pk: 3, comps[1].pk: 2, comps[2].pk: 3, comps[3].pk: 3}, on=dt.date.today())
    login(page, live_server, org.staff.nip)
    page.get_by_role("link", name="Kompetensi Saya").first.click()
    page.wait_for_load_state("networkidle")
    radar = page.get_by_test_id("radar-chart")
    assert radar.is_visible()
    assert radar.get_attribute("data-rendered") == "1"  # Chart.js drew it (no inline script needed)
    assert page.get_by_test_id("jpm-value").inner_text() == "73,33%"
    assert "Integritas" not in page.get_by_test_id("gap-list").inner_text()
    assert "belum diases" in page.get_by_test_id("profile-table").inner_text()
    assert_accessible(page)


def test_admin_imports_assessment_centre_results(live_server, page, org, tmp_path) -> None:
    comps = set_standard(org.staff.position, [2, 2])
    csv_file = tmp_path / "hasil-ac.csv"
    csv_file.write_text(
        f"nip,tanggal,asesor,M1,M2\n{org.staff.nip},2026-01-15,UPT Penilaian,2,1\n{org.staff2.nip},2026-01-15,,2,2\n"
    )
    login(page, live_server, org.admin.nip)
    page.goto(f"{live_server.url}/kompetensi/impor/")
    assert_accessible(page)
    page.get_by_label("Berkas hasil asesmen (CSV/XLSX)").set_input_files(str(csv_file))
    page.get_by_label("Tujuan").select_option("mapping")
    page.get_by_role("button", name="Pratinjau").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("preview-table").get_by_text("Valid").count() == 2
    assert_accessible(page)
    page.get_by_role("button", name="Konfirmasi impor").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("import-done")).to_be_visible()
    assert CompetencyAssessment.objects.count() == 2
    assert EmployeeJpm.objects.get(employee=org.staff2).jpm == 100
    assert comps


def test_head_sees_heatmap_and_admin_analytics_are_accessible(live_server, page, org) -> None:
    comps = set_standard(org.staff.position, [3, 3, 2])
    record(org.staff, {comps[0].pk: 3, comps[1].pk: 2}, on=dt.date.today())
    login(page, live_server, org.head.nip)
    page.goto(f"{live_server.url}/kompetensi/tim/")
    heatmap = page.get_by_test_id("heatmap")
    assert org.staff.name in heatmap.inner_text()
    assert_accessible(page)
    heatmap.get_by_role("link", name=org.staff.name).click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("radar-chart").is_visible()
    page.context.clear_cookies()
    login(page, live_server, org.admin.nip)
    for path in ("/kompetensi/analitik/", "/kompetensi/standar/", "/kompetensi/asesmen/"):
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page)
