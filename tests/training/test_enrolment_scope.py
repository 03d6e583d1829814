"""The enrolments list's scope (issue #13): a BKD admin's page is read through the enrolment's own agency (its
offering's, the (agency, newest) index), which must give exactly the rows of the live definition, the
enrolments of the people the user may see (`employee_q`), for every kind of user."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory

from people.access import employee_q
from people.models import AgencyRole, Employee
from tests.conftest import api_as
from tests.people.factories import EmployeeFactory
from training.defaults import ensure_defaults
from training.enrolment import selectors as enrolment_selectors
from training.models import Enrollment

from .factories import OfferingFactory, enrolled


@pytest.fixture(autouse=True)
def _defaults(db: Any) -> None:
    ensure_defaults()


def _listed(user: Any) -> list[int]:
    client, ids, url = api_as(user), [], "/api/v1/enrollments/"
    while url:
        body = client.get(url).json()
        ids += [row["id"] for row in body["results"]]
        url = body["next"]
    return ids


def _live(user: Any) -> list[int]:
    return list(
        Enrollment.objects.filter(employee_q(user.user, "employee__"))
        .order_by("-created_at", "pk")
        .values_list("pk", flat=True)
    )


def test_every_users_list_is_the_live_scope(org: Any) -> None:
    here = OfferingFactory(course__agency=org.agency, capacity=200)
    there = OfferingFactory(course__agency=org.other_agency, capacity=200)
    for unit in (org.dinas, org.bidang, org.other_dinas):
        for _ in range(20):
            enrolled(here, EmployeeFactory(unit=unit))
    for person in (org.staff, org.bidang_staff, org.head, org.admin):
        enrolled(here, person)
    foreign_unit = org.foreign_staff.unit
    for _ in range(30):  # the newest rows are the other agency's: the admin's page must look past them
        enrolled(there, EmployeeFactory(unit=foreign_unit))
    enrolled(there, org.foreign_staff)
    # an admin of both agencies who also heads a unit, and an admin whose own record is in another agency
    both = org.head
    AgencyRole.objects.create(user=both.user, agency=org.other_agency, role="hr_admin")
    outsider = EmployeeFactory(unit=foreign_unit)
    AgencyRole.objects.create(user=outsider.user, agency=org.agency, role="hr_admin")
    enrolled(there, outsider)
    users = [org.admin, org.foreign_admin, org.head, org.bidang_head, org.staff, org.other_head, outsider]
    for user in users:
        user = Employee.objects.select_related("user").get(pk=user.pk)  # a fresh scope
        assert _listed(user) == _live(user), user.name
    assert len(_listed(org.admin)) == 64 and len(_listed(org.foreign_admin)) == 32


def test_the_admins_narrowing_is_the_enrolments_own_agency(org: Any) -> None:
    qs = enrolment_selectors.enrollment_list_visible_to(user=org.admin.user)
    assert '"training_enrollment"."agency_id" IN' in str(qs.query)
    qs = enrolment_selectors.enrollment_list_visible_to(user=org.head.user)
    assert '"training_enrollment"."agency_id" IN' not in str(qs.query)


def test_an_employees_agency_is_read_only_in_the_django_admin(org: Any) -> None:
    """What keeps an enrolment's agency the employee's: nothing moves an employee to another agency."""
    request = RequestFactory().get("/")
    employee_admin = site._registry[Employee]
    assert "agency" in employee_admin.get_readonly_fields(request, org.staff)
    assert "agency" not in employee_admin.get_readonly_fields(request, None)
