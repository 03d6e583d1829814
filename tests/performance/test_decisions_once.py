"""Ten identical quarter evaluations posted at once are one decision: one audit entry, one notification."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from asn_portal.errors import ApplicationError
from asn_portal.models import AuditEntry, Notification
from performance.choices import PlanStatus
from performance.models import Evaluation
from performance.objections import services as objections_services
from tests.concurrency import at_once

from . import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


def _approved_plan(org: Any) -> tuple[Any, Any]:
    periods = f.periods(org.agency)
    plan = f.plan(org.staff, status=PlanStatus.APPROVED, appraiser=org.head)
    return plan, periods[0]


def _counts(org: Any) -> tuple[int, int]:
    return (
        AuditEntry.objects.filter(action="performance.evaluation.record").count(),
        Notification.objects.filter(user=org.staff.user, title__startswith="Penilaian").count(),
    )


def test_ten_identical_quarter_evaluations_on_the_page_are_one_decision(org: Any) -> None:
    plan, period = _approved_plan(org)
    data = {"period": period.pk, "result_rating": "meets", "behaviour_rating": "meets", "comment": "Baik"}

    def post(i: int) -> Any:
        c = Client()
        c.force_login(org.head.user)
        return c.post(reverse("performance:evaluate", args=[plan.pk]), data)

    responses = at_once(post, n=10)
    assert all(getattr(r, "status_code", 500) in (200, 302) for r in responses), responses
    assert sum(r.status_code == 302 for r in responses) == 1
    loser = next(r for r in responses if r.status_code == 200)
    assert "dengan nilai yang sama sudah tercatat" in loser.content.decode()
    assert _counts(org) == (1, 1)
    assert Evaluation.objects.get(plan=plan, period=period).predikat == "baik"


def test_ten_identical_quarter_evaluations_via_the_api_give_one_200_and_nine_409(org: Any) -> None:
    plan, period = _approved_plan(org)
    body = {"period": period.pk, "result_rating": "meets", "behaviour_rating": "meets", "comment": ""}

    def post(i: int) -> Any:
        api = APIClient()
        api.force_authenticate(org.head.user)
        return api.post(f"/api/v1/performance-plans/{plan.pk}/evaluate/", body, format="json")

    responses = at_once(post, n=10)
    assert sorted(r.status_code for r in responses) == [200] + [409] * 9
    assert _counts(org) == (1, 1)


def test_a_changed_rating_is_a_new_decision(org: Any) -> None:
    plan, period = _approved_plan(org)
    c = Client()
    c.force_login(org.head.user)
    url = reverse("performance:evaluate", args=[plan.pk])
    base = {"period": period.pk, "result_rating": "meets", "behaviour_rating": "meets", "comment": ""}
    assert c.post(url, base).status_code == 302
    assert c.post(url, {**base, "result_rating": "above"}).status_code == 302
    assert _counts(org) == (2, 2)


def test_an_objection_posted_twice_at_once_is_lodged_once(org: Any) -> None:
    import datetime as dt

    from performance.models import Objection, PerformancePlan

    f.periods(org.agency)
    plan = f.plan(org.staff, status=PlanStatus.FINAL, predikat="butuh_perbaikan", appraiser=org.head)
    PerformancePlan.objects.filter(pk=plan.pk).update(finalised_at=dt.datetime.now(dt.UTC))

    def lodge(i: int) -> Any:
        fresh = PerformancePlan.objects.get(pk=plan.pk)
        return objections_services.objection_lodge(plan=fresh, reason="Realisasi belum dihitung", actor=org.staff.user)

    results = at_once(lodge)
    assert Objection.objects.filter(plan=plan).count() == 1
    loser = next(r for r in results if isinstance(r, Exception))
    # The loser either lost the compare-and-set or, arriving after the winner committed, found the SKP no longer
    # final: both are the same clear refusal, never a second objection or a database error.
    assert isinstance(loser, ApplicationError)
    assert "Status SKP sudah berubah" in str(loser) or "atas SKP yang sudah final" in str(loser)
