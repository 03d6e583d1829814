"""Karier Saya's reads compiled once per process (issue #13) give what the ORM and the visibility selectors give.

The page shows the signed-in user's own plan, talent box, sessions attended, open items and appraisal follow-ups.
Its statements read them by the employee's key without the visibility test: these tests hold them equal to the
old reads (the `…_visible_to(user)` selectors filtered to the user's own record) for staff, heads, a BKD admin,
another agency's admin and a superuser with an employee record, with rows of other people around.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from careers.choices import ActionStatus, FollowUpKind, FollowUpStatus, ItemStatus, PlanStatus, ReviewStatus
from careers.followups import selectors as followup_selectors
from careers.mentoring import selectors as mentoring_selectors
from careers.models import ActionItem, AppraisalFollowUp, CareerPlan, DevelopmentAction, TalentPlacement
from careers.plans import selectors as plan_selectors
from careers.talent import selectors as talent_selectors
from tests.careers import factories as f

pytestmark = pytest.mark.django_db


def _people(org: Any) -> list[Any]:
    superuser = org.other_head  # a superuser who also has an employee record
    superuser.user.is_superuser = True
    superuser.user.save()
    return [org.staff, org.staff2, org.head, org.bidang_head, org.bidang_staff, org.admin, org.foreign_admin, superuser]


def _seed(org: Any) -> None:
    today = timezone.localdate()
    for i, mentees in enumerate(
        [[org.staff], [org.staff, org.staff2], [org.bidang_staff], [org.staff, org.admin], [org.other_head]] * 2
    ):
        s = f.session(org.head, mentees, held_on=today - dt.timedelta(days=3 * i), topics=f"Topik {i}")
        for m in mentees:
            ActionItem.objects.create(session=s, owner=m, title=f"Item {i}", due_date=today + dt.timedelta(days=i % 4))
        ActionItem.objects.create(
            session=s, owner=mentees[0], title=f"Selesai {i}", due_date=today, status=ItemStatus.DONE
        )
    f.session(org.foreign_admin, [org.foreign_admin], topics="Pontianak")
    f.session(org.admin, [org.head], topics="Untuk kepala")
    archived = f.plan(org.staff, status=PlanStatus.ARCHIVED)
    current = f.plan(org.staff, target_position=org.head.position, agreed_by=org.head, status=PlanStatus.AGREED)
    for st in (ActionStatus.DONE, ActionStatus.DONE, ActionStatus.CANCELLED, ActionStatus.PLANNED):
        DevelopmentAction.objects.create(plan=current, kind="training", title="K", due_date=today, status=st)
    DevelopmentAction.objects.create(plan=archived, kind="training", title="A", due_date=today)
    f.plan(org.head)
    f.plan(org.admin, status=PlanStatus.ARCHIVED)
    old = f.review(org.agency.pk, year=2024, status=ReviewStatus.PUBLISHED, published_at=timezone.now())
    new = f.review(org.agency.pk, year=2025, status=ReviewStatus.PUBLISHED, published_at=timezone.now())
    draft = f.review(org.agency.pk, year=2026)
    for review, box in ((old, 3), (new, 8), (draft, 9)):
        for person in (org.staff, org.head, org.bidang_staff):
            f.placement(review, person, box)
    f.placement(old, org.staff2, 5)
    for person in (org.staff, org.bidang_staff, org.other_head):
        for year, kind in ((2024, FollowUpKind.RECOGNITION), (2025, FollowUpKind.DEVELOPMENT), (2025, "coaching")):
            AppraisalFollowUp.objects.create(
                agency_id=person.agency_id,
                unit=person.unit,
                employee=person,
                year=year,
                predikat="Sangat Baik",
                kind=kind,
                status=FollowUpStatus.CONFIRMED,
            )


def _plan_of_orm(employee: Any) -> Any:
    """The read before the statement (the ORM's own `first()` of the grouped query)."""
    return (
        CareerPlan.objects.filter(employee=employee)
        .exclude(status=PlanStatus.ARCHIVED)
        .select_related("target_position", "agreed_by")
        .annotate(
            n_actions=Count("actions", filter=~Q(actions__status=ActionStatus.CANCELLED)),
            n_done=Count("actions", filter=Q(actions__status=ActionStatus.DONE)),
        )
        .first()
    )


def _fields(obj: Any, *names: str) -> Any:
    if obj is None:
        return None
    out = []
    for name in names:
        value: Any = obj
        for part in name.split("."):
            value = getattr(value, part) if value is not None else None
        out.append(value)
    return tuple(out)


def test_own_reads_equal_the_orm_and_the_visibility_selectors(org) -> None:
    _seed(org)
    seen = {"plan": 0, "placement": 0, "sessions": 0, "items": 0, "follow_ups": 0}
    for person in _people(org):
        user = person.user
        plan_keys = ("pk", "status", "n_actions", "n_done", "target_position.title", "agreed_by.name", "agreed_on")
        plan = plan_selectors.current_plan_for(person)
        assert _fields(plan, *plan_keys) == _fields(_plan_of_orm(person), *plan_keys)
        placement_keys = ("pk", "box", "review.name", "potential_band", "performance_band")
        placement = talent_selectors.published_placement_for(person)
        orm_placement = (
            TalentPlacement.objects.filter(employee=person, review__status=ReviewStatus.PUBLISHED)
            .select_related("review")
            .order_by("-review__published_at", "-review_id")
            .first()
        )
        assert _fields(placement, *placement_keys) == _fields(orm_placement, *placement_keys)
        sessions = mentoring_selectors.latest_sessions_attended_by(person.pk)
        visible = list(
            mentoring_selectors.session_list_visible_to(user=user)
            .filter(participants__employee=person)
            .order_by("-held_on", "-pk")[:5]
        )
        session_keys = ("pk", "held_on", "kind", "topics", "coach.name")
        assert [_fields(s, *session_keys) for s in sessions] == [_fields(s, *session_keys) for s in visible]
        items = mentoring_selectors.open_items_for(person.pk)
        orm_items = list(ActionItem.objects.filter(owner=person, status="open").order_by("due_date", "pk")[:10])
        item_keys = ("pk", "title", "due_date")
        assert [_fields(i, *item_keys) for i in items] == [_fields(i, *item_keys) for i in orm_items]
        follow_ups = followup_selectors.latest_follow_ups_of(person.pk)
        orm_follow_ups = list(
            followup_selectors.follow_up_list_visible_to(user=user).filter(employee=person).order_by("-year", "pk")
        )
        keys = ("pk", "year", "kind", "status")
        assert [_fields(x, *keys) for x in follow_ups] == [_fields(x, *keys) for x in orm_follow_ups[:6]]
        for name, got in (("plan", [plan]), ("placement", [placement]), ("sessions", sessions), ("items", items)):
            seen[name] += len([x for x in got if x is not None])
        seen["follow_ups"] += len(follow_ups)
    assert all(seen.values()), seen  # every read was exercised with rows, not only with none


def test_my_career_page_shows_the_own_records_in_the_same_queries(org) -> None:
    _seed(org)
    c = Client()
    c.force_login(org.staff.user)
    with CaptureQueriesContext(connection) as ctx:
        response = c.get("/karier/saya/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kotak 8" in html and "Topik 0" in html and "Item 0" in html and "Kesempatan pengembangan" in html
    assert "Topik 2" not in html and "Pontianak" not in html and "Selesai 0" not in html  # not hers
    assert 'value="67"' in html  # the plan in use: 2 done of 3 not cancelled
    assert len(ctx.captured_queries) <= 10


def test_session_list_open_items_equal_the_orm(org) -> None:
    """The sessions page's "my open items" statement gives the ORM's read (with the session), none without a query
    for a user without an employee record."""
    _seed(org)
    for person in _people(org):
        got = mentoring_selectors.open_items_with_session_for(person.pk)
        orm = list(
            ActionItem.objects.filter(owner_id=person.pk, status="open")
            .select_related("session")
            .order_by("due_date", "pk")[:20]
        )
        keys = ("pk", "title", "due_date", "session_id", "session.topics")
        assert [_fields(i, *keys) for i in got] == [_fields(i, *keys) for i in orm]
    assert mentoring_selectors.open_items_with_session_for(org.staff.pk)  # rows were compared, not only none
    with CaptureQueriesContext(connection) as ctx:
        assert mentoring_selectors.open_items_with_session_for(None) == []
    assert ctx.captured_queries == []
