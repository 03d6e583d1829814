"""SKP targets and realisations are never negative: refused with a message, nothing written."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from performance import rules
from performance.choices import PlanStatus
from performance.models import Indicator, Progress
from tests.conftest import api_as

from . import factories as f
from .test_api import CONTENT


@pytest.mark.parametrize(
    ("value", "negative"),
    [(None, False), (Decimal("0"), False), (Decimal("12.5"), False), (Decimal("-1"), True), (Decimal("-0.01"), True)],
)
def test_is_negative_cases(value: Decimal | None, negative: bool) -> None:
    assert rules.is_negative(value) is negative


@pytest.mark.django_db
def test_negative_target_and_realisation_are_refused_via_api(org: Any) -> None:
    periods = f.periods(org.agency)
    plan = f.plan(org.staff, results=0)
    staff = api_as(org.staff)
    ind = dict(CONTENT["results"][0]["indicators"][0], target="-95")
    bad = {**CONTENT, "results": [{**CONTENT["results"][0], "indicators": [ind]}]}
    r = staff.put(f"/api/v1/performance-plans/{plan.pk}/content/", bad, format="json")
    assert r.status_code == 400 and "tidak boleh negatif" in r.json()["message"]
    assert not Indicator.objects.filter(result__plan=plan).exists()
    approved = f.plan(org.staff2, status=PlanStatus.APPROVED)
    indicator = Indicator.objects.get(result__plan=approved)
    r = api_as(org.staff2).post(
        f"/api/v1/performance-plans/{approved.pk}/progress/",
        {"indicator": indicator.pk, "period": periods[0].pk, "value": "-3", "evidence_link": "https://contoh.go.id/x"},
        format="json",
    )
    assert r.status_code == 400 and r.json()["message"] == "Realisasi tidak boleh negatif."
    assert not Progress.objects.exists()
