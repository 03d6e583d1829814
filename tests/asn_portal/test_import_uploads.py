"""Every import page (employees, assessment results, past predikat) goes through the upload service:
CSV or XLSX decided from the content, with the same Indonesian refusal (issue 11)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, TestCase

from people.models import ImportBatch
from tests.people.test_imports import emp_row, to_xlsx

from .upload_samples import EXE, HTML, PDF, upload

pytestmark = pytest.mark.django_db
REFUSED = "Jenis berkas tidak diizinkan: hanya CSV atau XLSX."

PAGES = {
    "employees": ("/pegawai/impor/", lambda org: {"kind": "employees", "agency": org.agency.pk}),
    "assessments": ("/kompetensi/impor/", lambda org: {"purpose": "mapping", "method": "assessment_center"}),
    "predikat": ("/kinerja/impor/", lambda org: {}),
}


@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize(
    ("name", "content"), [("data.csv", EXE), ("data.csv", HTML), ("data.xlsx", PDF)], ids=["exe", "html", "pdf"]
)
def test_each_import_page_refuses_what_is_not_csv_or_xlsx(org: Any, page: str, name: str, content: bytes) -> None:
    url, fields = PAGES[page]
    c = Client()
    c.force_login(org.admin.user)
    r = c.post(url, {**fields(org), "file": upload(name, content)})
    assert r.status_code == 200
    assert REFUSED in r.content.decode()


def test_an_xlsx_saved_with_a_csv_name_is_imported_as_xlsx(org: Any) -> None:
    c = Client()
    c.force_login(org.admin.user)
    content = to_xlsx([emp_row(5, org.dinas.code)])
    with TestCase.captureOnCommitCallbacks(execute=True):  # the worker reads the file (eager here)
        r = c.post(
            "/pegawai/impor/", {"kind": "employees", "agency": org.agency.pk, "file": upload("pegawai.csv", content)}
        )
    assert r.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.filename == "pegawai.xlsx"
    assert [r["action"] for r in batch.rows] == ["create"]
