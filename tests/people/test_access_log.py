"""Who saw my record (issue #16): recording, hand-off through Redis, the employee's page and API, the BKD
report with unusual patterns, retention."""

from __future__ import annotations

import datetime as dt
import json
import os
from typing import Any

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from people import access_log
from people.access_selectors import access_groups_for_subject
from people.choices import AccessPart, AccessPurpose
from people.models import RecordAccess
from tests.conftest import api_as

REDIS_URL = os.environ.get("CELERY_TEST_BROKER_URL", "redis://127.0.0.1:6379/5")


def _client(emp: Any) -> Client:
    c = Client()
    c.force_login(emp.user)
    return c


def test_a_heads_read_of_a_profile_is_in_the_members_log_and_a_self_read_is_not(org: Any) -> None:
    assert _client(org.head).get(f"/pegawai/{org.staff.pk}/").status_code == 200
    rows = RecordAccess.objects.filter(subject=org.staff)
    parts = set(rows.values_list("part", flat=True))
    assert AccessPart.PROFILE in parts
    row = rows.get(part=AccessPart.PROFILE)
    assert (row.viewer_id, row.viewer_employee_id, row.agency_id) == (org.head.user_id, org.head.pk, org.agency.pk)
    assert row.via == "people:profile" and row.purpose == AccessPurpose.HR_SERVICE and row.export_id is None

    before = RecordAccess.objects.count()
    assert _client(org.staff).get("/pegawai/saya/").status_code == 200
    assert _client(org.staff).get(f"/pegawai/{org.staff.pk}/").status_code == 200
    assert RecordAccess.objects.count() == before


