"""Creates and confirmations that a double click or a retried request repeats happen once."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from rest_framework.test import APIClient

from asn_portal.models import AuditEntry
from careers.mentoring import services as mentoring_services
from careers.models import CareerPlan, MentoringSession, SessionMentee
from tests.concurrency import at_once

pytestmark = pytest.mark.django_db(transaction=True)

SESSION = {
    "held_on": "2026-01-05",
    "duration_minutes": 120,
    "mode": "in_person",
    "kind": "coaching",
    "topics": "Target triwulan",
}


def _client(employee, api: bool = False) -> Client:
    c = APIClient() if api else Client()
    c.force_login(employee.user)
    return c


def test_double_click_on_simpan_sesi_logs_one_session(org) -> None:
    data = {**SESSION, "mentees": [org.staff.pk], "idempotency_key": "klik-ganda-0001"}
    responses = at_once(lambda i: _client(org.head).post("/karier/bimbingan/baru/", data))
    assert [r.status_code for r in responses] == [302, 302]
    session = MentoringSession.objects.get()
    assert {r["Location"] for r in responses} == {f"/karier/bimbingan/{session.pk}/"}
    assert AuditEntry.objects.filter(action="mentoring_session.log").count() == 1


def test_the_create_form_carries_a_fresh_key_and_a_refused_post_keeps_it(org) -> None:
    c = _client(org.head)
    assert 'name="idempotency_key"' in c.get("/karier/bimbingan/baru/").content.decode()
    refused = c.post(
        "/karier/bimbingan/baru/",
        {**SESSION, "held_on": "2099-01-01", "mentees": [org.staff.pk], "idempotency_key": "kunci-ditolak-01"},
    )
    assert 'value="kunci-ditolak-01"' in refused.content.decode()
    ok = c.post(
        "/karier/bimbingan/baru/", {**SESSION, "mentees": [org.staff.pk], "idempotency_key": "kunci-ditolak-01"}
    )
    assert ok.status_code == 302
    assert MentoringSession.objects.count() == 1


def test_the_same_session_posted_twice_without_a_key_is_refused_the_second_time(org) -> None:
    data = {**SESSION, "mentees": [org.staff.pk]}
    c = _client(org.head)
    assert c.post("/karier/bimbingan/baru/", data).status_code == 302
    again = c.post("/karier/bimbingan/baru/", {**data, "topics": "  target TRIWULAN "})
    assert again.status_code == 200
    assert "Sesi bimbingan yang sama (tanggal, topik dan peserta) sudah dicatat." in again.content.decode()
    assert MentoringSession.objects.count() == 1


def test_api_session_retried_with_the_same_idempotency_key_is_one_row(org) -> None:
    body = {**SESSION, "mentees": [org.staff.pk]}
    responses = at_once(
        lambda i: _client(org.head, api=True).post(
            "/api/v1/mentoring-sessions/", body, format="json", HTTP_IDEMPOTENCY_KEY="api-retry-000001"
        )
    )
    assert sorted(r.status_code for r in responses) == [200, 201]
    assert responses[0].json()["id"] == responses[1].json()["id"]
    assert MentoringSession.objects.count() == 1


def test_api_refuses_a_malformed_idempotency_key(org) -> None:
    response = _client(org.head, api=True).post(
        "/api/v1/mentoring-sessions/",
        {**SESSION, "mentees": [org.staff.pk]},
        format="json",
        HTTP_IDEMPOTENCY_KEY="x",
    )
    assert response.status_code == 400
    assert "Kunci idempotensi tidak valid" in response.json()["message"]
    assert not MentoringSession.objects.exists()


def test_api_concurrent_identical_sessions_without_key_give_one_row_and_a_409(org) -> None:
    body = {**SESSION, "mentees": [org.staff.pk]}
    responses = at_once(lambda i: _client(org.head, api=True).post("/api/v1/mentoring-sessions/", body, format="json"))
    assert sorted(r.status_code for r in responses) == [201, 409]
    loser = next(r for r in responses if r.status_code == 409)
    assert loser.json()["message"] == "Sesi bimbingan yang sama (tanggal, topik dan peserta) sudah dicatat."
    assert MentoringSession.objects.count() == 1


def test_confirming_a_duplicate_of_an_already_credited_meeting_credits_no_more_jp(org) -> None:
    first = mentoring_services.session_log(actor=org.head.user, mentee_ids=[org.staff.pk], **_service_args())
    # A duplicate logged before duplicates were refused (written directly, as old data would be).
    dup = MentoringSession.objects.create(
        agency_id=first.agency_id, coach=first.coach, held_on=first.held_on, duration_minutes=120,
        mode="in_person", kind="coaching", topics=first.topics, author=org.head.user,
    )  # fmt: skip
    SessionMentee.objects.create(session=dup, employee=org.staff)
    mentoring_services.session_confirm(session=first, actor=org.staff.user)
    mentoring_services.session_confirm(session=dup, actor=org.staff.user)
    credited = SessionMentee.objects.filter(employee=org.staff).values_list("jp_credited", flat=True)
    assert sorted(c or Decimal(0) for c in credited) == [Decimal(0), Decimal(2)]


def test_two_concurrent_confirmations_credit_once(org) -> None:
    session = mentoring_services.session_log(actor=org.head.user, mentee_ids=[org.staff.pk], **_service_args())
    responses = at_once(lambda i: _client(org.staff).post(f"/karier/bimbingan/{session.pk}/konfirmasi/", {}))
    assert all(getattr(r, "status_code", 500) < 500 for r in responses)
    assert SessionMentee.objects.get(session=session).jp_credited == Decimal(2)
    assert AuditEntry.objects.filter(action="mentoring_session.confirm").count() == 1


def _service_args() -> dict:
    import datetime as dt

    return {
        "held_on": dt.date(2026, 1, 5),
        "duration_minutes": 120,
        "mode": "in_person",
        "kind": "coaching",
        "topics": "Target triwulan",
    }


def test_career_plan_form_posted_twice_at_once_gives_one_plan_and_no_500(org) -> None:
    data = {"target_family": "Analis Kebijakan", "horizon_years": 2}
    responses = at_once(lambda i: _client(org.staff).post("/karier/rencana/baru/", data))
    assert [r.status_code for r in responses] == [302, 302]
    plan = CareerPlan.objects.get()
    assert {r["Location"] for r in responses} == {f"/karier/rencana/{plan.pk}/"}


def test_career_plan_api_posted_twice_at_once_gives_201_and_409(org) -> None:
    body = {"employee": org.staff.pk, "target_family": "Analis Kebijakan"}
    responses = at_once(lambda i: _client(org.staff, api=True).post("/api/v1/career-plans/", body, format="json"))
    assert sorted(r.status_code for r in responses) == [201, 409]
    loser = next(r for r in responses if r.status_code == 409)
    assert loser.json()["message"] == "Anda sudah memiliki rencana karier aktif."
    assert CareerPlan.objects.count() == 1


def test_career_plan_api_posted_again_after_the_first_is_a_409_with_a_message(org) -> None:
    body = {"employee": org.staff.pk, "target_family": "Analis Kebijakan"}
    api = _client(org.staff, api=True)
    assert api.post("/api/v1/career-plans/", body, format="json").status_code == 201
    again = api.post("/api/v1/career-plans/", body, format="json")
    assert again.status_code == 409
    assert again.json()["message"] == "Anda sudah memiliki rencana karier aktif."
