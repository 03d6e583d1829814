"""Django admin for the competency reference data (editable tables) and a read view of stored results."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from asn_portal.admin import SummariesFollowEdits

from .models import (
    AssessmentImport,
    AssessmentResult,
    AssessmentValidity,
    Competency,
    CompetencyAssessment,
    CompetencyRequirement,
    DefaultRequirementLevel,
    EmployeeJpm,
)


@admin.register(Competency)
class CompetencyAdmin(SummariesFollowEdits, admin.ModelAdmin):
    list_display = ("code", "name", "kind", "agency", "is_active")
    list_filter = ("kind", "agency", "is_active")
    search_fields = ("code", "name")


@admin.register(DefaultRequirementLevel)
class DefaultRequirementLevelAdmin(SummariesFollowEdits, admin.ModelAdmin):
    list_display = ("position_kind", "functional_level", "level", "note")
    list_editable = ("level",)


@admin.register(AssessmentValidity)
class AssessmentValidityAdmin(SummariesFollowEdits, admin.ModelAdmin):
    list_display = ("method", "years")
    list_editable = ("years",)


@admin.register(CompetencyRequirement)
class CompetencyRequirementAdmin(SummariesFollowEdits, admin.ModelAdmin):
    list_display = ("position", "competency", "level", "is_override")
    list_filter = ("is_override", "competency")
    raw_id_fields = ("position",)
    list_select_related = ("position", "competency")


class ResultInline(admin.TabularInline):
    model = AssessmentResult
    fields = ("competency", "level", "evidence")
    readonly_fields = ("competency", "level", "evidence")
    extra = 0
    can_delete = False


@admin.register(CompetencyAssessment)
class CompetencyAssessmentAdmin(SummariesFollowEdits, admin.ModelAdmin):
    list_display = ("employee", "assessed_on", "method", "purpose", "valid_until")
    list_filter = ("method", "purpose")
    raw_id_fields = ("employee", "created_by", "import_batch")
    list_select_related = ("employee",)
    inlines = [ResultInline]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # assessments change through the portal services (audited, JPM refreshed)


@admin.register(EmployeeJpm)
class EmployeeJpmAdmin(SummariesFollowEdits, admin.ModelAdmin):
    list_display = ("employee", "position", "jpm", "category", "filling_category", "computed_at")
    list_filter = ("category", "filling_category")
    raw_id_fields = ("employee", "position")
    list_select_related = ("employee", "position")


@admin.register(AssessmentImport)
class AssessmentImportAdmin(SummariesFollowEdits, admin.ModelAdmin):
    list_display = ("file_name", "agency", "status", "created_count", "created_at")
    list_filter = ("status",)
    exclude = ("rows", "errors")
