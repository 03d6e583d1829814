"""The enrolment and JP-ledger API rows are written directly (faster than DRF walking the declared fields one by
one, issue #13): the output stays exactly what the declared fields give, and the list endpoints (which read
fewer columns) show the same rows as the detail endpoints."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from tests.conftest import api_as
from tests.people.factories import EmployeeFactory
from training.api.serializers import EnrollmentSerializer, LearningRecordSerializer
from training.models import Enrollment, LearningRecord

from .factories import OfferingFactory, enrolled

pytestmark = pytest.mark.django_db


def _by_fields(serializer: Any, obj: Any) -> dict[str, Any]:
    """DRF's own output of the serializer's declared fields (the base class's walk)."""
    return dict(serializers.ModelSerializer.to_representation(serializer, obj))


def _enrolments(org: Any) -> list[Enrollment]:
    offering = OfferingFactory(course__agency=org.agency, course__title="Analisis <Kebijakan>", capacity=10)
    titled = EmployeeFactory(unit=org.dinas, front_title="Dr.", name="Siti Aminah", back_title="S.E., M.Si.")
    plain = EmployeeFactory(unit=org.dinas, front_title="", name="Budi", back_title="")
    done = enrolled(offering, titled, status="completed")
    Enrollment.objects.filter(pk=done.pk).update(
        completed_on=dt.date(2026, 3, 4), score=Decimal("87.5"), certificate_number="SRT/01", reason="Lulus"
    )
    waiting = enrolled(offering, plain, status="waitlisted")
    Enrollment.objects.filter(pk=waiting.pk).update(waitlisted_at=timezone.now())
    return list(Enrollment.objects.select_related("employee", "offering__course").order_by("pk"))


def _records(org: Any) -> list[LearningRecord]:
    common = {"employee": org.staff, "agency": org.agency, "year": 2026, "kind": "external", "format": "seminar"}
    LearningRecord.objects.create(
        **common,
        date=dt.date(2026, 2, 1),
        jp=Decimal("4"),
        title="Webinar",
        source_type="external",
        source_id="1",
        status="pending",
        hours=Decimal("3.5"),
        certificate_file="pelatihan/pembelajaran/2026/a.pdf",
        certificate_name="Sertifikat.pdf",
        certificate_number="W-1",
        note="catatan",
    )
    LearningRecord.objects.create(
        **common,
        date=dt.date(2026, 2, 2),
        jp=Decimal("12.25"),
        title="Kursus",
        source_type="external",
        source_id="2",
        status="verified",
        verified_at=timezone.now(),
    )
    return list(LearningRecord.objects.order_by("pk"))


def test_enrolment_rows_equal_what_the_declared_fields_give(org: Any) -> None:
    rows = _enrolments(org)
    assert {r.status for r in rows} == {"completed", "waitlisted"}
    for e in rows:
        ser = EnrollmentSerializer()
        assert ser.to_representation(e) == _by_fields(ser, e)
        assert list(ser.to_representation(e)) == list(ser.fields)


def test_ledger_rows_equal_what_the_declared_fields_give(org: Any) -> None:
    request = APIRequestFactory().get("/api/v1/learning-records/")
    records = _records(org)
    for r in records:
        ser = LearningRecordSerializer(context={"request": request})
        assert ser.to_representation(r) == _by_fields(ser, r)
        assert list(ser.to_representation(r)) == list(ser.fields)
    urls = [LearningRecordSerializer(r, context={"request": request}).data["certificate_file"] for r in records]
    assert urls[0].endswith(f"/api/v1/learning-records/{records[0].pk}/certificate/") and urls[1] is None


@pytest.mark.parametrize("path", ["/api/v1/enrollments/", "/api/v1/learning-records/"])
def test_list_rows_equal_the_detail_rows(org: Any, path: str) -> None:
    _enrolments(org)
    _records(org)
    client = api_as(org.admin)
    listed = client.get(path).json()["results"]
    assert len(listed) == 2
    for row in listed:
        assert row == client.get(f"{path}{row['id']}/").json()


# --- the lists' rows, written from `values()` dicts (training.api.rows) ---------------------------------------


def _courses(org: Any) -> list[Any]:
    from people.models import Rank
    from people.ranks import ensure_ranks
    from tests.competencies.factories import national

    from .factories import CourseFactory, develops

    ensure_ranks(Rank)
    low, high = Rank.objects.order_by("order")[:2]
    plain = CourseFactory(agency=org.agency, title="Dasar <Pelayanan>", description="", jp=Decimal("12.5"))
    bounded = CourseFactory(
        agency=org.agency,
        format="e_learning",
        mode="nonklasikal",
        eligible_position_kinds=["fungsional", "pelaksana"],
        min_rank=low,
        max_rank=high,
        is_active=False,
        description="Uraian & catatan",
    )
    comps = national()
    develops(bounded, comps[2], 4)
    develops(bounded, comps[0], 2)
    develops(plain, comps[1], 3)
    return [plain, bounded]


@pytest.mark.parametrize("language", ["id", "en"])
def test_course_rows_equal_the_serializer(org: Any, language: str) -> None:
    from django.utils import translation

    from training.api import rows
    from training.api.serializers import CourseSerializer
    from training.models import Course

    ids = [c.pk for c in _courses(org)]
    with translation.override(language):
        built = rows.course_rows(list(Course.objects.filter(pk__in=ids).order_by("pk").values(*rows.COURSE_COLUMNS)))
        expected = [
            CourseSerializer(c).data
            for c in Course.objects.filter(pk__in=ids).order_by("pk").prefetch_related("course_competencies")
        ]
    assert built == [dict(e) for e in expected]
    assert [list(b) for b in built] == [list(e) for e in expected]  # same keys, same order
    assert [len(b["competencies"]) for b in built] == [1, 2]


def test_offering_rows_equal_the_serializer(org: Any) -> None:
    from training.api import rows
    from training.api.serializers import OfferingSerializer
    from training.models import CourseOffering

    OfferingFactory(course__agency=org.agency, capacity=3, location="", trainer="Tim <BKD>")
    full = OfferingFactory(course__agency=org.agency, capacity=2, online_url="https://kelas.example/1")
    CourseOffering.objects.filter(pk=full.pk).update(seats_taken=2, status="closed", requires_approval=True)
    qs = CourseOffering.objects.order_by("pk")
    built = rows.offering_rows(list(qs.values(*rows.OFFERING_COLUMNS)))
    expected = [dict(OfferingSerializer(o).data) for o in qs.select_related("course")]
    assert built == expected and [list(b) for b in built] == [list(e) for e in expected]
    assert built[1]["seats_left"] == 0


def test_enrollment_and_ledger_rows_equal_the_serializers(org: Any) -> None:
    from training.api import rows

    _enrolments(org)
    _records(org)
    request = APIRequestFactory().get("/api/v1/learning-records/")
    enrolments = Enrollment.objects.order_by("pk")
    built = rows.enrollment_rows(list(enrolments.values(*rows.ENROLLMENT_COLUMNS)))
    assert built == [EnrollmentSerializer(e).data for e in enrolments.select_related("employee", "offering__course")]
    records = LearningRecord.objects.order_by("pk")
    built = rows.learning_record_rows(list(records.values(*rows.LEARNING_RECORD_COLUMNS)), request)
    assert built == [LearningRecordSerializer(r, context={"request": request}).data for r in records]
    assert built[0]["certificate_file"] and built[1]["certificate_file"] is None


@pytest.mark.parametrize("path", ["/api/v1/enrollments/", "/api/v1/learning-records/"])
def test_value_lists_log_each_rows_subject(org: Any, path: str) -> None:
    from people.models import RecordAccess

    _enrolments(org)
    _records(org)
    listed = api_as(org.admin).get(path).json()["results"]
    logged = set(RecordAccess.objects.filter(viewer=org.admin.user).values_list("subject_id", flat=True))
    assert logged == {row["employee"] for row in listed} and logged
