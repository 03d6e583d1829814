"""Too-long text is refused with the limit named (never cut); deadlines in the past and sessions in the future
are refused, on the pages and in the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from asn_portal.errors import ApplicationError
from careers.models import ActionItem, DevelopmentAction, MentoringSession
from careers.plans import services as plan_services
from tests.careers import factories as f

pytestmark = pytest.mark.django_db


def _page(employee) -> Client:
    c = Client()
    c.force_login(employee.user)
    return c


def _api(employee) -> APIClient:
    c = APIClient()
    c.force_authenticate(employee.user)
    return c


def _future(days: int = 30) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def _past(days: int = 3) -> str:
    return (timezone.localdate() - dt.timedelta(days=days)).isoformat()


def test_action_title_of_201_characters_is_refused_on_the_page_with_the_limit(org) -> None:
    plan = f.plan(org.staff)
    r = _page(org.staff).post(
        f"/karier/rencana/{plan.pk}/",
        {"op": "add", "a-kind": "training", "a-title": "x" * 201, "a-due_date": _future()},
    )
    assert "Maksimal 200 karakter (sekarang 201)." in r.content.decode()
    assert not DevelopmentAction.objects.exists()


def test_action_title_of_201_characters_is_refused_by_the_service_not_cut(org) -> None:
    plan = f.plan(org.staff)
    refusal = "Nama kegiatan terlalu panjang: 201 karakter, paling banyak 200 karakter."
    with pytest.raises(ApplicationError, match=refusal):
        plan_services.action_add(
            plan=plan, kind="training", title="x" * 201, due_date=timezone.localdate(), actor=org.staff.user
        )
    assert not DevelopmentAction.objects.exists()


def test_action_in_the_past_is_refused_on_page_and_api(org) -> None:
    plan = f.plan(org.staff)
    page = _page(org.staff).post(
        f"/karier/rencana/{plan.pk}/", {"op": "add", "a-kind": "training", "a-title": "Diklat", "a-due_date": _past()}
    )
    past = dt.date.fromisoformat(_past()).strftime("%d-%m-%Y")
    refusal = f"Target selesai {past} sudah lewat; pilih hari ini atau tanggal sesudahnya."
    assert refusal in page.content.decode()
    r = _api(org.staff).post(
        f"/api/v1/career-plans/{plan.pk}/actions/",
        {"kind": "training", "title": "Diklat", "due_date": _past()},
        format="json",
    )
    assert r.status_code == 400
    assert r.json()["message"] == refusal
    assert not DevelopmentAction.objects.exists()


def test_api_session_topic_too_long_names_the_limit(org) -> None:
    r = _api(org.head).post(
        "/api/v1/mentoring-sessions/",
        {
            "mentees": [org.staff.pk],
            "held_on": _past(),
            "duration_minutes": 60,
            "mode": "in_person",
            "kind": "coaching",
            "topics": "t" * 301,
        },
        format="json",
    )
    assert r.status_code == 400
    assert "Maksimal 300 karakter." in str(r.json()["extra"])
    assert not MentoringSession.objects.exists()


def test_session_in_the_future_and_item_due_before_the_session_are_refused(org) -> None:
    base = {
        "mentees": [org.staff.pk],
        "held_on": _future(2),
        "duration_minutes": 60,
        "mode": "in_person",
        "kind": "coaching",
        "topics": "Target",
    }
    r = _page(org.head).post("/karier/bimbingan/baru/", base)
    assert "Tanggal sesi tidak boleh di masa depan." in r.content.decode()
    r = _page(org.head).post(
        "/karier/bimbingan/baru/",
        {
            **base,
            "held_on": _past(3),
            "item_title_1": "Laporan",
            "item_owner_1": str(org.staff.pk),
            "item_due_1": _past(10),
        },
    )
    assert "Tindak lanjut 1: batas waktu tidak boleh sebelum tanggal sesi." in r.content.decode()
    assert not MentoringSession.objects.exists()


def test_negative_duration_is_refused_on_page_and_api(org) -> None:
    body = {
        "mentees": [org.staff.pk],
        "held_on": _past(),
        "duration_minutes": -30,
        "mode": "in_person",
        "kind": "coaching",
        "topics": "Target",
    }
    assert _api(org.head).post("/api/v1/mentoring-sessions/", body, format="json").status_code == 400
    r = _page(org.head).post("/karier/bimbingan/baru/", body)
    assert r.status_code == 200
    assert not MentoringSession.objects.exists()
    assert not ActionItem.objects.exists()
