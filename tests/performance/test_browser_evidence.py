"""Browser: a staff member attaches evidence to a realisation; an HTML file is refused in Indonesian, a PDF is
kept and opens from the SKP page, and another agency's admin gets a 404 for it (issue 11)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from performance.choices import PlanStatus
from performance.models import Indicator, Progress
from tests.asn_portal.upload_samples import HTML, PDF, TYPE_REFUSED
from tests.browser.helpers import assert_accessible, login

from . import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_evidence_upload_refusal_download_and_scoping(
    live_server: Any, page: Any, org: Any, settings: Any, tmp_path: Path
) -> None:
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    period = f.periods(org.agency)[0]
    plan = f.plan(org.staff, status=PlanStatus.APPROVED, appraiser=org.head)
    ind = Indicator.objects.get(result__plan=plan)

    login(page, live_server, org.staff.nip)
    page.goto(f"{live_server.url}/kinerja/skp/{plan.pk}/realisasi/{period.pk}/")
    page.get_by_label(f"Realisasi {ind.text}").fill("3")
    page.get_by_label(f"Berkas bukti {ind.text}").set_input_files(
        {"name": "bukti.html", "mimeType": "text/html", "buffer": HTML}
    )
    page.get_by_test_id("btn-save-progress").click()
    expect(page.get_by_role("alert").filter(has_text=TYPE_REFUSED)).to_be_visible()
    assert_accessible(page)
    assert not Progress.objects.exists()

    page.get_by_label(f"Berkas bukti {ind.text}").set_input_files(
        {"name": "Laporan Triwulan I.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_test_id("btn-save-progress").click()
    page.wait_for_url(f"**/kinerja/skp/{plan.pk}/")
    progress = Progress.objects.get()
    link = page.locator(f'a[href="/kinerja/realisasi/{progress.pk}/bukti/"]')
    assert link.count() == 1
    response = page.request.get(f"{live_server.url}/kinerja/realisasi/{progress.pk}/bukti/")
    assert response.status == 200 and response.body() == PDF
    assert response.headers["x-content-type-options"] == "nosniff"

    page.context.clear_cookies()
    login(page, live_server, org.foreign_admin.nip)
    assert page.request.get(f"{live_server.url}/kinerja/realisasi/{progress.pk}/bukti/").status == 404
