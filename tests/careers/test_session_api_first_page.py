"""The sessions API's first page for a one-agency BKD admin is read by a statement compiled once per process
(careers.mentoring.selectors.session_api_first_rows): the same rows as the queryset's page, the same JSON and next
cursors as the queryset path, and None (the queryset path) for every other reader (issue #13)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from careers.api import views
from careers.mentoring import selectors
from tests.careers import factories as f
from tests.conftest import api_as
from tests.people.factories import make_hr_admin

pytestmark = pytest.mark.django_db

KEYS = views._SESSION_KEYS


@pytest.fixture
def sessions(org) -> None:
    """Sessions in both agencies: coached by a head, by the admin (their own private notes), on the same day (the
    id breaks the tie), another agency's session with one of agency A's people (seen by A's admin through the
    mentee) and one with only its own people."""
    day = dt.date(2026, 3, 2)
    f.session(org.head, [org.staff, org.other_staff], held_on=day, private_notes="RAHASIA-KEPALA")
    f.session(org.head, [org.staff2], held_on=day)
    f.session(org.admin, [org.bidang_staff], held_on=day + dt.timedelta(days=3), private_notes="RAHASIA-ADMIN")
    f.session(org.other_head, [org.other_staff], held_on=day - dt.timedelta(days=9))
    f.session(org.foreign_admin, [org.foreign_staff, org.staff], held_on=day + dt.timedelta(days=1))
    f.session(org.foreign_admin, [org.foreign_staff], held_on=day, private_notes="RAHASIA-PONTIANAK")


def _readers(org) -> dict[str, Any]:
    superuser = get_user_model().objects.create_superuser("akar", "akar@example.com", "x")
    return {
        "admin": org.admin.user,
        "foreign_admin": org.foreign_admin.user,
        "head": org.head.user,
        "staff": org.staff.user,
        "superuser": superuser,
    }


def test_first_rows_equal_the_querysets_page_for_one_agency_admins_and_none_for_others(org, sessions) -> None:
    readers = _readers(org)
    for name, user in readers.items():
        for limit in (1, 2, 3, 51):
            got = selectors.session_api_first_rows(user=user, keys=KEYS, limit=limit)
            if name in ("admin", "foreign_admin"):
                expected = list(selectors.session_api_rows(user=user).values(*KEYS)[:limit])
                assert got == expected, (name, limit)
                assert len(expected) == min(limit, 5 if name == "admin" else 2)
            else:
                assert got is None, name
    own = selectors.session_api_first_rows(user=org.admin.user, keys=KEYS, limit=51) or []
    assert {r["own_private_notes"] for r in own} == {"RAHASIA-ADMIN", ""}


def test_admin_of_two_agencies_or_working_elsewhere_keeps_the_queryset(org) -> None:
    both = make_hr_admin(org.agency, name="Admin Dua")
    from people.models import AgencyRole

    AgencyRole.objects.create(user=both.user, agency=org.other_agency, role="hr_admin")
    assert selectors.session_api_first_rows(user=both.user, keys=KEYS, limit=5) is None


def _pages(client: Any, path: str) -> list[Any]:
    pages, url = [], path
    while url:
        response = client.get(url)
        assert response.status_code == 200
        pages.append(response.content)
        url = response.json()["next"]
    return pages


@pytest.mark.parametrize("size", ["", "1", "2", "50"])
def test_api_pages_and_cursors_equal_the_queryset_path(org, sessions, monkeypatch, size) -> None:
    path = "/api/v1/mentoring-sessions/" + (f"?page_size={size}" if size else "")
    for who in (org.admin, org.foreign_admin, org.head):
        fast = _pages(api_as(who), path)
        with monkeypatch.context() as m:
            m.setattr(selectors, "session_api_first_rows", lambda **kw: None)
            slow = _pages(api_as(who), path)
        assert fast == slow
        assert len(fast) >= 1
    assert b"RAHASIA-ADMIN" in b"".join(_pages(api_as(org.admin), path))
    assert b"RAHASIA-KEPALA" not in b"".join(_pages(api_as(org.admin), path))


def test_first_page_queries_no_more_than_the_queryset_path(org, sessions, monkeypatch) -> None:
    client = api_as(org.admin)
    client.get("/api/v1/mentoring-sessions/")  # compile once
    with CaptureQueriesContext(connection) as fast:
        client.get("/api/v1/mentoring-sessions/")
    monkeypatch.setattr(selectors, "session_api_first_rows", lambda **kw: None)
    with CaptureQueriesContext(connection) as slow:
        client.get("/api/v1/mentoring-sessions/")
    assert len(fast) <= len(slow) <= 4
