"""An assessor name longer than its column is refused with the limit named, not cut to 200 characters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from competencies.models import CompetencyAssessment
from tests.competencies.factories import national
from tests.conftest import api_as

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, 0), tick=False):
        yield


def test_too_long_assessor_is_refused_via_api_with_the_limit(org: Any) -> None:
    comps = national()
    payload = {
        "employee": org.staff.pk,
        "assessed_on": "2026-05-01",
        "purpose": "mapping",
        "method": "cat",
        "assessor": "UPT Penilaian Kompetensi " * 10,
        "results": [{"competency": comps[0].pk, "level": 3}],
    }
    r = api_as(org.admin).post("/api/v1/assessments/", payload, format="json")
    assert r.status_code == 400
    assert "paling banyak 200 karakter" in r.json()["message"]
    assert r.json()["extra"]["field"] == "assessor"
    assert not CompetencyAssessment.objects.exists()
