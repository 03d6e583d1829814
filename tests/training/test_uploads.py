"""External-learning certificates (issue 11): refused types on the form and the API, private storage, and
the certificate download scoped like the learning records."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.asn_portal.upload_samples import JPEG, PDF, REFUSED_DOCUMENTS, TYPE_REFUSED, upload
from tests.conftest import api_as
from training.models import LearningRecord

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _roots(settings: Any, tmp_path: Path) -> None:
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _body(**extra: Any) -> dict[str, Any]:
    return {
        "title": "Webinar Manajemen ASN",
        "format": "seminar",
        "provider": "BPSDM Provinsi",
        "on_date": timezone.localdate().isoformat(),
        "jp": "4",
        **extra,
    }


def _client(employee: Any) -> Client:
    c = Client()
    c.force_login(employee.user)
    return c


def _record(org: Any, name: str = "Sertifikat Webinar.pdf", content: bytes = PDF) -> LearningRecord:
    r = _client(org.staff).post(reverse("training:external-new"), _body(certificate_file=upload(name, content)))
    assert r.status_code == 302, r.content.decode()[:3000]
    return LearningRecord.objects.get(employee=org.staff)


@pytest.mark.parametrize("case", list(REFUSED_DOCUMENTS))
def test_external_learning_form_refuses_each_dangerous_type(org: Any, case: str) -> None:
    r = _client(org.staff).post(
        reverse("training:external-new"), _body(certificate_file=upload(*REFUSED_DOCUMENTS[case]))
    )
    assert r.status_code == 200
    assert TYPE_REFUSED in r.content.decode()
    assert not LearningRecord.objects.exists()


def test_external_learning_form_refuses_an_oversized_certificate(org: Any, settings: Any) -> None:
    settings.MAX_DOCUMENT_BYTES = 1024 * 1024
    r = _client(org.staff).post(
        reverse("training:external-new"), _body(certificate_file=upload("besar.pdf", PDF + b"0" * 1024 * 1024))
    )
    assert "Ukuran berkas melebihi batas 1 MB." in r.content.decode()
    assert not LearningRecord.objects.exists()


@pytest.mark.parametrize("case", list(REFUSED_DOCUMENTS))
def test_learning_records_api_refuses_each_dangerous_type_with_json_400(org: Any, case: str) -> None:
    r = api_as(org.staff).post(
        "/api/v1/learning-records/", _body(certificate_file=upload(*REFUSED_DOCUMENTS[case])), format="multipart"
    )
    assert r.status_code == 400
    assert r.json()["message"] == TYPE_REFUSED
    assert r.json()["extra"]["fields"] == {"certificate_file": [TYPE_REFUSED]}
    assert not LearningRecord.objects.exists()


def test_certificate_is_stored_privately_with_its_original_name(org: Any, settings: Any) -> None:
    record = _record(org)
    assert record.certificate_name == "Sertifikat Webinar.pdf"
    assert re.fullmatch(r"pelatihan/pembelajaran/\d{4}/[0-9a-f]{32}\.pdf", record.certificate_file.name)
    assert Path(settings.PRIVATE_MEDIA_ROOT, record.certificate_file.name).read_bytes() == PDF


def test_the_api_accepts_a_jpeg_certificate_and_returns_its_download_url(org: Any) -> None:
    api = api_as(org.staff)
    r = api.post(
        "/api/v1/learning-records/", _body(certificate_file=upload("sertifikat.jpg", JPEG)), format="multipart"
    )
    assert r.status_code == 201, r.json()
    pk = r.json()["id"]
    assert r.json()["certificate_file"] == f"http://testserver/api/v1/learning-records/{pk}/certificate/"
    assert r.json()["certificate_name"] == "sertifikat.jpg"
    d = api.get(r.json()["certificate_file"])
    assert d.status_code == 200 and d["Content-Type"] == "image/jpeg"
    assert b"".join(d.streaming_content) == JPEG


@pytest.mark.parametrize("who", ["staff", "admin", "head"])
def test_owner_their_head_and_their_bkd_download_the_certificate(org: Any, who: str) -> None:
    record = _record(org)
    r = _client(getattr(org, who)).get(reverse("training:learning-certificate", args=[record.pk]))
    assert r.status_code == 200
    assert r["Content-Disposition"] == 'inline; filename="Sertifikat Webinar.pdf"'
    assert r["X-Content-Type-Options"] == "nosniff"
    assert b"".join(r.streaming_content) == PDF


@pytest.mark.parametrize("who", ["foreign_admin", "staff2", "other_staff"])
def test_other_agencies_and_other_staff_get_404_for_the_certificate(org: Any, who: str) -> None:
    record = _record(org)
    assert _client(getattr(org, who)).get(reverse("training:learning-certificate", args=[record.pk])).status_code == 404
    assert api_as(getattr(org, who)).get(f"/api/v1/learning-records/{record.pk}/certificate/").status_code == 404


def test_anonymous_is_sent_to_login_for_the_certificate(org: Any) -> None:
    record = _record(org)
    r = Client().get(reverse("training:learning-certificate", args=[record.pk]))
    assert r.status_code == 302 and reverse("login") in r["Location"]
    assert Client().get(f"/api/v1/learning-records/{record.pk}/certificate/").status_code in (401, 403)


def test_my_learning_and_verify_pages_link_the_download_view(org: Any) -> None:
    record = _record(org)
    url = reverse("training:learning-certificate", args=[record.pk])
    assert url in _client(org.staff).get(reverse("training:my-learning")).content.decode()
    html = _client(org.admin).get(reverse("training:verify")).content.decode()
    assert url in html and record.certificate_file.name not in html
