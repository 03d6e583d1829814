"""Keyset pagination of the lists that grow with the workforce (issue #13): every row exactly once across pages,
in the list's own order, no COUNT and no OFFSET in the SQL, and a tampered cursor is a clear 400."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from asn_portal.pagination import FALLBACK_ORDERING, keyset_ordering
from tests.people.factories import EmployeeFactory
from training.models import LearningRecord

pytestmark = pytest.mark.django_db


def _ledger(org: Any, n: int) -> None:
    people = [EmployeeFactory(unit=org.dinas) for _ in range(5)]
    LearningRecord.objects.bulk_create(
        LearningRecord(
            employee=people[i % 5],
            agency=org.agency,
            source_type="test",
            source_id=str(i),
            title=f"Pelatihan {i:03d}",
            jp=2,
            date=dt.date(2026, 1, 1) + dt.timedelta(days=i % 7),  # many ties on the first sort column
            year=2026,
            status="verified",
        )
        for i in range(n)
    )


def test_pages_hold_every_row_once_in_the_list_order_without_count_or_offset(org: Any) -> None:
    _ledger(org, 23)
    client = APIClient()
    client.force_login(org.admin.user)
    url: str | None = "/api/v1/learning-records/?page_size=5"
    seen: list[int] = []
    pages = 0
    while url:
        with CaptureQueriesContext(connection) as ctx:
            body = client.get(url).json()
        # the access log's write (with its daily roll-up) is not the list's query
        sql = " ".join(q["sql"].upper() for q in ctx.captured_queries if "PEOPLE_RECORDACCESS" not in q["sql"].upper())
        assert "COUNT(" not in sql and "OFFSET" not in sql
        assert "count" not in body and len(body["results"]) <= 5
        seen += [r["id"] for r in body["results"]]
        url = body["next"]
        pages += 1
    expected = list(
        LearningRecord.objects.filter(employee__agency=org.agency).order_by("-date", "-pk").values_list("pk", flat=True)
    )
    assert seen == expected and len(seen) >= 23 and pages == -(-len(expected) // 5)


def test_a_tampered_cursor_is_a_clear_400(org: Any) -> None:
    client = APIClient()
    client.force_login(org.admin.user)
    for cursor in ("bukan-kursor", "WyJ4Il0=", "W10="):  # garbage, one value of the wrong kind, an empty list
        r = client.get("/api/v1/learning-records/", {"cursor": cursor})
        assert r.status_code == 400, cursor
        assert r.json()["extra"]["fields"] == {"cursor": ["Kursor halaman tidak valid."]}


def test_a_nullable_sort_column_falls_back_to_newest_first() -> None:
    from people.models import Employee

    assert keyset_ordering(Employee.objects.order_by("rank__order", "pk")) == FALLBACK_ORDERING
    assert keyset_ordering(Employee.objects.order_by("name")) == ("name", "pk")
    assert keyset_ordering(LearningRecord.objects.order_by("-date", "-pk")) == ("-date", "-pk")
