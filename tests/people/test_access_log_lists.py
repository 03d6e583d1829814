"""Who saw my record (issue #16) on list pages: a list showing other people's rows records one entry per person
shown (part = what the list shows), none for the viewer themself; a staff member's own list records nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from people.choices import AccessPart
from people.models import RecordAccess

pytestmark = pytest.mark.django_db


def _client(emp: Any) -> Client:
    c = Client()
    c.force_login(emp.user)
    return c


def _read(viewer: Any, url: str, status: int = 200) -> dict[int, set[str]]:
    """GET the page as `viewer`; the people it recorded, each with the parts recorded for them."""
    RecordAccess.objects.all().delete()
    assert _client(viewer).get(url).status_code == status, url
    out: dict[int, set[str]] = {}
    for subject, part in RecordAccess.objects.filter(viewer=viewer.user).values_list("subject_id", "part"):
        out.setdefault(subject, set()).add(part)
    return out


def test_skp_list_and_inbox_record_each_team_member_shown(org: Any) -> None:
    from performance.choices import PlanStatus
    from tests.performance import factories as pf

    for emp in (org.staff, org.staff2, org.bidang_staff, org.head, org.other_staff):
        pf.plan(emp, status=PlanStatus.SUBMITTED)
    listed = _read(org.head, "/kinerja/daftar/")
    assert listed == {e.pk: {AccessPart.SKP} for e in (org.staff, org.staff2, org.bidang_staff)}
    row = RecordAccess.objects.get(subject=org.staff)
    assert (row.via, row.viewer_employee_id, row.purpose) == ("performance:plan-list", org.head.pk, "kinerja")
    # The head appraises the two staff of Dinas Kesehatan (the bidang head appraises their own staff).
    assert _read(org.head, "/kinerja/kotak-masuk/") == {e.pk: {AccessPart.SKP} for e in (org.staff, org.staff2)}
    assert _read(org.staff, "/kinerja/kotak-masuk/") == {}
    assert _read(org.staff, "/kinerja/daftar/", status=403) == {}


def test_career_plan_and_mentoring_lists_record_the_people_shown(org: Any) -> None:
    from tests.careers import factories as cf

    for emp in (org.staff, org.staff2, org.head, org.other_staff):
        cf.plan(emp)
    cf.session(org.head, [org.staff], topics="Dialog triwulan")
    cf.session(org.head, [org.staff2, org.bidang_staff], topics="Sesi kelompok")
    cf.session(org.bidang_head, [org.bidang_staff], topics="Sesi bidang")
    assert _read(org.head, "/karier/rencana/") == {e.pk: {AccessPart.CAREER_PLAN} for e in (org.staff, org.staff2)}
    sessions = _read(org.head, "/karier/bimbingan/")
    assert sessions == {e.pk: {AccessPart.MENTORING} for e in (org.staff, org.staff2, org.bidang_staff)}
    # Staf Bidang is in two sessions of the page: one entry for them.
    assert RecordAccess.objects.filter(subject=org.bidang_staff).count() == 1
    team = _read(org.head, "/karier/tim/")
    assert {org.staff.pk, org.staff2.pk, org.bidang_staff.pk} <= set(team) and org.head.pk not in team
    # The BKD admin's list of who in a unit was not mentored lately.
    cadence = _read(org.admin, f"/karier/bimbingan/kadens/?unit={org.dinas.pk}")
    assert org.head.pk in cadence and org.admin.pk not in cadence
    assert set().union(*cadence.values()) == {AccessPart.MENTORING}
    # The staff member's own plan and own (one-to-one) session: nothing.
    assert _read(org.staff, "/karier/rencana/") == {}
    assert _read(org.staff, "/karier/bimbingan/") == {}


def test_competency_heatmap_records_the_team_not_the_head(org: Any) -> None:
    from tests.competencies.factories import record, set_standard

    comps = set_standard(org.staff.position, [2, 3])
    record(org.staff, {comps[0].pk: 2})
    heat = _read(org.head, "/kompetensi/tim/")
    assert {org.staff.pk, org.staff2.pk, org.bidang_staff.pk} <= set(heat)
    assert org.head.pk not in heat and org.other_staff.pk not in heat
    assert set().union(*heat.values()) == {AccessPart.COMPETENCY}
    assert _read(org.staff, "/kompetensi/tim/", status=403) == {}


@pytest.fixture
def kp(org: Any) -> Iterator[Any]:
    """The December 2026 rank-promotion queue, built inside its submission window."""
    from promotions.queue import services as queue_services
    from tests.promotions.factories import give_predikat, period, set_rank

    with time_machine.travel(dt.datetime(2026, 11, 13, 9, 0, tzinfo=dt.UTC), tick=True):
        for head in (org.head, org.bidang_head, org.other_head):
            set_rank(head, "IV/a", dt.date(2018, 4, 1))
        give_predikat([org.staff, org.staff2, org.bidang_staff, org.other_staff], [2024, 2025])
        dec = period(dt.date(2026, 12, 1))
        queue_services.queue_build(period=dec, agency_id=org.agency.pk, actor=None)
        yield dec


def test_kp_queue_and_proposal_list_record_the_people_shown(org: Any, kp: Any) -> None:
    from promotions.models import QueueEntry
    from promotions.proposals import services as proposal_services

    queued = set(
        QueueEntry.objects.filter(period=kp, employee__unit__path__startswith=org.dinas.path).values_list(
            "employee_id", flat=True
        )
    )
    assert org.staff.pk in queued
    queue = _read(org.head, f"/kenaikan-pangkat/periode/{kp.pk}/")
    assert queue == {pk: {AccessPart.PROMOTION} for pk in queued - {org.head.pk}}
    proposal_services.proposal_create(employee=org.staff, period=kp, actor=org.admin.user)
    assert _read(org.head, "/kenaikan-pangkat/usulan/") == {org.staff.pk: {AccessPart.PROMOTION}}
    assert _read(org.admin, "/kenaikan-pangkat/usulan/") == {org.staff.pk: {AccessPart.PROMOTION}}
    # The staff member's own proposal: nothing.
    assert _read(org.staff, "/kenaikan-pangkat/usulan/") == {}


def test_other_lists_of_peoples_rows_record_them_too(org: Any) -> None:
    """Pages found beyond the issue's list: talent pool, succession candidates, appraisal follow-ups,
    competency assessments, an offering's participants, external learning to verify."""
    from careers.choices import ReviewStatus
    from careers.followups import services as followup_services
    from tests.careers import factories as cf
    from tests.competencies.factories import national, record
    from tests.training.factories import OfferingFactory, enrolled

    review = cf.review(org.agency.pk, status=ReviewStatus.PUBLISHED)
    cf.placement(review, org.staff, 9)
    cf.placement(review, org.staff2, 8)
    cf.placement(review, org.head, 9)
    from asn_portal import summaries

    summaries.refresh_all([org.agency.pk])  # the factories write placements directly, as no service would
    pool = _read(org.head, f"/karier/talenta/{review.pk}/pool/")
    assert pool == {e.pk: {AccessPart.TALENT} for e in (org.staff, org.staff2)}
    succession = _read(org.admin, f"/karier/suksesi/{org.other_head.position.pk}/")
    assert succession == {e.pk: {AccessPart.TALENT} for e in (org.staff, org.staff2, org.head)}

    cf.predikat(org.staff, 2025, "sangat_kurang")
    followup_services.follow_ups_draft(agency_id=org.agency.pk, year=2025)
    assert _read(org.head, "/karier/tindak-lanjut/?tahun=2025") == {org.staff.pk: {AccessPart.CAREER_PLAN}}
    assert _read(org.staff, "/karier/tindak-lanjut/?tahun=2025") == {}

    comps = national()
    record(org.staff, {comps[0].pk: 2})
    record(org.other_staff, {comps[0].pk: 3})
    assessed = _read(org.admin, "/kompetensi/asesmen/")
    assert assessed == {e.pk: {AccessPart.COMPETENCY} for e in (org.staff, org.other_staff)}

    offering = OfferingFactory(course__agency=org.agency, capacity=10)
    for emp in (org.staff, org.bidang_staff, org.other_staff, org.head):
        enrolled(offering, emp)
    participants = _read(org.admin, f"/pelatihan/angkatan/{offering.pk}/")
    assert participants == {
        e.pk: {AccessPart.TRAINING} for e in (org.staff, org.bidang_staff, org.other_staff, org.head)
    }
    team = _read(org.head, f"/pelatihan/angkatan/{offering.pk}/")
    assert team == {e.pk: {AccessPart.TRAINING} for e in (org.staff, org.bidang_staff)}
    assert _read(org.staff, f"/pelatihan/angkatan/{offering.pk}/") == {}

    from training.external import services as external_services

    for emp in (org.staff, org.other_staff):
        external_services.external_learning_record(
            employee=emp,
            title="Webinar USU",
            fmt="e_learning",
            provider="USU",
            on_date=timezone.localdate(),
            hours=Decimal("6"),
            certificate_number="USU/1",
            actor=emp.user,
        )
    to_verify = _read(org.admin, "/pelatihan/verifikasi/")
    assert to_verify == {e.pk: {AccessPart.TRAINING} for e in (org.staff, org.other_staff)}


