"""Serializers of the SKP API: input shape only; decisions are in services."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from asn_portal.uploads import DownloadUrlField, UploadKind, UploadSerializerField

from ..choices import Approach, Aspect, Expectation, Perspective, Predikat, ResultKind, UnitRating
from ..models import (
    Evaluation,
    Feedback,
    Indicator,
    PerformancePlan,
    PlannedResult,
    PredikatRecord,
    Progress,
    UnitPerformance,
)
from ..plans.selectors import PLAN_ROW_VALUES


class CodeField(serializers.CharField):
    """A code from a TextChoices, documented as a plain string listing its values. (Enum components
    would collide with other apps' `kind`/`status` enums in the OpenAPI schema.)"""

    def __init__(self, choices: Any, **kwargs: Any) -> None:
        self.codes = [str(v) for v in choices.values]
        kwargs.setdefault("help_text", " | ".join(self.codes))
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        value = super().to_internal_value(data)
        if value not in self.codes and not (self.allow_blank and value == ""):
            raise serializers.ValidationError(
                f"Nilai tidak dikenal: {value!r}; pilih salah satu: {', '.join(self.codes)}."
            )
        return value


class ProgressSerializer(serializers.ModelSerializer[Progress]):
    period_name = serializers.CharField(source="period.name", read_only=True)
    evidence_file = DownloadUrlField(
        view_name="performance-plan-evidence", file_attr="evidence_file", url_kwargs=lambda p: {"progress_id": p.pk}
    )

    class Meta:
        model = Progress
        fields = [
            "id", "period", "period_name", "value", "value_number", "note",
            "evidence_file", "evidence_name", "evidence_link",
        ]  # fmt: skip


class IndicatorSerializer(serializers.ModelSerializer[Indicator]):
    aspect = CodeField(Aspect, read_only=True)
    progress = ProgressSerializer(many=True, read_only=True)

    class Meta:
        model = Indicator
        fields = ["id", "aspect", "text", "target", "target_value", "unit", "progress"]


class ResultSerializer(serializers.ModelSerializer[PlannedResult]):
    kind = CodeField(ResultKind, read_only=True)
    perspective = CodeField(Perspective, read_only=True)
    indicators = IndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = PlannedResult
        fields = ["id", "kind", "text", "parent_result", "perspective", "order", "indicators"]


class FeedbackSerializer(serializers.ModelSerializer[Feedback]):
    class Meta:
        model = Feedback
        fields = ["id", "period", "result", "core_value", "text", "given_by", "created_at"]


class EvaluationSerializer(serializers.ModelSerializer[Evaluation]):
    status = serializers.CharField(read_only=True, help_text="pending | evaluated")
    result_rating = CodeField(Expectation, read_only=True)
    behaviour_rating = CodeField(Expectation, read_only=True)
    predikat = CodeField(Predikat, read_only=True)

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "period",
            "status",
            "result_rating",
            "result_rating_from_unit",
            "behaviour_rating",
            "predikat",
            "comment",
            "evaluated_by",
            "evaluated_at",
        ]


# The list row's fields: the columns the list reads as `values()` (PLAN_ROW_VALUES), the employee's name parts
# written as one `employee_name` after the employee.
PLAN_ROW_FIELDS = [
    "id",
    "employee",
    "employee_name",
    *(f for f in PLAN_ROW_VALUES if f not in ("id", "employee") and not f.startswith("employee__")),
]
# Nested parts a list row carries only when asked for (`?expand=results,feedback,evaluations`).
PLAN_EXPANDABLE = ("results", "feedback", "evaluations")


class PlanRowSerializer(serializers.ModelSerializer[PerformancePlan]):
    """One SKP of the list: its own columns only (the detail endpoint carries the nested parts)."""

    employee_name = serializers.CharField(source="employee.full_name", read_only=True)
    status = serializers.CharField(
        read_only=True, help_text="draft | submitted | returned | approved | evaluated | final | objected | resolved"
    )
    approach = CodeField(Approach, read_only=True)
    result_rating = CodeField(Expectation, read_only=True)
    behaviour_rating = CodeField(Expectation, read_only=True)
    predikat = CodeField(Predikat, read_only=True)

    class Meta:
        model = PerformancePlan
        fields = PLAN_ROW_FIELDS
        read_only_fields = fields


_DATETIME = serializers.DateTimeField(read_only=True)
_PLAN_ROW_DATES = ("submitted_at", "approved_at", "evaluated_at", "finalised_at")
_PLAN_ROW_COPIED = tuple(f for f in PLAN_ROW_FIELDS if f not in ("employee_name", *_PLAN_ROW_DATES))


class PlanRowValuesSerializer(PlanRowSerializer):
    """A row of the SKP API list read from `plans_selectors.plan_row_values_visible_to` (`values()` dicts): the
    same keys and values as `PlanRowSerializer` gives for the plan (the OpenAPI schema is that serializer's),
    built without a model instance or a serializer field call per column."""

    def to_representation(self, instance: Any) -> dict[str, Any]:
        row = instance
        out = {key: row[key] for key in _PLAN_ROW_COPIED}
        name = f"{row['employee__front_title'] or ''} {row['employee__name']}".strip()
        back = row["employee__back_title"]
        out["employee_name"] = f"{name}, {back}" if back else name
        for key in _PLAN_ROW_DATES:
            value = row[key]
            out[key] = None if value is None else _DATETIME.to_representation(value)
        return {key: out[key] for key in PLAN_ROW_FIELDS}


