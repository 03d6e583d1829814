"""A reusable access walker: request each URL as each role and check that only the allowed roles get in.

Usage from any app's tests (with the `org` fixture of tests/conftest.py):

    from tests.people.access_walk import Case, assert_walk

    def test_nobody_sees_foreign_things(org):
        assert_walk(org, [
            Case(f"/karier/rencana/{plan.pk}/", allowed={"admin"}),
            Case(f"/api/v1/plans/{plan.pk}/", allowed={"admin", "head"}),
            Case(f"/karier/rencana/{plan.pk}/hapus/", method="post", allowed=set()),
        ])

A role outside `allowed` must get 403 or 404 (never 200, never a redirect to the object); a role inside
must get a 2xx/3xx answer. Role names are the attributes of tests.conftest.Org."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.test import Client
from rest_framework.test import APIClient

ROLES = ("staff", "bidang_staff", "head", "bidang_head", "other_head", "admin", "foreign_admin", "foreign_staff")


@dataclass(frozen=True)
class Case:
    url: str
    allowed: frozenset[str] | set[str] = field(default_factory=frozenset)
    method: str = "get"
    data: dict[str, Any] | None = None
    roles: tuple[str, ...] | None = None  # default: ROLES (drop allowed roles for writes you must not perform)


def _client(url: str, user: Any) -> Any:
    client: Any = APIClient() if url.startswith("/api/") else Client()
    client.force_login(user)
    return client


def walk(org: Any, cases: Iterable[Case]) -> list[str]:
    """Return one line per violation (empty list = every role got exactly what it should)."""
    failures = []
    for case in cases:
        for role in case.roles or ROLES:
            user = getattr(org, role).user
            client = _client(case.url, user)
            kwargs: dict[str, Any] = {}
            if case.data is not None:
                kwargs["data"] = case.data
                if case.url.startswith("/api/"):
                    kwargs["format"] = "json"
            status = getattr(client, case.method)(case.url, **kwargs).status_code
            if role in case.allowed:
                if status >= 400:
                    failures.append(f"{role} {case.method.upper()} {case.url}: expected access, got {status}")
            elif status not in (403, 404):
                failures.append(f"{role} {case.method.upper()} {case.url}: expected 403/404, got {status}")
    return failures


def assert_walk(org: Any, cases: Iterable[Case]) -> None:
    failures = walk(org, cases)
    assert not failures, "Access violations:\n" + "\n".join(failures)
