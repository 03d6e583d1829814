"""Django admin for training's editable data (JP conversion, templates, catalogue)."""

from django.contrib import admin

from asn_portal.admin import SummariesFollowEdits

from .models import Course, CourseCompetency, CourseOffering, JpRate, Question, QuestionnaireTemplate


@admin.register(JpRate)
class JpRateAdmin(SummariesFollowEdits, admin.ModelAdmin):
    list_display = ["format", "jp_per_hour", "max_jp", "note"]


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 1


@admin.register(QuestionnaireTemplate)
class QuestionnaireTemplateAdmin(SummariesFollowEdits, admin.ModelAdmin):
    list_display = ["title", "kind", "respondent_role", "days_after_completion", "is_active", "agency"]
    inlines = [QuestionInline]


class CourseCompetencyInline(admin.TabularInline):
    model = CourseCompetency
    extra = 1
    raw_id_fields = ["competency"]


@admin.register(Course)
class CourseAdmin(SummariesFollowEdits, admin.ModelAdmin):
    list_display = ["code", "title", "format", "mode", "jp", "agency", "is_active"]
    list_filter = ["format", "mode", "is_active", "agency"]
    search_fields = ["title", "code"]
    inlines = [CourseCompetencyInline]


@admin.register(CourseOffering)
class CourseOfferingAdmin(SummariesFollowEdits, admin.ModelAdmin):
    list_display = ["course", "name", "start_date", "capacity", "seats_taken", "status"]
    list_filter = ["status", "agency"]
    raw_id_fields = ["course"]
