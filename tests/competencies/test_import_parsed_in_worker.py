"""Assessment-result uploads: the request stores the file, the worker reads it (streamed, with limits) into the
preview; a double-posted upload is stored and read once (issue #12)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from asn_portal.models import OutboxMessage
from asn_portal.tasks import job_runs_fail_stale
from competencies.choices import ImportStatus
from competencies.models import AssessmentImport, CompetencyAssessment
from competencies.tasks import assessment_import_parse
from tests.competencies.factories import national
from tests.concurrency import at_once
from tests.people.test_import_files import _sheet, _xlsx_with_sheet_xml

FORM = {"purpose": "mapping", "method": "assessment_center", "assessor": "UPT Penilaian Kompetensi"}


def _admin(org: Any) -> Client:
    c = Client()
    c.force_login(org.admin.user)
    return c


def _csv(org: Any) -> bytes:
    return f"nip,tanggal,M1,M2\n{org.staff.nip},2026-01-10,3,2\n{org.staff2.nip},2026-01-10,4,1\n".encode()


@pytest.mark.django_db
def test_the_upload_answers_without_reading_and_the_worker_makes_the_preview(
    org: Any, django_capture_on_commit_callbacks: Any
) -> None:
    national()
    c = _admin(org)
    with django_capture_on_commit_callbacks(execute=False):
        response = c.post("/kompetensi/impor/", {**FORM, "file": SimpleUploadedFile("ac.csv", _csv(org))})
    assert response.status_code == 302
    batch = AssessmentImport.objects.get()
    assert (batch.status, batch.rows, batch.errors) == (ImportStatus.PARSING, [], [])
    assert OutboxMessage.objects.filter(task="competencies.tasks.assessment_import_parse", args=[batch.pk]).exists()
    page = c.get(response["Location"]).content.decode()
    assert "Berkas sedang dibaca dan diperiksa baris demi baris" in page
    assert f'hx-get="/kompetensi/impor/{batch.pk}/status/"' in page
    assert 'data-testid="confirm-form"' not in page
    assert "HX-Refresh" not in c.get(f"/kompetensi/impor/{batch.pk}/status/", HTTP_HX_REQUEST="true")

    assert assessment_import_parse.apply(args=[batch.pk]).get() == ImportStatus.PREVIEW
    assert assessment_import_parse.apply(args=[batch.pk]).get() == "skipped"  # a redelivery does nothing more
    batch.refresh_from_db()
    assert (batch.status, len(batch.rows), batch.errors, bool(batch.source)) == (ImportStatus.PREVIEW, 2, [], False)
    assert c.get(f"/kompetensi/impor/{batch.pk}/status/", HTTP_HX_REQUEST="true")["HX-Refresh"] == "true"
    page = c.get(response["Location"]).content.decode()
    assert 'data-testid="confirm-form"' in page and org.staff.nip in page
    assert not CompetencyAssessment.objects.exists()


@pytest.mark.django_db
def test_an_xlsx_of_three_million_blank_rows_is_refused_by_the_worker_with_a_message(
    org: Any, django_capture_on_commit_callbacks: Any
) -> None:
    header = "".join(
        f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{h}</t></is></c>' for i, h in enumerate(["nip", "tanggal", "M1"])
    )
    data = _xlsx_with_sheet_xml(_sheet(f'<row r="1">{header}</row>' + "<row/>" * 3_000_000))
    c = _admin(org)
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post("/kompetensi/impor/", {**FORM, "file": SimpleUploadedFile("ac.xlsx", data)})
    batch = AssessmentImport.objects.get()
    assert batch.status == ImportStatus.FAILED and batch.rows == []
    page = c.get(response["Location"]).content.decode()
    assert "Berkas tidak dapat diimpor; tidak ada data yang ditulis." in page
    assert "Hapus baris kosong di bawah data" in page
    assert 'data-testid="confirm-form"' not in page
    assert not CompetencyAssessment.objects.exists()


@pytest.mark.django_db
def test_an_upload_left_parsing_by_a_dead_worker_is_swept(org: Any, django_capture_on_commit_callbacks: Any) -> None:
    c = _admin(org)
    with django_capture_on_commit_callbacks(execute=False):
        c.post("/kompetensi/impor/", {**FORM, "file": SimpleUploadedFile("ac.csv", _csv(org))})
    AssessmentImport.objects.update(created_at=timezone.now() - dt.timedelta(hours=2))
    assert job_runs_fail_stale.apply().get() == 1
    batch = AssessmentImport.objects.get()
    assert batch.status == ImportStatus.FAILED
    assert "Pembacaan berkas terhenti sebelum selesai" in c.get(f"/kompetensi/impor/{batch.pk}/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_upload_posted_twice_at_once_with_its_key_is_stored_and_read_once(org: Any) -> None:
    national()

    def post(i: int) -> Any:
        form = {**FORM, "idempotency_key": "unggah-asesmen-001", "file": SimpleUploadedFile("ac.csv", _csv(org))}
        return _admin(org).post("/kompetensi/impor/", form)

    responses = at_once(post)
    batch = AssessmentImport.objects.get()
    assert [r.status_code for r in responses] == [302, 302]
    assert {r["Location"] for r in responses} == {f"/kompetensi/impor/{batch.pk}/"}
    assert OutboxMessage.objects.filter(task="competencies.tasks.assessment_import_parse").count() == 1
