"""Issue #13: the people head card and the SKP staff card read their figures in one plain-SQL statement each;
the figures equal the live ORM reads, and the home page's queries stay few and constant per role."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from people import access, cards, headcount
from people.access import team_q
from people.choices import ACTIVE_STATUSES, EmployeeStatus
from people.models import Employee
from performance import cards as performance_cards
from performance.models import PerformancePlan, PredikatRecord
from tests.people.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def _request(employee: Any) -> Any:
    request = RequestFactory().get("/")
    request.user = type(employee.user).objects.get(pk=employee.user_id)
    return request


def _head(head: Employee) -> tuple[dict[str, Any], dict[str, Any]]:
    request = _request(head)
    card = cards.head_card(request)
    assert card is not None
    live = Employee.objects.filter(team_q(request.user)).aggregate(
        total=Count("id", filter=Q(status__in=ACTIVE_STATUSES)),
        on_leave=Count("id", filter=Q(status__in=headcount.ON_LEAVE)),
    )
    return card["stats"], live


def test_head_card_counts_equal_the_live_aggregate_after_each_change(org: Any) -> None:
    assert cards.head_card(_request(org.staff)) is None
    card, live = _head(org.head)
    assert card == live and card["total"] > 0 and card["on_leave"] == 0
    Employee.objects.filter(pk=org.staff.pk).update(status=EmployeeStatus.LEAVE)
    Employee.objects.filter(pk=org.bidang_staff.pk).update(status=EmployeeStatus.STUDY)
    EmployeeFactory(unit=org.bidang, name="Pensiunan", status=EmployeeStatus.RETIRED)
    EmployeeFactory(unit=org.other_dinas, name="Staf lain")  # another head's unit
    card, live = _head(org.head)
    assert card == live and card["on_leave"] == 2
    assert _head(org.bidang_head)[0] == _head(org.bidang_head)[1]


def _team_ids(text: str) -> list[int]:
    return [int(i) for i in text.strip("{}").split(",") if i]


def test_team_members_are_team_q_read_once_per_request(org: Any) -> None:
    """`team_members` (the team the head cards count) holds the same people as `team_q`, every status and the
    active ones, in id order; one statement per user object (request), none for someone heading nothing."""
    Employee.objects.filter(pk=org.staff.pk).update(status=EmployeeStatus.LEAVE)
    EmployeeFactory(unit=org.bidang, name="Pensiunan", status=EmployeeStatus.RETIRED)
    for head in (org.head, org.bidang_head):
        request = _request(head)
        with CaptureQueriesContext(connection) as ctx:
            team = access.team_members(request.user)
            assert access.team_members(request.user) is team
        assert len(ctx.captured_queries) == 2  # the user's scope, the team
        everyone = Employee.objects.filter(team_q(request.user)).order_by("pk")
        assert _team_ids(team.everyone) == list(everyone.values_list("pk", flat=True))
        active = everyone.filter(status__in=ACTIVE_STATUSES)
        assert _team_ids(team.active) == list(active.values_list("pk", flat=True))
        assert team.active_count == active.count() > 0
        assert team.on_leave_count == everyone.filter(status__in=headcount.ON_LEAVE).count()
    nobody = access.team_members(_request(org.staff).user)
    assert (nobody.everyone, nobody.active, nobody.active_count, nobody.on_leave_count) == ("{}", "{}", 0, 0)


def _skp(emp: Employee) -> tuple[Any, Any]:
    request = _request(emp)
    card = performance_cards.staff_card(request)
    assert card is not None
    plan = PerformancePlan.objects.filter(employee=emp, year=card["year"]).first()
    last = PredikatRecord.objects.filter(employee=emp).order_by("-year").first()
    shown = (
        (card["plan"].pk, card["plan"].status, card["plan"].get_status_display()) if card["plan"] else None,
        (card["last"].pk, card["last"].year, card["last"].predikat, card["last"].get_predikat_display())
        if card["last"]
        else None,
    )
    live = (
        (plan.pk, plan.status, plan.get_status_display()) if plan else None,
        (last.pk, last.year, last.predikat, last.get_predikat_display()) if last else None,
    )
    return shown, live


def test_skp_card_shows_this_years_plan_and_the_latest_predikat(org: Any) -> None:
    from tests.performance.factories import plan as skp_plan

    shown, live = _skp(org.staff)
    assert shown == live == (None, None)
    year = timezone.localdate().year
    for y, p in ((year - 3, "baik"), (year - 1, "sangat_baik"), (year - 2, "kurang")):
        PredikatRecord.objects.create(employee=org.staff, year=y, predikat=p, source="import", locked=True)
    PredikatRecord.objects.create(employee=org.staff2, year=year, predikat="kurang", source="import", locked=True)
    shown, live = _skp(org.staff)
    assert shown == live and shown[1][1:3] == (year - 1, "sangat_baik")
    skp_plan(org.staff, year=year - 1)  # last year's SKP is not this year's
    assert _skp(org.staff)[0][0] is None
    skp_plan(org.staff, year=year)
    shown, live = _skp(org.staff)
    assert shown == live and shown[0] is not None


@pytest.mark.parametrize(("who", "most"), [("admin", 21), ("head", 22), ("staff", 15)])
def test_home_page_reads_a_constant_few_queries_per_role(org: Any, who: str, most: int) -> None:
    client = Client()
    client.force_login(getattr(org, who).user)
    client.get("/")
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/").status_code == 200
    assert len(ctx.captured_queries) <= most, [q["sql"][:90] for q in ctx.captured_queries]
