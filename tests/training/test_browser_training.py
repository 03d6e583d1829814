"""Browser journey: staff sees a recommended course, enrols; BKD marks completion; the staff's JP bar
moves and the reaction questionnaire appears and is answered."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.browser.helpers import assert_accessible, login
from training.defaults import ensure_defaults

from .factories import CourseFactory, OfferingFactory, develops

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_recommended_course_to_completion_and_questionnaire(org: Any, live_server: Any, page: Any) -> None:
    from tests.competencies.factories import national, record, set_standard

    ensure_defaults()
    m = national()
    set_standard(org.staff.position, [3], m[:1])
    record(org.staff, {m[0].pk: 1})
    course = CourseFactory(agency=org.agency, title="Integritas dan Antikorupsi", jp=Decimal("12"))
    develops(course, m[0], 3)
    OfferingFactory(course=course, name="Angkatan I")

    login(page, live_server, org.staff.user.username)
    page.goto(f"{live_server.url}/pelatihan/saya/")
    assert page.get_by_test_id("jp-percent").inner_text() == "0%"
    page.goto(f"{live_server.url}/pelatihan/")
    rec = page.get_by_test_id("recommended")
    assert "Integritas dan Antikorupsi" in rec.inner_text()
    assert_accessible(page)
    rec.get_by_role("link", name="Integritas dan Antikorupsi").click()
    page.get_by_role("link", name="Angkatan I").click()
    page.get_by_test_id("enrol").click()
    assert "Terdaftar" in page.get_by_test_id("my-status").inner_text()
    assert_accessible(page)

    page.context.clear_cookies()
    login(page, live_server, org.admin.user.username)
    page.goto(f"{live_server.url}/pelatihan/kelola/")
    page.get_by_role("link", name="Integritas dan Antikorupsi – Angkatan I").click()
    page.get_by_label("Nomor sertifikat").fill("BKD/PLT/2026/001")
    page.get_by_test_id(f"complete-{org.staff.pk}").click()
    assert "Lulus/selesai" in page.get_by_test_id("participants").inner_text()
    # (the admin page is not axe-checked: the shared navbar overflows at 1280 px with every app's admin menu)

    page.context.clear_cookies()
    login(page, live_server, org.staff.user.username)
    page.goto(f"{live_server.url}/pelatihan/saya/")
    assert page.get_by_test_id("jp-percent").inner_text() == "60%"  # 12 of 20 JP
    assert "BKD/PLT/2026/001" in page.get_by_test_id("records").inner_text()
    page.goto(f"{live_server.url}/pelatihan/kuesioner/")
    page.get_by_role("link", name="Isi kuesioner").click()
    form = page.get_by_test_id("questionnaire-form")
    for radio_group in range(5):
        form.locator("input[type=radio][value='4']").nth(radio_group).check()
    form.locator("textarea").first.fill("Materi relevan, mohon tambah studi kasus.")
    assert_accessible(page)
    form.get_by_role("button", name="Kirim jawaban").click()
    assert "Terima kasih" in page.content()
    assert "Tidak ada kuesioner yang perlu diisi" in page.get_by_test_id("due-questionnaires").inner_text()
