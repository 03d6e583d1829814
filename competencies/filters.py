"""FilterSets shared by pages and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet

from asn_portal.filters import FilterBackend as DjangoFilterBackend

from .models import Competency, CompetencyAssessment, CompetencyRequirement


class QueryFilterBackend(DjangoFilterBackend):
    """django-filter's backend, skipped when the request names none of the FilterSet's filters: an unfiltered
    list then costs no FilterSet and form (a filter given no value filters nothing anyway)."""

    def filter_queryset(self, request: Any, queryset: QuerySet[Any], view: Any) -> QuerySet[Any]:
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None and not any(
            name in request.query_params for name in filterset_class.base_filters
        ):
            return queryset
        return super().filter_queryset(request, queryset, view)  # type: ignore[no-any-return]


class CompetencyFilterSet(django_filters.FilterSet):
    class Meta:
        model = Competency
        fields = ["kind", "agency", "is_active", "code"]


class RequirementFilterSet(django_filters.FilterSet):
    position_kind = django_filters.CharFilter(field_name="position__kind")
    unit = django_filters.NumberFilter(field_name="position__unit_id")

    class Meta:
        model = CompetencyRequirement
        fields = ["position", "competency", "level", "is_override"]


class AssessmentFilterSet(django_filters.FilterSet):
    assessed_from = django_filters.DateFilter(field_name="assessed_on", lookup_expr="gte")
    assessed_to = django_filters.DateFilter(field_name="assessed_on", lookup_expr="lte")
    nip = django_filters.CharFilter(field_name="employee__nip")

    class Meta:
        model = CompetencyAssessment
        fields = ["employee", "method", "purpose"]