def test_the_employee_sees_who_read_their_record_grouped_by_person_and_purpose(org: Any) -> None:
    for _i in range(3):
        _client(org.head).get(f"/pegawai/{org.staff.pk}/")
    _client(org.admin).get(f"/pegawai/{org.staff.pk}/")
    response = _client(org.staff).get("/pegawai/saya/akses/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Siapa melihat data saya" in html
    assert org.head.name in html and org.admin.name in html
    groups = list(access_groups_for_subject(subject=org.staff))
    head_profile = next(g for g in groups if g["viewer_employee_id"] == org.head.pk and g["purpose"] == "layanan")
    assert head_profile["count"] >= 3
    # The profile links to the page.
    assert "/pegawai/saya/akses/" in _client(org.staff).get("/pegawai/saya/").content.decode()


def test_the_api_gives_the_own_log_only(org: Any) -> None:
    api_as(org.head).get(f"/api/v1/employees/{org.staff.pk}/")
    data = api_as(org.staff).get("/api/v1/me/access-log/").json()
    assert data["count"] >= 1
    row = next(r for r in data["results"] if org.head.name in r["viewer"])
    assert row["purpose"] == "layanan" and "profil" in row["parts"] and row["purpose_label"] == "Layanan kepegawaian"
    assert RecordAccess.objects.filter(subject=org.staff, via="api:employee-detail").exists()


def test_a_staff_member_can_never_see_another_persons_log(org: Any) -> None:
    _client(org.head).get(f"/pegawai/{org.staff2.pk}/")
    assert _client(org.staff).get(f"/pegawai/{org.staff2.pk}/akses/").status_code == 404
    # A head sees the profile but not the log; another agency's admin sees neither.
    assert _client(org.head).get(f"/pegawai/{org.staff2.pk}/akses/").status_code == 404
    assert _client(org.foreign_admin).get(f"/pegawai/{org.staff2.pk}/akses/").status_code == 404
    # The BKD admin of the agency may, and that read is itself logged.
    response = _client(org.admin).get(f"/pegawai/{org.staff2.pk}/akses/")
    assert response.status_code == 200 and org.head.name in response.content.decode()
    assert RecordAccess.objects.filter(subject=org.staff2, part=AccessPart.ACCESS_LOG, viewer=org.admin.user).exists()


def test_a_directory_export_records_one_row_per_person_with_one_export_id(org: Any) -> None:
    response = _client(org.admin).get("/pegawai/ekspor.csv")
    assert response.status_code == 200
    b"".join(response.streaming_content)
    rows = RecordAccess.objects.filter(export_id__isnull=False)
    export_ids = set(rows.values_list("export_id", flat=True))
    assert len(export_ids) == 1
    subjects = set(rows.values_list("subject_id", flat=True))
    assert org.staff.pk in subjects and org.other_staff.pk in subjects
    assert org.admin.pk not in subjects  # their own row is not a read of someone else
    assert org.foreign_staff.pk not in subjects
    assert set(rows.values_list("purpose", flat=True)) == {AccessPurpose.EXPORT}


def test_api_list_records_the_people_of_the_page(org: Any) -> None:
    assert api_as(org.head).get("/api/v1/employees/").status_code == 200
    subjects = set(RecordAccess.objects.filter(part=AccessPart.DIRECTORY).values_list("subject_id", flat=True))
    assert {org.staff.pk, org.staff2.pk, org.bidang_staff.pk} <= subjects
    assert org.head.pk not in subjects


@override_settings(ACCESS_LOG_ENABLED=False)
def test_logging_can_be_switched_off_for_measurement(org: Any) -> None:
    _client(org.head).get(f"/pegawai/{org.staff.pk}/")
    assert not RecordAccess.objects.exists()


@pytest.fixture
def redis_log() -> Any:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    client.delete(access_log.REDIS_KEY, access_log.LOCK_KEY)
    with override_settings(ACCESS_LOG_REDIS_URL=REDIS_URL):
        yield client
    client.delete(access_log.REDIS_KEY, access_log.LOCK_KEY)


def test_a_page_hands_its_entries_to_redis_in_one_push_and_the_drain_writes_them(org: Any, redis_log: Any) -> None:
    _client(org.head).get(f"/pegawai/{org.staff.pk}/")
    assert not RecordAccess.objects.exists()  # nothing written on the request path
    assert redis_log.llen(access_log.REDIS_KEY) == 1  # one RPUSH for the whole page
    batch = json.loads(redis_log.lindex(access_log.REDIS_KEY, 0))
    assert {e["p"] for e in batch} >= {"profil"}
    from people.tasks import access_log_drain

    written = access_log_drain.delay().get()
    assert written == RecordAccess.objects.count() >= 1
    assert redis_log.llen(access_log.REDIS_KEY) == 0
    assert RecordAccess.objects.filter(subject=org.staff, part="profil", viewer=org.head.user).exists()


def test_when_redis_is_down_the_entries_are_written_directly(org: Any) -> None:
    with override_settings(ACCESS_LOG_REDIS_URL="redis://127.0.0.1:1/0"):
        assert _client(org.head).get(f"/pegawai/{org.staff.pk}/").status_code == 200
    assert RecordAccess.objects.filter(subject=org.staff, part="profil").exists()


def test_the_push_keeps_its_connection_and_a_dropped_one_loses_nothing(org: Any, redis_log: Any) -> None:
    """The hand-off reuses one connection per thread; when Redis has dropped it (a restart, an idle timeout), the
    next request sees the closed connection before sending and pushes on a new one; a push that fails on the way
    is written directly."""
    for _ in range(2):
        assert _client(org.head).get(f"/api/v1/employees/{org.staff.pk}/").status_code == 200
    assert redis_log.llen(access_log.REDIS_KEY) == 2 and not RecordAccess.objects.exists()
    kept = access_log._pusher.conn
    assert kept is not None
    kept.send_command("CLIENT", "ID")
    redis_log.client_kill_filter(_id=kept.read_response())  # only this connection (other tests share the server)
    assert _client(org.head).get(f"/api/v1/employees/{org.staff.pk}/").status_code == 200
    assert redis_log.llen(access_log.REDIS_KEY) == 3 and not RecordAccess.objects.exists()  # nothing lost
    assert access_log._pusher.conn is not kept

    class Broken:  # a connection that fails mid-push: that request's entries go to the database
        def can_read(self, timeout: float = 0) -> bool:
            return False

        def send_command(self, *args: Any) -> None:
            raise ConnectionError("reset")

        def disconnect(self) -> None:
            pass

    access_log._pusher.conn = Broken()
    assert _client(org.head).get(f"/api/v1/employees/{org.staff.pk}/").status_code == 200
    assert RecordAccess.objects.filter(subject=org.staff, part=AccessPart.PROFILE).count() == 1  # written directly
    assert redis_log.llen(access_log.REDIS_KEY) == 3
    assert _client(org.head).get(f"/api/v1/employees/{org.staff.pk}/").status_code == 200
    assert redis_log.llen(access_log.REDIS_KEY) == 4  # the next push opens a new connection


def _entry(org: Any, viewer: Any, subject: Any, *, at: dt.datetime, export: Any = None, part: str = "profil") -> Any:
    return RecordAccess(
        viewer=viewer.user,
        viewer_employee=viewer,
        subject=subject,
        agency=subject.agency,
        part=part,
        purpose="ekspor" if export else "layanan",
        via="people:profile",
        export_id=export,
        at=at,
    )


def _write(rows: list[Any]) -> None:
    """Through the real writer (which decides "outside the viewer's unit" from the units at write time)."""
    access_log.write_entries(
        [
            {
                "v": r.viewer_id,
                "ve": r.viewer_employee_id,
                "p": r.part,
                "u": r.purpose,
                "via": r.via,
                "x": str(r.export_id) if r.export_id else None,
                "n": "",
                "at": r.at.isoformat(),
                "s": [[r.subject_id, None]],
            }
            for r in rows
        ]
    )


def test_retention_prunes_old_entries_set_based_and_records_a_job_run(org: Any) -> None:
    from asn_portal.models import JobRun
    from people.tasks import access_log_prune

    now = timezone.now()
    RecordAccess.objects.bulk_create(
        [
            _entry(org, org.head, org.staff, at=now - dt.timedelta(days=731)),
            _entry(org, org.head, org.staff, at=now - dt.timedelta(days=800)),
            _entry(org, org.head, org.staff, at=now - dt.timedelta(days=10)),
        ]
    )
    assert access_log_prune.delay().get() == 2
    assert RecordAccess.objects.count() == 1
    run = JobRun.objects.get(job="people.access_log_prune")
    assert run.counts == {"deleted": 2} and run.status == JobRun.Status.SUCCESS
    with override_settings(ACCESS_LOG_RETENTION_DAYS=5):
        assert access_log.prune() == 1


@pytest.mark.django_db
def test_the_prune_and_drain_jobs_are_scheduled(beat_schedules: None) -> None:
    """The data migration seeds both schedules."""
    from django_celery_beat.models import PeriodicTask

    drain = PeriodicTask.objects.get(task="people.tasks.access_log_drain", enabled=True)
    assert (drain.interval.every, drain.interval.period) == (10, "seconds")
    prune = PeriodicTask.objects.get(task="people.tasks.access_log_prune", enabled=True)
    assert (prune.crontab.hour, prune.crontab.minute) == ("2", "15")


def test_the_agency_report_highlights_reading_outside_the_unit_and_night_exports(org: Any) -> None:
    import uuid
    from zoneinfo import ZoneInfo

    jakarta = ZoneInfo("Asia/Jakarta")
    today = timezone.localdate()
    noon = dt.datetime.combine(today, dt.time(12), tzinfo=jakarta)
    while noon.isoweekday() >= 6:
        noon -= dt.timedelta(days=1)
    night = noon.replace(hour=23)
    export = uuid.uuid4()
    _write(
        # The head of Dinas Kesehatan reads Dinas Pendidikan's people (outside their unit).
        [_entry(org, org.head, org.other_staff, at=noon), _entry(org, org.head, org.other_head, at=noon)]
        # The bidang head reads their own staff only.
        + [_entry(org, org.bidang_head, org.bidang_staff, at=noon)]
        # The admin exports at 23.00.
        + [_entry(org, org.admin, e, at=night, export=export, part="direktori") for e in (org.staff, org.staff2)]
        # Another agency's reads never show.
        + [_entry(org, org.foreign_admin, org.foreign_staff, at=noon)]
    )
    client = _client(org.admin)
    with override_settings(ACCESS_LOG_OUTSIDE_UNIT_THRESHOLD=2):
        response = client.get("/pegawai/akses/laporan/")
    assert response.status_code == 200
    rows = {r["viewer_employee__name"]: r for r in response.context["page_obj"].object_list}
    assert rows["Kepala Dinkes"]["outside"] == 2 and rows["Kepala Dinkes"]["unusual"]
    assert rows["Kabid Pelayanan"]["outside"] == 0 and not rows["Kabid Pelayanan"]["unusual"]
    assert rows["Admin BKD"]["night_exports"] == 1 and rows["Admin BKD"]["unusual"]
    assert "Admin Pontianak" not in rows
    html = response.content.decode()
    assert html.count('data-unusual="1"') >= 3  # two viewers + the night export
    assert "di luar jam kerja" in html

    filtered = client.get("/pegawai/akses/laporan/", {"part": "direktori"}).context["page_obj"].object_list
    assert [r["viewer_employee__name"] for r in filtered] == ["Admin BKD"]
    bad = client.get("/pegawai/akses/laporan/", {"date_from": "2020-01-01", "date_to": "2021-01-01"})
    assert "Rentang laporan paling lama 92 hari." in bad.content.decode()

    csv = client.get("/pegawai/akses/laporan.csv")
    assert csv.status_code == 200
    text = csv.content.decode("utf-8-sig")
    assert "Kepala Dinkes" in text and "Pegawai di luar unit" in text
    assert RecordAccess.objects.filter(viewer=org.admin.user, part=AccessPart.ACCESS_LOG).exists()


def test_only_bkd_admins_open_the_report(org: Any) -> None:
    assert _client(org.head).get("/pegawai/akses/laporan/").status_code == 403
    assert _client(org.staff).get("/pegawai/akses/laporan.csv").status_code == 403
    assert _client(org.foreign_admin).get(f"/pegawai/akses/laporan/?agency={org.agency.pk}").status_code == 404


def test_a_heads_read_of_a_members_skp_appears_in_the_members_log(org: Any) -> None:
    from tests.performance import factories as pf

    plan = pf.plan(org.staff)
    assert _client(org.head).get(f"/kinerja/skp/{plan.pk}/").status_code == 200
    html = _client(org.staff).get("/pegawai/saya/akses/").content.decode()
    assert org.head.name in html and "Penilaian kinerja" in html and "SKP" in html
    data = api_as(org.staff).get("/api/v1/me/access-log/").json()["results"]
    assert any(r["purpose"] == "kinerja" and r["parts"] == ["skp"] and org.head.name in r["viewer"] for r in data)


def test_an_export_hands_off_the_ids_in_one_query_and_the_drain_writes_them_with_pairs(
    org: Any, redis_log: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from people.models import Employee

    everyone = Employee.objects.filter(agency=org.admin.agency)
    RecordAccess.objects.all().delete()
    with CaptureQueriesContext(connection) as ctx:
        access_log.record_export(org.admin.user, everyone, AccessPart.DIRECTORY)
    # Outside a request a call writes at once; inside one it is buffered. Here: written at once, in one
    # statement after the one query that fetched the ids.
    assert len(ctx.captured_queries) <= 3  # the viewer's scope, the ids (one row), the write
    assert set(RecordAccess.objects.values_list("subject_id", flat=True)) == set(
        everyone.exclude(pk=org.admin.pk).values_list("pk", flat=True)
    )
    RecordAccess.objects.all().delete()

    # In a request: one batch in Redis whose export entry carries bare ids (no row objects, no pairs).
    response = _client(org.admin).get("/pegawai/ekspor.csv")
    b"".join(response.streaming_content)  # the last chunk closes the response: the hand-off
    (batch,) = [json.loads(b) for b in redis_log.lrange(access_log.REDIS_KEY, 0, -1)]
    (entry,) = [e for e in batch if e["x"]]
    assert all(isinstance(s, int) for s in entry["s"]) and org.admin.pk not in entry["s"]
    # A batch mixing an export's bare ids and a page's [id, agency] pairs is drained into the same rows.
    page = {**entry, "x": None, "u": "layanan", "s": [[org.staff.pk, None], [org.staff2.pk, org.staff2.agency_id]]}
    redis_log.rpush(access_log.REDIS_KEY, json.dumps([page]))
    written = access_log.drain()
    assert written == len(entry["s"]) + 2
    assert RecordAccess.objects.filter(export_id=entry["x"]).count() == len(entry["s"])
    assert set(RecordAccess.objects.filter(export_id__isnull=True).values_list("subject_id", "agency_id")) == {
        (org.staff.pk, org.staff.agency_id),
        (org.staff2.pk, org.staff2.agency_id),
    }


def test_the_redis_key_can_be_set_so_that_two_databases_never_drain_each_others_reads(org: Any, redis_log: Any) -> None:
    key = "asn:access-log:test-other"
    redis_log.delete(key, f"{key}:drain-lock")
    try:
        with override_settings(ACCESS_LOG_REDIS_KEY=key):
            _client(org.head).get(f"/pegawai/{org.staff.pk}/")
            assert redis_log.llen(key) == 1 and redis_log.llen(access_log.REDIS_KEY) == 0
        assert access_log.drain() == 0  # the default queue is empty; the other key is not touched
        assert redis_log.llen(key) == 1
        with override_settings(ACCESS_LOG_REDIS_KEY=key):
            assert access_log.drain() >= 1
        assert redis_log.llen(key) == 0
        assert RecordAccess.objects.filter(subject=org.staff, viewer=org.head.user).exists()
    finally:
        redis_log.delete(key, f"{key}:drain-lock")
