"""Admin for the SKP app: editable rule data (distribution curve, BerAKHLAK values, agency settings)
and read-mostly views of plans and the predikat history."""

from __future__ import annotations

from django.contrib import admin

from asn_portal.admin import SummariesFollowEdits

from .models import (
    CoreValue,
    DistributionRule,
    EvaluationPeriod,
    Objection,
    PerformancePlan,
    PerformanceSetting,
    PredikatImport,
    PredikatRecord,
    UnitCalibration,
    UnitPerformance,
)


@admin.register(DistributionRule)
class DistributionRuleAdmin(SummariesFollowEdits, admin.ModelAdmin):
    list_display = ["unit_rating", "order", "comparator", "percent", "predikats", "message", "is_active"]
    list_filter = ["unit_rating", "is_active"]
    list_editable = ["percent", "is_active"]


@admin.register(CoreValue)
class CoreValueAdmin(SummariesFollowEdits, admin.ModelAdmin):
    list_display = ["order", "name", "code"]


@admin.register(PerformanceSetting)
class PerformanceSettingAdmin(SummariesFollowEdits, admin.ModelAdmin):
    list_display = ["agency", "period_kind", "objection_window_days", "reminder_days_before"]


@admin.register(EvaluationPeriod)
class EvaluationPeriodAdmin(SummariesFollowEdits, admin.ModelAdmin):
    list_display = ["agency", "year", "name", "start_date", "end_date", "status", "is_annual"]
    list_filter = ["agency", "year", "kind", "status"]


@admin.register(PerformancePlan)
class PerformancePlanAdmin(SummariesFollowEdits, admin.ModelAdmin):
    list_display = ["employee", "year", "status", "predikat", "appraiser"]
    list_filter = ["year", "status", "predikat"]
    search_fields = ["employee__name", "employee__nip"]
    raw_id_fields = ["employee", "appraiser", "appraiser_superior", "unit"]
    readonly_fields = ["status", "predikat", "result_rating", "behaviour_rating"]


@admin.register(PredikatRecord)
class PredikatRecordAdmin(SummariesFollowEdits, admin.ModelAdmin):
    list_display = ["employee", "year", "predikat", "source", "locked"]
    list_filter = ["year", "predikat", "source"]
    search_fields = ["employee__name", "employee__nip"]
    raw_id_fields = ["employee", "plan", "unit"]


@admin.register(UnitPerformance)
class UnitPerformanceAdmin(SummariesFollowEdits, admin.ModelAdmin):
    list_display = ["unit", "period", "rating", "set_by"]
    list_filter = ["rating"]
    raw_id_fields = ["unit", "period", "set_by"]


@admin.register(UnitCalibration)
class UnitCalibrationAdmin(SummariesFollowEdits, admin.ModelAdmin):
    list_display = ["unit", "period", "status", "breaks_rule", "finalised_by"]
    list_filter = ["status", "breaks_rule"]
    raw_id_fields = ["unit", "period", "finalised_by"]


@admin.register(Objection)
class ObjectionAdmin(SummariesFollowEdits, admin.ModelAdmin):
    list_display = ["plan", "status", "decided_by", "decided_at"]
    list_filter = ["status"]
    raw_id_fields = ["plan", "decided_by"]


@admin.register(PredikatImport)
class PredikatImportAdmin(SummariesFollowEdits, admin.ModelAdmin):
    list_display = ("file_name", "agency", "status", "created_count", "created_at")
    list_filter = ("status",)
    exclude = ("rows", "source")
