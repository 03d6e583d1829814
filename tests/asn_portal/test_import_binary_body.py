"""A binary file renamed .csv whose first kilobytes look like text is still refused clearly, nothing written."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from competencies.models import AssessmentImport
from people.models import ImportBatch
from performance.models import PredikatImport, PredikatRecord

from .upload_samples import upload

pytestmark = pytest.mark.django_db
REFUSED = "Jenis berkas tidak diizinkan: hanya CSV atau XLSX."
# A text header longer than the sniffed head, then a binary body (a database dump renamed .csv).
BINARY_BODY = b"nip,nama,tahun,predikat\n" + b"199001012015031001,Ani,2024,baik\n" * 400 + bytes(range(256)) * 8

PAGES = {
    "employees": ("/pegawai/impor/", lambda org: {"kind": "employees", "agency": org.agency.pk}),
    "assessments": ("/kompetensi/impor/", lambda org: {"purpose": "mapping", "method": "assessment_center"}),
    "predikat": ("/kinerja/impor/", lambda org: {}),
}


@pytest.mark.parametrize("page", list(PAGES))
def test_binary_body_renamed_csv_is_refused_with_a_message_and_nothing_is_written(org: Any, page: str) -> None:
    assert len(BINARY_BODY) > 8192
    url, fields = PAGES[page]
    c = Client()
    c.force_login(org.admin.user)
    r = c.post(url, {**fields(org), "file": upload("data.csv", BINARY_BODY)})
    assert r.status_code == 200
    assert REFUSED in r.content.decode()
    assert not ImportBatch.objects.exists()
    assert not AssessmentImport.objects.exists()
    assert not PredikatImport.objects.exists()
    assert not PredikatRecord.objects.exists()
