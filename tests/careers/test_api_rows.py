"""The careers API lists build flat rows from values() (careers.api.rows): each row must equal what the list's
serializer gives for the same object (dates, times and decimals included, nulls, private notes per author)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from careers.api import serializers as s
from careers.choices import ActionStatus, FollowUpKind, ReviewStatus
from careers.models import AppraisalFollowUp, DevelopmentAction, MentoringSession, TalentPlacement
from careers.plans.selectors import plan_list_visible_to
from tests.careers import factories as f
from tests.conftest import api_as

pytestmark = pytest.mark.django_db


def as_json(data: Any) -> Any:
    return json.loads(JSONRenderer().render(data))


def by_id(rows: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    return {r["id"]: r for r in rows}


def test_plan_rows_equal_the_row_serializer(org) -> None:
    agreed = f.plan(
        org.staff,
        version=3,
        horizon_years=4,
        aspiration="Menjadi analis ahli madya",
        submitted_at=timezone.now() - dt.timedelta(days=3, microseconds=123),
        agreed_by=org.head,
        agreed_on=dt.date(2026, 2, 3),
        next_review_on=dt.date(2026, 8, 3),
        head_comment="Setuju",
    )
    for st in (ActionStatus.DONE, ActionStatus.DONE, ActionStatus.CANCELLED, ActionStatus.PLANNED):
        due = dt.date(2026, 5, 1)
        DevelopmentAction.objects.create(plan=agreed, kind="training", title="K", due_date=due, status=st)
    bare = f.plan(org.other_staff)  # no actions, nulls everywhere
    rows = by_id(api_as(org.admin).get("/api/v1/career-plans/").json()["results"])
    objs = plan_list_visible_to(user=org.admin.user).filter(pk__in=[agreed.pk, bare.pk]).order_by("pk")
    expected = as_json(s.CareerPlanRowSerializer(objs, many=True).data)
    assert [rows[e["id"]] for e in expected] == expected
    assert list(rows[agreed.pk]) == list(expected[0])  # the same field order
    assert rows[agreed.pk]["progress"] == 67 and rows[bare.pk]["progress"] == 0


def test_session_rows_equal_the_serializer_and_keep_private_notes_to_their_author(org) -> None:
    one = f.session(org.head, [org.staff, org.other_staff], held_on=dt.date(2026, 3, 4), private_notes="RAHASIA")
    two = f.session(org.head, [org.staff], held_on=dt.date(2026, 3, 9), shared_notes="")
    part = one.participants.get(employee=org.staff)
    part.confirmed_at, part.jp_credited = timezone.now(), Decimal("1.5")
    part.save()
    for who in (org.head, org.admin):
        got = by_id(api_as(who).get("/api/v1/mentoring-sessions/").json()["results"])
        objs = MentoringSession.objects.filter(pk__in=[one.pk, two.pk]).order_by("-held_on", "-pk")
        ctx = {"request": SimpleNamespace(user=who.user)}
        expected = as_json(s.MentoringSessionSerializer(objs, many=True, context=ctx).data)
        for e in expected:
            e["participants"].sort(key=lambda p: p["employee"])
            got[e["id"]]["participants"].sort(key=lambda p: p["employee"])
        assert [got[e["id"]] for e in expected] == expected
        assert got[one.pk]["private_notes"] == ("RAHASIA" if who is org.head else "")
    assert "RAHASIA" not in str(api_as(org.staff).get("/api/v1/mentoring-sessions/").json())


def test_placement_rows_equal_the_serializer(org) -> None:
    review = f.review(org.agency.pk, status=ReviewStatus.PUBLISHED)
    a = f.placement(review, org.staff, 9)
    b = f.placement(review, org.other_staff, 4)
    TalentPlacement.objects.filter(pk=b.pk).update(
        performance_score=Decimal("71.25"), box=5, override_reason="Kalibrasi", position=None
    )
    got = by_id(api_as(org.admin).get(f"/api/v1/talent-reviews/{review.pk}/placements/").json()["results"])
    objs = TalentPlacement.objects.filter(pk__in=[a.pk, b.pk]).order_by("pk")
    expected = as_json(s.TalentPlacementSerializer(objs, many=True).data)
    assert [got[e["id"]] for e in expected] == expected
    assert got[b.pk]["recommendation"] and got[b.pk]["performance_score"] == expected[1]["performance_score"]


def test_follow_up_rows_equal_the_serializer(org) -> None:
    common = {"agency_id": org.agency.pk, "year": 2025, "predikat": "Sangat Baik"}
    done = AppraisalFollowUp.objects.create(
        **common,
        unit=org.staff.unit,
        employee=org.staff,
        kind=FollowUpKind.DEVELOPMENT,
        opportunity="leadership_course",
        sessions_planned=2,
        status="done",
        head_reason="Setuju",
        decided_at=timezone.now(),
        done_on=dt.date(2026, 4, 2),
    )
    plain = AppraisalFollowUp.objects.create(
        **common, unit=org.other_staff.unit, employee=org.other_staff, kind=FollowUpKind.COACHING
    )
    got = by_id(api_as(org.admin).get("/api/v1/appraisal-follow-ups/").json()["results"])
    objs = AppraisalFollowUp.objects.filter(pk__in=[done.pk, plain.pk]).order_by("pk")
    expected = as_json(s.FollowUpSerializer(objs, many=True).data)
    assert [got[e["id"]] for e in expected] == expected
    assert got[plain.pk]["opportunity"] == "" and got[plain.pk]["decided_at"] is None


def test_participant_rows_equal_the_orm_in_id_order_and_read_nothing_for_no_sessions(org) -> None:
    """`participant_rows` runs one statement compiled once per process (the ids as one array parameter): the same
    rows as the ORM's `session_id__in` read, for any number of sessions, and no query for none."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from careers.mentoring.selectors import participant_rows
    from careers.models import SessionMentee

    one = f.session(org.head, [org.staff2, org.staff, org.other_staff])
    two = f.session(org.head, [org.bidang_staff])
    three = f.session(org.admin, [org.staff])
    part = one.participants.get(employee=org.staff)
    part.confirmed_at, part.jp_credited = timezone.now(), Decimal("1.5")
    part.save()
    keys = ["employee", "employee__name", "confirmed_at", "feedback_at", "jp_credited"]
    for ids in ([one.pk], [one.pk, three.pk], [two.pk, one.pk, three.pk, -1]):
        expected: dict[int, list[dict[str, Any]]] = {}
        for row in SessionMentee.objects.filter(session_id__in=ids).values("session_id", *keys).order_by("pk"):
            expected.setdefault(row["session_id"], []).append(row)
        assert participant_rows(ids, keys) == expected
    assert participant_rows([one.pk], keys)[one.pk][1]["confirmed_at"] == part.confirmed_at
    with CaptureQueriesContext(connection) as ctx:
        assert participant_rows([], keys) == {}
    assert ctx.captured_queries == []
