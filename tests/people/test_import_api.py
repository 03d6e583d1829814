"""Import over the API: 202 Accepted with the batch URL at once, the worker reads the file, GET follows it."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from people.choices import ImportStatus
from people.models import Employee, ImportBatch
from people.tasks import import_batch_parse
from tests.concurrency import at_once
from tests.people.test_imports import emp_row, to_csv


def _api(emp: Any) -> APIClient:
    api = APIClient()
    api.force_authenticate(emp.user)
    return api


def _post(api: APIClient, org: Any, content: bytes, **headers: Any) -> Any:
    body = {"kind": "employees", "agency": org.agency.pk, "file": SimpleUploadedFile("pegawai.csv", content)}
    return api.post("/api/v1/import-batches/", body, format="multipart", **headers)


@pytest.mark.django_db
def test_post_answers_202_with_the_batch_url_and_get_follows_it_to_the_preview(
    org: Any, django_capture_on_commit_callbacks: Any
) -> None:
    api = _api(org.admin)
    with django_capture_on_commit_callbacks(execute=False):
        r = _post(api, org, to_csv([emp_row(i, org.dinas.code) for i in range(2)]))
    assert r.status_code == 202, r.content
    batch = ImportBatch.objects.get()
    body = r.json()
    assert body["url"].endswith(f"/api/v1/import-batches/{batch.pk}/") and r["Location"] == body["url"]
    assert (body["status"], body["status_label"], body["total"]) == ("parsing", "Sedang dibaca", 0)
    assert body["page_url"] == f"/pegawai/impor/{batch.pk}/"
    assert api.get(body["url"]).json()["status"] == "parsing"

    import_batch_parse.apply(args=[batch.pk])
    got = api.get(body["url"]).json()
    assert (got["status"], got["total"], got["counts"]["create"], got["rejected_rows"]) == ("preview", 2, 2, [])
    assert _api(org.foreign_admin).get(body["url"]).status_code == 404  # another agency's batch
    assert _api(org.staff).get(body["url"]).status_code == 403


@pytest.mark.django_db
def test_a_file_the_worker_refuses_is_failed_with_the_message(
    org: Any, django_capture_on_commit_callbacks: Any
) -> None:
    api = _api(org.admin)
    with django_capture_on_commit_callbacks(execute=True):
        r = _post(api, org, b"nip;nama\n1;2\n")
    assert r.status_code == 202
    got = api.get(r.json()["url"]).json()
    assert got["status"] == ImportStatus.FAILED and "Kolom wajib tidak ada" in got["error"]
    assert not Employee.objects.filter(name__startswith="Pegawai Impor").exists()


@pytest.mark.django_db
def test_a_refused_upload_is_a_400_with_the_reason(org: Any) -> None:
    body = {"kind": "employees", "agency": org.agency.pk, "file": SimpleUploadedFile("x.pdf", b"%PDF-1.4 x")}
    r = _api(org.admin).post("/api/v1/import-batches/", body, format="multipart")
    assert r.status_code == 400 and r.json()["message"]
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_same_upload_retried_at_once_with_its_key_is_one_batch(org: Any) -> None:
    data = to_csv([emp_row(1, org.dinas.code)])
    responses = at_once(lambda i: _post(_api(org.admin), org, data, HTTP_IDEMPOTENCY_KEY="impor-api-0001"))
    assert [r.status_code for r in responses] == [202, 202]
    assert responses[0].json()["id"] == responses[1].json()["id"] == ImportBatch.objects.get().pk
