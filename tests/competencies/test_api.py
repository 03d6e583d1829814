"""API: scoping (404 across agencies), writes through the services, query counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from competencies.models import CompetencyAssessment, CompetencyRequirement, EmployeeJpm
from tests.competencies.factories import CompetencyFactory, national, record, set_standard
from tests.conftest import api_as
from tests.people.factories import EmployeeFactory

pytestmark = [pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, 0), tick=False):
        yield


def test_profile_endpoint_current_and_what_if(org) -> None:
    comps = set_standard(org.staff.position, [2, 2])
    set_standard(org.head.position, [4, 4], comps)
    record(org.staff, {comps[0].pk: 2})
    client = api_as(org.staff)
    data = client.get(f"/api/v1/employees/{org.staff.pk}/competency-profile/").json()
    assert data["jpm"] == "50.00" and data["category"] == "kurang_optimal" and data["filling_category"] == "kms"
    assert [r["current"] for r in data["rows"]] == [2, None]
    data = client.get(f"/api/v1/employees/{org.staff.pk}/competency-profile/?position={org.head.position.pk}").json()
    assert data["jpm"] == "25.00"


@pytest.mark.parametrize(
    ("viewer", "target", "status"),
    [("staff", "staff2", 404), ("foreign_admin", "staff", 404), ("head", "staff", 200), ("admin", "staff", 200)],
)
def test_profile_endpoint_is_scoped(org, viewer: str, target: str, status: int) -> None:
    resp = api_as(getattr(org, viewer)).get(f"/api/v1/employees/{getattr(org, target).pk}/competency-profile/")
    assert resp.status_code == status


def test_assessment_list_is_scoped_and_constant_queries(org) -> None:
    comps = national()
    record(org.staff, {comps[0].pk: 2})
    record(org.foreign_staff, {comps[0].pk: 2})
    client = api_as(org.admin)

    def run(url: str = "/api/v1/assessments/") -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            resp = client.get(url)
        rows = resp.json()["results"]
        assert all(("results" in r) == ("expand" in url) for r in rows)  # nested results only on request
        return len(ctx.captured_queries), len(rows)

    run()  # warm the per-user scope cache so both measurements see the same fixed cost
    small, n = run()
    assert n == 1
    for _i in range(49):
        record(EmployeeFactory(unit=org.dinas), {comps[1].pk: 3, comps[2].pk: 2})
    big, n = run()
    # scope cached after the warm-up: no count (keyset pagination), 1 page of assessments with their employee,
    # 2 the access log's insert (Redis in production).
    assert n == 50 and big == small == 2
    # ?expand=results: 1 the page with employee, unit and author, 2 prefetched results with 3 their
    # competencies, 4 the access log's insert
    assert run("/api/v1/assessments/?expand=results") == (4, 50)
    detail = client.get(
        f"/api/v1/assessments/{CompetencyAssessment.objects.filter(employee=org.staff).first().pk}/"
    ).json()
    assert detail["results"] and detail["results"][0]["competency_code"]
    assert len(api_as(org.staff).get("/api/v1/assessments/").json()["results"]) == 1


def test_admin_creates_assessment_via_api(org) -> None:
    comps = set_standard(org.staff.position, [2, 2])
    payload = {
        "employee": org.staff.pk,
        "assessed_on": "2026-05-01",
        "purpose": "filling",
        "method": "cat",
        "results": [{"competency": comps[0].pk, "level": 2, "evidence": "skor CAT"}],
    }
    resp = api_as(org.admin).post("/api/v1/assessments/", payload, format="json")
    assert resp.status_code == 201, resp.json()
    assert resp.json()["results"][0]["evidence"] == "skor CAT"
    assert EmployeeJpm.objects.get(employee=org.staff).jpm == 50


@pytest.mark.parametrize(
    ("who", "change", "status"),
    [
        ("admin", {"results": [{"competency": 0, "level": 6}]}, 400),
        ("admin", {"assessed_on": "2026-06-02"}, 400),
        ("foreign_admin", {}, 404),
        ("staff", {}, 404),
    ],
)
def test_bad_assessment_via_api_is_refused(org, who: str, change: dict[str, Any], status: int) -> None:
    comps = national()
    payload: dict[str, Any] = {
        "employee": org.staff.pk,
        "assessed_on": "2026-05-01",
        "purpose": "mapping",
        "method": "cat",
        "results": [{"competency": comps[0].pk, "level": 3}],
    }
    payload.update(change)
    if "results" in change:
        payload["results"] = [{"competency": comps[0].pk, "level": 6}]
    resp = api_as(getattr(org, who)).post("/api/v1/assessments/", payload, format="json")
    assert resp.status_code == status
    if status == 400:
        assert "message" in resp.json()
    assert not CompetencyAssessment.objects.exists()


def test_requirements_api_writes_override_and_refuses_foreign_competency(org) -> None:
    comps = national()
    client = api_as(org.admin)
    resp = client.post(
        "/api/v1/competency-requirements/",
        {"position": org.staff.position.pk, "competency": comps[0].pk, "level": 3},
        format="json",
    )
    assert resp.status_code == 201 and resp.json()["is_override"] is True
    foreign = CompetencyFactory(agency=org.other_agency)
    resp = client.post(
        "/api/v1/competency-requirements/",
        {"position": org.staff.position.pk, "competency": foreign.pk, "level": 3},
        format="json",
    )
    assert resp.status_code == 400
    resp = api_as(org.foreign_admin).post(
        "/api/v1/competency-requirements/",
        {"position": org.staff.position.pk, "competency": comps[1].pk, "level": 3},
        format="json",
    )
    assert resp.status_code == 404
    assert CompetencyRequirement.objects.count() == 1
    assert api_as(org.foreign_admin).get("/api/v1/competency-requirements/").json() == {"next": None, "results": []}
    page = client.get("/api/v1/competency-requirements/").json()  # keyset pages: no count over every standard
    assert "count" not in page and [r["competency_code"] for r in page["results"]] == [comps[0].code]


def test_competency_dictionary_api(org) -> None:
    national()
    mine = CompetencyFactory(agency=org.agency)
    CompetencyFactory(agency=org.other_agency)
    data = api_as(org.staff).get("/api/v1/competencies/?page_size=100").json()
    codes = {r["code"] for r in data["results"]}
    assert mine.code in codes and len(codes) == 10
    resp = api_as(org.admin).post("/api/v1/competencies/", {"code": "TK9", "name": "Pengelolaan Arsip"}, format="json")
    assert resp.status_code == 201 and resp.json()["kind"] == "technical"
    assert api_as(org.staff).post("/api/v1/competencies/", {"code": "X", "name": "X"}, format="json").status_code == 403
