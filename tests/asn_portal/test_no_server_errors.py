"""Regression tests for the server errors the outside fuzz run found (issue 11): each bad input now gets a
400/404 with a clear message, JSON `{"message", "extra"}` in the API and an Indonesian page elsewhere."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError
from django.test import Client

from asn_portal.api import exception_handler
from asn_portal.params import int_or_none
from careers.models import TalentReview
from performance.choices import PlanStatus
from tests.careers import factories as cf
from tests.conftest import api_as
from tests.performance import factories as pf
from tests.training.factories import CourseFactory, OfferingFactory
from training.models import Course

pytestmark = pytest.mark.django_db


def page_client(employee: Any) -> Client:
    client = Client()
    client.force_login(employee.user)
    return client


# --- API ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("pk", ["null,null", "abc"])
def test_non_numeric_id_in_an_action_path_is_a_json_404(org, pk):
    plan = pf.plan(org.staff, status=PlanStatus.SUBMITTED)
    response = api_as(org.head).post(f"/api/v1/performance-plans/{pk}/approve/")
    assert response.status_code == 404
    assert response.json() == {"message": "Data tidak ditemukan.", "extra": {}}
    # The real id still works as before.
    assert api_as(org.head).get(f"/api/v1/performance-plans/{plan.pk}/").status_code == 200


def test_unicode_digits_that_int_cannot_read_are_ignored_in_api_filters(org):
    # "²".isdigit() is True but int("²") fails: numeric query parameters use isdecimal()/int_or_none.
    response = api_as(org.admin).get("/api/v1/performance-plans/?year=²&employee=²")
    assert response.status_code == 200
    assert api_as(org.admin).get("/api/v1/unit-performance/?period=²").status_code == 200


def test_nul_byte_in_an_api_filter_is_a_json_400(org):
    response = api_as(org.admin).get("/api/v1/performance-plans/?status=%00")
    assert response.status_code == 400
    assert "NUL" in response.json()["message"]
    assert response.json()["extra"] == {}


def test_nul_byte_in_a_page_query_or_form_is_a_400_page(org):
    client = page_client(org.admin)
    response = client.get("/kinerja/daftar/?status=%00")
    assert response.status_code == 400
    assert "karakter NUL" in response.content.decode()
    plan = cf.plan(org.staff)
    response = page_client(org.staff).post(f"/karier/rencana/{plan.pk}/", {"op": "status", "action": "1\x00"})
    assert response.status_code == 400


def test_talent_review_with_a_non_numeric_agency_is_a_field_error(org):
    client = api_as(org.admin)
    response = client.post("/api/v1/talent-reviews/", {"agency": "abc", "name": "Talenta", "year": 2026}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["message"] == "Data yang dikirim tidak valid."
    assert "agency" in body["extra"]["fields"]
    # Without an agency the review still opens for the admin's own agency.
    response = client.post("/api/v1/talent-reviews/", {"name": "Talenta 2026", "year": 2026}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["agency"] == org.agency.pk


def test_superuser_opening_a_talent_review_lands_in_a_real_agency_or_is_refused(org, django_user_model):
    """It used to write agency 0 and fail at COMMIT (500). The one agency resolver (people.access) now decides:
    a malformed or unknown agency is refused, nothing named is the superuser's default agency."""
    root = django_user_model.objects.create_superuser("akar", "akar@contoh.go.id", "rahasia-123")
    client = api_as(root)
    payload = {"name": "Talenta 2026", "year": 2026}
    for bad in ("abc", 99999):
        refused = client.post("/api/v1/talent-reviews/", {**payload, "agency": bad}, format="json")
        assert refused.status_code in (400, 404) and "agency" in str(refused.json())
    assert not TalentReview.objects.exists()
    response = client.post("/api/v1/talent-reviews/", {**payload, "agency": org.other_agency.pk}, format="json")
    assert response.status_code == 201
    assert TalentReview.objects.get(pk=response.json()["id"]).agency_id == org.other_agency.pk


def course_payload(code: str) -> dict[str, Any]:
    return {
        "code": code,
        "title": "Pelatihan Dasar",
        "mode": "klasikal",
        "format": "teknis",
        "provider": "BPSDM",
        "jp": 24,
    }


def test_duplicate_course_code_is_a_400_naming_the_code(org):
    client = api_as(org.admin)
    assert client.post("/api/v1/courses/", course_payload("TK-01"), format="json").status_code == 201
    response = client.post("/api/v1/courses/", course_payload("TK-01"), format="json")
    assert response.status_code == 400
    assert response.json()["extra"]["fields"]["code"] == ["Kode pelatihan TK-01 sudah dipakai di instansi ini."]
    other = client.post("/api/v1/courses/", course_payload("TK-02"), format="json").json()
    response = client.patch(f"/api/v1/courses/{other['id']}/", {"code": "TK-01"}, format="json")
    assert response.status_code == 400
    assert Course.objects.filter(agency=org.agency, code="TK-01").count() == 1


