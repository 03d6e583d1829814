"""Capacity is never exceeded under concurrent enrolments (real PostgreSQL transactions in threads)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from asn_portal.errors import ApplicationError
from tests.people.factories import EmployeeFactory, OrgUnitFactory
from training.enrolment import services as enrolment_services
from training.models import CourseOffering, Enrollment

from .factories import OfferingFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_fifty_concurrent_enrolments_fill_exactly_ten_seats() -> None:
    unit = OrgUnitFactory()
    offering = OfferingFactory(course__agency=unit.agency, capacity=10)
    employees = [EmployeeFactory(unit=unit) for _ in range(50)]
    barrier = threading.Barrier(50)
    errors: list[Exception] = []

    def enrol(emp: Any) -> None:
        try:
            barrier.wait()
            enrolment_services.enrollment_request(employee=emp, offering=offering, actor=emp.user)
        except ApplicationError as exc:  # pragma: no cover - would be a failure below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=enrol, args=(e,)) for e in employees]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert Enrollment.objects.filter(offering=offering, status="enrolled").count() == 10
    assert Enrollment.objects.filter(offering=offering, status="waitlisted").count() == 40
    assert CourseOffering.objects.get(pk=offering.pk).seats_taken == 10
