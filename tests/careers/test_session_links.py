"""A mentoring session may link an RHK, a career-plan action or a 9-box placement only of someone in the
session: other agencies' placements are not found (404), unknown ids are a 400 with a message, page and API."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from careers.models import MentoringSession
from tests.careers import factories as f
from tests.conftest import api_as
from tests.performance import factories as pf

pytestmark = pytest.mark.django_db


def payload(org: Any, **links: Any) -> dict[str, Any]:
    return {
        "mentees": [org.staff.pk],
        "held_on": "2026-01-05",
        "duration_minutes": 60,
        "mode": "online",
        "kind": "dialogue",
        "topics": "Tindak lanjut kotak talenta",
        **links,
    }


def test_head_cannot_attach_another_agencys_talent_placement(org: Any) -> None:
    foreign = f.placement(f.review(org.other_agency.pk), org.foreign_staff, 9)
    r = api_as(org.head).post("/api/v1/mentoring-sessions/", payload(org, talent_placement=foreign.pk), format="json")
    assert r.status_code == 404
    assert r.json()["message"] == "Rekomendasi kotak talenta tidak ditemukan."
    assert not MentoringSession.objects.exists()


def test_placement_of_someone_outside_the_session_is_refused(org: Any) -> None:
    other = f.placement(f.review(org.agency.pk), org.staff2, 5)
    r = api_as(org.head).post("/api/v1/mentoring-sessions/", payload(org, talent_placement=other.pk), format="json")
    assert r.status_code == 400
    assert "peserta sesi" in r.json()["message"]
    assert not MentoringSession.objects.exists()


def test_unknown_planned_result_is_a_400_with_a_message(org: Any) -> None:
    r = api_as(org.head).post("/api/v1/mentoring-sessions/", payload(org, planned_result=987654), format="json")
    assert r.status_code == 400
    assert r.json() == {
        "message": "RHK yang dirujuk tidak ditemukan.",
        "extra": {"field": "planned_result", "id": 987654},
    }
    assert not MentoringSession.objects.exists()


def test_unknown_development_action_is_a_400(org: Any) -> None:
    r = api_as(org.head).post("/api/v1/mentoring-sessions/", payload(org, development_action=987654), format="json")
    assert r.status_code == 400 and "tidak ditemukan" in r.json()["message"]


def test_the_mentees_own_rhk_and_placement_are_linked(org: Any) -> None:
    rhk = pf.plan(org.staff).results.get()
    own = f.placement(f.review(org.agency.pk), org.staff, 7)
    r = api_as(org.head).post(
        "/api/v1/mentoring-sessions/", payload(org, planned_result=rhk.pk, talent_placement=own.pk), format="json"
    )
    assert r.status_code == 201, r.json()
    session = MentoringSession.objects.get()
    assert (session.planned_result_id, session.talent_placement_id) == (rhk.pk, own.pk)


def test_session_page_refuses_a_foreign_placement_with_a_message(org: Any) -> None:
    foreign = f.placement(f.review(org.other_agency.pk), org.foreign_staff, 9)
    c = Client()
    c.force_login(org.head.user)
    form = {k: v for k, v in payload(org, talent_placement=foreign.pk).items() if k != "mentees"}
    r = c.post("/karier/bimbingan/baru/", {**form, "mentees": [org.staff.pk]})
    assert r.status_code == 200
    assert "Rekomendasi kotak talenta tidak ditemukan." in r.content.decode()
    assert not MentoringSession.objects.exists()
    opened = c.get("/karier/bimbingan/baru/", {"talent_placement": foreign.pk})
    assert f'value="{foreign.pk}"' in opened.content.decode()  # carried as a hidden field, checked on save
