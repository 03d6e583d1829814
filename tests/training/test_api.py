"""API: the same services behind /api/v1/, scoping, bad input, query counts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from tests.conftest import api_as
from training.defaults import ensure_defaults
from training.enrolment import services as enrolment_services
from training.models import Enrollment, QuestionnaireResponse

from .factories import CourseFactory, OfferingFactory, develops, enrolled

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _defaults(db: Any) -> None:
    ensure_defaults()


def test_courses_list_is_scoped_and_filtered(org: Any) -> None:
    CourseFactory(agency=org.agency, title="E-learning BerAKHLAK", format="e_learning", mode="nonklasikal")
    CourseFactory(agency=org.agency, title="Teknis", format="teknis")
    CourseFactory(agency=org.other_agency, title="Asing")
    r = api_as(org.staff).get("/api/v1/courses/")
    assert r.status_code == 200 and {c["title"] for c in r.json()["results"]} == {"E-learning BerAKHLAK", "Teknis"}
    r = api_as(org.staff).get("/api/v1/courses/?mode=nonklasikal")
    assert [c["title"] for c in r.json()["results"]] == ["E-learning BerAKHLAK"]


def test_courses_list_constant_queries(org: Any, django_assert_num_queries: Any) -> None:
    client = api_as(org.staff)
    CourseFactory.create_batch(2, agency=org.agency)
    client.get("/api/v1/courses/")  # warm (scope cached on the user)
    # the page of courses as values (keyset: no count), the page's competencies with their names
    with django_assert_num_queries(2):
        small = client.get("/api/v1/courses/").json()
    assert len(small["results"]) == 2
    CourseFactory.create_batch(48, agency=org.agency)
    with django_assert_num_queries(2):
        first = client.get("/api/v1/courses/").json()
    assert len(first["results"]) == 50


def test_enrol_and_transitions_through_the_api(org: Any) -> None:
    offering = OfferingFactory(course__agency=org.agency, course__jp=Decimal("12"))
    r = api_as(org.staff).post("/api/v1/enrollments/", {"offering": offering.pk}, format="json")
    assert r.status_code == 201 and r.json()["status"] == "enrolled"
    again = api_as(org.staff).post("/api/v1/enrollments/", {"offering": offering.pk}, format="json")
    assert again.status_code == 400 and "sudah terdaftar" in again.json()["message"]
    pk = r.json()["id"]
    assert api_as(org.staff).post(f"/api/v1/enrollments/{pk}/complete/", {}, format="json").status_code == 403
    assert api_as(org.foreign_admin).post(f"/api/v1/enrollments/{pk}/attend/", {}, format="json").status_code == 404
    assert api_as(org.admin).post(f"/api/v1/enrollments/{pk}/attend/", {}, format="json").json()["status"] == "attended"
    done = api_as(org.admin).post(f"/api/v1/enrollments/{pk}/complete/", {"certificate_number": "C-1"}, format="json")
    assert done.json()["status"] == "completed" and done.json()["certificate_number"] == "C-1"
    twice = api_as(org.admin).post(f"/api/v1/enrollments/{pk}/complete/", {}, format="json")
    assert twice.status_code == 409
    year = timezone.localdate().year
    s = api_as(org.staff).get(f"/api/v1/employees/{org.staff.pk}/jp-summary/?year={year}").json()
    assert Decimal(str(s["jp"])) == Decimal("12") and s["percent"] == 60


def test_jp_summary_scoping_and_bad_year(org: Any) -> None:
    assert api_as(org.staff).get(f"/api/v1/employees/{org.staff2.pk}/jp-summary/").status_code == 404
    assert api_as(org.foreign_admin).get(f"/api/v1/employees/{org.staff.pk}/jp-summary/").status_code == 404
    r = api_as(org.staff).get(f"/api/v1/employees/{org.staff.pk}/jp-summary/?year=abc")
    assert r.status_code == 400 and r.json()["message"] == "Tahun tidak valid."
    r = api_as(org.head).get(f"/api/v1/employees/{org.staff.pk}/jp-summary/")
    assert r.status_code == 200
    body = r.json()
    assert (body["employee_id"], body["met"], body["percent"], body["by_year"]) == (org.staff.pk, False, 0, [])


def test_recommendations_endpoint(org: Any) -> None:
    r = api_as(org.head).get(f"/api/v1/employees/{org.staff.pk}/recommendations/")
    assert r.status_code == 200 and r.json()["results"] == []
    assert api_as(org.staff).get(f"/api/v1/employees/{org.staff.pk}/recommendations/?position=x").status_code == 400
    assert api_as(org.other_head).get(f"/api/v1/employees/{org.staff.pk}/recommendations/").status_code == 404


def test_external_learning_bad_jp_is_refused(org: Any) -> None:
    body = {
        "title": "Webinar",
        "format": "seminar",
        "provider": "USU",
        "on_date": timezone.localdate().isoformat(),
        "jp": "-4",
        "certificate_number": "X",
    }
    r = api_as(org.staff).post("/api/v1/learning-records/", body, format="json")
    assert r.status_code == 400 and "JP" in r.json()["message"]
    body["jp"] = "6"
    r = api_as(org.staff).post("/api/v1/learning-records/", body, format="json")
    assert r.status_code == 201 and r.json()["status"] == "pending"
    pk = r.json()["id"]
    assert (
        api_as(org.staff).post(f"/api/v1/learning-records/{pk}/verify/", {"approve": True}, format="json").status_code
        == 403
    )
    assert (
        api_as(org.admin).post(f"/api/v1/learning-records/{pk}/verify/", {"approve": True}, format="json").status_code
        == 200
    )


def test_questionnaire_answer_twice_is_409(org: Any) -> None:
    e = enrolled(OfferingFactory(course__agency=org.agency), org.staff)
    enrolment_services.enrollment_complete(enrollment=e, actor=org.admin.user)
    resp = QuestionnaireResponse.objects.get(enrollment=e)
    listed = api_as(org.staff).get("/api/v1/questionnaires/").json()["results"]
    assert [q["id"] for q in listed] == [resp.pk]
    assert api_as(org.staff2).get(f"/api/v1/questionnaires/{resp.pk}/").status_code == 404
    answers = {str(q.pk): ("5" if q.kind == "likert" else "ok") for q in resp.template.questions.all()}
    r = api_as(org.staff).post(f"/api/v1/questionnaires/{resp.pk}/answer/", {"answers": answers}, format="json")
    assert r.status_code == 200 and r.json()["answered_at"]
    r = api_as(org.staff).post(f"/api/v1/questionnaires/{resp.pk}/answer/", {"answers": answers}, format="json")
    assert r.status_code == 409


def test_enrollments_list_constant_queries(org: Any, django_assert_num_queries: Any) -> None:
    from tests.people.factories import EmployeeFactory

    client = api_as(org.admin)
    offering = OfferingFactory(course__agency=org.agency, capacity=100)
    for _ in range(2):
        enrolled(offering, EmployeeFactory(unit=org.dinas))
    client.get("/api/v1/enrollments/")
    # the page as values with the employee and course joined (no count), the access log's insert (Redis in
    # production)
    with django_assert_num_queries(2) as small:
        client.get("/api/v1/enrollments/")
    for _ in range(48):
        enrolled(offering, EmployeeFactory(unit=org.dinas))
    with django_assert_num_queries(len(small.captured_queries)):
        r = client.get("/api/v1/enrollments/")
    assert len(r.json()["results"]) == 50 and r.json()["next"] is None
    assert Enrollment.objects.count() == 50


@pytest.mark.parametrize("path", ["/api/v1/courses/", "/api/v1/offerings/"])
def test_catalogue_lists_page_by_cursor_without_a_count(org: Any, path: str) -> None:
    for _ in range(55):
        OfferingFactory(course=CourseFactory(agency=org.agency))
    OfferingFactory(course=CourseFactory(agency=org.other_agency, title="Asing"))
    client = api_as(org.admin)
    first = client.get(path).json()
    assert "count" not in first and len(first["results"]) == 50 and first["next"]
    second = client.get(first["next"]).json()
    assert second["next"] is None
    ids = [row["id"] for row in first["results"] + second["results"]]
    assert len(ids) == len(set(ids)) == 55  # every row of the agency once, none of the other agency's


def test_reused_catalogue_pages_show_every_change_at_once(org: Any) -> None:
    from tests.competencies.factories import national
    from training.models import Course, CourseOffering

    course = CourseFactory(agency=org.agency, title="Judul Lama")
    offering = OfferingFactory(course=course, capacity=5)
    client = api_as(org.admin)
    assert client.get("/api/v1/courses/").json()["results"][0]["competencies"] == []
    assert client.get("/api/v1/offerings/").json()["results"][0]["seats_left"] == 5
    Course.objects.filter(pk=course.pk).update(title="Judul Baru")  # no save(): updated_at unchanged
    CourseOffering.objects.filter(pk=offering.pk).update(seats_taken=3)
    develops(course, national()[0], 3)
    row = client.get("/api/v1/courses/").json()["results"][0]
    assert row["title"] == "Judul Baru"
    assert [(c["competency_name"], c["target_level"]) for c in row["competencies"]] == [(national()[0].name, 3)]
    row = client.get("/api/v1/offerings/").json()["results"][0]
    assert (row["course_title"], row["seats_taken"], row["seats_left"]) == ("Judul Baru", 3, 2)
