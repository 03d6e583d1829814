"""Issue #13: training's home cards read their figures in one plain-SQL statement each (training.home); the
figures equal the live ORM reads (the selectors the cards used before) after each kind of change."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from asn_portal import summaries
from people import services as people_services
from people.choices import EmployeeStatus
from people.models import Employee
from tests.training.factories import OfferingFactory, enrolled
from training import panels
from training.choices import VerificationStatus
from training.enrolment import selectors as enrolment_selectors
from training.enrolment import services as enrolment_services
from training.ledger import compliance
from training.ledger import selectors as ledger_selectors
from training.ledger import services as ledger_services
from training.models import LearningRecord
from training.questionnaires import selectors as questionnaires_selectors

pytestmark = pytest.mark.django_db


def _request(employee: Any) -> Any:
    request = RequestFactory().get("/")
    request.user = type(employee.user).objects.get(pk=employee.user_id)
    return request


def _credit(emp: Employee, jp: str, on: dt.date, n: int) -> None:
    ledger_services.learning_credit(
        employee=emp, jp=Decimal(jp), on_date=on, title=f"Kegiatan {n}", source_type="test", source_id=n, actor=None
    )


def _staff(emp: Employee) -> tuple[dict[str, Any], dict[str, Any]]:
    request = _request(emp)
    year = timezone.localdate().year
    with CaptureQueriesContext(connection) as ctx:
        card = panels.staff_card(request)
    assert card is not None
    assert len(ctx.captured_queries) == 3  # scope, the signed-in employee, the card's one statement
    total = ledger_selectors.jp_totals([emp.pk], year)[emp.pk]
    live = {"jp": total, "due": questionnaires_selectors.due_questionnaires(employee_id=emp.pk).count()}
    return {"jp": card["jp"], "due": card["due"]}, live


def _head(head: Employee) -> tuple[dict[str, Any], dict[str, Any]]:
    request = _request(head)
    year = timezone.localdate().year
    card = panels.head_card(request)
    assert card is not None
    below, total = ledger_selectors.team_below_target_count(user=request.user, year=year)
    requests = enrolment_selectors.requests_for_head(user=request.user).count()
    return (
        {"below": card["below"], "total": card["total"], "requests": card["requests"]},
        {"below": below, "total": total, "requests": requests},
    )


def test_staff_card_equals_the_live_reads_after_each_change(org: Any, django_capture_on_commit_callbacks: Any) -> None:
    card, live = _staff(org.staff)
    assert card == live == {"jp": Decimal("0"), "due": 0}
    today = timezone.localdate()
    _credit(org.staff, "10", today, 1)
    _credit(org.staff, "9.5", today, 2)
    _credit(org.staff, "30", dt.date(today.year - 1, 6, 1), 3)  # last year: not this year's JP
    LearningRecord.objects.create(
        employee=org.staff,
        agency=org.agency,
        year=today.year,
        date=today,
        jp=Decimal("5"),
        title="Webinar eksternal",
        source_type="external",
        source_id="p1",
        status=VerificationStatus.PENDING,
    )  # waiting for verification: not counted
    card, live = _staff(org.staff)
    assert card == live and card["jp"] == Decimal("19.5")

    with django_capture_on_commit_callbacks(execute=True):  # a completion issues the reaction questionnaire
        e = enrolled(OfferingFactory(course__agency=org.agency), org.staff)
        enrolment_services.enrollment_complete(enrollment=e, actor=org.admin.user)
    card, live = _staff(org.staff)
    assert card == live and card["due"] == 1
    assert _staff(org.staff2)[0] == _staff(org.staff2)[1]


def test_head_card_equals_the_live_reads_after_each_change(org: Any, django_capture_on_commit_callbacks: Any) -> None:
    """Who reached 20 JP comes from the per-unit summary rows, refreshed after each change's commit (as in
    production): after every change the card equals the live ORM count, for the head of the OPD and of a bidang
    inside it (each one's own record left out of their team, and counted in the team above)."""

    def committed(fn: Any, *args: Any, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    def both_heads_equal_live() -> dict[str, Any]:
        assert _head(org.bidang_head)[0] == _head(org.bidang_head)[1]
        assert _head(org.other_head)[0] == _head(org.other_head)[1]
        card, live = _head(org.head)
        assert card == live
        return card

    assert panels.head_card(_request(org.staff)) is None
    card = both_heads_equal_live()
    assert card["total"] > 0 and card["below"] == card["total"]
    today = timezone.localdate()
    committed(_credit, org.staff, "20", today, 1)  # exactly the target: not below
    committed(_credit, org.staff2, "19.5", today, 2)
    committed(_credit, org.bidang_staff, "25", dt.date(today.year - 1, 3, 1), 3)  # last year only
    committed(_credit, org.head, "40", today, 4)  # the head is not in their own team
    card = both_heads_equal_live()
    assert card["below"] == card["total"] - 1
    committed(_credit, org.bidang_head, "25", today, 5)  # in the OPD head's team, not in their own
    card = both_heads_equal_live()
    assert card["below"] == card["total"] - 2
    assert _head(org.bidang_head)[0]["below"] == _head(org.bidang_head)[0]["total"]
    committed(  # leaves the active team
        people_services.employee_update, employee=org.staff, data={"status": EmployeeStatus.RETIRED}, actor=None
    )
    card = both_heads_equal_live()
    assert card["below"] == card["total"] - 1
    committed(  # moves to another OPD: now in the other head's team
        people_services.employee_update, employee=org.bidang_head, data={"unit": org.other_dinas}, actor=None
    )
    card = both_heads_equal_live()
    assert card["below"] == card["total"]
    assert _head(org.other_head)[0]["below"] == _head(org.other_head)[0]["total"] - 1

    offering = OfferingFactory(course__agency=org.agency, requires_approval=True)
    enrolled(offering, org.staff2, status="requested")
    enrolled(offering, org.bidang_staff, status="requested")
    enrolled(offering, org.other_staff, status="requested")  # another unit
    enrolled(OfferingFactory(course__agency=org.agency), org.staff2)  # not a request
    card = both_heads_equal_live()
    assert card["requests"] == 2


def test_head_card_reads_the_unit_rows_as_of_their_refresh(org: Any) -> None:
    """A change not yet refreshed shows on the card once its refresh has run (the summary's contract); the
    count stays within the team however stale the rows are."""
    today = timezone.localdate()
    _credit(org.staff, "20", today, 1)  # committed callbacks not run: the refresh has not happened
    card, live = _head(org.head)
    assert card["below"] == card["total"] == live["total"] and live["below"] == live["total"] - 1
    summaries.refresh(compliance.KIND, org.agency.pk)
    card, live = _head(org.head)
    assert card == live
    Employee.objects.filter(pk=org.staff.pk).update(unit=org.other_dinas)  # bypasses the services: no refresh
    card, live = _head(org.head)
    assert 0 <= card["below"] <= card["total"] == live["total"]