def test_with_redis_a_list_page_is_one_push_and_no_query(org: Any) -> None:
    """The production path: the page's entries leave in one RPUSH after the response; the page itself asks the
    database nothing more than without logging (the direct insert of the tests is the one extra query)."""
    import json
    import os

    import redis
    from django.db import connection
    from django.test import override_settings
    from django.test.utils import CaptureQueriesContext

    from people import access_log
    from performance.choices import PlanStatus
    from tests.performance import factories as pf

    for emp in (org.staff, org.staff2, org.bidang_staff):
        pf.plan(emp, status=PlanStatus.SUBMITTED)
    client = _client(org.head)

    def count(**settings: Any) -> int:
        with override_settings(**settings), CaptureQueriesContext(connection) as ctx:
            assert client.get("/kinerja/daftar/").status_code == 200
        return len(ctx.captured_queries)

    count()  # warm up (session, content types)
    off = count(ACCESS_LOG_ENABLED=False)
    direct = count()
    url = os.environ.get("CELERY_TEST_BROKER_URL", "redis://127.0.0.1:6379/5")
    r = redis.Redis.from_url(url)
    r.delete(access_log.REDIS_KEY)
    try:
        RecordAccess.objects.all().delete()
        assert count(ACCESS_LOG_REDIS_URL=url) == off == direct - 1
        assert r.llen(access_log.REDIS_KEY) == 1 and not RecordAccess.objects.exists()
        (entry,) = json.loads(r.lindex(access_log.REDIS_KEY, 0))
        assert sorted(s for s, _agency in entry["s"]) == sorted([org.staff.pk, org.staff2.pk, org.bidang_staff.pk])
    finally:
        r.delete(access_log.REDIS_KEY)


