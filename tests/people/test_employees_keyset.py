"""The employees API list (issue #13): keyset pages of lean rows. Following `next` gives every employee exactly
once in directory order even while people are added between pages, the SQL never counts or offsets, the
directory's filters and orderings still apply, and a row holds what the former list serializer gave."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from people.api.serializers import EmployeeListSerializer
from people.models import Employee
from tests.conftest import api_as
from tests.people.factories import EmployeeFactory, PositionFactory

pytestmark = pytest.mark.django_db


def _staff(org: Any, n: int, prefix: str = "Pegawai") -> list[Employee]:
    post = PositionFactory(unit=org.dinas, headcount=n + 10)
    # every second pair shares a name: the id breaks the tie
    return [EmployeeFactory(unit=org.dinas, position=post, name=f"{prefix} {i // 2:02d}") for i in range(n)]


def _follow(client: Any, url: str, between_pages: Any = None) -> tuple[list[dict[str, Any]], str]:
    rows: list[dict[str, Any]] = []
    sql = ""
    next_url: str | None = url
    while next_url:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(next_url)
        assert response.status_code == 200, response.content
        body = response.json()
        assert set(body) == {"next", "results"}
        # the access log's write (with its daily roll-up) is not the list's query
        sql += " ".join(q["sql"].upper() for q in ctx.captured_queries if "PEOPLE_RECORDACCESS" not in q["sql"].upper())
        rows += body["results"]
        next_url = body["next"]
        if between_pages is not None and next_url:
            between_pages()
    return rows, sql


def test_following_next_gives_every_employee_once_in_directory_order_while_people_are_added(org: Any) -> None:
    _staff(org, 21)
    before = list(Employee.objects.filter(agency=org.agency).order_by("name", "pk").values_list("pk", flat=True))
    added: list[Employee] = []

    def hire() -> None:  # one before every cursor, one after it, each time a page has been read
        added.append(EmployeeFactory(unit=org.dinas, name=f"Aaron {len(added):02d}"))
        added.append(EmployeeFactory(unit=org.dinas, name=f"Zulkifli {len(added):02d}"))

    rows, sql = _follow(api_as(org.admin), "/api/v1/employees/?page_size=4", hire)
    seen = [r["id"] for r in rows]
    assert len(seen) == len(set(seen)), "a row was given twice"
    assert set(before) <= set(seen), "a row present from the start was skipped"
    in_order = list(Employee.objects.filter(pk__in=seen).order_by("name", "pk").values_list("pk", flat=True))
    assert seen == in_order
    # the people added after the cursor passed their place are not there; those ahead of it are
    assert not any(r["full_name"].startswith("Aaron") for r in rows)
    assert any(r["full_name"].startswith("Zulkifli") for r in rows)
    assert "COUNT(" not in sql and "OFFSET" not in sql


def test_filters_and_orderings_hold_across_pages(org: Any) -> None:
    _staff(org, 9)
    client = api_as(org.admin)
    unit_rows, _ = _follow(client, f"/api/v1/employees/?unit={org.bidang.pk}&page_size=1")
    assert {r["full_name"] for r in unit_rows} == {"Kabid Pelayanan", "Staf Bidang"}
    found, _ = _follow(client, "/api/v1/employees/?q=Disdik&ordering=-name&page_size=1")
    assert [r["full_name"] for r in found] == ["Staf Disdik", "Kepala Disdik"]
    agency = Employee.objects.filter(agency=org.agency)
    by_nip, _ = _follow(client, "/api/v1/employees/?ordering=nip&page_size=3")
    assert [r["id"] for r in by_nip] == list(agency.order_by("nip").values_list("pk", flat=True))
    by_unit, _ = _follow(client, "/api/v1/employees/?ordering=-unit&page_size=3")
    assert [r["id"] for r in by_unit] == list(agency.order_by("-unit__path", "pk").values_list("pk", flat=True))
    # rank is nullable: a keyset cannot order by it, so that list comes newest first (documented)
    by_rank, _ = _follow(client, "/api/v1/employees/?ordering=rank&page_size=3")
    assert [r["id"] for r in by_rank] == list(agency.order_by("-pk").values_list("pk", flat=True))
    head_rows, _ = _follow(api_as(org.head), "/api/v1/employees/?page_size=2")
    assert org.other_staff.pk not in {r["id"] for r in head_rows}  # still scoped like the directory


def test_a_lean_row_holds_what_the_former_list_serializer_gave(org: Any) -> None:
    org.staff.front_title, org.staff.back_title = "dr.", "M.Kes"
    org.staff.save()
    nobody = EmployeeFactory(unit=org.dinas, position=None, rank=None, rank_start_date=None, name="Tanpa Jabatan")
    rows = {r["id"]: r for r in _follow(api_as(org.admin), "/api/v1/employees/?page_size=500")[0]}
    for employee in (org.staff, nobody, org.head):
        fresh = Employee.objects.select_related("unit", "position", "rank").get(pk=employee.pk)
        assert rows[employee.pk] == dict(EmployeeListSerializer(fresh).data)
    assert rows[org.staff.pk]["full_name"] == f"dr. {org.staff.name}, M.Kes"


def test_the_list_costs_the_same_for_2_and_60_rows_per_page(org: Any) -> None:
    client = api_as(org.admin)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/employees/?page_size=60").status_code == 200
        return len(ctx.captured_queries)

    queries()  # the user's scope is cached on the first request
    small = queries()
    _staff(org, 60)
    assert queries() == small


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/employees/",
        "/api/v1/rank-promotion-queue/",
        "/api/v1/promotion-proposals/",
        "/api/v1/career-plans/",
        "/api/v1/mentoring-sessions/",
        "/api/v1/questionnaires/",
    ],
)
def test_every_list_that_grows_with_the_workforce_is_keyset_paginated(org: Any, url: str) -> None:
    with CaptureQueriesContext(connection) as ctx:
        body = api_as(org.admin).get(url).json()
    assert set(body) == {"next", "results"}
    sql = " ".join(q["sql"].upper() for q in ctx.captured_queries)
    assert '"__COUNT"' not in sql and "OFFSET" not in sql  # a page-number paginator's count of every row


@pytest.mark.parametrize(
    "query",
    ["q=pegawai&ordering=-rank", "q=PEG&ordering=rank", "q=pe&ordering=-rank", "q=pegawai%200&ordering=-rank"],
)
def test_a_name_search_ordered_by_rank_pages_as_newest_first_by_id(org: Any, monkeypatch: Any, query: str) -> None:
    """A rank ordering falls back to newest first (`-pk`); with a name fragment of three letters or more the rows
    are sorted by `id + 0` (EmployeeKeysetPagination: the trigram index instead of a walk of the primary key). The
    pages and cursors are those of the plain `-pk` order, for an admin, a head and another agency's admin."""
    from people.api import views

    staff = _staff(org, 9)
    for page_size in (2, 4, 50):
        url = f"/api/v1/employees/?{query}&page_size={page_size}"
        for who in (org.admin, org.head, org.foreign_admin):
            rows, sql = _follow(api_as(who), url)
            with monkeypatch.context() as m:
                m.setattr(views, "trigram_name_search", lambda value: False)
                plain_rows, plain_sql = _follow(api_as(who), url)
            assert rows == plain_rows
            assert ('"ID" + 0) DESC' in sql) == (len(query.split("&")[0]) >= len("q=PEG"))
            assert '"ID" + 0' not in plain_sql
        ids = [r["id"] for r in _follow(api_as(org.admin), url)[0]]
        assert ids == sorted(ids, reverse=True) and set(ids) >= {e.pk for e in staff if "0" in e.name}
