"""The catalogue FilterSet, shared by the catalogue page and /api/v1/courses/."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from people.access import agency_q

from .choices import CourseFormat, CourseMode, EnrollmentStatus, OfferingStatus
from .models import Course, CourseOffering, Enrollment


def competency_choices(request: Any) -> QuerySet[Any]:
    """The competencies the catalogue search offers: the national dictionary and the user's agencies'."""
    from competencies.models import Competency

    user = getattr(request, "user", None)
    return Competency.objects.filter(Q(agency__isnull=True) | agency_q(user)).order_by("name")


class CourseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Cari"), method="search")
    competency = django_filters.ModelChoiceFilter(
        label=_("Kompetensi"), queryset=competency_choices, field_name="course_competencies__competency"
    )
    format = django_filters.ChoiceFilter(label=_("Bentuk"), choices=CourseFormat.choices)
    mode = django_filters.ChoiceFilter(label=_("Jalur"), choices=CourseMode.choices)
    provider = django_filters.CharFilter(label=_("Penyelenggara"), field_name="provider", lookup_expr="icontains")
    date_from = django_filters.DateFilter(label=_("Angkatan mulai sejak"), method="offering_from")
    date_to = django_filters.DateFilter(label=_("Angkatan mulai sampai"), method="offering_to")
    jp_min = django_filters.NumberFilter(label=_("JP minimum"), field_name="jp", lookup_expr="gte")
    jp_max = django_filters.NumberFilter(label=_("JP maksimum"), field_name="jp", lookup_expr="lte")

    class Meta:
        model = Course
        fields = ["q", "competency", "format", "mode", "provider", "date_from", "date_to", "jp_min", "jp_max"]

    def search(self, qs: QuerySet[Course], name: str, value: str) -> QuerySet[Course]:
        return qs.filter(Q(title__icontains=value) | Q(description__icontains=value) | Q(code__iexact=value))

    def offering_from(self, qs: QuerySet[Course], name: str, value: Any) -> QuerySet[Course]:
        ids = CourseOffering.objects.filter(start_date__gte=value).exclude(status=OfferingStatus.CANCELLED)
        return qs.filter(pk__in=ids.values("course_id"))

    def offering_to(self, qs: QuerySet[Course], name: str, value: Any) -> QuerySet[Course]:
        ids = CourseOffering.objects.filter(start_date__lte=value).exclude(status=OfferingStatus.CANCELLED)
        return qs.filter(pk__in=ids.values("course_id"))

    @property
    def qs(self) -> QuerySet[Course]:
        return super().qs.distinct()


class OfferingFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=OfferingStatus.choices)
    course = django_filters.NumberFilter(label=_("Pelatihan"), field_name="course_id")
    start_from = django_filters.DateFilter(label=_("Mulai sejak"), field_name="start_date", lookup_expr="gte")
    start_to = django_filters.DateFilter(label=_("Mulai sampai"), field_name="start_date", lookup_expr="lte")
    q = django_filters.CharFilter(label=_("Cari"), field_name="course__title", lookup_expr="icontains")

    class Meta:
        model = CourseOffering
        fields = ["status", "course", "start_from", "start_to", "q"]


class EnrollmentFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=EnrollmentStatus.choices)
    offering = django_filters.NumberFilter(field_name="offering_id")
    employee = django_filters.NumberFilter(field_name="employee_id")

    class Meta:
        model = Enrollment
        fields = ["status", "offering", "employee"]
