"""Career plan and mentoring input: targets and deadlines lie ahead, too-long text is refused with its limit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from asn_portal.errors import ApplicationError
from careers import rules
from careers.models import ActionItem, DevelopmentAction, MentoringSession
from careers.plans import services as plan_services
from tests.careers import factories as f
from tests.conftest import api_as

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 6, 15, 9, 0, tzinfo=dt.UTC), tick=True):
        yield


@pytest.mark.parametrize(
    ("due", "today", "ok"),
    [
        (D(2026, 6, 14), D(2026, 6, 15), False),
        (D(2026, 6, 15), D(2026, 6, 15), True),
        (D(2027, 1, 1), D(2026, 6, 15), True),
    ],
)
def test_target_date_cases(due: D, today: D, ok: bool) -> None:
    assert rules.target_date_ok(due=due, today=today) is ok


def test_plan_action_with_a_past_target_or_a_too_long_title_is_refused_via_api(org: Any) -> None:
    plan = f.plan(org.staff)
    api = api_as(org.staff)
    url = f"/api/v1/career-plans/{plan.pk}/actions/"
    r = api.post(url, {"kind": "self_study", "title": "Baca regulasi", "due_date": "2026-06-01"}, format="json")
    assert r.status_code == 400 and "sudah lewat" in r.json()["message"]
    assert r.json()["extra"]["field"] == "due_date"
    with pytest.raises(ApplicationError, match="paling banyak 200 karakter") as err:
        plan_services.action_add(
            plan=plan, kind="self_study", title="x" * 201, due_date=D(2026, 9, 1), actor=org.staff.user
        )
    assert err.value.extra == {"field": "title", "max_length": 200, "length": 201}
    assert not DevelopmentAction.objects.exists()


def test_session_items_need_deadlines_after_the_session_and_titles_within_300(org: Any) -> None:
    payload = {
        "mentees": [org.staff.pk],
        "held_on": "2026-06-10",
        "duration_minutes": 60,
        "mode": "online",
        "kind": "dialogue",
        "topics": "Dialog kinerja",
        "action_items": [{"title": "Perbaiki laporan", "owner": org.staff.pk, "due_date": "2026-06-01"}],
    }
    r = api_as(org.head).post("/api/v1/mentoring-sessions/", payload, format="json")
    assert r.status_code == 400 and "sebelum tanggal sesi" in r.json()["message"]
    payload["action_items"] = [{"title": "y" * 301, "owner": org.staff.pk, "due_date": "2026-07-01"}]
    r = api_as(org.head).post("/api/v1/mentoring-sessions/", payload, format="json")
    assert r.status_code == 400 and "paling banyak 300 karakter" in r.json()["message"]
    payload["held_on"] = "2026-06-20"  # a session in the future
    payload["action_items"] = []
    r = api_as(org.head).post("/api/v1/mentoring-sessions/", payload, format="json")
    assert r.status_code == 400
    assert not MentoringSession.objects.exists() and not ActionItem.objects.exists()
