"""Admin for the editable careers data (scheme, settings, recognition types, mentor assignments)."""

from django.contrib import admin

from asn_portal.admin import SummariesFollowEdits

from .models import (
    AppraisalFollowUp,
    CareerPlan,
    CareerSettings,
    MentorAssignment,
    MentoringSession,
    RecognitionType,
    TalentReview,
    TalentScheme,
)


@admin.register(TalentScheme)
class TalentSchemeAdmin(SummariesFollowEdits, admin.ModelAdmin):
    list_display = ("name", "agency", "performance_above", "performance_meets", "potential_high", "potential_medium")


@admin.register(CareerSettings)
class CareerSettingsAdmin(SummariesFollowEdits, admin.ModelAdmin):
    list_display = ("__str__", "session_jp_per_hour", "session_jp_max", "cadence_days", "plan_review_days")


@admin.register(RecognitionType)
class RecognitionTypeAdmin(SummariesFollowEdits, admin.ModelAdmin):
    list_display = ("name", "code", "agency", "is_active")
    list_filter = ("is_active",)


@admin.register(MentorAssignment)
class MentorAssignmentAdmin(SummariesFollowEdits, admin.ModelAdmin):
    list_display = ("mentor", "mentee", "start_date", "end_date")
    raw_id_fields = ("mentor", "mentee")


@admin.register(TalentReview)
class TalentReviewAdmin(SummariesFollowEdits, admin.ModelAdmin):
    list_display = ("name", "agency", "year", "status", "published_at")
    list_filter = ("status",)
    readonly_fields = ("scheme", "counts", "job_run_id")


@admin.register(CareerPlan)
class CareerPlanAdmin(SummariesFollowEdits, admin.ModelAdmin):
    list_display = ("employee", "status", "agreed_on", "next_review_on")
    list_filter = ("status",)
    raw_id_fields = ("employee", "target_position", "agreed_by")


@admin.register(MentoringSession)
class MentoringSessionAdmin(SummariesFollowEdits, admin.ModelAdmin):
    list_display = ("held_on", "coach", "kind", "topics")
    raw_id_fields = ("coach", "author", "planned_result", "development_action", "talent_placement")
    exclude = ("private_notes",)


@admin.register(AppraisalFollowUp)
class AppraisalFollowUpAdmin(SummariesFollowEdits, admin.ModelAdmin):
    list_display = ("employee", "year", "kind", "status")
    list_filter = ("status", "kind", "year")
    raw_id_fields = ("employee", "unit", "plan_action")
