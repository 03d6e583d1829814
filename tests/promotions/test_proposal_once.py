"""A double click on "Usulkan" (or a retried API request) proposes the employee once for the period."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from asn_portal.errors import ApplicationError
from promotions.models import PromotionProposal
from promotions.proposals import services as proposal_services
from tests.concurrency import at_once
from tests.promotions.factories import give_predikat, period, set_rank

pytestmark = pytest.mark.django_db(transaction=True)

DEC = dt.date(2026, 12, 1)


def test_the_same_proposal_posted_twice_at_once_is_one_row(org: Any, today: dt.date, refdata: None) -> None:
    set_rank(org.head, "IV/a", dt.date(2018, 4, 1))
    give_predikat([org.staff], [2023, 2024, 2025])
    kp_period = period(DEC)

    def propose(i: int) -> Any:
        return proposal_services.proposal_create(employee=org.staff, period=kp_period, actor=org.head.user)

    results = at_once(propose, n=3)
    assert PromotionProposal.objects.filter(employee=org.staff, period=kp_period).count() == 1
    losers = [r for r in results if isinstance(r, Exception)]
    assert len(losers) == 2 and all(isinstance(r, ApplicationError) for r in losers), losers