class PlanSerializer(PlanRowSerializer):
    """One SKP with its results → indicators → progress, feedback, evaluations and the user's transitions."""

    results = ResultSerializer(many=True, read_only=True)
    feedback = FeedbackSerializer(many=True, read_only=True)
    evaluations = EvaluationSerializer(many=True, read_only=True)
    allowed_transitions = serializers.SerializerMethodField()

    class Meta(PlanRowSerializer.Meta):
        fields = [*PLAN_ROW_FIELDS, *PLAN_EXPANDABLE, "allowed_transitions"]
        read_only_fields = fields

    def get_allowed_transitions(self, obj: PerformancePlan) -> list[str]:
        from ..permissions import allowed_transitions_for

        return allowed_transitions_for(self.context["request"].user, obj)


class PlanExpandedRowSerializer(PlanRowSerializer):
    """A list row with the nested parts named in the context's `expand` (a subset of PLAN_EXPANDABLE)."""

    results = ResultSerializer(many=True, read_only=True)
    feedback = FeedbackSerializer(many=True, read_only=True)
    evaluations = EvaluationSerializer(many=True, read_only=True)

    class Meta(PlanRowSerializer.Meta):
        fields = [*PLAN_ROW_FIELDS, *PLAN_EXPANDABLE]
        read_only_fields = fields

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        wanted = self.context.get("expand", ())
        for name in PLAN_EXPANDABLE:
            if name not in wanted:
                self.fields.pop(name)


class PlanCreateSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    employee = serializers.IntegerField(required=False, help_text="Untuk admin BKD; default: diri sendiri.")


class IndicatorInputSerializer(serializers.Serializer[Any]):
    aspect = CodeField(Aspect)
    text = serializers.CharField()
    target = serializers.CharField(max_length=120)
    unit = serializers.CharField(required=False, allow_blank=True, default="")


class ResultInputSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(required=False, allow_null=True)
    kind = CodeField(ResultKind)
    text = serializers.CharField()
    parent_result = serializers.IntegerField(required=False, allow_null=True)
    perspective = CodeField(Perspective, required=False, allow_blank=True, default="")
    indicators = IndicatorInputSerializer(many=True)


class ContentSerializer(serializers.Serializer[Any]):
    approach = CodeField(Approach)
    results = ResultInputSerializer(many=True)


class CommentSerializer(serializers.Serializer[Any]):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class EvaluateSerializer(serializers.Serializer[Any]):
    period = serializers.IntegerField()
    result_rating = CodeField(Expectation)
    behaviour_rating = CodeField(Expectation)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ObjectSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField()


class ProgressInputSerializer(serializers.Serializer[Any]):
    indicator = serializers.IntegerField()
    period = serializers.IntegerField()
    value = serializers.CharField(max_length=120)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    evidence_link = serializers.URLField(required=False, allow_blank=True, default="")
    evidence_file = UploadSerializerField(kind=UploadKind.DOCUMENT, required=False, allow_null=True, default=None)


class UnitPerformanceSerializer(serializers.ModelSerializer[UnitPerformance]):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    period_name = serializers.CharField(source="period.name", read_only=True)
    rating = CodeField(UnitRating)

    class Meta:
        model = UnitPerformance
        fields = ["id", "unit", "unit_name", "period", "period_name", "rating", "note", "updated_at"]
        validators: list[Any] = []  # setting a rating again updates it (the service upserts)


class UnitPerformanceRowSerializer(UnitPerformanceSerializer):
    """A row of the unit-performance API list read as `values()` (unit and period names joined): the same keys
    and values as `UnitPerformanceSerializer` gives (the schema documents that one), without a model instance
    or a serializer field call per column."""

    def to_representation(self, instance: Any) -> dict[str, Any]:
        row = instance
        updated = row["updated_at"]
        return {
            "id": row["id"],
            "unit": row["unit"],
            "unit_name": row["unit_name"],
            "period": row["period"],
            "period_name": row["period_name"],
            "rating": row["rating"],
            "note": row["note"],
            "updated_at": None if updated is None else _DATETIME.to_representation(updated),
        }


class PredikatRecordSerializer(serializers.ModelSerializer[PredikatRecord]):
    predikat = CodeField(Predikat, read_only=True)
    source = serializers.CharField(read_only=True, help_text="appraisal | import")  # type: ignore[assignment]
    predikat_label = serializers.SerializerMethodField()

    class Meta:
        model = PredikatRecord
        fields = ["year", "predikat", "predikat_label", "source", "locked", "plan", "note"]

    def get_predikat_label(self, obj: PredikatRecord) -> str:
        return str(Predikat(obj.predikat).label)