def test_api_talent_placements_and_succession_record_the_people_returned(org: Any) -> None:
    from careers.choices import ReviewStatus
    from tests.careers import factories as cf
    from tests.conftest import api_as

    review = cf.review(org.agency.pk, status=ReviewStatus.PUBLISHED)
    for emp, box in ((org.staff, 9), (org.staff2, 5), (org.head, 8)):
        cf.placement(review, emp, box)
    RecordAccess.objects.all().delete()
    r = api_as(org.head).get(f"/api/v1/talent-reviews/{review.pk}/placements/")
    assert r.status_code == 200
    assert set(RecordAccess.objects.values_list("subject_id", "part", "via")) == {
        (e.pk, AccessPart.TALENT, "api:talent-review-placements") for e in (org.staff, org.staff2)
    }
    RecordAccess.objects.all().delete()
    assert api_as(org.staff).get(f"/api/v1/talent-reviews/{review.pk}/placements/").status_code == 200
    assert not RecordAccess.objects.exists()  # their own placement only
    r = api_as(org.admin).get("/api/v1/succession/", {"position": org.other_head.position.pk})
    assert {c["employee"] for c in r.json()["candidates"]} == {org.staff.pk, org.head.pk}
    assert set(RecordAccess.objects.values_list("subject_id", "part")) == {
        (org.staff.pk, AccessPart.TALENT),
        (org.head.pk, AccessPart.TALENT),
    }
