"""Past years' predikat import: the request stores the file, the worker reads it (streamed, with limits) into a
preview with each row's error in Indonesian; confirm writes once with an audit entry; cancel and the stale sweep
work; another agency's batch is a 404; the API does the same through the same services (issue #12)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from asn_portal.errors import ApplicationError
from asn_portal.models import AuditEntry, OutboxMessage
from asn_portal.tasks import job_runs_fail_stale
from performance.choices import PredikatImportStatus as Status
from performance.history import services
from performance.models import PredikatImport, PredikatRecord
from performance.tasks import predikat_import_parse
from tests.concurrency import at_once
from tests.conftest import api_as
from tests.people.test_import_files import _sheet, _xlsx_with_sheet_xml

pytestmark = pytest.mark.django_db
URL = "/kinerja/impor/"
API = "/api/v1/predikat-imports/"


def _admin(org: Any) -> Client:
    c = Client()
    c.force_login(org.admin.user)
    return c


def _csv(*lines: str) -> bytes:
    return ("NIP,Tahun,Predikat\n" + "".join(f"{line}\n" for line in lines)).encode()


def _good(org: Any) -> bytes:
    return _csv(
        f"{org.staff.nip},2024,Baik", f"{org.staff2.nip},2024,Butuh Perbaikan", f"{org.staff.nip},2025,Sangat Baik"
    )


def _upload(c: Client, content: bytes, name: str = "predikat.csv") -> Any:
    return c.post(URL, {"file": SimpleUploadedFile(name, content)})


def _previewed(org: Any, content: bytes, django_capture_on_commit_callbacks: Any) -> PredikatImport:
    with django_capture_on_commit_callbacks(execute=True):  # the worker reads it (eager here)
        _upload(_admin(org), content)
    return PredikatImport.objects.get()


def test_the_upload_answers_without_reading_the_file_and_the_worker_makes_the_preview(
    org: Any, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    c = _admin(org)
    read = services.read_rows
    monkeypatch.setattr(services, "read_rows", lambda *a, **kw: pytest.fail("the request read the file"))
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = _upload(c, _good(org))
    assert response.status_code == 302
    batch = PredikatImport.objects.get()
    assert response["Location"] == f"{URL}{batch.pk}/"
    assert (batch.status, batch.rows, batch.uploaded_by) == (Status.PARSING, [], org.admin.user)
    assert batch.source.name.startswith("impor/predikat/") and batch.source.name.endswith(".csv")
    assert list(OutboxMessage.objects.values_list("task", "args")) == [
        ("performance.tasks.predikat_import_parse", [batch.pk])
    ]
    assert len(queued) == 1  # handed to the broker after commit
    page = c.get(response["Location"]).content.decode()
    assert "Berkas sedang dibaca dan diperiksa baris demi baris" in page
    assert f'hx-get="{URL}{batch.pk}/status/"' in page
    assert 'data-testid="confirm-form"' not in page
    assert "HX-Refresh" not in c.get(f"{URL}{batch.pk}/status/", HTTP_HX_REQUEST="true")
    assert not PredikatRecord.objects.exists()

    monkeypatch.setattr(services, "read_rows", read)
    assert predikat_import_parse.apply(args=[batch.pk]).get() == Status.PREVIEW  # the worker's run
    assert predikat_import_parse.apply(args=[batch.pk]).get() == "skipped"  # a redelivery does nothing more
    batch.refresh_from_db()
    assert (batch.status, len(batch.rows), batch.error_count, bool(batch.source)) == (Status.PREVIEW, 3, 0, False)
    assert c.get(f"{URL}{batch.pk}/status/", HTTP_HX_REQUEST="true")["HX-Refresh"] == "true"
    page = c.get(response["Location"]).content.decode()
    assert 'data-testid="confirm-form"' in page and "Staf Satu" in page and "siap diimpor" in page
    assert not PredikatRecord.objects.exists()  # a preview writes nothing


def test_confirm_writes_every_row_once_with_an_audit_entry_and_a_second_click_is_told_so(
    org: Any, django_capture_on_commit_callbacks: Any
) -> None:
    batch = _previewed(org, _good(org), django_capture_on_commit_callbacks)
    c = _admin(org)
    first = c.post(f"{URL}{batch.pk}/konfirmasi/", follow=True).content.decode()
    assert "3 predikat diimpor." in first and "3 predikat telah diimpor." in first
    second = c.post(f"{URL}{batch.pk}/konfirmasi/", follow=True).content.decode()
    assert "Impor ini sudah dikonfirmasi atau dibatalkan." in second
    assert sorted(PredikatRecord.objects.values_list("employee__nip", "year", "predikat", "source")) == sorted(
        [
            (org.staff.nip, 2024, "baik", "import"),
            (org.staff.nip, 2025, "sangat_baik", "import"),
            (org.staff2.nip, 2024, "butuh_perbaikan", "import"),
        ]
    )
    entry = AuditEntry.objects.get(action="performance.predikat.import")
    assert (entry.actor, entry.object_id, entry.after["rows"]) == (org.admin.user, str(batch.pk), 3)
    batch.refresh_from_db()
    assert (batch.status, batch.created_count) == (Status.CONFIRMED, 3)


@pytest.mark.django_db(transaction=True)
def test_two_confirmations_at_once_write_once(org: Any) -> None:
    with_preview = services.import_upload(
        agency_id=org.agency.pk, name="p.csv", stream=SimpleUploadedFile("p.csv", _good(org)), actor=org.admin.user
    )  # eager Celery: read at commit
    assert PredikatImport.objects.get(pk=with_preview.pk).status == Status.PREVIEW

    def confirm(i: int) -> int:
        return _admin(org).post(f"{URL}{with_preview.pk}/konfirmasi/").status_code

    assert at_once(confirm) == [302, 302]
    assert PredikatRecord.objects.count() == 3
    assert AuditEntry.objects.filter(action="performance.predikat.import").count() == 1


def test_each_wrong_row_is_named_in_indonesian_and_nothing_can_be_confirmed(
    org: Any, django_capture_on_commit_callbacks: Any
) -> None:
    PredikatRecord.objects.create(employee=org.staff2, year=2023, predikat="baik", source="appraisal")
    content = _csv(
        f"{org.staff.nip},2024,Baik",
        f"{org.foreign_staff.nip},2024,Baik",
        f"{org.staff.nip},1999,Baik",
        f"{org.staff.nip},2023,Luar biasa",
        f"{org.staff2.nip},2023,Baik",
        f"{org.staff.nip},2024,Sangat Baik",
    )
    batch = _previewed(org, content, django_capture_on_commit_callbacks)
    assert batch.status == Status.PREVIEW and batch.error_count == 5
    assert [(r["line"], bool(r["error"])) for r in batch.rows] == [
        (2, False), (3, True), (4, True), (5, True), (6, True), (7, True),
    ]  # fmt: skip
    c = _admin(org)
    page = c.get(f"{URL}{batch.pk}/").content.decode()
    for message in (
        f"NIP tidak ditemukan di instansi ini: {org.foreign_staff.nip}.",
        "Tahun tidak valid: 1999",
        "Predikat &quot;Luar biasa&quot; tidak dikenal.",
        "Sudah ada predikat hasil penilaian SKP untuk tahun ini; tidak ditimpa.",
        "Baris ganda: NIP dan tahun ini sudah ada di baris sebelumnya.",
        "5 baris salah: tidak ada yang akan disimpan.",
    ):
        assert message in page, message
    assert 'data-testid="confirm-form"' not in page
    refused = c.post(f"{URL}{batch.pk}/konfirmasi/", follow=True).content.decode()
    assert "Impor ditolak: 5 baris salah" in refused
    assert list(PredikatRecord.objects.values_list("source", flat=True)) == ["appraisal"]
    assert PredikatImport.objects.get().status == Status.PREVIEW


def test_a_predikat_appraised_after_the_preview_is_not_overwritten(
    org: Any, django_capture_on_commit_callbacks: Any
) -> None:
    batch = _previewed(org, _good(org), django_capture_on_commit_callbacks)
    PredikatRecord.objects.create(employee=org.staff, year=2025, predikat="baik", source="appraisal")
    with pytest.raises(ApplicationError, match="Data berubah sejak pratinjau: 1 baris kini ditolak"):
        services.import_confirm(batch=batch, actor=org.admin.user)
    assert list(PredikatRecord.objects.values_list("predikat", "source")) == [("baik", "appraisal")]
    batch.refresh_from_db()
    assert (batch.status, batch.error_count) == (Status.PREVIEW, 1)
    assert not AuditEntry.objects.filter(action="performance.predikat.import").exists()


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("predikat.csv", b"NIP,Tahun,Predikat\n", "Berkas tidak berisi baris data"),
        (
            "predikat.xlsx",
            _xlsx_with_sheet_xml(
                _sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>NIP</t></is></c></row>' + "<row/>" * 3_000_000)
            ),
            "Hapus baris kosong di bawah data",
        ),
    ],
    ids=["header-only", "three-million-blank-rows"],
)
def test_a_file_the_worker_cannot_import_shows_the_reason_and_writes_nothing(
    org: Any, django_capture_on_commit_callbacks: Any, name: str, content: bytes, reason: str
) -> None:
    c = _admin(org)
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(c, content, name)
    assert response.status_code == 302  # the request answered at once; the worker refused it
    batch = PredikatImport.objects.get()
    assert (batch.status, batch.rows, bool(batch.source)) == (Status.FAILED, [], False)
    page = c.get(response["Location"]).content.decode()
    assert "Berkas tidak dapat diimpor; tidak ada data yang ditulis." in page and reason in page
    assert 'data-testid="confirm-form"' not in page
    assert not PredikatRecord.objects.exists()


def test_a_binary_file_is_refused_at_upload_and_nothing_is_stored(org: Any) -> None:
    response = _upload(_admin(org), b"MZ\x90\x00\x03\x00\x00\x00" + bytes(range(256)) * 8, "predikat.csv")
    assert response.status_code == 200
    assert "Jenis berkas tidak diizinkan: hanya CSV atau XLSX." in response.content.decode()
    assert not PredikatImport.objects.exists() and not OutboxMessage.objects.exists()
    assert not PredikatRecord.objects.exists()


def test_cancel_while_being_read_or_in_preview_writes_nothing(
    org: Any, django_capture_on_commit_callbacks: Any
) -> None:
    c = _admin(org)
    with django_capture_on_commit_callbacks(execute=False):
        _upload(c, _good(org))
    parsing = PredikatImport.objects.get()
    stored = parsing.source.name
    page = c.post(f"{URL}{parsing.pk}/batal/", follow=True).content.decode()
    assert "Impor dibatalkan; tidak ada data yang ditulis." in page
    assert predikat_import_parse.apply(args=[parsing.pk]).get() == "skipped"  # a cancelled upload is never read
    parsing.refresh_from_db()
    assert (parsing.status, parsing.rows, bool(parsing.source)) == (Status.CANCELLED, [], False)
    assert not parsing.source.storage.exists(stored)

    PredikatImport.objects.all().delete()
    batch = _previewed(org, _good(org), django_capture_on_commit_callbacks)
    c.post(f"{URL}{batch.pk}/batal/")
    again = c.post(f"{URL}{batch.pk}/konfirmasi/", follow=True).content.decode()
    assert "Impor ini sudah dikonfirmasi atau dibatalkan." in again
    assert not PredikatRecord.objects.exists()


def test_an_upload_left_parsing_by_a_dead_worker_is_swept(org: Any, django_capture_on_commit_callbacks: Any) -> None:
    c = _admin(org)
    with django_capture_on_commit_callbacks(execute=False):
        _upload(c, _good(org))
        _upload(c, _good(org), "baru.csv")
    old, fresh = PredikatImport.objects.order_by("pk")
    PredikatImport.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(hours=2))
    assert job_runs_fail_stale.apply().get() == 1  # the beat's stale-job sweep runs the apps' sweeps
    old.refresh_from_db()
    assert old.status == Status.FAILED
    assert PredikatImport.objects.get(pk=fresh.pk).status == Status.PARSING
    assert predikat_import_parse.apply(args=[old.pk]).get() == "skipped"
    assert "Pembacaan berkas terhenti sebelum selesai" in c.get(f"{URL}{old.pk}/").content.decode()


def test_another_agencys_batch_is_a_404_and_staff_are_refused(
    org: Any, django_capture_on_commit_callbacks: Any
) -> None:
    batch = _previewed(org, _good(org), django_capture_on_commit_callbacks)
    foreign = Client()
    foreign.force_login(org.foreign_admin.user)
    for path in ("", "status/"):
        assert foreign.get(f"{URL}{batch.pk}/{path}").status_code == 404
    for path in ("konfirmasi/", "batal/"):
        assert foreign.post(f"{URL}{batch.pk}/{path}").status_code == 404
    assert str(batch.pk) not in foreign.get(URL).content.decode().split('data-testid="recent-imports"')[1]
    api = api_as(org.foreign_admin)
    assert api.get(f"{API}{batch.pk}/").status_code == 404
    assert api.post(f"{API}{batch.pk}/confirm/").status_code == 404
    assert api.post(f"{API}{batch.pk}/cancel/").status_code == 404
    assert api.get(API).json()["results"] == []
    staff = Client()
    staff.force_login(org.staff.user)
    assert staff.get(f"{URL}{batch.pk}/").status_code == 403
    assert api_as(org.staff).get(f"{API}{batch.pk}/").status_code == 403
    assert not PredikatRecord.objects.exists()
    assert PredikatImport.objects.get().status == Status.PREVIEW


def test_the_api_upload_is_read_by_the_worker_and_confirmed_once(
    org: Any, django_capture_on_commit_callbacks: Any
) -> None:
    api = api_as(org.admin)
    with django_capture_on_commit_callbacks(execute=False):
        response = api.post(API, {"file": SimpleUploadedFile("p.csv", _good(org))}, format="multipart")
    assert response.status_code == 202, response.content
    body = response.json()
    assert (body["status"], body["row_count"], body["page_url"]) == ("parsing", 0, f"{URL}{body['id']}/")
    assert response["Location"].endswith(f"{API}{body['id']}/")
    assert not PredikatRecord.objects.exists()
    assert predikat_import_parse.apply(args=[body["id"]]).get() == Status.PREVIEW
    detail = api.get(f"{API}{body['id']}/").json()
    assert (detail["status"], detail["row_count"], detail["error_count"]) == ("preview", 3, 0)
    assert api.post(f"{API}{body['id']}/confirm/").json()["created_count"] == 3
    second = api.post(f"{API}{body['id']}/confirm/")
    assert second.status_code == 409 and second.json()["message"] == "Impor ini sudah dikonfirmasi atau dibatalkan."
    assert PredikatRecord.objects.count() == 3
    assert AuditEntry.objects.filter(action="performance.predikat.import").count() == 1


def test_the_api_names_wrong_rows_refuses_binary_files_and_another_agency(
    org: Any, django_capture_on_commit_callbacks: Any
) -> None:
    api = api_as(org.admin)
    binary = api.post(API, {"file": SimpleUploadedFile("p.csv", b"\x00\x01\x02" * 3000)}, format="multipart")
    assert binary.status_code == 400
    assert binary.json()["message"] == "Jenis berkas tidak diizinkan: hanya CSV atau XLSX."
    foreign = {"agency": org.foreign_admin.agency_id, "file": SimpleUploadedFile("p.csv", _good(org))}
    assert api.post(API, foreign, format="multipart").status_code == 404
    assert not PredikatImport.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        content = _csv(f"{org.staff.nip},2024,Baik", f"{org.staff.nip},2024,Istimewa")
        batch_id = api.post(API, {"file": SimpleUploadedFile("p.csv", content)}, format="multipart").json()["id"]
    detail = api.get(f"{API}{batch_id}/").json()
    assert detail["rejected_rows"] == [{"line": 3, "nip": org.staff.nip, "error": 'Predikat "Istimewa" tidak dikenal.'}]
    refused = api.post(f"{API}{batch_id}/confirm/")
    assert refused.status_code == 400 and refused.json()["message"].startswith("Impor ditolak: 1 baris salah")
    assert api.post(f"{API}{batch_id}/cancel/").json()["status"] == "cancelled"
    assert not PredikatRecord.objects.exists()


def test_the_import_pages_read_a_constant_number_of_queries(
    org: Any, django_capture_on_commit_callbacks: Any, django_assert_num_queries: Any
) -> None:
    batch = _previewed(
        org, _csv(*[f"{org.staff.nip},{2000 + i},Baik" for i in range(60)]), django_capture_on_commit_callbacks
    )
    for _ in range(12):
        PredikatImport.objects.create(agency=org.agency, file_name="lama.csv", status=Status.FAILED, error="x")
    c = _admin(org)
    c.get(URL)  # warm the per-process caches
    # session, user, scope (administered agencies), agency, unread notifications (shell), the last 10 batches
    with django_assert_num_queries(6):
        assert c.get(URL).status_code == 200
    # session, user, scope, agency, the batch with its rows (50 shown per page), unread notifications
    with django_assert_num_queries(6):
        assert "2049" in c.get(f"{URL}{batch.pk}/").content.decode()
    with django_assert_num_queries(5):  # session, user, scope, agency, the batch without its rows
        c.get(f"{URL}{batch.pk}/status/", HTTP_HX_REQUEST="true")


def test_the_template_still_downloads_for_admins_only(org: Any) -> None:
    response = _admin(org).get(f"{URL}templat.csv")
    assert response.status_code == 200
    assert response.content.decode("utf-8-sig").splitlines()[0] == "NIP,Tahun,Predikat"
    staff = Client()
    staff.force_login(org.staff.user)
    assert staff.get(f"{URL}templat.csv").status_code == 403
