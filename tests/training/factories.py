"""Factories for training: courses, offerings, enrolments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from tests.people.factories import AgencyFactory
from training.models import Course, CourseCompetency, CourseOffering, Enrollment


class CourseFactory(DjangoModelFactory[Course]):
    class Meta:
        model = Course

    agency = factory.SubFactory(AgencyFactory)
    code = factory.Sequence(lambda n: f"C{n}")
    title = factory.Sequence(lambda n: f"Pelatihan Teknis {n}")
    mode = "klasikal"
    format = "teknis"
    provider = "BPSDM Provinsi"
    jp = Decimal("24")


class OfferingFactory(DjangoModelFactory[CourseOffering]):
    class Meta:
        model = CourseOffering

    course = factory.SubFactory(CourseFactory)
    agency = factory.SelfAttribute("course.agency")
    name = factory.Sequence(lambda n: f"Angkatan {n}")
    start_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=20))
    end_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=22))
    enrol_open = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=5))
    enrol_close = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=10))
    location = "Aula BKD"
    capacity = 10
    requires_approval = False
    status = "open"


def enrolled(offering: CourseOffering, employee: Any, status: str = "enrolled") -> Enrollment:
    e = Enrollment.objects.create(offering=offering, employee=employee, agency=offering.agency, status=status)
    if status in ("enrolled", "attended", "completed"):
        CourseOffering.objects.filter(pk=offering.pk).update(seats_taken=offering.seats_taken + 1)
        offering.refresh_from_db()
    return e


def develops(course: Course, competency: Any, level: int) -> CourseCompetency:
    return CourseCompetency.objects.create(course=course, competency=competency, target_level=level)
