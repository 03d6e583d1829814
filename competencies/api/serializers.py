"""API shapes for competencies."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from ..choices import LEVEL_CHOICES, AssessmentMethod, AssessmentPurpose
from ..models import AssessmentResult, Competency, CompetencyAssessment, CompetencyRequirement


class CompetencySerializer(serializers.ModelSerializer[Competency]):
    is_national = serializers.SerializerMethodField()
    kind = serializers.CharField(read_only=True, help_text="technical | managerial | sociocultural")

    class Meta:
        model = Competency
        fields = [
            "id",
            "agency",
            "kind",
            "code",
            "name",
            "definition",
            "level_1",
            "level_2",
            "level_3",
            "level_4",
            "level_5",
            "order",
            "is_active",
            "is_national",
        ]
        read_only_fields = ["agency", "kind"]

    def get_is_national(self, obj: Competency) -> bool:
        return obj.agency_id is None


class RequirementSerializer(serializers.ModelSerializer[CompetencyRequirement]):
    competency_code = serializers.CharField(source="competency.code", read_only=True)
    competency_name = serializers.CharField(source="competency.name", read_only=True)
    level = serializers.ChoiceField(choices=LEVEL_CHOICES)

    class Meta:
        model = CompetencyRequirement
        fields = ["id", "position", "competency", "competency_code", "competency_name", "level", "is_override"]
        read_only_fields = ["is_override"]
        validators: list[Any] = []


class AssessmentResultSerializer(serializers.ModelSerializer[AssessmentResult]):
    competency_code = serializers.CharField(source="competency.code", read_only=True)

    class Meta:
        model = AssessmentResult
        fields = ["competency", "competency_code", "level", "evidence"]


class AssessmentSerializer(serializers.ModelSerializer[CompetencyAssessment]):
    results = AssessmentResultSerializer(many=True, read_only=True)
    employee_nip = serializers.CharField(source="employee.nip", read_only=True)
    employee_name = serializers.CharField(source="employee.name", read_only=True)

    class Meta:
        model = CompetencyAssessment
        fields = [
            "id",
            "employee",
            "employee_nip",
            "employee_name",
            "assessed_on",
            "purpose",
            "method",
            "assessor",
            "valid_until",
            "notes",
            "results",
            "created_at",
        ]


class AssessmentListSerializer(AssessmentSerializer):
    """A list row: the assessment without its results (the detail endpoint, or the list with
    `?expand=results`, carries them)."""

    class Meta(AssessmentSerializer.Meta):
        fields = [f for f in AssessmentSerializer.Meta.fields if f != "results"]


class LevelInput(serializers.Serializer[Any]):
    competency = serializers.IntegerField()
    level = serializers.IntegerField(help_text="1–5")
    evidence = serializers.CharField(required=False, allow_blank=True, default="")


class AssessmentCreateSerializer(serializers.Serializer[Any]):
    employee = serializers.IntegerField()
    assessed_on = serializers.DateField()
    purpose = serializers.ChoiceField(choices=AssessmentPurpose.choices)
    method = serializers.ChoiceField(choices=AssessmentMethod.choices)
    assessor = serializers.CharField(required=False, allow_blank=True, default="")
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    results = LevelInput(many=True)


class ProfileRowSerializer(serializers.Serializer[Any]):
    competency = serializers.IntegerField(source="competency.pk")
    code = serializers.CharField(source="competency.code")
    name = serializers.CharField(source="competency.name")
    kind = serializers.CharField(source="competency.kind")
    required = serializers.IntegerField(allow_null=True)  # type: ignore[assignment]
    current = serializers.IntegerField(allow_null=True, help_text="null = belum diases")
    gap = serializers.IntegerField()
    assessed_on = serializers.DateField(allow_null=True)


class ProfileSerializer(serializers.Serializer[Any]):
    employee = serializers.IntegerField(source="employee.pk")
    position = serializers.IntegerField(source="position.pk", allow_null=True, default=None)
    position_title = serializers.CharField(source="position.title", allow_null=True, default=None)
    jpm = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    category = serializers.CharField(allow_null=True)
    filling_category = serializers.CharField(allow_null=True)
    required_sum = serializers.IntegerField()
    achieved_sum = serializers.IntegerField()
    rows = ProfileRowSerializer(many=True)
    extra_rows = ProfileRowSerializer(many=True)
