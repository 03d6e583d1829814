"""One write path (issue #11): the catalogue page and the API write courses and offerings through the same
services, so the same input gives the same rows and the same audit entries, and the rules the page
always had (dates, quota, own agency, the status life cycle, the wait-list) hold for the API too."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from asn_portal.models import AuditEntry
from tests.conftest import api_as
from training.models import Course, CourseOffering, Enrollment

from .factories import CourseFactory, OfferingFactory, enrolled

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def client_for(emp: Any) -> Client:
    c = Client()
    c.force_login(emp.user)
    return c


def _audit(obj: Any) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """What the audit trail says about an object, without its ids (compared across two objects)."""
    rows = AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).order_by("pk")
    return [(a.action, a.before, {k: v for k, v in a.after.items() if k not in ("code", "name")}) for a in rows]


def _course_row(course: Course) -> dict[str, Any]:
    return {
        f: getattr(course, f)
        for f in ("agency_id", "title", "mode", "format", "provider", "jp", "eligible_position_kinds", "is_active")
    }


COURSE = {
    "title": "Analisis Kebijakan Publik",
    "description": "",
    "mode": "klasikal",
    "format": "teknis",
    "provider": "BPSDM Provinsi",
    "jp": "32",
    "is_active": True,
}


def test_course_created_on_the_page_and_through_the_api_gives_the_same_row_and_audit(org: Any) -> None:
    r = client_for(org.admin).post(
        reverse("training:course-new"),
        {**COURSE, "code": "AKP-1", "is_active": "on", "course_competencies-TOTAL_FORMS": "0",
         "course_competencies-INITIAL_FORMS": "0"},
    )  # fmt: skip
    assert r.status_code == 302, r.content.decode()[:2000]
    r2 = api_as(org.admin).post("/api/v1/courses/", {**COURSE, "code": "AKP-2"}, format="json")
    assert r2.status_code == 201, r2.json()
    page, api = Course.objects.get(code="AKP-1"), Course.objects.get(code="AKP-2")
    assert _course_row(page) == _course_row(api)
    assert page.agency_id == org.agency.pk and page.jp == Decimal("32")
    assert _audit(page) == _audit(api)
    assert [a[0] for a in _audit(page)] == ["training.course_created"]


def _offering_form(course: Course, **over: Any) -> dict[str, Any]:
    data = {
        "course": course.pk,
        "name": "Angkatan I",
        "start_date": (TODAY + dt.timedelta(days=30)).isoformat(),
        "end_date": (TODAY + dt.timedelta(days=32)).isoformat(),
        "location": "Aula BKD",
        "online_url": "",
        "capacity": 2,
        "enrol_open": TODAY.isoformat(),
        "enrol_close": (TODAY + dt.timedelta(days=20)).isoformat(),
        "trainer": "Widyaiswara",
        "requires_approval": False,
    }
    data.update(over)
    return data


def _offering_row(o: CourseOffering) -> dict[str, Any]:
    return {
        f: getattr(o, f)
        for f in (
            "course_id",
            "agency_id",
            "start_date",
            "end_date",
            "location",
            "capacity",
            "seats_taken",
            "enrol_open",
            "enrol_close",
            "trainer",
            "requires_approval",
            "status",
        )
    }


def test_offering_created_and_edited_on_the_page_and_through_the_api_gives_the_same_rows_and_audit(
    org: Any,
) -> None:
    course = CourseFactory(agency=org.agency)
    page = client_for(org.admin)
    r = page.post(reverse("training:offering-new"), _offering_form(course, name="Halaman"))
    assert r.status_code == 302, r.content.decode()[:2000]
    r2 = api_as(org.admin).post("/api/v1/offerings/", _offering_form(course, name="API"), format="json")
    assert r2.status_code == 201, r2.json()
    by_page, by_api = CourseOffering.objects.get(name="Halaman"), CourseOffering.objects.get(name="API")
    assert by_page.status == by_api.status == "draft"  # a new offering starts as a draft, whichever door

    r = page.post(
        reverse("training:offering-edit", args=[by_page.pk]), _offering_form(course, name="Halaman", capacity=5)
    )
    assert r.status_code == 302
    r2 = api_as(org.admin).patch(f"/api/v1/offerings/{by_api.pk}/", {"capacity": 5}, format="json")
    assert r2.status_code == 200, r2.json()
    by_page.refresh_from_db()
    by_api.refresh_from_db()
    assert _offering_row(by_page) == _offering_row(by_api)
    assert by_page.capacity == 5
    assert _audit(by_page) == _audit(by_api)
    assert [a[0] for a in _audit(by_api)] == ["training.offering_created", "training.offering_updated"]
    assert _audit(by_api)[1][1:] == ({"capacity": 2}, {"capacity": 5})


def test_medan_admin_cannot_move_an_offering_onto_a_pontianak_course(org: Any) -> None:
    offering = OfferingFactory(course__agency=org.agency)
    foreign = CourseFactory(agency=org.other_agency)
    r = api_as(org.admin).patch(f"/api/v1/offerings/{offering.pk}/", {"course": foreign.pk}, format="json")
    assert r.status_code == 400
    assert r.json() == {
        "message": "Pelatihan tidak ditemukan.",
        "extra": {"field": "course", "fields": {"course": ["Pelatihan tidak ditemukan."]}},
    }
    offering.refresh_from_db()
    assert offering.course_id != foreign.pk
    r = api_as(org.admin).post("/api/v1/offerings/", _offering_form(foreign), format="json")
    assert r.status_code == 400 and r.json()["message"] == "Pelatihan tidak ditemukan."
    assert not CourseOffering.objects.filter(course=foreign).exists()


def test_another_agencys_course_and_offering_cannot_be_patched(org: Any) -> None:
    offering = OfferingFactory(course__agency=org.other_agency)
    client = api_as(org.admin)
    assert client.patch(f"/api/v1/offerings/{offering.pk}/", {"capacity": 99}, format="json").status_code == 404
    assert client.patch(f"/api/v1/courses/{offering.course_id}/", {"title": "X"}, format="json").status_code == 404
    assert client.post(f"/api/v1/offerings/{offering.pk}/status/", {"status": "cancelled"}).status_code == 404
    offering.refresh_from_db()
    assert offering.capacity == 10 and offering.status == "open"
    assert api_as(org.staff).patch(f"/api/v1/courses/{CourseFactory(agency=org.agency).pk}/", {}).status_code == 403


def test_status_is_not_written_directly_but_through_its_transition(org: Any) -> None:
    offering = OfferingFactory(course__agency=org.agency, status="open")
    e = enrolled(offering, org.staff)
    client = api_as(org.admin)
    r = client.patch(f"/api/v1/offerings/{offering.pk}/", {"status": "cancelled"}, format="json")
    assert r.status_code == 400
    assert "status" in r.json()["extra"]["fields"]
    offering.refresh_from_db()
    e.refresh_from_db()
    assert offering.status == "open" and e.status == "enrolled"
    # Echoing the current status back (a GET body sent as a PATCH) is fine.
    assert client.patch(f"/api/v1/offerings/{offering.pk}/", {"status": "open", "trainer": "Baru"}).status_code == 200

    r = client.post(f"/api/v1/offerings/{offering.pk}/status/", {"status": "cancelled", "reason": "Banjir"})
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    e.refresh_from_db()
    assert e.status == "cancelled"  # the transition cancels the participants' enrolments
    assert AuditEntry.objects.filter(action="training.offering_status", object_id=str(offering.pk)).get().reason == (
        "Banjir"
    )
    r = client.post(f"/api/v1/offerings/{offering.pk}/status/", {"status": "open"})
    assert r.status_code == 409


def test_an_illegal_status_jump_is_refused(org: Any) -> None:
    offering = OfferingFactory(course__agency=org.agency, status="draft")
    r = api_as(org.admin).post(f"/api/v1/offerings/{offering.pk}/status/", {"status": "finished"})
    assert r.status_code == 409
    assert r.json()["message"] == "Status angkatan tidak dapat diubah dari Draf ke Selesai."
    assert r.json()["extra"]["allowed"] == ["open", "cancelled"]
    offering.refresh_from_db()
    assert offering.status == "draft"


def test_enrolment_closing_after_the_start_is_refused_on_both_doors(org: Any) -> None:
    offering = OfferingFactory(course__agency=org.agency)
    late = (offering.start_date + dt.timedelta(days=1)).isoformat()
    r = api_as(org.admin).patch(f"/api/v1/offerings/{offering.pk}/", {"enrol_close": late}, format="json")
    assert r.status_code == 400
    assert r.json()["message"] == "Pendaftaran harus ditutup paling lambat pada hari pelatihan dimulai."
    assert r.json()["extra"]["field"] == "enrol_close"
    r = client_for(org.admin).post(
        reverse("training:offering-edit", args=[offering.pk]),
        _offering_form(offering.course, enrol_close=late, start_date=offering.start_date, end_date=offering.end_date),
    )
    assert r.status_code == 200
    assert "Pendaftaran harus ditutup paling lambat pada hari pelatihan dimulai." in r.content.decode()
    before = offering.enrol_close
    offering.refresh_from_db()
    assert offering.enrol_close == before
    assert not AuditEntry.objects.filter(action="training.offering_updated").exists()


def test_raising_the_quota_through_the_api_gives_the_seats_to_the_waiting_list(org: Any) -> None:
    offering = OfferingFactory(course__agency=org.agency, capacity=1)
    enrolled(offering, org.staff)
    first = enrolled(offering, org.staff2, status="waitlisted")
    Enrollment.objects.filter(pk=first.pk).update(waitlisted_at=timezone.now() - dt.timedelta(hours=1))
    second = enrolled(offering, org.bidang_staff, status="waitlisted")
    Enrollment.objects.filter(pk=second.pk).update(waitlisted_at=timezone.now())
    r = api_as(org.admin).patch(f"/api/v1/offerings/{offering.pk}/", {"capacity": 2}, format="json")
    assert r.status_code == 200
    assert r.json()["seats_taken"] == 2 and r.json()["seats_left"] == 0
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("enrolled", "waitlisted")
    assert AuditEntry.objects.filter(action="training.waitlist_promote", object_id=str(first.pk)).exists()


def test_quota_below_the_seats_taken_is_refused(org: Any) -> None:
    offering = OfferingFactory(course__agency=org.agency, capacity=2)
    enrolled(offering, org.staff)
    enrolled(offering, org.staff2)
    r = api_as(org.admin).patch(f"/api/v1/offerings/{offering.pk}/", {"capacity": 1}, format="json")
    assert r.status_code == 400
    assert r.json()["message"] == "Kuota tidak boleh di bawah jumlah peserta terdaftar."


def test_a_duplicate_course_code_is_a_clear_400_not_a_500(org: Any) -> None:
    CourseFactory(agency=org.agency, code="LATSAR")
    r = api_as(org.admin).post("/api/v1/courses/", {**COURSE, "code": "LATSAR"}, format="json")
    assert r.status_code == 400
    assert r.json()["message"] == "Kode pelatihan LATSAR sudah dipakai di instansi ini."
    assert r.json()["extra"]["field"] == "code"
    other = CourseFactory(agency=org.agency, code="OTHER")
    r = api_as(org.admin).patch(f"/api/v1/courses/{other.pk}/", {"code": "latsar"}, format="json")
    assert r.status_code == 400
    # Another agency may use the same code.
    assert api_as(org.foreign_admin).post("/api/v1/courses/", {**COURSE, "code": "LATSAR"}).status_code == 201


def test_course_rules_hold_for_the_api(org: Any) -> None:
    client = api_as(org.admin)
    r = client.post("/api/v1/courses/", {**COURSE, "code": "X1", "jp": "0"}, format="json")
    assert r.status_code == 400 and r.json()["extra"]["field"] == "jp"
    r = client.post("/api/v1/courses/", {**COURSE, "code": "X2", "mode": "nonklasikal"}, format="json")
    assert r.status_code == 400 and r.json()["message"] == "Jalur tidak sesuai dengan bentuk pelatihan."
    r = client.post("/api/v1/courses/", {**COURSE, "code": "X3", "eligible_position_kinds": ["raja"]}, format="json")
    assert r.status_code == 400 and "eligible_position_kinds" in r.json()["extra"]["fields"]
    assert not Course.objects.filter(code__in=["X1", "X2", "X3"]).exists()


def test_a_course_edit_is_audited_with_what_changed(org: Any) -> None:
    course = CourseFactory(agency=org.agency, jp=Decimal("24"))
    r = api_as(org.admin).patch(f"/api/v1/courses/{course.pk}/", {"jp": "30"}, format="json")
    assert r.status_code == 200
    entry = AuditEntry.objects.get(action="training.course_updated", object_id=str(course.pk))
    assert (entry.before, entry.after) == ({"jp": "24.00"}, {"jp": "30.00"})


def test_creating_for_a_foreign_agency_is_404_with_the_agency_parameter(org: Any) -> None:
    r = api_as(org.admin).post(f"/api/v1/courses/?agency={org.other_agency.pk}", {**COURSE, "code": "F"}, format="json")
    assert r.status_code == 404
    r = client_for(org.admin).get(reverse("training:course-new") + f"?agency={org.other_agency.pk}")
    assert r.status_code == 404
    r = client_for(org.admin).get(reverse("training:report-compliance") + f"?agency={org.other_agency.pk}")
    assert r.status_code == 404
    assert not Course.objects.filter(code="F").exists()


def test_the_offering_page_offers_only_the_legal_next_statuses_and_refuses_a_jump(org: Any) -> None:
    offering = OfferingFactory(course__agency=org.agency, status="draft")
    page = client_for(org.admin)
    html = page.get(reverse("training:offering-detail", args=[offering.pk])).content.decode()
    options = html.split('id="offering-status"')[1].split("</select>")[0]
    assert 'value="open"' in options and 'value="cancelled"' in options
    assert 'value="finished"' not in options and 'value="draft"' not in options
    r = page.post(reverse("training:offering-status", args=[offering.pk]), {"status": "finished"}, follow=True)
    assert "Status angkatan tidak dapat diubah dari Draf ke Selesai." in r.content.decode()
    offering.refresh_from_db()
    assert offering.status == "draft"
