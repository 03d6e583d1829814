"""Browser: BKD opens the period's queue, proposes an eligible person, verifies the checklist, records the
decree, and the person's rank history shows the new rank."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils.formats import date_format
from playwright.sync_api import expect

from promotions.models import PromotionProposal
from promotions.queue import services as queue_services
from promotions.rules import assessment_years, submission_window
from tests.browser.helpers import assert_accessible, login
from tests.people.factories import EmployeeFactory, OrgUnitFactory, make_head, make_hr_admin
from tests.promotions.factories import give_predikat, period, set_rank

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PDF = b"%PDF-1.4 contoh\n"


def test_admin_proposes_verifies_and_records_the_decree(live_server: Any, page: Any, tmp_path: Any) -> None:
    dinas = OrgUnitFactory(name="Dinas Kesehatan")
    head = make_head(dinas, name="Kepala Dinkes")
    set_rank(head, "IV/a", dt.date(2018, 4, 1))
    staff = EmployeeFactory(unit=dinas, name="Rina Siregar", position__reports_to=head.position)
    admin = make_hr_admin(dinas.agency, name="Admin BKD")
    today = dt.date.today()
    # the next period still open for proposals, and the two predikat years final when its window opens
    upcoming = period(next(d for d in _periods(today) if submission_window(d)[1] >= today))
    give_predikat([staff], list(assessment_years(upcoming.submission_opens)))
    queue_services.queue_build(period=upcoming, agency_id=dinas.agency_id, actor=None)

    page.set_viewport_size({"width": 900, "height": 900})  # tablet width: the shared navbar collapses
    login(page, live_server, admin.nip)
    page.goto(f"{live_server.url}/kenaikan-pangkat/")
    page.get_by_role("link", name=date_format(upcoming.period_date)).click()
    assert_accessible(page)
    row = page.get_by_test_id(f"queue-row-{staff.pk}")
    assert "Memenuhi syarat" in row.inner_text()
    page.get_by_test_id(f"propose-{staff.pk}").click()
    assert page.get_by_test_id("proposal-status").inner_text() == "Diusulkan unit"

    sample = tmp_path / "dokumen.pdf"
    sample.write_bytes(PDF)
    for label in ["SK pangkat terakhir", "SKP 1 tahun terakhir", "SKP 2 tahun terakhir", "Ijazah terakhir"]:
        page.get_by_label("Jenis dokumen").select_option(label=label)
        page.get_by_label("Berkas (PDF, JPEG atau PNG)").set_input_files(str(sample))
        page.get_by_role("button", name="Unggah").click()
    assert page.get_by_test_id("checklist").inner_text().count("dokumen.pdf") == 4
    assert_accessible(page)
    page.get_by_role("button", name="Verifikasi").click()
    assert page.get_by_test_id("proposal-status").inner_text() == "Diverifikasi BKD"

    page.goto(f"{live_server.url}/kenaikan-pangkat/periode/{upcoming.pk}/")
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Kirim usulan terverifikasi ke BKN").click()
    page.wait_for_load_state("networkidle")
    proposal = PromotionProposal.objects.get(employee=staff)
    assert proposal.status == "sent"

    page.goto(f"{live_server.url}/kenaikan-pangkat/usulan/{proposal.pk}/")
    page.get_by_role("button", name="Catat SK").click()
    expect(page.get_by_text("Nomor SK wajib diisi.")).to_be_visible()
    page.get_by_label("Nomor SK").fill("823.3/0042/BKD/2026")
    page.get_by_label("Tanggal SK").fill(today.isoformat())
    page.get_by_role("button", name="Catat SK").click()
    assert page.get_by_test_id("proposal-status").inner_text() == "Disetujui (SK terbit)"

    page.get_by_role("link", name="Riwayat pangkat pegawai").click()
    history = page.get_by_test_id("rank-history").inner_text()
    assert "Penata (III/c)" in history and "823.3/0042/BKD/2026" in history
    assert_accessible(page)


def _periods(today: dt.date) -> list[dt.date]:
    from promotions.rules import period_dates_from

    return period_dates_from(today, 3)
