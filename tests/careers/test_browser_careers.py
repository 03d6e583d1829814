"""Browser: a head logs a session with an action item, the mentee confirms it and both see it;
a BKD admin opens the 9-box and clicks into a box."""

from __future__ import annotations

import datetime as dt

import pytest

from careers.choices import ReviewStatus
from careers.models import SessionMentee
from tests.browser.helpers import assert_accessible, login, open_menu
from tests.careers import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_head_logs_session_and_mentee_confirms(live_server, page, org, browser_instance) -> None:
    login(page, live_server, org.head.nip)
    page.goto(f"{live_server.url}/karier/tim/")
    assert page.get_by_test_id("team-row").filter(has_text="Staf Satu").count() == 1
    page.get_by_role("link", name="Catat sesi").first.click()
    page.wait_for_load_state("networkidle")
    # The mentee picker is a searchable chip picker driven from the keyboard (no Ctrl-click).
    page.get_by_role("combobox", name="Pegawai yang dibimbing").focus()
    page.keyboard.type("Staf Sa")
    page.locator(".ts-dropdown .option.active", has_text="Staf Satu").wait_for()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.locator(".ts-control .item", has_text="Staf Satu").count() == 1
    assert page.locator("select[name=mentees] option:checked").all_inner_texts() == ["Staf Satu"]
    page.get_by_label("Tanggal sesi").fill((dt.date.today() - dt.timedelta(days=1)).isoformat())
    page.get_by_label("Topik").fill("Capaian RHK triwulan")
    assert page.locator("#id_topics").input_value() == "Capaian RHK triwulan"
    page.get_by_label("Catatan pribadi (hanya Anda)").fill("Catatan rahasia pembimbing")
    page.get_by_label("Tindak lanjut 1").fill("Menyusun SOP layanan")
    page.get_by_label("Penanggung jawab 1").select_option(label="Staf Satu")
    page.get_by_label("Batas waktu 1").fill((dt.date.today() + dt.timedelta(days=14)).isoformat())
    assert_accessible(page)
    page.get_by_role("button", name="Simpan sesi").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("action-item").filter(has_text="Menyusun SOP layanan").count() == 1
    assert "Menunggu konfirmasi" in page.get_by_test_id("participant").inner_text()
    assert "Catatan rahasia pembimbing" in page.get_by_test_id("private-notes").inner_text()
    session_url = page.url

    mentee = browser_instance.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID").new_page()
    login(mentee, live_server, org.staff.nip)
    mentee.goto(session_url)
    assert mentee.get_by_test_id("action-item").filter(has_text="Menyusun SOP layanan").count() == 1
    assert "Catatan rahasia pembimbing" not in mentee.content()
    mentee.get_by_role("button", name="Konfirmasi sesi").click()
    mentee.wait_for_load_state("networkidle")
    assert "Dikonfirmasi" in mentee.get_by_test_id("participant").inner_text()
    assert_accessible(mentee)
    mentee.goto(f"{live_server.url}/karier/saya/")
    assert "Menyusun SOP layanan" in mentee.content()
    mentee.context.close()

    page.reload()
    assert "Dikonfirmasi" in page.get_by_test_id("participant").inner_text()
    assert SessionMentee.objects.get(employee=org.staff).jp_credited is not None


def test_admin_opens_nine_box_and_clicks_a_box(live_server, page, org) -> None:
    review = f.review(org.agency.pk, status=ReviewStatus.PUBLISHED)
    f.placement(review, org.staff, 9)
    f.placement(review, org.staff2, 5)
    login(page, live_server, org.admin.nip)
    open_menu(page, "Pengembangan", "Talenta")
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name=review.name).click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("nine-box").is_visible()
    assert_accessible(page)
    page.locator("[data-box='9']").click()
    page.wait_for_load_state("networkidle")
    listing = page.get_by_test_id("box-list").inner_text()
    assert "Staf Satu" in listing and "Staf Dua" not in listing
    assert "Dipromosikan dan dipertahankan" in page.content()
    assert_accessible(page)
