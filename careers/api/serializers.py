"""API shapes for careers (private notes are added per request, only for their author)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from people.models import Agency

from .. import rules
from ..choices import DevelopmentOpportunity, FollowUpStatus, ItemStatus, SessionKind, SessionMode
from ..models import (
    ActionItem,
    AppraisalFollowUp,
    CareerPlan,
    DevelopmentAction,
    MentoringSession,
    SessionMentee,
    TalentPlacement,
    TalentReview,
)


class DevelopmentActionSerializer(serializers.ModelSerializer[DevelopmentAction]):
    class Meta:
        model = DevelopmentAction
        fields = [
            "id",
            "plan",
            "kind",
            "title",
            "description",
            "competency",
            "required_level",
            "current_level",
            "course_offering",
            "mentoring_session",
            "due_date",
            "status",
            "completed_on",
            "source",
        ]
        read_only_fields = ["plan", "status", "completed_on", "source", "required_level", "current_level"]


class CareerPlanSerializer(serializers.ModelSerializer[CareerPlan]):
    employee_name = serializers.CharField(source="employee.name", read_only=True)
    progress = serializers.SerializerMethodField()
    versions = serializers.SerializerMethodField()

    class Meta:
        model = CareerPlan
        fields = [
            "id",
            "employee",
            "employee_name",
            "target_position",
            "target_family",
            "horizon_years",
            "aspiration",
            "strengths",
            "status",
            "submitted_at",
            "agreed_by",
            "agreed_on",
            "head_comment",
            "next_review_on",
            "version",
            "versions",
            "progress",
        ]
        read_only_fields = [
            "version",
            "status",
            "submitted_at",
            "agreed_by",
            "agreed_on",
            "head_comment",
            "next_review_on",
        ]
        # One open plan per employee is decided by the service (409 with a message), not a generic 400.
        validators: list[Any] = []

    def get_versions(self, obj: CareerPlan) -> list[dict[str, Any]]:
        """Earlier agreed versions, newest first (kept when an agreed plan was changed)."""
        return [
            {
                "version": v.version,
                "agreed_by": v.agreed_by_id,
                "agreed_on": v.agreed_on.isoformat() if v.agreed_on else None,
                "reason": v.reason,
                "actions": len(v.snapshot.get("actions", [])),
            }
            for v in obj.versions.all()
        ]

    def get_progress(self, obj: CareerPlan) -> int:
        n = getattr(obj, "n_actions", 0) or 0
        return round(100 * (getattr(obj, "n_done", 0) or 0) / n) if n else 0


class CareerPlanRowSerializer(CareerPlanSerializer):
    """A plan in the list: everything but the earlier agreed versions (the detail endpoint, or `?expand=versions`)."""

    class Meta(CareerPlanSerializer.Meta):
        fields = [f for f in CareerPlanSerializer.Meta.fields if f != "versions"]


class PlanReviewSerializer(serializers.Serializer[Any]):
    agree = serializers.BooleanField()
    comment = serializers.CharField(allow_blank=True, required=False, default="")


class StatusSerializer(serializers.Serializer[Any]):
    status = serializers.CharField()


class ActionItemSerializer(serializers.ModelSerializer[ActionItem]):
    owner_name = serializers.CharField(source="owner.name", read_only=True)

    class Meta:
        model = ActionItem
        fields = ["id", "session", "title", "owner", "owner_name", "due_date", "status", "done_on"]
        read_only_fields = ["session", "status", "done_on"]


class ParticipantSerializer(serializers.ModelSerializer[SessionMentee]):
    name = serializers.CharField(source="employee.name", read_only=True)

    class Meta:
        model = SessionMentee
        fields = ["employee", "name", "confirmed_at", "feedback_at", "jp_credited"]


class MentoringSessionSerializer(serializers.ModelSerializer[MentoringSession]):
    coach_name = serializers.CharField(source="coach.name", read_only=True)
    participants = ParticipantSerializer(many=True, read_only=True)
    private_notes = serializers.SerializerMethodField()

    class Meta:
        model = MentoringSession
        fields = [
            "id",
            "coach",
            "coach_name",
            "held_on",
            "duration_minutes",
            "mode",
            "kind",
            "topics",
            "shared_notes",
            "private_notes",
            "participants",
            "planned_result",
            "development_action",
            "talent_placement",
        ]

    def get_private_notes(self, obj: MentoringSession) -> str:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return obj.private_notes if user is not None and user.pk == obj.author_id else ""


class ItemInSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(allow_blank=True, required=False, default="")
    owner = serializers.IntegerField(required=False, allow_null=True, default=None)
    due_date = serializers.DateField(required=False, allow_null=True, default=None)


class SessionLogSerializer(serializers.Serializer[Any]):
    mentees = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)
    held_on = serializers.DateField()
    duration_minutes = serializers.IntegerField(min_value=5, max_value=480)
    mode = serializers.ChoiceField(choices=SessionMode.choices)
    kind = serializers.ChoiceField(choices=SessionKind.choices)
    topics = serializers.CharField(max_length=300)
    shared_notes = serializers.CharField(allow_blank=True, required=False, default="")
    private_notes = serializers.CharField(allow_blank=True, required=False, default="")
    action_items = ItemInSerializer(many=True, required=False, default=list)
    planned_result = serializers.IntegerField(required=False, allow_null=True, default=None)
    development_action = serializers.IntegerField(required=False, allow_null=True, default=None)
    talent_placement = serializers.IntegerField(required=False, allow_null=True, default=None)


class FeedbackSerializer(serializers.Serializer[Any]):
    answers = serializers.DictField(
        child=serializers.IntegerField(), help_text="; ".join(f"{k}: {t}" for k, t in rules.FEEDBACK_ITEMS)
    )
    comment = serializers.CharField(allow_blank=True, required=False, default="")


class ItemStatusSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=ItemStatus.choices)


class TalentReviewSerializer(serializers.ModelSerializer[TalentReview]):
    class Meta:
        model = TalentReview
        fields = ["id", "agency", "name", "year", "status", "scheme", "computed_at", "published_at", "counts"]
        read_only_fields = ["agency", "status", "scheme", "computed_at", "published_at", "counts"]


class TalentReviewCreateSerializer(serializers.ModelSerializer[TalentReview]):
    """Opening a review: the agency is optional (default: the admin's own) and must be an existing id."""

    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all(), required=False, allow_null=True)

    class Meta:
        model = TalentReview
        fields = ["agency", "name", "year"]


