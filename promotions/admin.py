from django.contrib import admin

from asn_portal.admin import SummariesFollowEdits

from .models import (
    CivilServiceExam,
    CreditPointThreshold,
    EducationRankCap,
    MeritWeights,
    PositionVacancy,
    PromotionPeriod,
    PromotionProposal,
    RuleSet,
)


@admin.register(PromotionPeriod)
class PromotionPeriodAdmin(SummariesFollowEdits, admin.ModelAdmin):
    list_display = ["period_date", "submission_opens", "submission_closes"]


@admin.register(RuleSet)
class RuleSetAdmin(SummariesFollowEdits, admin.ModelAdmin):
    list_display = ["version", "effective_from", "is_active"]


@admin.register(EducationRankCap)
class EducationRankCapAdmin(SummariesFollowEdits, admin.ModelAdmin):
    list_display = ["education_level", "entry_rank_code", "max_rank_code"]


@admin.register(CreditPointThreshold)
class CreditPointThresholdAdmin(SummariesFollowEdits, admin.ModelAdmin):
    list_display = ["category", "rank_code", "points"]


@admin.register(MeritWeights)
class MeritWeightsAdmin(SummariesFollowEdits, admin.ModelAdmin):
    list_display = ["agency", "jpm", "performance", "potential", "training", "qualification"]


@admin.register(CivilServiceExam)
class CivilServiceExamAdmin(SummariesFollowEdits, admin.ModelAdmin):
    list_display = ["employee", "level", "exam_date", "certificate_number"]
    raw_id_fields = ["employee"]


@admin.register(PromotionProposal)
class PromotionProposalAdmin(SummariesFollowEdits, admin.ModelAdmin):
    list_display = ["pk", "employee", "period", "status", "target_rank"]
    list_filter = ["status"]
    raw_id_fields = ["employee", "batch"]
    readonly_fields = ["status"]


@admin.register(PositionVacancy)
class PositionVacancyAdmin(SummariesFollowEdits, admin.ModelAdmin):
    list_display = ["pk", "position", "status", "chosen", "chosen_rank"]
    raw_id_fields = ["position", "chosen"]
    readonly_fields = ["status"]
