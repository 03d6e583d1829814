"""Reads of the catalogue: courses and offerings the user may see, and the admin's own agency's."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from people.access import admin_agency_q, agency_q
from training.choices import OfferingStatus
from training.models import Course, CourseCompetency, CourseOffering


def open_offering_q(prefix: str = "") -> Q:
    today = timezone.localdate()
    return Q(
        **{
            f"{prefix}status": OfferingStatus.OPEN,
            f"{prefix}enrol_close__gte": today,
            f"{prefix}enrol_open__lte": today,
        }
    )


def course_list_visible_to(*, user: Any) -> QuerySet[Course]:
    """Catalogue entries of the user's agency, with the next open offering date and competencies."""
    next_open = (
        CourseOffering.objects.filter(open_offering_q(), course=OuterRef("pk"))
        .order_by("start_date")
        .values("start_date")[:1]
    )
    return (
        Course.objects.filter(agency_q(user))
        .annotate(next_open_start=Subquery(next_open))
        .prefetch_related(
            Prefetch("course_competencies", queryset=CourseCompetency.objects.select_related("competency"))
        )
    )


def course_rows_visible_to(*, user: Any) -> QuerySet[Course]:
    """The catalogue entries of `course_list_visible_to` as plain rows (no next open date, no competencies)."""
    return Course.objects.filter(agency_q(user))


def course_get_visible(*, user: Any, pk: int) -> Course:
    course = course_list_visible_to(user=user).select_related("min_rank", "max_rank").filter(pk=pk).first()
    if course is None:
        raise Http404("Pelatihan tidak ditemukan.")
    return course


def course_admin_get(*, user: Any, pk: Any) -> Course:
    """A course the user may edit (BKD admin of its agency); anything else is "not found"."""
    course = Course.objects.filter(admin_agency_q(user)).filter(pk=pk).first() if str(pk).isdigit() else None
    if course is None:
        raise Http404("Pelatihan tidak ditemukan.")
    return course


def offering_list_visible_to(*, user: Any) -> QuerySet[CourseOffering]:
    return CourseOffering.objects.filter(agency_q(user)).select_related("course")


def offering_get_visible(*, user: Any, pk: int) -> CourseOffering:
    offering = offering_list_visible_to(user=user).filter(pk=pk).first()
    if offering is None:
        raise Http404("Angkatan tidak ditemukan.")
    return offering


def offering_admin_get(*, user: Any, pk: Any) -> CourseOffering:
    offering = (
        CourseOffering.objects.filter(admin_agency_q(user)).select_related("course").filter(pk=pk).first()
        if str(pk).isdigit()
        else None
    )
    if offering is None:
        raise Http404("Angkatan tidak ditemukan.")
    return offering


def offerings_to_manage(*, user: Any) -> QuerySet[CourseOffering]:
    """The BKD admin's agency's offerings, newest first."""
    return CourseOffering.objects.filter(admin_agency_q(user)).select_related("course").order_by("-start_date")


def courses_to_manage(*, user: Any) -> QuerySet[Course]:
    """The BKD admin's agency's courses with their number of offerings."""
    return Course.objects.filter(admin_agency_q(user)).annotate(n=Count("offerings")).order_by("title")


def admin_course(*, user: Any, pk: int | None) -> Course | None:
    """One of the admin's agency's courses, or None (no id, or another agency's)."""
    return Course.objects.filter(admin_agency_q(user), pk=pk).first() if pk else None
