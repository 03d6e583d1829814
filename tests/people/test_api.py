"""People API: scoped lists with the directory's filters, constant queries, detail with histories, writes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from people.models import Employee
from tests.conftest import api_as
from tests.people.factories import EmployeeFactory, PositionFactory

pytestmark = pytest.mark.django_db


def test_employee_list_uses_the_directory_filters(org):
    client = api_as(org.admin)
    body = client.get("/api/v1/employees/", {"unit": org.bidang.pk}).json()
    assert {r["full_name"] for r in body["results"]} == {"Kabid Pelayanan", "Staf Bidang"}
    body = client.get("/api/v1/employees/", {"q": "Disdik", "ordering": "-name"}).json()
    assert [r["full_name"] for r in body["results"]] == ["Staf Disdik", "Kepala Disdik"]


def list_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/api/v1/employees/", {"page_size": 50}).status_code == 200
    return len(ctx.captured_queries)


def test_employee_list_costs_the_same_for_2_and_50_rows(org, django_assert_num_queries):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_login(org.head.user)  # a fresh user per request, as in production
    small = list_queries(client)
    pos = PositionFactory(unit=org.bidang, headcount=60)
    for _ in range(48):
        EmployeeFactory(unit=org.bidang, position=pos)
    assert list_queries(client) == small
    # session, user, scope (agency roles, employee and headed units in one query), the keyset page's rows
    # (no COUNT), and the access log's insert (Redis in production).
    with django_assert_num_queries(5):
        client.get("/api/v1/employees/", {"page_size": 50})


def test_employee_detail_has_both_histories(org):
    import datetime as dt

    from people.services import employee_change_rank
    from tests.people.factories import rank

    employee_change_rank(employee=org.staff, rank=rank("III/c"), start_date=dt.date(2024, 4, 1), actor=None)
    body = api_as(org.head).get(f"/api/v1/employees/{org.staff.pk}/").json()
    assert body["rank_code"] == "III/c"
    assert [h["rank_code"] for h in body["rank_history"]] == ["III/c"]
    assert "position_history" in body and body["warnings"] == []


def test_admin_creates_through_the_service_and_gets_nip_warnings(org):
    payload = {
        "nip": "199002032015032007",
        "name": "Rina Lubis",
        "gender": "L",  # NIP digit 15 says perempuan: a warning, not a refusal
        "birth_date": "1990-02-03",
        "cpns_date": "2015-03-01",
        "education_level": "s1",
        "unit": org.dinas.pk,
        "position": PositionFactory(unit=org.dinas).pk,
        "position_start_date": "2020-01-02",
    }
    response = api_as(org.admin).post("/api/v1/employees/", payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["position_history"][0]["start_date"] == "2020-01-02"
    assert any("jenis kelamin" in w for w in body["warnings"])


def test_a_bad_nip_is_a_400_with_the_part_named_and_nothing_written(org):
    payload = {
        "nip": "199002032015132007",
        "name": "Salah Bulan",
        "gender": "P",
        "birth_date": "1990-02-03",
        "education_level": "s1",
        "unit": org.dinas.pk,
    }
    response = api_as(org.admin).post("/api/v1/employees/", payload, format="json")
    assert response.status_code == 400
    assert "digit 9–14" in response.json()["message"]
    assert not Employee.objects.filter(name="Salah Bulan").exists()


def test_heads_and_staff_cannot_write(org):
    assert api_as(org.head).patch(f"/api/v1/employees/{org.staff.pk}/", {"name": "X"}, format="json").status_code == 403
    assert (
        api_as(org.staff).patch(f"/api/v1/employees/{org.staff.pk}/", {"name": "X"}, format="json").status_code == 403
    )


def test_admin_update_changes_the_name(org):
    response = api_as(org.admin).patch(f"/api/v1/employees/{org.staff.pk}/", {"name": "Staf Baru"}, format="json")
    assert response.status_code == 200 and response.json()["name"] == "Staf Baru"


def test_catalogue_endpoints(org):
    client = api_as(org.staff)
    assert len(client.get("/api/v1/ranks/").json()) == 34
    assert client.get("/api/v1/agencies/").json()["results"][0]["code"] == "medan"
    assert client.get("/api/v1/units/").json()["results"] == []  # staff see no unit tree, as on the pages
    admin_units = api_as(org.admin).get("/api/v1/units/").json()["results"]
    assert {u["name"] for u in admin_units} >= {"Dinas Kesehatan", "Bidang Pelayanan"}


def test_schema_documents_the_people_endpoints(org):
    body = api_as(org.admin).get("/api/schema/", {"format": "json"}).content.decode()
    for path in ("/api/v1/employees/", "/api/v1/units/", "/api/v1/positions/", "/api/v1/ranks/", "/api/v1/agencies/"):
        assert path in body
