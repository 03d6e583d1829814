"""Recommendations never offer a course the employee has already completed, on the page or the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from tests.conftest import api_as
from training.defaults import ensure_defaults
from training.ledger import services as ledger_services

from .factories import CourseFactory, OfferingFactory, develops, enrolled
from .test_views import client_for

pytestmark = pytest.mark.django_db(transaction=False)


def _gap_courses(org: Any) -> tuple[Any, Any, Any]:
    from tests.competencies.factories import national, record, set_standard

    ensure_defaults()
    m = national()
    set_standard(org.staff.position, [4], m[:1])
    record(org.staff, {m[0].pk: 1})
    done_in_class = CourseFactory(agency=org.agency, title="Analisis Kebijakan Dasar")
    done_from_history = CourseFactory(agency=org.agency, title="Penyusunan Laporan Kinerja")
    still_open = CourseFactory(agency=org.agency, title="Manajemen Risiko")
    for course in (done_in_class, done_from_history, still_open):
        develops(course, m[0], 4)
    enrolled(OfferingFactory(course=done_in_class), org.staff, status="completed")
    # a completion that reached the JP ledger from the personnel history, linked to the catalogue course
    ledger_services.learning_credit(
        employee=org.staff,
        jp=24,
        on_date=dt.date(2025, 3, 10),
        title=done_from_history.title,
        source_type="import",
        source_id="riwayat-1",
        course=done_from_history,
        actor=None,
    )
    return done_in_class, done_from_history, still_open


def test_api_recommendations_leave_out_completed_courses(org: Any) -> None:
    _gap_courses(org)
    r = api_as(org.staff).get(f"/api/v1/employees/{org.staff.pk}/recommendations/")
    assert r.status_code == 200
    assert [c["title"] for c in r.json()["results"]] == ["Manajemen Risiko"]


def test_recommended_page_leaves_out_completed_courses(org: Any) -> None:
    _gap_courses(org)
    html = client_for(org.staff).get(reverse("training:recommended")).content.decode()
    assert "Manajemen Risiko" in html
    assert "Penyusunan Laporan Kinerja" not in html
    assert "Analisis Kebijakan Dasar" not in html
