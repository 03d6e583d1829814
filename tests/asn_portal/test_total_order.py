"""Paged lists end their order with the primary key, so rows that tie on the shown order appear exactly once across
the pages (an order that is not total lets PostgreSQL return tied rows in any order per query, and offset paging
then repeats some and skips others)."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from asn_portal.models import Notification
from competencies.models import Competency
from people.models import Position
from tests.competencies.factories import CompetencyFactory
from tests.people.factories import EmployeeFactory, OrgUnitFactory, PositionFactory, make_hr_admin

pytestmark = pytest.mark.django_db


def _paged_texts(client: Client, url: str, pattern: str, pages: int, table: str, **params: str) -> list[str]:
    """What each page shows (each distinct match once per page), the pages one after the other; and each page's
    query of `table` orders by its id last (with few rows PostgreSQL often returns ties in a stable order by
    chance, so the pages alone would not show a missing tiebreaker)."""
    found: list[str] = []
    for page in range(1, pages + 1):
        with CaptureQueriesContext(connection) as queries:
            resp = client.get(url, {**params, "page": page})
        assert resp.status_code == 200
        found += sorted(set(re.findall(pattern, resp.content.decode())))
        paged = [q["sql"] for q in queries.captured_queries if f'FROM "{table}"' in q["sql"] and "LIMIT" in q["sql"]]
        assert paged and all(re.search(rf'"{table}"\."id" (ASC|DESC)\s+LIMIT', sql) for sql in paged), paged
    return found


def test_notifications_with_one_timestamp_each_appear_once_across_pages():
    emp = EmployeeFactory()
    Notification.objects.bulk_create(Notification(user=emp.user, title=f"Pemberitahuan-{i:02d}") for i in range(60))
    Notification.objects.filter(user=emp.user).update(created_at="2026-11-30T08:00:00Z")
    client = Client()
    client.force_login(emp.user)
    seen = _paged_texts(client, "/notifikasi/", r"Pemberitahuan-\d\d", 3, Notification._meta.db_table)
    assert sorted(seen) == [f"Pemberitahuan-{i:02d}" for i in range(60)]


def test_key_posts_with_one_title_in_one_unit_appear_once_across_pages():
    unit = OrgUnitFactory()
    admin = make_hr_admin(unit.agency)
    posts = [
        PositionFactory(unit=unit, title="Kepala Bidang", code=f"KB-{i:03d}", kind="administrator", is_key=True)
        for i in range(120)
    ]
    assert Position.objects.filter(pk__in=[p.pk for p in posts]).count() == 120
    client = Client()
    client.force_login(admin.user)
    seen = _paged_texts(client, "/karier/suksesi/", r"/karier/suksesi/(\d+)/", 3, Position._meta.db_table)
    assert sorted(seen, key=int) == sorted((str(p.pk) for p in posts), key=int)


def test_dictionary_entries_with_one_name_appear_once_across_pages():
    unit = OrgUnitFactory()
    admin = make_hr_admin(unit.agency)
    codes = [CompetencyFactory(agency=unit.agency, code=f"TIE-{i:02d}", name="Kearsipan").code for i in range(60)]
    client = Client()
    client.force_login(admin.user)
    seen = _paged_texts(
        client, "/kompetensi/kamus/", r'font-monospace">(TIE-\d\d)<', 3, Competency._meta.db_table, q="TIE-"
    )
    assert sorted(seen) == codes