class TalentPlacementSerializer(serializers.ModelSerializer[TalentPlacement]):
    employee_name = serializers.CharField(source="employee.name", read_only=True)
    recommendation = serializers.SerializerMethodField()

    class Meta:
        model = TalentPlacement
        fields = [
            "id",
            "review",
            "employee",
            "employee_name",
            "unit",
            "position",
            "performance_score",
            "performance_band",
            "potential_score",
            "potential_band",
            "computed_box",
            "box",
            "override_reason",
            "recommendation",
        ]

    def get_recommendation(self, obj: TalentPlacement) -> str:
        return rules.recommendation(obj.box)


class OverrideSerializer(serializers.Serializer[Any]):
    box = serializers.IntegerField(min_value=1, max_value=9)
    reason = serializers.CharField(allow_blank=True, required=False, default="")


class FollowUpSerializer(serializers.ModelSerializer[AppraisalFollowUp]):
    employee_name = serializers.CharField(source="employee.name", read_only=True)
    # Blank for follow-ups other than development: the schema must allow "" next to the choices.
    opportunity = serializers.ChoiceField(choices=DevelopmentOpportunity.choices, allow_blank=True, read_only=True)

    class Meta:
        model = AppraisalFollowUp
        fields = [
            "id",
            "employee",
            "employee_name",
            "unit",
            "year",
            "predikat",
            "kind",
            "recognition_type",
            "opportunity",
            "sessions_planned",
            "description",
            "status",
            "head_reason",
            "decided_at",
            "done_on",
        ]
        read_only_fields = fields


class FollowUpDecisionSerializer(serializers.Serializer[Any]):
    decision = serializers.ChoiceField(
        choices=[FollowUpStatus.CONFIRMED, FollowUpStatus.ADJUSTED, FollowUpStatus.CANCELLED]
    )
    reason = serializers.CharField(allow_blank=True, required=False, default="")
    recognition_type = serializers.IntegerField(required=False, allow_null=True, default=None)
    opportunity = serializers.CharField(allow_blank=True, required=False, default="")
    sessions_planned = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0)
