"""The upload request only stores the file; the worker reads it into the preview (issue #12, Faults: "parsing
runs in the worker, never in the request")."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from asn_portal.models import OutboxMessage
from asn_portal.tasks import job_runs_fail_stale
from people import imports
from people.choices import ImportStatus
from people.models import Employee, ImportBatch
from people.tasks import import_batch_parse
from tests.people.test_imports import emp_row, to_csv, to_xlsx

pytestmark = pytest.mark.django_db


def _admin(org: Any) -> Client:
    c = Client()
    c.force_login(org.admin.user)
    return c


def _upload(c: Client, name: str, content: bytes, *, agency: int, kind: str = "employees") -> Any:
    return c.post("/pegawai/impor/", {"kind": kind, "agency": agency, "file": SimpleUploadedFile(name, content)})


def test_the_upload_answers_without_reading_the_file_and_the_worker_makes_the_preview(
    org: Any, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    c = _admin(org)
    data = to_csv([emp_row(i, org.dinas.code) for i in range(3)])
    read = imports.parse_upload
    monkeypatch.setattr(imports, "parse_upload", lambda **kw: pytest.fail("the request read the file"))
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = _upload(c, "pegawai.csv", data, agency=org.agency.pk)
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert response["Location"] == f"/pegawai/impor/{batch.pk}/"
    assert (batch.status, batch.rows, batch.total) == (ImportStatus.PARSING, [], 0)
    assert batch.source.name.startswith("impor/pegawai/") and batch.source.name.endswith(".csv")
    assert list(OutboxMessage.objects.values_list("task", "args")) == [("people.tasks.import_batch_parse", [batch.pk])]
    assert len(queued) == 1  # handed to the broker after commit

    page = c.get(response["Location"]).content.decode()
    assert "Berkas sedang dibaca dan diperiksa baris demi baris" in page
    assert f'hx-get="/pegawai/impor/{batch.pk}/status/"' in page  # the page refreshes itself
    assert 'data-testid="preview-table"' not in page and 'data-testid="confirm-form"' not in page
    polled = c.get(f"/pegawai/impor/{batch.pk}/status/", HTTP_HX_REQUEST="true")
    assert "HX-Refresh" not in polled and "hx-get" in polled.content.decode()  # still reading: poll again

    monkeypatch.setattr(imports, "parse_upload", read)
    assert import_batch_parse.apply(args=[batch.pk]).get() == ImportStatus.PREVIEW  # the worker's run
    batch.refresh_from_db()
    assert (batch.status, batch.total, batch.counts["create"]) == (ImportStatus.PREVIEW, 3, 3)
    assert not batch.source  # the stored upload is removed once read
    assert c.get(f"/pegawai/impor/{batch.pk}/status/", HTTP_HX_REQUEST="true")["HX-Refresh"] == "true"
    page = c.get(f"/pegawai/impor/{batch.pk}/").content.decode()
    assert 'data-testid="count-create">3<' in page and "Pegawai Impor 2" in page
    assert 'data-testid="confirm-form"' in page
    assert not Employee.objects.filter(name__startswith="Pegawai Impor").exists()  # a preview writes nothing


def test_an_xlsx_upload_is_read_by_the_worker_too(org: Any, django_capture_on_commit_callbacks: Any) -> None:
    c = _admin(org)
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(c, "pegawai.xlsx", to_xlsx([emp_row(7, org.dinas.code)]), agency=org.agency.pk)
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert (batch.status, [r["action"] for r in batch.rows]) == (ImportStatus.PREVIEW, ["create"])


def test_a_file_the_worker_cannot_read_shows_the_reason_on_the_preview_page_and_writes_nothing(
    org: Any, django_capture_on_commit_callbacks: Any
) -> None:
    c = _admin(org)
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(c, "pegawai.csv", b"nip;nama\n1;2\n", agency=org.agency.pk)
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.FAILED and batch.rows == [] and not batch.source
    page = c.get(response["Location"]).content.decode()
    assert "Berkas tidak dapat diimpor; tidak ada data yang ditulis." in page
    assert "Kolom wajib tidak ada" in page
    assert 'data-testid="confirm-form"' not in page
    assert not Employee.objects.filter(name__startswith="Pegawai Impor").exists()
    # the status a page left open polls now tells it to reload
    assert c.get(f"/pegawai/impor/{batch.pk}/status/", HTTP_HX_REQUEST="true")["HX-Refresh"] == "true"


def test_a_redelivered_parse_changes_nothing_and_a_cancelled_upload_is_never_read(
    org: Any, django_capture_on_commit_callbacks: Any
) -> None:
    c = _admin(org)
    with django_capture_on_commit_callbacks(execute=False):
        _upload(c, "pegawai.csv", to_csv([emp_row(1, org.dinas.code)]), agency=org.agency.pk)
        _upload(c, "lain.csv", to_csv([emp_row(2, org.dinas.code)]), agency=org.agency.pk)
    first, second = ImportBatch.objects.order_by("pk")
    assert import_batch_parse.apply(args=[first.pk]).get() == ImportStatus.PREVIEW
    rows = ImportBatch.objects.get(pk=first.pk).rows
    assert import_batch_parse.apply(args=[first.pk]).get() == "skipped"  # a second delivery of the message
    assert ImportBatch.objects.get(pk=first.pk).rows == rows

    response = c.post(f"/pegawai/impor/{second.pk}/batal/", follow=True)
    assert "Impor dibatalkan; tidak ada data yang ditulis." in response.content.decode()
    assert import_batch_parse.apply(args=[second.pk]).get() == "skipped"
    second.refresh_from_db()
    assert (second.status, second.rows) == (ImportStatus.CANCELLED, [])


def test_a_parse_left_by_a_dead_worker_is_swept_as_failed_with_a_message(
    org: Any, django_capture_on_commit_callbacks: Any
) -> None:
    c = _admin(org)
    with django_capture_on_commit_callbacks(execute=False):
        _upload(c, "pegawai.csv", to_csv([emp_row(1, org.dinas.code)]), agency=org.agency.pk)
        _upload(c, "baru.csv", to_csv([emp_row(2, org.dinas.code)]), agency=org.agency.pk)
    old, fresh = ImportBatch.objects.order_by("pk")
    ImportBatch.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(hours=2))
    assert job_runs_fail_stale.apply().get() == 1  # the beat's stale-job sweep, which runs the apps' sweeps
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.status == ImportStatus.FAILED and "unggah ulang berkas" in old.error
    assert fresh.status == ImportStatus.PARSING  # still within the time a worker may take
    assert import_batch_parse.apply(args=[old.pk]).get() == "skipped"  # a late redelivery finds it failed
    page = c.get(f"/pegawai/impor/{old.pk}/").content.decode()
    assert "Pembacaan berkas terhenti sebelum selesai" in page
