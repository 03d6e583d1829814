"""The daily roll-up behind the BKD access report (issue #16): kept by the drain, rebuilt per day by a job and
by the prune, always equal to the live aggregation over the raw log; the report page and API read it."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Count, Max
from django.test import Client, override_settings
from django.utils import timezone

from people import access_log, access_rollup
from people.access_selectors import ReportWindow, access_report, access_report_live, export_list
from people.models import AccessDaily, AccessExport, AccessViewerSubject, RecordAccess
from tests.conftest import api_as

REDIS_URL = os.environ.get("CELERY_TEST_BROKER_URL", "redis://127.0.0.1:6379/5")
JAKARTA = ZoneInfo("Asia/Jakarta")


def _weekday_noon(days_ago: int) -> dt.datetime:
    moment = dt.datetime.combine(timezone.localdate() - dt.timedelta(days=days_ago), dt.time(12), tzinfo=JAKARTA)
    while moment.isoweekday() >= 6:
        moment -= dt.timedelta(days=1)
    return moment


def _entry(viewer: Any, subjects: list[Any], at: dt.datetime, part: str = "profil", export: bool = False) -> Any:
    return {
        "v": viewer.user_id,
        "ve": viewer.pk,
        "p": part,
        "u": "ekspor" if export else "layanan",
        "via": "people:directory-export" if export else "people:profile",
        "x": str(uuid.uuid4()) if export else None,
        "n": "Rekap pegawai untuk rapat baperjakat" if export else "",
        "at": at.isoformat(),
        "s": [[s.pk, None] for s in subjects],
    }


def _mixed_entries(org: Any) -> list[list[Any]]:
    """Batches of entries of every kind the report distinguishes, over three days."""
    noon, yesterday, last_week = _weekday_noon(0), _weekday_noon(1), _weekday_noon(6)
    night, early = noon.replace(hour=23), noon.replace(hour=5)
    saturday = dt.datetime.combine(timezone.localdate(), dt.time(10), tzinfo=JAKARTA) - dt.timedelta(days=1)
    while saturday.isoweekday() != 6:
        saturday -= dt.timedelta(days=1)
    everyone = [org.staff, org.staff2, org.bidang_staff, org.other_staff, org.other_head]
    return [
        # The Dinkes head reads Disdik's people (outside their unit) on two days: two people, not four.
        [_entry(org.head, [org.other_staff, org.other_head], noon), _entry(org.head, [org.other_staff], yesterday)],
        [_entry(org.head, [org.other_staff], yesterday, part="skp"), _entry(org.head, [org.staff], last_week)],
        # The bidang head reads their own staff, repeatedly.
        [_entry(org.bidang_head, [org.bidang_staff], noon)] * 3,
        # The admin exports the directory at night, early morning, on a Saturday, and at noon.
        [_entry(org.admin, everyone, night, part="direktori", export=True)],
        [_entry(org.admin, everyone, early, part="direktori", export=True)],
        [_entry(org.admin, everyone[:2], saturday, part="direktori", export=True)],
        [_entry(org.admin, everyone[:3], yesterday, part="direktori", export=True)],
        # Another agency's reads never show in this agency's report.
        [_entry(org.foreign_admin, [org.foreign_staff], noon), _entry(org.foreign_admin, [org.staff], noon)],
    ]


@pytest.fixture
def redis_log() -> Any:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    client.delete(access_log.REDIS_KEY, access_log.LOCK_KEY)
    with override_settings(ACCESS_LOG_REDIS_URL=REDIS_URL):
        yield client
    client.delete(access_log.REDIS_KEY, access_log.LOCK_KEY)


def _drain_all(batches: list[list[Any]]) -> int:
    for batch in batches:
        assert access_log.flush(batch) == "redis"
    return access_log.drain()


WINDOWS = [(13, 0), (0, 0), (1, 1), (6, 2)]  # (days back to since, days back to until)


def _live_exports(agency: Any, window: ReportWindow, part: str = "") -> set[Any]:
    qs = RecordAccess.objects.filter(agency=agency, at__gte=window.start, at__lt=window.end, export_id__isnull=False)
    if part:
        qs = qs.filter(part=part)
    return {(x["export_id"], x["n"], x["last"]) for x in qs.values("export_id").annotate(n=Count("id"), last=Max("at"))}


def _assert_pairs_equal_live() -> None:
    """AccessViewerSubject equals the last day (and last day outside the unit) per (agency, viewer, person) of
    the raw log since the horizon."""
    horizon = access_rollup.pairs_horizon()
    live: dict[tuple[int, int, int], list[Any]] = {}
    for r in RecordAccess.objects.all():
        day = timezone.localtime(r.at).date()
        if day < horizon:
            continue
        pair = live.setdefault((r.agency_id, r.viewer_id or 0, r.subject_id), [day, None])
        pair[0] = max(pair[0], day)
        if r.outside_unit:
            pair[1] = max(pair[1] or day, day)
    rolled = {
        (v.agency_id, v.viewer_id, v.subject_id): [v.last_day, v.last_outside_day]
        for v in AccessViewerSubject.objects.all()
    }
    assert rolled == live


def _assert_rollup_equals_live(org: Any) -> None:
    _assert_pairs_equal_live()
    today = timezone.localdate()
    for back_since, back_until in WINDOWS:
        window = ReportWindow(today - dt.timedelta(days=back_since), today - dt.timedelta(days=back_until))
        for filters in ({}, {"part": "direktori"}, {"part": "skp"}, {"viewer": "Kepala"}, {"viewer": "nobody"}):
            for agency in (org.agency, org.other_agency):
                live = [dict(r) for r in access_report_live(agency_id=agency.pk, window=window, **filters)]
                assert access_report(agency_id=agency.pk, window=window, **filters) == live, (window, filters)
        for part in ("", "direktori", "profil"):
            rolled = {
                (x.export_id, x.people, x.at) for x in export_list(agency_id=org.agency.pk, window=window, part=part)
            }
            assert rolled == _live_exports(org.agency, window, part)


def test_after_draining_entries_of_every_kind_the_rollup_equals_the_live_aggregation(org: Any, redis_log: Any) -> None:
    written = _drain_all(_mixed_entries(org))
    assert written == RecordAccess.objects.count() == 2 + 1 + 1 + 1 + 3 + 5 + 5 + 2 + 3 + 2
    _assert_rollup_equals_live(org)

    window = ReportWindow(timezone.localdate() - dt.timedelta(days=13), timezone.localdate())
    rows = {r["viewer_id"]: r for r in access_report(agency_id=org.agency.pk, window=window)}
    head = rows[org.head.user_id]
    assert (head["reads"], head["people"], head["outside"]) == (5, 3, 2)  # other_staff read on 2 days: 1 person
    admin = rows[org.admin.user_id]
    assert (admin["exports"], admin["night_exports"]) == (4, 3)  # 23.00, 05.00 and the Saturday
    assert org.foreign_admin.user_id in rows  # read one of this agency's people
    assert rows[org.foreign_admin.user_id]["reads"] == 1

    # More batches on the same days merge into the same roll-up rows.
    _drain_all(_mixed_entries(org)[:3])
    _assert_rollup_equals_live(org)


def test_the_nightly_rebuild_and_the_prune_re_derive_the_rollup(org: Any) -> None:
    from asn_portal.models import JobRun
    from people.tasks import access_rollup_rebuild

    for batch in _mixed_entries(org):
        access_log.write_entries(batch)
    before = sorted(AccessDaily.objects.values_list("day", "viewer_id", "part", "reads", "subjects"))
    # A roll-up gone wrong (rows lost, a count off) is repaired by the day's rebuild.
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    AccessDaily.objects.filter(day=timezone.localdate()).update(reads=999)
    AccessDaily.objects.filter(day=yesterday).delete()
    AccessExport.objects.all().delete()
    access_rollup_rebuild.delay(timezone.localdate().isoformat()).get()
    access_rollup_rebuild.delay(yesterday.isoformat()).get()
    access_rollup.rebuild(since=timezone.localdate() - dt.timedelta(days=13), until=yesterday - dt.timedelta(days=1))
    # The (viewer, person) roll-up gone wrong is repaired by any day's rebuild.
    AccessViewerSubject.objects.filter(viewer_id=org.head.user_id).delete()
    AccessViewerSubject.objects.update(last_outside_day=None)
    access_rollup_rebuild.delay(yesterday.isoformat()).get()
    assert sorted(AccessDaily.objects.values_list("day", "viewer_id", "part", "reads", "subjects")) == before
    _assert_rollup_equals_live(org)
    assert JobRun.objects.filter(job="people.access_rollup_rebuild", status=JobRun.Status.SUCCESS).count() == 3

    # The prune drops the summaries of the days it removed and re-derives the day it cut into.
    with override_settings(ACCESS_LOG_RETENTION_DAYS=3):
        assert access_log.prune() > 0
    assert not AccessDaily.objects.filter(day__lt=timezone.localdate() - dt.timedelta(days=3)).exists()
    _assert_rollup_equals_live(org)


@pytest.mark.django_db
def test_the_nightly_rebuild_is_scheduled(beat_schedules: None) -> None:
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="people.tasks.access_rollup_rebuild", enabled=True)
    assert (task.crontab.hour, task.crontab.minute) == ("2", "45")


def test_the_log_written_before_the_rollup_existed_is_rolled_up_after_migrate(org: Any) -> None:
    from django.apps import apps
    from django.db.models.signals import post_migrate

    for batch in _mixed_entries(org):
        access_log.write_entries(batch)
    AccessDaily.objects.all().delete()  # the upgrade: a log, no roll-up yet
    AccessExport.objects.all().delete()
    post_migrate.send(sender=apps.get_app_config("people"), app_config=apps.get_app_config("people"), using="default")
    _assert_rollup_equals_live(org)
    filled = AccessDaily.objects.count()
    post_migrate.send(sender=apps.get_app_config("people"), app_config=apps.get_app_config("people"), using="default")
    assert AccessDaily.objects.count() == filled  # once: a roll-up already there is left to the drain and rebuilds
    # The upgrade that added the (viewer, person) roll-up: the daily one is there, it is not yet.
    AccessViewerSubject.objects.all().delete()
    post_migrate.send(sender=apps.get_app_config("people"), app_config=apps.get_app_config("people"), using="default")
    assert AccessViewerSubject.objects.exists()
    _assert_rollup_equals_live(org)


def test_a_report_window_ending_today_counts_people_from_the_viewer_person_rollup(org: Any) -> None:
    for batch in _mixed_entries(org):
        access_log.write_entries(batch)
    window = ReportWindow(timezone.localdate() - dt.timedelta(days=13), timezone.localdate())
    live = [dict(r) for r in access_report_live(agency_id=org.agency.pk, window=window)]
    assert access_report(agency_id=org.agency.pk, window=window) == live
    # What it reads: with the (viewer, person) rows gone, the window ending today sees no people; a window
    # ending yesterday (the daily arrays) still does.
    AccessViewerSubject.objects.all().delete()
    assert {r["people"] for r in access_report(agency_id=org.agency.pk, window=window)} == {0}
    past = ReportWindow(window.since, timezone.localdate() - dt.timedelta(days=1))
    assert access_report(agency_id=org.agency.pk, window=past) == [
        dict(r) for r in access_report_live(agency_id=org.agency.pk, window=past)
    ]


def _client(emp: Any) -> Client:
    c = Client()
    c.force_login(emp.user)
    return c


def test_the_report_page_and_api_show_the_same_figures_and_filter_unusual_patterns(org: Any) -> None:
    for batch in _mixed_entries(org):
        access_log.write_entries(batch)
    with override_settings(ACCESS_LOG_OUTSIDE_UNIT_THRESHOLD=2):
        page = _client(org.admin).get("/pegawai/akses/laporan/").context["page_obj"].object_list
        api = api_as(org.admin).get("/api/v1/access-report/").json()
        unusual_page = _client(org.admin).get("/pegawai/akses/laporan/", {"unusual": "on"}).context["page_obj"]
        unusual_api = api_as(org.admin).get("/api/v1/access-report/", {"unusual": "true"}).json()["results"]
    figures = ("reads", "people", "outside", "exports", "night_exports", "unusual")
    assert [tuple(r[k] for k in figures) for r in page] == [tuple(r[k] for k in figures) for r in api["results"]]
    assert api["count"] == len(page) == 4
    assert {r["viewer"] for r in api["results"][:2]} == {"Kepala Dinkes", "Admin BKD"}  # the unusual first
    assert {r["viewer_employee__name"] for r in unusual_page.object_list} == {"Kepala Dinkes", "Admin BKD"}
    assert {r["viewer"] for r in unusual_api} == {"Kepala Dinkes", "Admin BKD"}

    exports = api_as(org.admin).get("/api/v1/access-report/exports/", {"page_size": 3}).json()
    assert len(exports["results"]) == 3
    assert exports["next"]
    rest = api_as(org.admin).get(exports["next"]).json()
    assert len(rest["results"]) == 1 and rest["next"] is None
    assert sum(x["off_hours"] for x in exports["results"] + rest["results"]) == 3
    assert all(x["viewer"] == "Admin BKD" and x["part"]["code"] == "direktori" for x in rest["results"])


def test_only_bkd_admins_of_the_agency_read_the_report_api(org: Any) -> None:
    assert api_as(org.head).get("/api/v1/access-report/").status_code == 403
    assert api_as(org.staff).get("/api/v1/access-report/exports/").status_code == 403
    foreign = api_as(org.foreign_admin).get("/api/v1/access-report/", {"agency": org.agency.pk})
    assert foreign.status_code == 404
    too_long = api_as(org.admin).get("/api/v1/access-report/", {"date_from": "2020-01-01", "date_to": "2021-01-01"})
    assert too_long.status_code == 400


def test_the_csv_download_of_the_report_is_audited(org: Any) -> None:
    from asn_portal.models import AuditEntry

    access_log.write_entries(_mixed_entries(org)[0])
    assert _client(org.admin).get("/pegawai/akses/laporan.csv", {"part": "profil"}).status_code == 200
    entry = AuditEntry.objects.get(action="access_report.export")
    assert entry.actor == org.admin.user and entry.agency_id == org.agency.pk
    assert entry.after["part"] == "profil" and entry.after["viewers"] == 1


def test_a_bkd_admin_reads_one_persons_log_entry_by_entry_through_the_api(
    org: Any, django_assert_max_num_queries: Any
) -> None:
    for batch in _mixed_entries(org):
        access_log.write_entries(batch)
    url = f"/api/v1/employees/{org.other_staff.pk}/access-log/"
    client = api_as(org.admin)
    # auth (user, roles) · the employee through the scoped selector · one page of entries with their viewers
    with django_assert_max_num_queries(8):
        first = client.get(url, {"page_size": 3})
    assert first.status_code == 200
    body = first.json()
    assert len(body["results"]) == 3 and body["next"]
    newest = body["results"][0]
    assert newest["viewer"] == "Admin BKD" and newest["part"]["code"] == "direktori"
    assert newest["purpose"]["code"] == "ekspor" and newest["export_id"]
    rest = client.get(body["next"]).json()
    seen = body["results"] + rest["results"]
    # The first page's own read of the log is an entry too ("log_akses", at the moment of the request). The test's
    # entries sit at fixed hours of Jakarta's today, so that read falls between them when the suite runs in
    # Jakarta's small hours (17:00-22:00 UTC) and shows on the second page: count the test's entries apart.
    records = [e for e in seen if e["part"]["code"] != "log_akses"]
    assert len(records) == RecordAccess.objects.filter(subject=org.other_staff).exclude(part="log_akses").count()
    assert len({(e["at"], e["part"]["code"], e["viewer"]) for e in records}) == len(records)
    assert any(e["viewer"] == "Kepala Dinkes" and e["outside_unit"] for e in seen)
    ats = [e["at"] for e in seen]
    assert ats == sorted(ats, reverse=True)
    # Reading the log is itself in the person's log, as a read of the log (supervision), not of the record.
    assert RecordAccess.objects.filter(
        subject=org.other_staff, viewer=org.admin.user, part="log_akses", purpose="pengawasan"
    ).exists()


def test_nobody_else_reads_a_persons_log_through_the_api(org: Any) -> None:
    url = f"/api/v1/employees/{org.staff.pk}/access-log/"
    assert api_as(org.head).get(url).status_code == 403  # sees the person, not their log
    assert api_as(org.staff2).get(url).status_code == 403
    assert api_as(org.foreign_admin).get(url).status_code == 404
    assert api_as(org.admin).get(f"/api/v1/employees/{org.foreign_staff.pk}/access-log/").status_code == 404


def test_the_api_is_in_the_openapi_schema(org: Any) -> None:
    schema = api_as(org.admin).get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200, schema.status_code
    paths = schema.json()["paths"] if schema["Content-Type"].startswith("application/json") else None
    text = schema.content.decode()
    for path in ("/api/v1/employees/{id}/access-log/", "/api/v1/access-report/", "/api/v1/access-report/exports/"):
        assert path in (paths or text)
    assert "unusual" in text and "cursor" in text


def test_the_report_costs_the_same_queries_however_many_rows_and_viewers(org: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def counts() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as page:
            assert _client(org.admin).get("/pegawai/akses/laporan/").status_code == 200
        with CaptureQueriesContext(connection) as api:
            assert api_as(org.admin).get("/api/v1/access-report/").status_code == 200
        return len(page), len(api)

    batches = _mixed_entries(org)
    access_log.write_entries(batches[0] + batches[3])  # one reader, one export
    counts()  # warm the per-process caches (roles, content types)
    few = counts()
    for _i in range(3):
        for batch in _mixed_entries(org):
            access_log.write_entries(batch)
    # page: session, user, roles, agency, report (roll-up), viewer labels, exports, menus …; API: no session
    assert counts() == few
    assert few[1] <= 8


def test_a_later_batch_of_the_same_day_updates_the_viewer_person_row_only_when_it_adds_something(org: Any) -> None:
    noon = _weekday_noon(0)
    access_log.write_entries([_entry(org.head, [org.staff], noon)])  # inside the head's unit
    access_log.write_entries([_entry(org.head, [org.staff], noon - dt.timedelta(days=2))])  # an older day
    row = AccessViewerSubject.objects.get(viewer_id=org.head.user_id, subject_id=org.staff.pk)
    assert (row.last_day, row.last_outside_day) == (noon.date(), None)
    # The same person, moved out of the head's units, read again the same day: now also read outside the unit.
    org.staff.unit = org.other_staff.unit
    org.staff.save(update_fields=["unit"])
    access_log.write_entries([_entry(org.head, [org.staff], noon)])
    row.refresh_from_db()
    assert (row.last_day, row.last_outside_day) == (noon.date(), noon.date())
    _assert_rollup_equals_live(org)
