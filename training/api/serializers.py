"""API shapes for training."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from asn_portal.api_serializers import RowListSerializer
from asn_portal.uploads import DownloadUrlField, UploadKind, UploadSerializerField
from people.choices import PositionType

from ..choices import CourseFormat, CourseMode, OfferingStatus
from ..models import (
    Course,
    CourseCompetency,
    CourseOffering,
    Enrollment,
    LearningRecord,
    Question,
    QuestionnaireResponse,
)


class CourseCompetencySerializer(serializers.ModelSerializer):
    competency_name = serializers.CharField(source="competency.name", read_only=True)

    class Meta:
        model = CourseCompetency
        fields = ["competency", "competency_name", "target_level"]


class CourseSerializer(serializers.ModelSerializer):
    mode = serializers.CharField(max_length=12, help_text="klasikal / nonklasikal")
    eligible_position_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=PositionType.choices),
        required=False,
        help_text="Kosong = semua jenis jabatan.",
    )
    competencies = CourseCompetencySerializer(source="course_competencies", many=True, read_only=True)
    format_display = serializers.CharField(source="get_format_display", read_only=True)

    class Meta:
        model = Course
        fields = [
            "id",
            "code",
            "title",
            "description",
            "mode",
            "format",
            "format_display",
            "provider",
            "jp",
            "eligible_position_kinds",
            "min_rank",
            "max_rank",
            "is_active",
            "competencies",
        ]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # Shape only: the rules (JP range, mode for the format, ranks, unique code) are the service's.
        if attrs.get("mode") is not None and attrs["mode"] not in CourseMode.values:
            raise serializers.ValidationError({"mode": _("Jalur harus klasikal atau nonklasikal.")})
        return attrs


class RecommendedCourseSerializer(CourseSerializer):
    gap_closed = serializers.IntegerField(read_only=True)
    available = serializers.BooleanField(read_only=True)
    next_start = serializers.DateField(read_only=True, allow_null=True)  # None: no offering scheduled yet

    class Meta(CourseSerializer.Meta):
        fields = [*CourseSerializer.Meta.fields, "gap_closed", "available", "next_start"]


class OfferingSerializer(serializers.ModelSerializer):
    course_title = serializers.CharField(source="course.title", read_only=True)
    seats_left = serializers.IntegerField(read_only=True)

    class Meta:
        model = CourseOffering
        fields = [
            "id",
            "course",
            "course_title",
            "name",
            "start_date",
            "end_date",
            "location",
            "online_url",
            "capacity",
            "seats_taken",
            "seats_left",
            "enrol_open",
            "enrol_close",
            "trainer",
            "requires_approval",
            "status",
        ]
        read_only_fields = ["seats_taken", "status"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # Shape only (dates, quota and the course's agency are checked by the service). The status is not
        # editable: it changes through POST /offerings/{id}/status/ so the life cycle, the audit entry and
        # the participants' notifications cannot be skipped. Echoing the current status back is harmless.
        raw = self.initial_data.get("status") if hasattr(self.initial_data, "get") else None
        current = self.instance.status if self.instance is not None else OfferingStatus.DRAFT
        if raw not in (None, "", current):
            raise serializers.ValidationError(
                {"status": _("Status angkatan tidak dapat disunting; gunakan POST /api/v1/offerings/{id}/status/.")}
            )
        return attrs


class OfferingStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=OfferingStatus.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)


_DATETIME = serializers.DateTimeField()  # the project's datetime output (time zone, format)
_SCORE = serializers.DecimalField(max_digits=5, decimal_places=2)  # the model's score, as DRF writes it
_JP = serializers.DecimalField(max_digits=6, decimal_places=2)  # a ledger row's JP and hours


def _datetime(value: Any) -> Any:
    return None if value is None else _DATETIME.to_representation(value)


class EnrollmentSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text="Status pendaftaran (EnrollmentStatus).")
    employee_name = serializers.CharField(source="employee.full_name", read_only=True)
    course_title = serializers.CharField(source="offering.course.title", read_only=True)

    class Meta:
        model = Enrollment
        fields = [
            "id",
            "offering",
            "course_title",
            "employee",
            "employee_name",
            "status",
            "waitlisted_at",
            "completed_on",
            "score",
            "certificate_number",
            "reason",
            "created_at",
        ]
        read_only_fields = fields

    def to_representation(self, instance: Enrollment) -> dict[str, Any]:
        """Written directly (the list reads 50 rows a page): exactly what the declared fields give (held equal
        by tests/training/test_api_shapes.py)."""
        e = instance
        employee, completed, score = e.employee, e.completed_on, e.score
        name = f"{employee.front_title} {employee.name}".strip()
        return {
            "id": e.pk,
            "offering": e.offering_id,
            "course_title": e.offering.course.title,
            "employee": e.employee_id,
            "employee_name": f"{name}, {employee.back_title}" if employee.back_title else name,
            "status": e.status,
            "waitlisted_at": _datetime(e.waitlisted_at),
            "completed_on": None if completed is None else completed.isoformat(),
            "score": None if score is None else _SCORE.to_representation(score),
            "certificate_number": e.certificate_number,
            "reason": e.reason,
            "created_at": _datetime(e.created_at),
        }


class EnrollmentCreateSerializer(serializers.Serializer):
    offering = serializers.IntegerField()
    employee = serializers.IntegerField(required=False)


class TransitionSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    certificate_number = serializers.CharField(required=False, allow_blank=True, default="")
    completed_on = serializers.DateField(required=False, allow_null=True, default=None)
    score = serializers.DecimalField(max_digits=5, decimal_places=2, required=False, allow_null=True, default=None)


class LearningRecordSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text="pending / verified / rejected")
    kind = serializers.CharField(read_only=True, help_text="course / external / mentoring / other")
    format = serializers.CharField(read_only=True)
    certificate_file = DownloadUrlField(view_name="learning-record-certificate", file_attr="certificate_file")

    class Meta:
        model = LearningRecord
        fields = [
            "id",
            "employee",
            "year",
            "date",
            "jp",
            "title",
            "kind",
            "format",
            "provider",
            "hours",
            "course",
            "source_type",
            "source_id",
            "status",
            "verified_at",
            "certificate_number",
            "certificate_file",
            "certificate_name",
            "note",
        ]
        read_only_fields = fields
        list_serializer_class = RowListSerializer  # same JSON, each field's read decided once per page

    def to_representation(self, instance: LearningRecord) -> dict[str, Any]:
        """Written directly (the list reads 50 rows a page): exactly what the declared fields give (held equal
        by tests/training/test_api_shapes.py)."""
        r = instance
        hours = r.hours
        return {
            "id": r.pk,
            "employee": r.employee_id,
            "year": r.year,
            "date": r.date.isoformat(),
            "jp": _JP.to_representation(r.jp),
            "title": r.title,
            "kind": r.kind,
            "format": r.format,
            "provider": r.provider,
            "hours": None if hours is None else _JP.to_representation(hours),
            "course": r.course_id,
            "source_type": r.source_type,
            "source_id": r.source_id,
            "status": r.status,
            "verified_at": _datetime(r.verified_at),
            "certificate_number": r.certificate_number,
            "certificate_file": self.fields["certificate_file"].to_representation(r) if r.certificate_file else None,
            "certificate_name": r.certificate_name,
            "note": r.note,
        }


class ExternalLearningSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    format = serializers.ChoiceField(choices=CourseFormat.choices)
    provider = serializers.CharField(max_length=150)
    on_date = serializers.DateField()
    hours = serializers.DecimalField(max_digits=8, decimal_places=2, required=False, allow_null=True)
    jp = serializers.DecimalField(max_digits=8, decimal_places=2, required=False, allow_null=True)
    certificate_number = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    certificate_file = UploadSerializerField(kind=UploadKind.DOCUMENT, required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class VerifySerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class QuestionSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text="likert / text / yes_no")
    dimension = serializers.CharField(read_only=True)

    class Meta:
        model = Question
        fields = ["id", "order", "text", "kind", "dimension", "required"]


class QuestionnaireSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="template.title", read_only=True)
    kind = serializers.CharField(read_only=True, help_text="reaction / followup")
    respondent_role = serializers.CharField(read_only=True, help_text="participant / supervisor")
    questions = QuestionSerializer(source="template.questions", many=True, read_only=True)
    course_title = serializers.CharField(source="offering.course.title", read_only=True)

    class Meta:
        model = QuestionnaireResponse
        fields = [
            "id",
            "title",
            "kind",
            "respondent_role",
            "respondent",
            "enrollment",
            "offering",
            "course_title",
            "issued_on",
            "answered_at",
            "applied",
            "questions",
        ]
        read_only_fields = fields


class AnswerSubmitSerializer(serializers.Serializer):
    answers = serializers.DictField(child=serializers.CharField(allow_blank=True))
