"""Personal API tokens: created on the account page or the API (text shown once), stored as a digest,
listed with prefix/created/expiry/last use, revoked by their owner only, and refused once revoked or expired."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.test import Client
from rest_framework.test import APIClient

from asn_portal.models import ApiToken, AuditEntry
from asn_portal.services import api_token_create
from tests.conftest import api_as
from tests.people.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def token_client(text: str) -> APIClient:
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {text}")
    return c


def page_client(emp: Any) -> Client:
    c = Client()
    c.force_login(emp.user)
    return c


def create_on_page(emp: Any, name: str = "SIMPEG dinas", days: int = 90) -> tuple[str, str]:
    r = page_client(emp).post("/akun/token-api/", {"name": name, "days": days})
    assert r.status_code == 200
    html = r.content.decode()
    match = re.search(r'data-testid="token-text">([^<]+)<', html)
    assert match, html
    return match.group(1), html


def test_token_created_on_the_account_page_is_shown_once_and_works() -> None:
    emp = EmployeeFactory()
    text, html = create_on_page(emp)
    assert "hanya ditampilkan sekali" in html
    assert token_client(text).get("/api/v1/me/").status_code == 200
    again = page_client(emp).get("/akun/token-api/").content.decode()
    assert text not in again and "SIMPEG dinas" in again and text[:15] in again  # prefix listed, token not


def test_only_a_digest_is_stored() -> None:
    emp = EmployeeFactory()
    text, _html = create_on_page(emp)
    row = ApiToken.objects.get(user=emp.user)
    assert text not in (row.digest, row.token_key) and len(row.digest) == 128
    assert not ApiToken.objects.filter(digest=text).exists()
    assert not AuditEntry.objects.filter(after__icontains=text).exists()


def test_expiry_is_set_from_the_chosen_days() -> None:
    emp = EmployeeFactory()
    create_on_page(emp, days=30)
    row = ApiToken.objects.get(user=emp.user)
    assert dt.timedelta(days=29, hours=23) < row.expiry - row.created <= dt.timedelta(days=30)


def test_revoked_token_is_refused_with_401() -> None:
    emp = EmployeeFactory()
    text, _html = create_on_page(emp)
    row = ApiToken.objects.get(user=emp.user)
    r = page_client(emp).post(f"/akun/token-api/{row.public_id}/cabut/")
    assert r.status_code == 302
    refused = token_client(text).get("/api/v1/me/")
    assert refused.status_code == 401 and "message" in refused.json()
    assert AuditEntry.objects.filter(action="api_token.revoke", actor=emp.user).exists()


def test_expired_token_is_refused_with_401() -> None:
    emp = EmployeeFactory()
    text, _html = create_on_page(emp, days=30)
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(days=31)):
        assert token_client(text).get("/api/v1/me/").status_code == 401
    assert not ApiToken.objects.filter(user=emp.user).exists()


def test_another_users_token_cannot_be_revoked() -> None:
    owner, intruder = EmployeeFactory(), EmployeeFactory()
    text, _html = create_on_page(owner)
    row = ApiToken.objects.get(user=owner.user)
    assert page_client(intruder).post(f"/akun/token-api/{row.public_id}/cabut/").status_code == 404
    r = api_as(intruder).delete(f"/api/v1/me/tokens/{row.public_id}/")
    assert r.status_code == 404 and r.json()["message"] == "Token tidak ditemukan."
    assert token_client(text).get("/api/v1/me/").status_code == 200


def test_api_lists_creates_and_revokes_own_tokens() -> None:
    emp = EmployeeFactory()
    session = api_as(emp)
    r = session.post("/api/v1/me/tokens/", {"name": "Integrasi", "days": 365}, format="json")
    assert r.status_code == 201
    body = r.json()
    assert set(body) == {"id", "name", "prefix", "created", "expiry", "last_used_at", "token"}
    text = body["token"]
    assert token_client(text).get("/api/v1/me/").status_code == 200
    listed = token_client(text).get("/api/v1/me/tokens/").json()
    assert [t["name"] for t in listed] == ["Integrasi"] and "token" not in listed[0]
    assert listed[0]["last_used_at"] is not None and listed[0]["prefix"] == text[:15]
    assert token_client(text).delete(f"/api/v1/me/tokens/{body['id']}/").status_code == 204
    assert token_client(text).get("/api/v1/me/").status_code == 401


def test_a_token_cannot_mint_more_tokens_and_bad_input_is_a_400() -> None:
    emp = EmployeeFactory()
    _row, text = api_token_create(user=emp.user, name="a", days=30)
    r = token_client(text).post("/api/v1/me/tokens/", {"name": "lagi", "days": 30}, format="json")
    assert r.status_code == 403 and "sesi login" in r.json()["message"]
    bad = api_as(emp).post("/api/v1/me/tokens/", {"name": "x", "days": 7}, format="json")
    assert bad.status_code == 400 and bad.json()["extra"] == {"field": "days"}
    assert api_as(emp).post("/api/v1/me/tokens/", {"days": 30}, format="json").status_code == 400


def test_anonymous_token_list_is_401() -> None:
    assert APIClient().get("/api/v1/me/tokens/").status_code == 401
