"""FilterSets shared by pages and the API."""

from __future__ import annotations

import django_filters

from .models import CompetencyAssessment, CompetencyRequirement


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
