"""The sessions a user may see (`session_list_visible_to`) are the same rows whichever form the mentee test takes
(issue #13: a BKD admin's sessions are tested one by one, a head's or staff member's collected from their people)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from careers.mentoring import selectors
from careers.models import ActionItem, MentoringSession
from people.access import employee_q, scope_for
from people.models import AgencyRole, Employee
from tests.careers import factories as f

pytestmark = pytest.mark.django_db


def _oracle(user: Any) -> set[int]:
    """The rule in plain Python: superusers everything; otherwise sessions of an administered agency, coached by
    the user, or with a mentee the user may see (the people rule, `employee_q`)."""
    scope = scope_for(user)
    seen = set(Employee.objects.filter(employee_q(user)).values_list("pk", flat=True))
    out = set()
    for s in MentoringSession.objects.prefetch_related("participants"):
        if (
            scope.everything
            or s.agency_id in scope.admin_agency_ids
            or (scope.employee_id and s.coach_id == scope.employee_id)
            or any(p.employee_id in seen for p in s.participants.all())
        ):
            out.add(s.pk)
    return out


def _sessions(org: Any) -> None:
    day = dt.date(2026, 3, 1)
    f.session(org.head, [org.staff], held_on=day)
    f.session(org.head, [org.staff2, org.bidang_staff], held_on=day)  # same day: the id breaks the tie
    f.session(org.bidang_head, [org.bidang_staff], held_on=day + dt.timedelta(days=1))
    f.session(org.other_head, [org.other_staff], held_on=day + dt.timedelta(days=2))
    f.session(org.head, [org.other_staff], held_on=day + dt.timedelta(days=3))  # coach's own, mentee elsewhere
    f.session(org.foreign_admin, [org.foreign_staff], held_on=day + dt.timedelta(days=4))
    f.session(org.foreign_admin, [org.staff], held_on=day + dt.timedelta(days=5))  # other agency, our mentee
    f.session(org.head, [org.foreign_staff], held_on=day + dt.timedelta(days=6))  # our agency, foreign mentee
    f.session(org.admin, [], held_on=day + dt.timedelta(days=7))  # no mentee at all


def test_visible_sessions_equal_the_rule_for_every_role(org, django_user_model) -> None:
    _sessions(org)
    root = django_user_model.objects.create_superuser("root", "root@example.org", "x")
    people = [
        org.admin,
        org.foreign_admin,
        org.head,
        org.bidang_head,
        org.other_head,
        org.staff,
        org.staff2,
        org.bidang_staff,
        org.other_staff,
        org.foreign_staff,
    ]
    for user in [p.user for p in people] + [root]:
        got = list(
            selectors.session_list_visible_to(user=user).order_by("-held_on", "-pk").values_list("pk", flat=True)
        )
        assert set(got) == _oracle(user), user.username
        assert len(got) == len(set(got)), user.username  # one row per session, however many mentees match
    # the admin's foreign-agency session with one of their staff, and not the foreign staff's own
    admin_seen = set(selectors.session_list_visible_to(user=org.admin.user).values_list("pk", flat=True))
    assert MentoringSession.objects.get(agency=org.other_agency, participants__employee=org.staff).pk in admin_seen
    assert (
        MentoringSession.objects.get(agency=org.other_agency, participants__employee=org.foreign_staff).pk
        not in admin_seen
    )


def test_admin_who_also_heads_a_unit_sees_the_union(org) -> None:
    """The head of a Dinas in agency A made BKD admin of agency B: B's sessions, B's sessions' mentees and A's
    sessions of the head's own people (the admin form, one test per session, then carries the unit rule)."""
    _sessions(org)
    AgencyRole.objects.create(user=org.head.user, agency=org.other_agency, role="hr_admin")
    user = org.head.user
    got = set(selectors.session_list_visible_to(user=user).values_list("pk", flat=True))
    assert got == _oracle(user)
    assert MentoringSession.objects.get(participants__employee=org.bidang_staff, coach=org.bidang_head).pk in got
    assert MentoringSession.objects.get(participants__employee=org.other_staff, coach=org.other_head).pk not in got


def test_one_session_and_action_items_follow_the_same_rule(org) -> None:
    _sessions(org)
    for s in MentoringSession.objects.all():
        ActionItem.objects.create(session=s, owner=org.staff, title="Tindak", due_date=dt.date(2026, 4, 1))
    for person in (org.admin, org.head, org.staff, org.foreign_admin):
        user = person.user
        rule = _oracle(user)
        items = set(selectors.action_items_visible_to(user=user).values_list("session_id", flat=True))
        assert items == rule
        for s in MentoringSession.objects.all():
            visible = selectors.session_list_visible_to(user=user).filter(pk=s.pk).exists()
            assert visible == (s.pk in rule)


def test_employee_rows_in_the_indexable_form_are_the_people_rule(org, django_user_model) -> None:
    """`visible_employee_rows_q` (a head's or staff member's people read first) selects exactly the rows of
    `employee_q(user, "employee__")` for plans, talent placements and the plan, follow-up and 9-box selectors."""
    from careers.actors import visible_employee_rows_q
    from careers.followups import selectors as followup_selectors
    from careers.models import CareerPlan, TalentPlacement
    from careers.plans import selectors as plan_selectors
    from careers.talent import selectors as talent_selectors

    everyone = list(Employee.objects.all())
    review = f.review(org.agency.pk)
    for i, e in enumerate(everyone):
        f.plan(e)
        f.placement(review, e, 1 + i % 9)
    root = django_user_model.objects.create_superuser("root", "root@example.org", "x")
    nobody = django_user_model.objects.create_user("nobody", "nobody@example.org", "x")
    for user in [e.user for e in everyone if e.user_id] + [root, nobody]:
        for model in (CareerPlan, TalentPlacement):
            rule = set(model.objects.filter(employee_q(user, "employee__")).values_list("pk", flat=True))
            got = list(model.objects.filter(visible_employee_rows_q(user)).values_list("pk", flat=True))
            assert sorted(got) == sorted(rule), (user.username, model.__name__)
        plans = set(CareerPlan.objects.filter(employee_q(user, "employee__")).values_list("pk", flat=True))
        assert set(plan_selectors.plan_rows_visible_to(user=user).values_list("pk", flat=True)) == plans
        assert {v["id"] for v in plan_selectors.plan_values_visible_to(user=user, keys=["id"])} == plans
        placed = set(TalentPlacement.objects.filter(employee_q(user, "employee__")).values_list("pk", flat=True))
        got = talent_selectors.placements_visible(user=user, review=review).values_list("pk", flat=True)
        assert set(got) == placed
        assert not followup_selectors.follow_up_list_visible_to(user=user).exists()  # none made: the query runs
