"""Careers API: same services as the pages, scoped, private notes withheld, constant list queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from careers.choices import ReviewStatus
from careers.models import CareerPlan, MentoringSession
from tests.careers import factories as f
from tests.conftest import api_as
from tests.people.factories import EmployeeFactory, PositionFactory

pytestmark = pytest.mark.django_db


def test_session_log_confirm_and_feedback(org) -> None:
    head = api_as(org.head)
    payload = {
        "mentees": [org.staff.pk],
        "held_on": "2026-01-05",
        "duration_minutes": 60,
        "mode": "online",
        "kind": "dialogue",
        "topics": "Dialog kinerja",
        "private_notes": "RAHASIA",
        "action_items": [{"title": "Perbaiki laporan", "owner": org.staff.pk, "due_date": "2026-02-01"}],
    }
    r = head.post("/api/v1/mentoring-sessions/", payload, format="json")
    assert r.status_code == 201, r.json()
    sid = r.json()["id"]
    assert r.json()["private_notes"] == "RAHASIA"
    staff = api_as(org.staff)
    body = staff.get(f"/api/v1/mentoring-sessions/{sid}/").json()
    assert body["private_notes"] == ""
    assert "RAHASIA" not in str(staff.get("/api/v1/mentoring-sessions/").json())
    assert staff.post(f"/api/v1/mentoring-sessions/{sid}/confirm/").status_code == 200
    assert staff.post(f"/api/v1/mentoring-sessions/{sid}/confirm/").status_code == 409
    bad = staff.post(f"/api/v1/mentoring-sessions/{sid}/feedback/", {"answers": {"1": 4}}, format="json")
    assert bad.status_code == 400 and bad.json()["message"]
    ok = staff.post(
        f"/api/v1/mentoring-sessions/{sid}/feedback/", {"answers": {str(i): 3 for i in range(1, 10)}}, format="json"
    )
    assert ok.status_code == 200
    items = staff.get(f"/api/v1/mentoring-sessions/{sid}/action-items/").json()
    assert items[0]["owner"] == org.staff.pk


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"held_on": "2999-01-01"}, 400),
        ({"mentees": ["OTHER"]}, 403),
        ({"action_items": [{"title": "Tanpa pemilik", "due_date": "2026-02-01"}]}, 400),
    ],
)
def test_bad_session_input_via_api(org, change, status) -> None:
    payload = {
        "mentees": [org.staff.pk],
        "held_on": "2026-01-05",
        "duration_minutes": 60,
        "mode": "online",
        "kind": "coaching",
        "topics": "T",
        **change,
    }
    if payload["mentees"] == ["OTHER"]:
        payload["mentees"] = [org.other_staff.pk]
    r = api_as(org.head).post("/api/v1/mentoring-sessions/", payload, format="json")
    assert r.status_code == status
    assert set(r.json()) == {"message", "extra"}
    assert not MentoringSession.objects.exists()


def test_plan_for_another_person_is_refused_via_api(org) -> None:
    r = api_as(org.head).post("/api/v1/career-plans/", {"employee": org.staff.pk, "target_family": "X"}, format="json")
    assert r.status_code == 403
    assert not CareerPlan.objects.exists()
    r = api_as(org.staff).post("/api/v1/career-plans/", {"employee": org.staff.pk, "target_family": "X"}, format="json")
    assert r.status_code == 201
    pid = r.json()["id"]
    r = api_as(org.staff).post(
        f"/api/v1/career-plans/{pid}/actions/",
        {"kind": "training", "title": "Diklat", "due_date": "2026-12-01"},
        format="json",
    )
    assert r.status_code == 201
    assert api_as(org.staff).post(f"/api/v1/career-plans/{pid}/submit/").status_code == 200
    r = api_as(org.head).post(f"/api/v1/career-plans/{pid}/review/", {"agree": True, "comment": "OK"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "agreed"
    assert api_as(org.other_staff).get(f"/api/v1/career-plans/{pid}/").status_code == 404
    assert api_as(org.foreign_admin).get(f"/api/v1/career-plans/{pid}/").status_code == 404


def test_placement_override_without_reason_via_api(org, django_capture_on_commit_callbacks) -> None:
    review = f.review(org.agency.pk)
    p = f.placement(review, org.staff, 5)
    client = api_as(org.admin)
    url = f"/api/v1/talent-reviews/{review.pk}/placements/{p.pk}/override/"
    r = client.post(url, {"box": 8, "reason": ""}, format="json")
    assert r.status_code == 400 and "Alasan" in r.json()["message"]
    with django_capture_on_commit_callbacks(execute=True):  # the grid reads summary rows refreshed after commit
        assert client.post(url, {"box": 8, "reason": "Komite"}, format="json").status_code == 200
    grid = client.get(f"/api/v1/talent-reviews/{review.pk}/grid/").json()
    assert grid["8"]["count"] == 1
    assert api_as(org.foreign_admin).get(f"/api/v1/talent-reviews/{review.pk}/").status_code == 404
    assert api_as(org.staff).get(f"/api/v1/talent-reviews/{review.pk}/").status_code == 404
    assert client.post(f"/api/v1/talent-reviews/{review.pk}/publish/").status_code == 200
    own = api_as(org.staff).get(f"/api/v1/talent-reviews/{review.pk}/placements/").json()
    assert [r["employee"] for r in own["results"]] == [org.staff.pk]
    assert "Dipertahankan" in own["results"][0]["recommendation"]


def test_timeline_and_succession_endpoints(org) -> None:
    f.session(org.head, [org.staff], held_on=dt.date(2026, 1, 3))
    body = api_as(org.head).get(f"/api/v1/employees/{org.staff.pk}/timeline/").json()
    assert any(e["kind"] == "bimbingan" for e in body["events"])
    assert api_as(org.foreign_admin).get(f"/api/v1/employees/{org.staff.pk}/timeline/").status_code == 404
    review = f.review(org.agency.pk, status=ReviewStatus.PUBLISHED)
    f.placement(review, org.staff, 9)
    r = api_as(org.admin).get("/api/v1/succession/", {"position": org.head.position.pk})
    assert r.status_code == 200
    assert [c["employee"] for c in r.json()["candidates"]] == [org.staff.pk]
    assert api_as(org.staff).get("/api/v1/succession/", {"position": org.head.position.pk}).status_code == 404


def test_timeline_api_costs_the_same_for_2_and_50_sessions(org) -> None:
    client = api_as(org.head)
    url = f"/api/v1/employees/{org.staff.pk}/timeline/"

    def count() -> int:
        with CaptureQueriesContext(connection) as q:
            assert client.get(url).status_code == 200
        return len(q.captured_queries)

    for _ in range(2):
        f.session(org.head, [org.staff])
    count()  # the first request also reads the scope, which the test client's user object then keeps
    small = count()
    for _ in range(48):
        f.session(org.head, [org.staff])
    # 1 the visible employee (the visibility condition compiled once per scope), 2 position and rank history, 3 the
    # timeline's own rows with the learning records, promotion proposals and predikat the training, promotion and
    # performance sources registered (one round trip, rows_together); the next-rank estimate: 4 rank facts, 5-8
    # rank table, education caps, credit thresholds, rule-set version (read once per process outside a
    # transaction: promotions.reference); 9 the access log's insert (Redis in production). (A real request also
    # reads the user's scope: one more query, which the test client's user object keeps after the first request.)
    assert count() == small == 9


def test_follow_up_decide_via_api(org) -> None:
    from careers.followups import services as followup_services

    f.predikat(org.staff, 2025, "sangat_kurang")
    followup_services.follow_ups_draft(agency_id=org.agency.pk, year=2025)
    items = api_as(org.head).get("/api/v1/appraisal-follow-ups/", {"year": 2025}).json()["results"]
    assert [i["kind"] for i in items] == ["coaching"]
    url = f"/api/v1/appraisal-follow-ups/{items[0]['id']}/decide/"
    assert api_as(org.head).post(url, {"decision": "cancelled"}, format="json").status_code == 400
    assert api_as(org.head).post(url, {"decision": "confirmed"}, format="json").json()["status"] == "confirmed"


def count(user, url) -> int:
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_login(user)  # a fresh user object per request, as in production
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_session_and_plan_lists_cost_the_same_for_2_and_50(org) -> None:
    client = org.head.user
    pos = PositionFactory(unit=org.dinas, headcount=60)
    people: list = [EmployeeFactory(unit=org.dinas, position=pos) for _ in range(50)]
    for e in people[:2]:
        f.session(org.head, [e])
        f.plan(e)
    small = (count(client, "/api/v1/mentoring-sessions/"), count(client, "/api/v1/career-plans/"))
    for e in people[2:]:
        f.session(org.head, [e])
        f.plan(e)
    # sessions: 1 session, 2 user, 3 scope (agency roles, own employee, headed units: one query), 4 keyset
    # page of sessions with coach (no COUNT), 5 prefetched mentees with their employees. Plans: 1-3, 4 keyset
    # page of plans with employee, unit, position and the action counts annotated (no earlier versions in list
    # rows). Both: then the access log's insert (Redis in production).
    assert (count(client, "/api/v1/mentoring-sessions/"), count(client, "/api/v1/career-plans/")) == small == (6, 5)
    # ?expand=versions: 5 the earlier agreed versions of the page's plans (prefetched), 6 the access log
    assert count(client, "/api/v1/career-plans/?expand=versions") == 6


def test_session_list_query_budget(org, django_assert_num_queries) -> None:
    from rest_framework.test import APIClient

    for _ in range(3):
        f.session(org.head, [org.staff])
    client = APIClient()
    client.force_login(org.head.user)
    # session, user, scope (agency roles, employee and headed units in one query), keyset page rows with
    # coach (no COUNT), prefetched participants with their employees, the access log's insert (Redis in
    # production).
    with django_assert_num_queries(6):
        assert client.get("/api/v1/mentoring-sessions/").status_code == 200


def test_plan_list_rows_leave_out_versions_unless_expanded(org) -> None:
    from careers.models import CareerPlanVersion

    plan = f.plan(org.staff, version=2)
    CareerPlanVersion.objects.create(plan=plan, version=1, agreed_by=org.head, snapshot={"actions": [{"t": 1}]})
    api = api_as(org.head)
    row = api.get("/api/v1/career-plans/").json()["results"][0]
    assert row["id"] == plan.pk and "versions" not in row and row["version"] == 2
    row = api.get("/api/v1/career-plans/", {"expand": "versions"}).json()["results"][0]
    assert row["versions"] == [{"version": 1, "agreed_by": org.head.pk, "agreed_on": None, "reason": "", "actions": 1}]
    assert api.get(f"/api/v1/career-plans/{plan.pk}/").json()["versions"][0]["actions"] == 1


def test_placements_are_keyset_pages_that_list_every_visible_placement_once(org) -> None:
    review = f.review(org.agency.pk, status=ReviewStatus.PUBLISHED)
    pos = PositionFactory(unit=org.dinas, headcount=60)
    placed = [EmployeeFactory(unit=org.dinas, position=pos) for _ in range(7)] + [org.staff, org.other_staff]
    for i, e in enumerate(placed):
        f.placement(review, e, 1 + i % 9)
    f.placement(f.review(org.foreign_admin.agency_id), org.foreign_staff, 9)  # another agency's review
    client, seen = api_as(org.admin), []
    url: str | None = f"/api/v1/talent-reviews/{review.pk}/placements/?page_size=4"
    with CaptureQueriesContext(connection) as ctx:
        while url:
            body = client.get(url).json()
            assert "count" not in body and len(body["results"]) <= 4
            seen += [r["employee"] for r in body["results"]]
            url = body["next"]
    assert sorted(seen) == sorted(e.pk for e in placed)  # each once, none of another agency
    assert not any("COUNT(" in q["sql"] and "careers_talentplacement" in q["sql"] for q in ctx.captured_queries)
    boxed = client.get(f"/api/v1/talent-reviews/{review.pk}/placements/?box=9").json()
    assert [r["employee"] for r in boxed["results"]] == [placed[8].pk]
