"""Browser: a page's "?" icon opens its guide section (and the guide page is accessible); the merit ranking's
breakdown opens on demand and the page stays accessible."""

import pytest

from tests.browser.helpers import assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_help_icon_opens_the_guide_section_for_the_page(live_server, page, org):
    login(page, live_server, org.staff.nip)
    page.goto(f"{live_server.url}/kompetensi/saya/")
    page.get_by_role("link", name="Bantuan untuk halaman ini").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/panduan/id/pegawai/#kesenjangan-kompetensi")
    heading = page.locator("#kesenjangan-kompetensi")
    assert heading.inner_text() == "Membaca kesenjangan kompetensi"
    assert heading.is_visible()
    # Its screenshot is served and drawn (lazy images load once scrolled to).
    image = page.locator(".guide-body img").first
    image.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    assert image.evaluate("img => img.naturalWidth") == 1280
    assert_accessible(page)


def test_merit_breakdown_opens_on_demand(live_server, page, org):
    import datetime as dt

    from promotions.vacancies import services
    from tests.people.factories import PositionFactory
    from tests.promotions.factories import give_predikat, set_rank

    for head in (org.head, org.bidang_head, org.other_head):
        set_rank(head, "IV/a", dt.date(2018, 4, 1))
    give_predikat([org.staff, org.staff2, org.bidang_staff, org.other_staff], [2023, 2024, 2025])
    post = PositionFactory(unit=org.dinas, kind="pengawas", title="Kepala Seksi Gizi", headcount=1,
                           reports_to=org.head.position)  # fmt: skip
    vacancy = services.vacancy_open(position=post, actor=org.admin.user)
    login(page, live_server, org.admin.nip)
    page.goto(f"{live_server.url}/kenaikan-pangkat/lowongan/{vacancy.pk}/")
    explain = page.get_by_test_id("merit-explain").first
    assert not explain.is_visible()
    page.get_by_role("button", name="Rincian skor").first.click()
    explain.wait_for(state="visible")
    assert "Predikat" in explain.inner_text()
    assert page.get_by_role("progressbar").count() == 5 * vacancy.candidates.count()
    assert_accessible(page)