def test_duplicate_course_code_on_the_page_is_a_form_error(org):
    CourseFactory(agency=org.agency, code="TK-01")
    data = {**course_payload("TK-01"), "is_active": "on"}
    for prefix in ("course_competencies",):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    response = page_client(org.admin).post("/pelatihan/kelola/pelatihan/baru/", data)
    assert response.status_code == 200
    assert "Kode pelatihan TK-01 sudah dipakai di instansi ini." in response.content.decode()
    assert Course.objects.filter(agency=org.agency, code="TK-01").count() == 1


@pytest.mark.parametrize("kinds", ["null", 5, {"jenis": "struktural"}, ["bukan-jenis"]])
def test_eligible_position_kinds_must_be_a_list_of_position_kinds(org, kinds):
    # Anything else used to be stored and broke eligibility checks later (`kind in 5`).
    client = api_as(org.admin)
    payload = {**course_payload("TK-03"), "eligible_position_kinds": kinds}
    response = client.post("/api/v1/courses/", payload, format="json")
    assert response.status_code == 400
    assert "eligible_position_kinds" in response.json()["extra"]["fields"]
    assert not Course.objects.filter(code="TK-03").exists()


def test_enrolment_closing_before_it_opens_is_a_400_also_when_patching_one_date(org):
    course = CourseFactory(agency=org.agency)
    today = dt.date.today()
    payload = {
        "course": course.pk,
        "name": "Angkatan I",
        "start_date": str(today + dt.timedelta(days=30)),
        "end_date": str(today + dt.timedelta(days=32)),
        "enrol_open": str(today + dt.timedelta(days=10)),
        "enrol_close": str(today + dt.timedelta(days=5)),
        "location": "Aula",
        "capacity": 10,
    }
    client = api_as(org.admin)
    response = client.post("/api/v1/offerings/", payload, format="json")
    assert response.status_code == 400
    assert "enrol_close" in response.json()["extra"]["fields"]
    offering = OfferingFactory(course=course)
    response = client.patch(
        f"/api/v1/offerings/{offering.pk}/",
        {"enrol_close": str(offering.enrol_open - dt.timedelta(days=1))},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["extra"]["fields"]["enrol_close"] == [
        "Penutupan pendaftaran tidak boleh sebelum pembukaannya."
    ]


def test_a_write_the_database_refuses_is_answered_as_json_not_500():
    class PgError(Exception):
        pgcode = "23505"

    exc = IntegrityError("duplicate key value violates unique constraint")
    exc.__cause__ = PgError()
    response = exception_handler(exc, {})
    assert response.status_code == 409
    assert response.data["extra"] == {"code": "unique"}
    assert response.data["message"].startswith("Data yang sama sudah ada")


# --- pages posting `abc` where an id is expected -------------------------------------------------------------


def test_career_plan_page_with_non_numeric_action_id_is_404(org):
    plan = cf.plan(org.staff)
    response = page_client(org.staff).post(f"/karier/rencana/{plan.pk}/", {"op": "status", "action": "abc"})
    assert response.status_code == 404


def test_mentoring_page_with_non_numeric_item_id_is_404(org):
    session = cf.session(org.head, [org.staff])
    response = page_client(org.head).post(
        f"/karier/bimbingan/{session.pk}/tindak-lanjut/abc/status/", {"status": "done"}
    )
    assert response.status_code == 404


def test_follow_up_page_with_non_numeric_item_id_is_404(org):
    response = page_client(org.admin).post("/karier/tindak-lanjut/", {"op": "done", "item": "abc"})
    assert response.status_code == 404
    assert page_client(org.admin).get("/karier/tindak-lanjut/?tahun=²").status_code == 200


def test_unit_rating_page_with_non_numeric_unit_or_period_is_404(org):
    pf.periods(org.agency)
    client = page_client(org.admin)
    assert client.post("/kinerja/predikat-unit/", {"unit": "abc", "rating": "baik"}).status_code == 404
    assert client.get("/kinerja/predikat-unit/?period=abc").status_code == 404
    assert client.get("/kinerja/kalibrasi/?unit=abc").status_code == 200


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("12", 12), ("0", 0), ("abc", None), ("", None), ("-1", None), ("1.5", None), ("²", None), ("1\x00", None)]
    + [("9" * 30, None), (None, None), (["1"], None)],
)
def test_int_or_none_reads_only_plain_ids(raw, expected):
    assert int_or_none(raw) == expected


def test_a_realisation_too_large_to_store_is_a_form_error(org):
    periods = pf.periods(org.agency)
    plan = pf.plan(org.staff, status=PlanStatus.APPROVED)
    indicator = plan.results.first().indicators.first()
    response = page_client(org.staff).post(
        f"/kinerja/skp/{plan.pk}/realisasi/{periods[0].pk}/",
        {f"value_{indicator.pk}": "9" * 20, f"link_{indicator.pk}": "https://contoh.go.id/bukti"},
    )
    assert response.status_code == 200
    assert "Realisasi terlalu besar." in response.content.decode()
    assert not indicator.progress.exists()
