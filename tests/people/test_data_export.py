"""My data on request (issue #16; UU PDP Pasal 7 and 13): a ZIP with one JSON per kind and a PDF summary,
built by a job with progress, notified, owner-only, logged, expiring."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from asn_portal.models import AuditEntry, Notification, OutboxMessage
from people.choices import DataExportStatus
from people.data_export import services
from people.models import DataExportRequest
from tests.conftest import api_as
from tests.pagetext import main_text

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture(autouse=True)
def _roots(settings: Any, tmp_path: Path) -> None:
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _zip(response: Any) -> zipfile.ZipFile:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return zipfile.ZipFile(io.BytesIO(body))


def test_employee_requests_copy_from_profile_and_downloads_zip_with_json_per_kind_and_pdf(
    client: Any, org: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(org.staff.user)
    profile = client.get(reverse("people:me"))
    assert "Data pribadi saya" in main_text(profile)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("people:my-data-request"), follow=True)
    assert "Permintaan diterima" in main_text(r)
    req = DataExportRequest.objects.get(employee=org.staff)
    assert req.status == DataExportStatus.READY and req.progress == 100
    assert req.expires_at is not None and req.expires_at - req.finished_at == dt.timedelta(hours=72)
    # Private storage under a random name: nothing of the person reaches the disk's file names.
    assert req.file.name.startswith("data-exports/") and org.staff.nip not in req.file.name
    page = main_text(client.get(reverse("people:my-data")))
    assert "Siap diunduh" not in page  # the status shows as the download button and its expiry, not a code
    assert "berlaku sampai" in page

    r = client.get(reverse("people:my-data-download", args=[req.pk]))
    assert r.status_code == 200
    assert r["Content-Disposition"].startswith("attachment")
    archive = _zip(r)
    names = set(archive.namelist())
    for kind in (
        "people.identity",
        "people.position_history",
        "people.rank_history",
        "competencies.assessments",
        "performance.plans",
        "performance.objections",
        "training.enrollments",
        "training.learning_records",
        "careers.plans",
        "careers.mentoring",
        "careers.talent",
        "promotions.proposals",
        "promotions.outlook",
        "asn_portal.notifications",
        "asn_portal.audit",
    ):
        assert f"{kind}.json" in names, kind
    assert archive.read("ringkasan.pdf").startswith(b"%PDF")
    identity = json.loads(archive.read("people.identity.json"))
    row = identity["rows"][0]
    assert row["name"] == org.staff.name and row["nip"] == org.staff.nip
    assert row["birth_date"] == org.staff.birth_date.isoformat()  # ISO dates
    assert row["gender"] == {"code": "L", "label": "Laki-laki"}  # enums as code + label
    assert row["unit"] == {"id": org.dinas.pk, "label": "Dinas Kesehatan"}
    assert "password" not in json.dumps(identity)

    # Notified when ready; the download is logged.
    assert Notification.objects.filter(user=org.staff.user, title="Salinan data Anda siap diunduh").exists()
    assert AuditEntry.objects.filter(action="data_export.download", object_id=str(req.pk)).count() == 1


def test_double_click_starts_one_job(client: Any, org: Any) -> None:
    client.force_login(org.staff.user)
    client.post(reverse("people:my-data-request"))
    client.post(reverse("people:my-data-request"))
    # The captured on-commit callbacks did not run: both requests saw the first one still queued.
    assert DataExportRequest.objects.filter(employee=org.staff).count() == 1
    assert OutboxMessage.objects.filter(task=services.BUILD_TASK).count() == 1


def test_build_twice_is_a_noop_and_progress_reaches_100(org: Any) -> None:
    req, created = services.data_export_request(employee=org.staff, actor=org.staff.user)
    assert created and req.status == DataExportStatus.QUEUED and req.progress == 0
    done = services.data_export_build(req.pk)
    assert done is not None and done.progress == 100
    assert services.data_export_build(req.pk) is None  # a duplicate delivery claims nothing


def test_nobody_else_can_ask_for_or_download_my_copy(client: Any, org: Any) -> None:
    from asn_portal.errors import ApplicationError

    with pytest.raises(ApplicationError):
        services.data_export_request(employee=org.staff, actor=org.admin.user)
    req, _ = services.data_export_request(employee=org.staff, actor=org.staff.user)
    services.data_export_build(req.pk)
    for other in (org.head, org.admin, org.staff2, org.foreign_admin):
        client.force_login(other.user)
        assert client.get(reverse("people:my-data-download", args=[req.pk])).status_code == 404
        assert client.get(reverse("people:my-data-status", args=[req.pk])).status_code == 404
        assert api_as(other).get(f"/api/v1/me/data-exports/{req.pk}/download/").status_code == 404
        assert api_as(other).get("/api/v1/me/data-exports/").json() == []


def test_api_request_poll_and_download(org: Any, django_capture_on_commit_callbacks: Any) -> None:
    api = api_as(org.staff)
    with django_capture_on_commit_callbacks(execute=True):
        r = api.post("/api/v1/me/data-exports/")
    assert r.status_code == 202
    pk = r.json()["id"]
    body = api.get(f"/api/v1/me/data-exports/{pk}/").json()
    assert body["status"] == {"code": "ready", "label": "Siap diunduh"} and body["progress"] == 100
    assert body["download_url"].endswith(f"/api/v1/me/data-exports/{pk}/download/")
    r = api.get(f"/api/v1/me/data-exports/{pk}/download/")
    assert r.status_code == 200 and "people.identity.json" in _zip(r).namelist()
    again = api.post("/api/v1/me/data-exports/")
    assert again.status_code == 202  # the previous one is finished, so a new copy may be asked for


def test_expired_copies_are_deleted_by_the_periodic_job(client: Any, org: Any, settings: Any) -> None:
    req, _ = services.data_export_request(employee=org.staff, actor=org.staff.user)
    req = services.data_export_build(req.pk)
    assert req is not None
    path = Path(settings.PRIVATE_MEDIA_ROOT, req.file.name)
    assert path.exists()
    assert services.data_exports_expire() == {"expired": 0}
    with time_machine.travel(timezone.now() + dt.timedelta(hours=73)):
        assert services.data_exports_expire() == {"expired": 1}
        assert services.data_exports_expire() == {"expired": 0}
    req.refresh_from_db()
    assert req.status == DataExportStatus.EXPIRED and not req.file and not path.exists()
    client.force_login(org.staff.user)
    r = client.get(reverse("people:my-data-download", args=[req.pk]), follow=True)
    assert "tidak tersedia lagi" in main_text(r)
    assert "Kedaluwarsa" in main_text(client.get(reverse("people:my-data")))


def test_expiry_and_pseudonymisation_jobs_are_scheduled(beat_schedules: None) -> None:
    from django_celery_beat.models import PeriodicTask

    hourly = PeriodicTask.objects.get(task="people.tasks.data_exports_expire")
    nightly = PeriodicTask.objects.get(task="people.tasks.former_employees_pseudonymise")
    assert (hourly.crontab.minute, hourly.crontab.hour, hourly.enabled) == ("15", "*", True)
    assert (nightly.crontab.minute, nightly.crontab.hour) == ("40", "2")
    assert hourly.expire_seconds < 3600 and nightly.expire_seconds < 24 * 3600


def test_mentor_private_notes_are_not_in_the_mentee_copy(org: Any) -> None:
    from careers.models import MentoringSession, SessionMentee

    session = MentoringSession.objects.create(
        agency=org.agency,
        coach=org.head,
        held_on=dt.date(2026, 3, 2),
        duration_minutes=60,
        topics="Perencanaan karier",
        shared_notes="Catatan bersama",
        private_notes="RAHASIA-PEMBIMBING",
        author=org.head.user,
    )
    SessionMentee.objects.create(session=session, employee=org.staff)
    from asn_portal.registry import registry

    section = next(s for s in registry.personal_data_sections if s.key == "careers.mentoring")
    text = json.dumps(section.export(org.staff))
    assert "Catatan bersama" in text and "RAHASIA-PEMBIMBING" not in text


def test_pages_read_in_english(client: Any, org: Any) -> None:
    client.force_login(org.staff.user)
    client.cookies["django_language"] = "en"
    assert "My data copy" in main_text(client.get(reverse("people:my-data"), HTTP_ACCEPT_LANGUAGE="en"))
    page = main_text(client.get(reverse("people:my-corrections"), HTTP_ACCEPT_LANGUAGE="en"))
    assert "Data corrections" in page and "Supporting document" in page
