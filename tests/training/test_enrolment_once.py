"""A double click on "Daftar" (or a retried API request) enrols the employee once."""

from __future__ import annotations

from typing import Any

import pytest

from asn_portal.errors import ApplicationError
from tests.concurrency import at_once
from tests.people.factories import EmployeeFactory, OrgUnitFactory
from training.enrolment import services as enrolment_services
from training.models import Enrollment

from .factories import OfferingFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_same_enrolment_requested_twice_at_once_is_one_row(org: Any) -> None:
    unit = OrgUnitFactory()
    offering = OfferingFactory(course__agency=unit.agency, capacity=10)
    employee = EmployeeFactory(unit=unit)
    results = at_once(
        lambda i: enrolment_services.enrollment_request(employee=employee, offering=offering, actor=employee.user), n=4
    )
    assert Enrollment.objects.filter(offering=offering, employee=employee).count() == 1
    losers = [r for r in results if isinstance(r, Exception)]
    assert len(losers) == 3
    assert all(isinstance(r, ApplicationError) for r in losers), losers
