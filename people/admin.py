from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Agency,
    AgencyRole,
    DisciplinarySanction,
    Employee,
    OrgUnit,
    Position,
    PositionHistory,
    Rank,
    RankHistory,
    User,
)


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    pass


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "region")
    search_fields = ("name", "code")


@admin.register(AgencyRole)
class AgencyRoleAdmin(admin.ModelAdmin):
    list_display = ("user", "agency", "role")
    list_filter = ("role", "agency")
    autocomplete_fields = ("user",)


@admin.register(OrgUnit)
class OrgUnitAdmin(SimpleHistoryAdmin):
    list_display = ("name", "code", "kind", "agency", "parent")
    list_filter = ("agency", "kind")
    search_fields = ("name", "code")
    raw_id_fields = ("parent", "head_position", "acting_head")


@admin.register(Position)
class PositionAdmin(SimpleHistoryAdmin):
    list_display = ("title", "kind", "unit", "headcount", "job_class")
    list_filter = ("agency", "kind")
    search_fields = ("title", "code")
    raw_id_fields = ("unit", "reports_to")


@admin.register(Rank)
class RankAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "scheme", "order")
    list_filter = ("scheme",)


class PositionHistoryInline(admin.TabularInline):
    model = PositionHistory
    extra = 0
    raw_id_fields = ("position",)


class RankHistoryInline(admin.TabularInline):
    model = RankHistory
    extra = 0


class SanctionInline(admin.TabularInline):
    model = DisciplinarySanction
    extra = 0


@admin.register(Employee)
class EmployeeAdmin(SimpleHistoryAdmin):
    list_display = ("nip", "name", "unit", "position", "rank", "status")
    list_filter = ("agency", "status", "employment_type")
    search_fields = ("nip", "name")
    raw_id_fields = ("user", "unit", "position", "supervisor_override")
    inlines = [PositionHistoryInline, RankHistoryInline, SanctionInline]
    list_select_related = ("unit", "position", "rank")
