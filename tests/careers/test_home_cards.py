"""Issue #13: careers' home cards read their figures in one plain-SQL statement each (careers.home); the figures
equal the live ORM computation (the selectors the cards used before) after each kind of change."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from careers import agency_settings, panels
from careers.choices import ActionStatus, FollowUpKind, FollowUpStatus, ItemStatus, PlanStatus, ReviewStatus
from careers.models import (
    ActionItem,
    AppraisalFollowUp,
    CareerPlan,
    CareerSettings,
    DevelopmentAction,
    SessionMentee,
)
from careers.plans import selectors as plan_selectors
from careers.talent import selectors as talent_selectors
from people.access import team_q
from people.choices import ACTIVE_STATUSES
from people.models import Employee
from tests.careers import factories as f

pytestmark = pytest.mark.django_db


def _request(employee: Any) -> Any:
    request = RequestFactory().get("/")
    request.user = type(employee.user).objects.get(pk=employee.user_id)
    return request


def _live_staff(employee: Employee) -> dict[str, Any]:
    plan = plan_selectors.current_plan_for(employee)
    return {
        "plan": (plan.pk, plan.status) if plan else None,
        "progress": plan_selectors.progress_of(plan) if plan else 0,
        "box": talent_selectors.published_boxes([employee.pk]).get(employee.pk),
        "to_confirm": SessionMentee.objects.filter(employee=employee, confirmed_at=None).count(),
        "overdue": ActionItem.objects.filter(
            owner=employee, status=ItemStatus.OPEN, due_date__lt=timezone.localdate()
        ).count(),
    }


def _card_staff(employee: Employee) -> dict[str, Any]:
    request = _request(employee)
    with CaptureQueriesContext(connection) as ctx:
        card = panels.staff_card(request)
    assert card is not None
    assert len(ctx.captured_queries) == 2  # the user's scope and the card's one statement
    card["plan"] = (card["plan"].pk, card["plan"].status) if card["plan"] else None
    return card


def _live_head(head: Employee) -> dict[str, Any]:
    request = _request(head)
    days = agency_settings.settings_for(head.agency_id).cadence_days
    since = timezone.localdate() - dt.timedelta(days=days)
    team = Employee.objects.filter(team_q(request.user), status__in=ACTIVE_STATUSES)
    return {
        "days": days,
        "stale": team.exclude(session_participations__session__held_on__gte=since).count(),
        "plans_waiting": CareerPlan.objects.filter(
            team_q(request.user, "employee__"), status=PlanStatus.SUBMITTED
        ).count(),
        "follow_ups": AppraisalFollowUp.objects.filter(
            team_q(request.user, "employee__"), status=FollowUpStatus.PROPOSED
        ).count(),
    }


def _card_head(head: Employee) -> dict[str, Any]:
    card = panels.head_card(_request(head))
    assert card is not None
    return card


def test_staff_card_equals_the_live_reads_after_each_change(org: Any) -> None:
    staff = org.staff
    assert (
        _card_staff(staff)
        == _live_staff(staff)
        == {
            "plan": None,
            "progress": 0,
            "box": None,
            "to_confirm": 0,
            "overdue": 0,
        }
    )
    archived = f.plan(staff, status=PlanStatus.ARCHIVED)
    assert _card_staff(staff)["plan"] is None  # an archived plan is not the current one
    plan = f.plan(staff, status=PlanStatus.AGREED)
    for status in (ActionStatus.DONE, ActionStatus.DONE, ActionStatus.PLANNED, ActionStatus.CANCELLED):
        DevelopmentAction.objects.create(
            plan=plan, kind="training", title="Diklat", due_date=timezone.localdate(), status=status
        )
    DevelopmentAction.objects.create(plan=archived, kind="training", title="Lama", due_date=timezone.localdate())
    card = _card_staff(staff)
    assert card == _live_staff(staff)
    assert card["plan"] == (plan.pk, PlanStatus.AGREED) and card["progress"] == 67  # 2 of 3 not cancelled

    computed = f.review(org.agency.pk, year=2024, status=ReviewStatus.COMPUTED)
    f.placement(computed, staff, 9)
    assert _card_staff(staff)["box"] is None  # not published
    older = f.review(org.agency.pk, year=2024, status=ReviewStatus.PUBLISHED, published_at=timezone.now())
    f.placement(older, staff, 5)
    newer = f.review(org.agency.pk, year=2025, status=ReviewStatus.PUBLISHED, published_at=timezone.now())
    f.placement(newer, staff, 8)
    card = _card_staff(staff)
    assert card == _live_staff(staff) and card["box"] == 8

    session = f.session(org.head, [staff, org.staff2])
    SessionMentee.objects.filter(employee=org.staff2).update(confirmed_at=timezone.now())
    today = timezone.localdate()
    ActionItem.objects.create(session=session, title="lewat", owner=staff, due_date=today - dt.timedelta(days=1))
    ActionItem.objects.create(session=session, title="hari ini", owner=staff, due_date=today)
    ActionItem.objects.create(
        session=session, title="selesai", owner=staff, due_date=today - dt.timedelta(days=3), status=ItemStatus.DONE
    )
    ActionItem.objects.create(session=session, title="orang lain", owner=org.staff2, due_date=dt.date(2020, 1, 1))
    card = _card_staff(staff)
    assert card == _live_staff(staff)
    assert (card["to_confirm"], card["overdue"]) == (1, 1)
    assert _card_staff(org.staff2) == _live_staff(org.staff2)
    SessionMentee.objects.filter(employee=staff).update(confirmed_at=timezone.now())
    assert _card_staff(staff) == _live_staff(staff)


def test_head_card_equals_the_live_reads_after_each_change(org: Any) -> None:
    head = org.head
    assert panels.head_card(_request(org.staff)) is None
    assert _card_head(head) == _live_head(head)
    today = timezone.localdate()
    f.session(head, [org.staff], held_on=today - dt.timedelta(days=10))
    f.session(head, [org.staff2], held_on=today - dt.timedelta(days=400))
    f.session(org.bidang_head, [org.bidang_staff], held_on=today - dt.timedelta(days=5))
    f.session(org.other_head, [org.other_staff], held_on=today)  # another unit: not this head's team
    card = _card_head(head)
    assert card == _live_head(head)
    assert card["stale"] == _live_head(head)["stale"] > 0

    # the agency's own cadence, then the national default row
    CareerSettings.objects.update_or_create(agency=None, defaults={"cadence_days": 500})
    assert _card_head(head) == _live_head(head) and _card_head(head)["days"] == 500
    CareerSettings.objects.update_or_create(agency=org.agency, defaults={"cadence_days": 7})
    card = _card_head(head)
    assert card == _live_head(head) and card["days"] == 7

    f.plan(org.staff, status=PlanStatus.SUBMITTED)
    f.plan(org.bidang_staff, status=PlanStatus.SUBMITTED)
    f.plan(org.staff2, status=PlanStatus.DRAFT)
    f.plan(org.other_staff, status=PlanStatus.SUBMITTED)
    f.plan(head, status=PlanStatus.SUBMITTED)  # the head's own plan is not the team's
    for emp, status in (
        (org.staff, FollowUpStatus.PROPOSED),
        (org.bidang_staff, FollowUpStatus.PROPOSED),
        (org.staff2, FollowUpStatus.DONE),
        (org.other_staff, FollowUpStatus.PROPOSED),
    ):
        AppraisalFollowUp.objects.create(
            agency=org.agency,
            unit=emp.unit,
            employee=emp,
            year=today.year - 1,
            predikat="baik",
            kind=FollowUpKind.DEVELOPMENT,
            status=status,
        )
    card = _card_head(head)
    assert card == _live_head(head)
    assert (card["plans_waiting"], card["follow_ups"]) == (2, 2)
    assert _card_head(org.bidang_head) == _live_head(org.bidang_head)
    Employee.objects.filter(pk=org.staff2.pk).update(status="retired")  # leaves the active team
    assert _card_head(head) == _live_head(head)


def test_the_head_cards_count_one_team_read(org: Any) -> None:
    """The people, training and careers head cards of one home page read the team once
    (`people.access.team_members`): the scope, the team and one statement per counting card."""
    from people import cards as people_cards
    from training import panels as training_panels

    request = _request(org.head)
    with CaptureQueriesContext(connection) as ctx:
        assert people_cards.head_card(request) is not None
        assert training_panels.head_card(request) is not None
        assert panels.head_card(request) is not None
    assert len(ctx.captured_queries) == 4, [q["sql"][:90] for q in ctx.captured_queries]
    assert sum("array_agg(t.id" in q["sql"] for q in ctx.captured_queries) == 1
