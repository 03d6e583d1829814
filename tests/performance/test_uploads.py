"""SKP evidence files (issue 11): refused types on the progress page and the API, private random storage,
and the evidence download scoped like the SKP page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from performance.choices import PlanStatus
from performance.models import Indicator, PerformancePlan, Progress
from tests.asn_portal.upload_samples import PDF, REFUSED_DOCUMENTS, TYPE_REFUSED, png, upload
from tests.conftest import api_as

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _roots(settings: Any, tmp_path: Path) -> None:
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def skp(org: Any) -> tuple[PerformancePlan, Any, Indicator]:
    periods = f.periods(org.agency)
    plan = f.plan(org.staff, status=PlanStatus.APPROVED, appraiser=org.head)
    return plan, periods[0], Indicator.objects.get(result__plan=plan)


def _client(employee: Any) -> Client:
    c = Client()
    c.force_login(employee.user)
    return c


def _post_page(org: Any, skp: Any, file: Any) -> Any:
    plan, period, ind = skp
    return _client(org.staff).post(
        reverse("performance:progress-entry", args=[plan.pk, period.pk]),
        {f"value_{ind.pk}": "4", f"file_{ind.pk}": file},
    )


def _with_evidence(org: Any, skp: Any, name: str = "Laporan Triwulan I.pdf", content: bytes = PDF) -> Progress:
    r = _post_page(org, skp, upload(name, content))
    assert r.status_code == 302, r.content.decode()[:2000]
    return Progress.objects.get(indicator=skp[2])


@pytest.mark.parametrize("case", list(REFUSED_DOCUMENTS))
def test_progress_page_refuses_each_dangerous_type_in_indonesian(org: Any, skp: Any, case: str) -> None:
    r = _post_page(org, skp, upload(*REFUSED_DOCUMENTS[case]))
    assert r.status_code == 200
    assert TYPE_REFUSED in r.content.decode()
    assert not Progress.objects.exists()


def test_progress_page_refuses_an_oversized_file_naming_the_limit(org: Any, skp: Any, settings: Any) -> None:
    settings.MAX_DOCUMENT_BYTES = 1024 * 1024
    r = _post_page(org, skp, upload("besar.pdf", PDF + b"0" * (1024 * 1024)))
    assert "Ukuran berkas melebihi batas 1 MB." in r.content.decode()
    assert not Progress.objects.exists()


@pytest.mark.parametrize("case", list(REFUSED_DOCUMENTS))
def test_progress_api_refuses_each_dangerous_type_with_json_400(org: Any, skp: Any, case: str) -> None:
    plan, period, ind = skp
    r = api_as(org.staff).post(
        f"/api/v1/performance-plans/{plan.pk}/progress/",
        {"indicator": ind.pk, "period": period.pk, "value": "4", "evidence_file": upload(*REFUSED_DOCUMENTS[case])},
        format="multipart",
    )
    assert r.status_code == 400
    body = r.json()
    assert body["message"] == TYPE_REFUSED
    assert body["extra"]["fields"] == {"evidence_file": [TYPE_REFUSED]}
    assert not Progress.objects.exists()


def test_accepted_evidence_is_stored_privately_under_a_random_name(org: Any, skp: Any, settings: Any) -> None:
    progress = _with_evidence(org, skp)
    assert progress.evidence_name == "Laporan Triwulan I.pdf"
    assert re.fullmatch(r"kinerja/bukti/\d{4}/[0-9a-f]{32}\.pdf", progress.evidence_file.name)
    assert Path(settings.PRIVATE_MEDIA_ROOT, progress.evidence_file.name).read_bytes() == PDF
    assert not any(Path(settings.MEDIA_ROOT).rglob("*"))  # nothing under the public media root


def test_the_skp_page_links_the_download_view_not_a_storage_path(org: Any, skp: Any) -> None:
    progress = _with_evidence(org, skp)
    html = _client(org.staff).get(reverse("performance:plan-detail", args=[skp[0].pk])).content.decode()
    assert reverse("performance:progress-evidence", args=[progress.pk]) in html
    assert progress.evidence_file.name not in html


@pytest.mark.parametrize("who", ["staff", "head"])
def test_owner_and_appraiser_download_the_evidence(org: Any, skp: Any, who: str) -> None:
    progress = _with_evidence(org, skp)
    r = _client(getattr(org, who)).get(reverse("performance:progress-evidence", args=[progress.pk]))
    assert r.status_code == 200
    assert b"".join(r.streaming_content) == PDF
    assert r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"] == 'inline; filename="Laporan Triwulan I.pdf"'
    assert r["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in r["Content-Security-Policy"]


@pytest.mark.parametrize("who", ["foreign_admin", "staff2", "other_head"])
def test_other_agencies_and_other_staff_get_404_for_the_evidence(org: Any, skp: Any, who: str) -> None:
    progress = _with_evidence(org, skp)
    url = reverse("performance:progress-evidence", args=[progress.pk])
    assert _client(getattr(org, who)).get(url).status_code == 404
    assert api_as(getattr(org, who)).get(f"/api/v1/performance-plans/evidence/{progress.pk}/").status_code == 404


def test_anonymous_is_sent_to_login_and_the_api_refuses(org: Any, skp: Any) -> None:
    progress = _with_evidence(org, skp)
    r = Client().get(reverse("performance:progress-evidence", args=[progress.pk]))
    assert r.status_code == 302 and reverse("login") in r["Location"]
    r = Client().get(f"/api/v1/performance-plans/evidence/{progress.pk}/")
    assert r.status_code in (401, 403) and "message" in r.json()


def test_the_api_returns_the_download_url_and_serves_the_file(org: Any, skp: Any) -> None:
    plan, period, ind = skp
    api = api_as(org.staff)
    r = api.post(
        f"/api/v1/performance-plans/{plan.pk}/progress/",
        {"indicator": ind.pk, "period": period.pk, "value": "4", "evidence_file": upload("foto kegiatan.png", png())},
        format="multipart",
    )
    assert r.status_code == 200, r.json()
    row = r.json()["results"][0]["indicators"][0]["progress"][0]
    progress = Progress.objects.get(indicator=ind)
    assert row["evidence_file"] == f"http://testserver/api/v1/performance-plans/evidence/{progress.pk}/"
    assert row["evidence_name"] == "foto kegiatan.png"
    d = api.get(row["evidence_file"], HTTP_ACCEPT="image/png")
    assert d.status_code == 200 and d["Content-Type"] == "image/png"
    assert b"".join(d.streaming_content) == png()
    assert d["Content-Security-Policy"].startswith("sandbox;")


def test_in_production_nginx_sends_the_evidence(org: Any, skp: Any, settings: Any) -> None:
    progress = _with_evidence(org, skp)
    settings.PRIVATE_MEDIA_ACCEL_PREFIX = "/_private/"
    r = _client(org.staff).get(reverse("performance:progress-evidence", args=[progress.pk]))
    assert r.status_code == 200
    assert r["X-Accel-Redirect"] == f"/_private/{progress.evidence_file.name}"
    assert r.content == b""
    assert r["X-Content-Type-Options"] == "nosniff"


def test_evidence_left_under_media_root_by_the_old_version_moves_to_private_storage(
    org: Any, skp: Any, settings: Any
) -> None:
    import importlib

    from django.apps import apps

    migration = importlib.import_module("asn_portal.migrations.0004_move_public_uploads_to_private")

    _plan, period, ind = skp
    legacy = Path(settings.MEDIA_ROOT, "kinerja/bukti", str(period.pk), "Laporan Lama.pdf")
    legacy.parent.mkdir(parents=True)
    legacy.write_bytes(PDF)
    progress = Progress.objects.create(
        indicator=ind, period=period, value="1", evidence_file=f"kinerja/bukti/{period.pk}/Laporan Lama.pdf"
    )
    migration.move_public_files(apps, None)
    progress.refresh_from_db()
    assert re.fullmatch(r"kinerja/bukti/\d{4}/[0-9a-f]{32}\.pdf", progress.evidence_file.name)
    assert progress.evidence_name == "Laporan Lama.pdf"
    assert not legacy.exists()
    r = _client(org.staff).get(reverse("performance:progress-evidence", args=[progress.pk]))
    assert r.status_code == 200 and b"".join(r.streaming_content) == PDF


def test_progress_api_refuses_an_oversized_file_with_json_400(org: Any, skp: Any, settings: Any) -> None:
    settings.MAX_DOCUMENT_BYTES = 1024 * 1024
    plan, period, ind = skp
    r = api_as(org.staff).post(
        f"/api/v1/performance-plans/{plan.pk}/progress/",
        {"indicator": ind.pk, "period": period.pk, "value": "4", "evidence_file": upload("b.pdf", PDF + b"0" * 2**20)},
        format="multipart",
    )
    assert r.status_code == 400
    assert r.json()["message"] == "Ukuran berkas melebihi batas 1 MB."
    assert r.json()["extra"]["max_bytes"] == 1024 * 1024
    assert not Progress.objects.exists()
