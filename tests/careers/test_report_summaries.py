"""Plan coverage, mentoring cadence and follow-up summary rows equal the live computation after every kind of
change made through the services (each change's refresh runs after its commit, as in production); the pages
read them in a constant number of queries and say when they were computed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import Q
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from asn_portal import summaries
from careers import summaries as careers_summaries
from careers.choices import ActionStatus, FollowUpStatus
from careers.followups import selectors as followup_selectors
from careers.followups import services as followup_services
from careers.mentoring import selectors as mentoring_selectors
from careers.mentoring import services as mentoring_services
from careers.models import AppraisalFollowUp, SessionMentee
from careers.plans import selectors as plan_selectors
from careers.plans import services as plan_services
from people import services as people_services
from people.choices import EmployeeStatus
from tests.careers import factories as f
from tests.people.factories import EmployeeFactory, OrgUnitFactory

pytestmark = pytest.mark.django_db


def client_for(employee: Any) -> Client:
    c = Client()
    c.force_login(employee.user)
    return c


@pytest.fixture
def committed(org: Any, django_capture_on_commit_callbacks: Any) -> Iterator[Callable[..., Any]]:
    """Run a change and its after-commit work (the outbox sends the refresh; Celery is eager in tests)."""
    summaries.refresh_all([org.agency.pk, org.other_agency.pk])

    def run(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    yield run


def coverage(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [(r["unit"].pk, r["staff"], r["plans"], r["agreed"], r["coverage"], r["progress"]) for r in rows]


def cadence(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [(r["unit"].pk, r["staff"], r["met"], r["not_met"], r["percent"]) for r in rows]


def assert_all_live(agency_id: int) -> None:
    # the BKD admin's home card: the agency's plans not archived, kept with the coverage rows
    assert careers_summaries.active_plans([agency_id]) == careers_summaries.active_plans_live(
        Q(employee__agency_id=agency_id)
    )
    assert coverage(plan_selectors.plan_coverage_by_unit(agency_id=agency_id)) == coverage(
        plan_selectors.plan_coverage_by_unit_live(agency_id=agency_id)
    )
    today = timezone.localdate()
    for days in (7, 30, 90, 365):
        assert cadence(mentoring_selectors.cadence_by_unit(agency_id=agency_id, today=today, days=days)) == cadence(
            mentoring_selectors.cadence_by_unit_live(agency_id=agency_id, today=today, days=days)
        ), days
    for year in (2024, 2025):
        assert followup_selectors.follow_up_progress_by_unit(
            agency_id=agency_id, year=year
        ) == followup_selectors.follow_up_progress_by_unit_live(agency_id=agency_id, year=year)


def test_plan_coverage_follows_plans_actions_and_reviews(org: Any, committed: Callable[..., Any]) -> None:
    due = timezone.localdate() + dt.timedelta(days=60)
    plan = committed(plan_services.plan_create, employee=org.staff, target_family="Analis", actor=org.staff.user)
    assert_all_live(org.agency.pk)
    action = committed(
        plan_services.action_add, plan=plan, kind="training", title="Diklat", due_date=due, actor=org.staff.user
    )
    committed(plan_services.action_add, plan=plan, kind="training", title="Magang", due_date=due, actor=org.staff.user)
    assert_all_live(org.agency.pk)
    committed(plan_services.action_set_status, action=action, status=ActionStatus.DONE, actor=org.staff.user)
    committed(plan_services.plan_submit, plan=plan, actor=org.staff.user)
    committed(plan_services.plan_review, plan=plan, agree=True, comment="Setuju", actor=org.head.user)
    row = next(r for r in plan_selectors.plan_coverage_by_unit(agency_id=org.agency.pk) if r["unit"] == org.dinas)
    assert (row["plans"], row["agreed"], row["progress"]) == (1, 1, 50)
    assert_all_live(org.agency.pk)
    plan.refresh_from_db()
    committed(plan_services.action_add, plan=plan, kind="training", title="Seminar", due_date=due, actor=org.staff.user)
    row = next(r for r in plan_selectors.plan_coverage_by_unit(agency_id=org.agency.pk) if r["unit"] == org.dinas)
    assert row["agreed"] == 0  # changing an agreed plan opens a new version the head must agree again
    assert_all_live(org.agency.pk)


def test_cadence_follows_sessions_confirmations_and_moves(org: Any, committed: Callable[..., Any]) -> None:
    today = timezone.localdate()
    session = committed(
        mentoring_services.session_log,
        actor=org.head.user,
        mentee_ids=[org.staff.pk, org.staff2.pk],
        held_on=today - dt.timedelta(days=20),
        duration_minutes=60,
        mode="in_person",
        kind="coaching",
        topics="Capaian RHK",
    )
    row = next(
        r
        for r in mentoring_selectors.cadence_by_unit(agency_id=org.agency.pk, today=today, days=30)
        if r["unit"] == org.dinas
    )
    assert row["met"] == 2
    assert_all_live(org.agency.pk)
    committed(mentoring_services.session_confirm, session=session, actor=org.staff.user)
    assert SessionMentee.objects.filter(session=session, confirmed_at__isnull=False).count() == 1
    assert_all_live(org.agency.pk)
    # a member moves to another unit, another leaves the active staff
    committed(people_services.employee_update, employee=org.staff, data={"unit": org.other_dinas}, actor=org.admin.user)
    assert_all_live(org.agency.pk)
    committed(
        people_services.employee_update,
        employee=org.staff2,
        data={"status": EmployeeStatus.RETIRED},
        actor=org.admin.user,
    )
    assert_all_live(org.agency.pk)
    assert_all_live(org.other_agency.pk)


def test_follow_ups_follow_draft_decisions_and_done(org: Any, committed: Callable[..., Any]) -> None:
    f.predikat(org.staff, 2025, "kurang")
    f.predikat(org.staff2, 2025, "sangat_baik")
    f.predikat(org.other_staff, 2025, "butuh_perbaikan")
    committed(followup_services.follow_ups_draft, agency_id=org.agency.pk, year=2025)
    assert followup_selectors.follow_up_progress_by_unit(agency_id=org.agency.pk, year=2025)
    assert_all_live(org.agency.pk)
    item = AppraisalFollowUp.objects.filter(employee=org.staff).first()
    assert item is not None
    committed(
        followup_services.follow_up_decide, item=item, decision=FollowUpStatus.CONFIRMED, reason="", actor=org.head.user
    )
    assert_all_live(org.agency.pk)  # the coaching sessions written into the career plan count in its coverage
    committed(followup_services.follow_up_mark_done, item=item, actor=org.admin.user)
    other = AppraisalFollowUp.objects.filter(employee=org.other_staff).first()
    assert other is not None
    committed(
        followup_services.follow_up_decide,
        item=other,
        decision=FollowUpStatus.CANCELLED,
        reason="Pindah tugas",
        actor=org.other_head.user,
    )
    progress = {
        r["unit__name"]: r for r in followup_selectors.follow_up_progress_by_unit(agency_id=org.agency.pk, year=2025)
    }
    assert progress["Dinas Kesehatan"]["done"] == 1 and progress["Dinas Pendidikan"]["cancelled"] == 1
    assert_all_live(org.agency.pk)


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("/karier/rencana/", careers_summaries.PLAN_COVERAGE),
        ("/karier/bimbingan/kadens/", careers_summaries.MENTORING_CADENCE),
        ("/karier/tindak-lanjut/?tahun=2025", careers_summaries.FOLLOW_UPS),
    ],
)
def test_pages_read_the_summary_in_constant_queries_and_say_when(
    org: Any, committed: Callable[..., Any], url: str, kind: str
) -> None:
    f.session(org.head, [org.staff], held_on=timezone.localdate() - dt.timedelta(days=3))
    f.plan(org.staff)
    f.predikat(org.staff, 2025, "kurang")
    followup_services.follow_ups_draft(agency_id=org.agency.pk, year=2025)
    summaries.refresh_all([org.agency.pk])
    c = client_for(org.admin)
    c.get(url)
    cache.clear()  # the per-unit table is rendered once per computation: measure a first rendering
    with CaptureQueriesContext(connection) as small:
        r = c.get(url)
    assert r.context["computed_at"] == summaries.computed_at(kind, org.agency.pk) is not None
    assert "Data dihitung pada" in r.content.decode()
    assert "Badan 5" not in r.content.decode()
    for i in range(6):
        unit = OrgUnitFactory(agency=org.agency, name=f"Badan {i}")
        staff = EmployeeFactory.create_batch(3, unit=unit)
        f.session(org.head, staff, held_on=timezone.localdate() - dt.timedelta(days=3))
        f.plan(staff[0])
        f.predikat(staff[1], 2025, "kurang")
    followup_services.follow_ups_draft(agency_id=org.agency.pk, year=2025)
    summaries.refresh_all([org.agency.pk])
    # A new computation is a new cache key: the table is rendered afresh and shows the new units.
    with CaptureQueriesContext(connection) as large:
        r = c.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)
    assert "Badan 5" in r.content.decode()
    # The same computation seen again: the table comes from the cache (its summary query is not run).
    with CaptureQueriesContext(connection) as again:
        cached = c.get(url)
    assert len(again.captured_queries) == len(small.captured_queries) - 1
    assert "Badan 5" in cached.content.decode()
