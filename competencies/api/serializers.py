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

    def to_representation(self, instance: Competency) -> dict[str, Any]:
        """The declared fields' output written directly (DRF's field-by-field walk cost more than the rest
        of a list request); `tests/competencies/test_api_shapes.py` holds it equal to the fields' output."""
        c = instance
        return {
            "id": c.pk,
            "agency": c.agency_id,
            "kind": c.kind,
            "code": c.code,
            "name": c.name,
            "definition": c.definition,
            "level_1": c.level_1,
            "level_2": c.level_2,
            "level_3": c.level_3,
            "level_4": c.level_4,
            "level_5": c.level_5,
            "order": c.order,
            "is_active": c.is_active,
            "is_national": c.agency_id is None,
        }


class RequirementSerializer(serializers.ModelSerializer[CompetencyRequirement]):
    competency_code = serializers.CharField(source="competency.code", read_only=True)
    competency_name = serializers.CharField(source="competency.name", read_only=True)
    level = serializers.ChoiceField(choices=LEVEL_CHOICES)

    class Meta:
        model = CompetencyRequirement
        fields = ["id", "position", "competency", "competency_code", "competency_name", "level", "is_override"]
        read_only_fields = ["is_override"]
        validators: list[Any] = []

    def to_representation(self, instance: CompetencyRequirement) -> dict[str, Any]:
        """Written directly, like `CompetencySerializer.to_representation` (held equal by the same test)."""
        r = instance
        return {
            "id": r.pk,
            "position": r.position_id,
            "competency": r.competency_id,
            "competency_code": r.competency.code,
            "competency_name": r.competency.name,
            "level": r.level,
            "is_override": r.is_override,
        }


class AssessmentResultSerializer(serializers.ModelSerializer[AssessmentResult]):
    competency_code = serializers.CharField(source="competency.code", read_only=True)

    class Meta:
        model = AssessmentResult
        fields = ["competency", "competency_code", "level", "evidence"]

    def to_representation(self, instance: AssessmentResult) -> dict[str, Any]:
        r = instance
        return {
            "competency": r.competency_id,
            "competency_code": r.competency.code,
            "level": r.level,
            "evidence": r.evidence,
        }


_DATETIME = serializers.DateTimeField()  # the project's datetime output (time zone, format) for `created_at`


def _assessment_row(a: CompetencyAssessment) -> dict[str, Any]:
    return {
        "id": a.pk,
        "employee": a.employee_id,
        "employee_nip": a.employee.nip,
        "employee_name": a.employee.name,
        "assessed_on": a.assessed_on.isoformat(),
        "purpose": a.purpose,
        "method": a.method,
        "assessor": a.assessor,
        "valid_until": a.valid_until.isoformat(),
        "notes": a.notes,
        "created_at": _DATETIME.to_representation(a.created_at),
    }


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

    def to_representation(self, instance: CompetencyAssessment) -> dict[str, Any]:
        """Written directly, like `CompetencySerializer.to_representation` (held equal by the same test)."""
        row = _assessment_row(instance)
        results = AssessmentResultSerializer()
        row["results"] = [results.to_representation(r) for r in instance.results.all()]
        row["created_at"] = row.pop("created_at")  # the declared order
        return row


class AssessmentListSerializer(AssessmentSerializer):
    """A list row: the assessment without its results (the detail endpoint, or the list with
    `?expand=results`, carries them)."""

    class Meta(AssessmentSerializer.Meta):
        fields = [f for f in AssessmentSerializer.Meta.fields if f != "results"]

    def to_representation(self, instance: CompetencyAssessment) -> dict[str, Any]:
        return _assessment_row(instance)


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

    def to_representation(self, instance: Any) -> dict[str, Any]:
        """Written directly, like `CompetencySerializer.to_representation` (held equal by the same test)."""
        return _profile_row(instance)


def _profile_row(r: Any) -> dict[str, Any]:
    c = r.competency
    return {
        "competency": c.pk,
        "code": c.code,
        "name": c.name,
        "kind": c.kind,
        "required": r.required,
        "current": r.current,
        "gap": r.gap,
        "assessed_on": _DATE.to_representation(r.assessed_on) if r.assessed_on is not None else None,
    }


_DATE = serializers.DateField()  # the project's date output for `assessed_on`
_JPM = serializers.DecimalField(max_digits=5, decimal_places=2)  # the declared `jpm` field's output


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

    def to_representation(self, instance: Any) -> dict[str, Any]:
        """Written directly, like `CompetencySerializer.to_representation` (held equal by the same test)."""
        p = instance
        position = p.position
        return {
            "employee": p.employee.pk,
            "position": position.pk if position is not None else None,
            "position_title": position.title if position is not None else None,
            "jpm": _JPM.to_representation(p.jpm) if p.jpm is not None else None,
            "category": str(p.category) if p.category is not None else None,
            "filling_category": str(p.filling_category) if p.filling_category is not None else None,
            "required_sum": p.required_sum,
            "achieved_sum": p.achieved_sum,
            "rows": [_profile_row(r) for r in p.rows],
            "extra_rows": [_profile_row(r) for r in p.extra_rows],
        }
