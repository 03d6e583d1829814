from django.contrib import admin

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
class PromotionPeriodAdmin(admin.ModelAdmin):
    list_display = ["period_date", "submission_opens", "submission_closes"]


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    list_display = ["version", "effective_from", "is_active"]


@admin.register(EducationRankCap)
class EducationRankCapAdmin(admin.ModelAdmin):
    list_display = ["education_level", "entry_rank_code", "max_rank_code"]


@admin.register(CreditPointThreshold)
class CreditPointThresholdAdmin(admin.ModelAdmin):
    list_display = ["category", "rank_code", "points"]


@admin.register(MeritWeights)
class MeritWeightsAdmin(admin.ModelAdmin):
    list_display = ["agency", "jpm", "performance", "potential", "training", "qualification"]


@admin.register(CivilServiceExam)
class CivilServiceExamAdmin(admin.ModelAdmin):
    list_display = ["employee", "level", "exam_date", "certificate_number"]
    raw_id_fields = ["employee"]


@admin.register(PromotionProposal)
class PromotionProposalAdmin(admin.ModelAdmin):
    list_display = ["pk", "employee", "period", "status", "target_rank"]
    list_filter = ["status"]
    raw_id_fields = ["employee", "batch"]
    readonly_fields = ["status"]


@admin.register(PositionVacancy)
class PositionVacancyAdmin(admin.ModelAdmin):
    list_display = ["pk", "position", "status", "chosen", "chosen_rank"]
    raw_id_fields = ["position", "chosen"]
    readonly_fields = ["status"]
