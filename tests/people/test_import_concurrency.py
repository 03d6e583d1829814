"""Two admins confirming imports of the same people at once: both finish, one set of employees, no raw error."""

from __future__ import annotations

import pytest

from people import imports
from people.choices import ImportStatus
from people.models import Employee, ImportBatch
from tests.concurrency import at_once

from .test_imports import emp_row, preview, to_csv

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_batches_with_the_same_new_employees_applied_at_once_both_succeed(org) -> None:
    data = to_csv([emp_row(i, org.dinas.code) for i in range(20)])
    first, second = preview(org, data), preview(org, data)
    ImportBatch.objects.filter(pk__in=[first.pk, second.pk]).update(status=ImportStatus.QUEUED)
    results = at_once(lambda i: imports.batch_apply([first.pk, second.pk][i]))
    assert not [r for r in results if isinstance(r, Exception)], results
    batches = ImportBatch.objects.filter(pk__in=[first.pk, second.pk])
    assert sorted(b.status for b in batches) == [ImportStatus.DONE, ImportStatus.DONE]
    assert all("IntegrityError" not in b.error for b in batches)
    assert Employee.objects.filter(name__startswith="Pegawai Impor").count() == 20
    assert sorted(b.counts["create"] for b in batches) == [0, 20]


def test_the_upload_form_sent_twice_at_once_with_its_key_makes_one_preview(org) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    data = to_csv([emp_row(i, org.dinas.code) for i in range(3)])

    def post(i: int):
        c = Client()
        c.force_login(org.admin.user)
        form = {"kind": "employees", "agency": org.agency.pk, "idempotency_key": "unggah-ganda-001"}
        return c.post("/pegawai/impor/", {**form, "file": SimpleUploadedFile("pegawai.csv", data, "text/csv")})

    responses = at_once(post)
    batch = ImportBatch.objects.get()
    assert [r.status_code for r in responses] == [302, 302]
    assert {r["Location"] for r in responses} == {f"/pegawai/impor/{batch.pk}/"}
