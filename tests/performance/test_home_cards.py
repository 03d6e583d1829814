"""Issue #13: the SKP inbox card and the JPM card read their figures in one plain-SQL statement each; the
figures equal the live ORM reads (`inbox_counts`, `stored_jpm`) after each kind of change."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import RequestFactory

from competencies import cards as competencies_cards
from competencies import selectors as competencies_selectors
from competencies.models import EmployeeJpm
from performance import cards
from performance.choices import PlanStatus
from performance.plans.selectors import inbox_counts
from tests.performance.factories import plan

pytestmark = pytest.mark.django_db


def _request(employee: Any) -> Any:
    request = RequestFactory().get("/")
    request.user = type(employee.user).objects.get(pk=employee.user_id)
    return request


def _inbox(head: Any) -> tuple[dict[str, int], dict[str, int]]:
    request = _request(head)
    card = cards.head_card(request)
    assert card is not None and card["total"] == sum(card["counts"].values())
    return card["counts"], inbox_counts(user=request.user)


def test_inbox_card_equals_the_live_count_after_each_change(org: Any) -> None:
    card, live = _inbox(org.head)
    assert card == live and sum(card.values()) == 0
    plan(org.staff, status=PlanStatus.SUBMITTED, appraiser=org.head)
    plan(org.staff2, status=PlanStatus.APPROVED, appraiser=org.head)
    plan(org.bidang_head, status=PlanStatus.EVALUATED, appraiser=org.head)
    plan(org.bidang_staff, status=PlanStatus.OBJECTED, appraiser=org.bidang_head, appraiser_superior=org.head)
    plan(org.other_staff, status=PlanStatus.DRAFT, appraiser=org.head)  # not waiting for the appraiser
    plan(org.head, status=PlanStatus.SUBMITTED, appraiser=org.head)  # their own SKP is never in their inbox
    card, live = _inbox(org.head)
    assert card == live == {"approve": 1, "evaluate": 1, "finalise": 1, "objections": 1}
    card, live = _inbox(org.bidang_head)
    assert card == live and sum(card.values()) == 0  # the objection is decided by the superior


def _jpm_card(emp: Any) -> dict[str, Any]:
    card = competencies_cards.staff_card(_request(emp))
    assert card is not None
    row = competencies_selectors.stored_jpm(emp.pk)
    assert card["jpm"] == (row.jpm if row else None)
    assert card["gap_count"] == (row.gap_count if row else 0)
    return card


def test_jpm_card_shows_the_stored_row(org: Any) -> None:
    assert _jpm_card(org.staff) == {"jpm": None, "category_label": "", "colour": "secondary", "gap_count": 0}
    EmployeeJpm.objects.create(
        employee=org.staff, position=org.staff.position, jpm=Decimal("71.50"), category="kurang_optimal", gap_count=3
    )
    card = _jpm_card(org.staff)
    assert card["jpm"] == Decimal("71.50") and card["gap_count"] == 3 and card["colour"] != "secondary"
    assert card["category_label"]
