from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from asn_portal.admin import SummariesFollowEdits

from .models import (
    Agency,
    AgencyRole,
    DisciplinarySanction,
    Employee,
    ImportBatch,
    OrgUnit,
    Position,
    PositionHistory,
    Rank,
    RankHistory,
    User,
)
from .services import org_unit_move


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    pass


@admin.register(Agency)
class AgencyAdmin(SummariesFollowEdits, admin.ModelAdmin):
    list_display = ("name", "code", "region")
    search_fields = ("name", "code")


@admin.register(AgencyRole)
class AgencyRoleAdmin(SummariesFollowEdits, admin.ModelAdmin):
    list_display = ("user", "agency", "role")
    list_filter = ("role", "agency")
    autocomplete_fields = ("user",)


@admin.register(OrgUnit)
class OrgUnitAdmin(SummariesFollowEdits, SimpleHistoryAdmin):
    list_display = ("name", "code", "kind", "agency", "parent")
    list_filter = ("agency", "kind")
    search_fields = ("name", "code")
    raw_id_fields = ("parent", "head_position", "acting_head")
    list_select_related = ("agency", "parent")
    readonly_fields = ("path", "depth")

    def save_model(self, request: Any, obj: OrgUnit, form: Any, change: bool) -> None:
        """A new parent moves the whole subtree through the service, so every descendant's path follows."""
        if change and "parent" in form.changed_data:
            new_parent = obj.parent
            obj.parent_id = OrgUnit.objects.values_list("parent_id", flat=True).get(pk=obj.pk)
            super().save_model(request, obj, form, change)
            org_unit_move(unit=obj, new_parent=new_parent, actor=request.user)
            return
        super().save_model(request, obj, form, change)


@admin.register(Position)
class PositionAdmin(SummariesFollowEdits, SimpleHistoryAdmin):
    list_display = ("title", "kind", "unit", "headcount", "job_class")
    list_filter = ("agency", "kind")
    search_fields = ("title", "code")
    raw_id_fields = ("unit", "reports_to")
    list_select_related = ("unit",)


@admin.register(Rank)
class RankAdmin(SummariesFollowEdits, admin.ModelAdmin):
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
class EmployeeAdmin(SummariesFollowEdits, SimpleHistoryAdmin):
    list_display = ("nip", "name", "unit", "position", "rank", "status")
    list_filter = ("agency", "status", "employment_type")
    search_fields = ("nip", "name")
    raw_id_fields = ("user", "unit", "position", "supervisor_override")
    inlines = [PositionHistoryInline, RankHistoryInline, SanctionInline]
    list_select_related = ("unit", "position", "rank")

    def get_readonly_fields(self, request: Any, obj: Any = None) -> Any:
        # An employee never changes agency (a move to another one is the status "transferred"): rows copied
        # from it, such as a training enrolment's agency, stay the employee's.
        return ("agency",) if obj is not None else ()


@admin.register(ImportBatch)
class ImportBatchAdmin(SummariesFollowEdits, admin.ModelAdmin):
    """Uploads are read-only here: they are created and confirmed on the portal's import page."""

    list_display = ("created_at", "filename", "kind", "agency", "status", "total", "created_by")
    list_filter = ("agency", "kind", "status")
    list_select_related = ("agency", "created_by")
    exclude = ("rows",)
    readonly_fields = ("agency", "kind", "filename", "status", "counts", "total", "processed", "only_valid", "error")

    def has_add_permission(self, request: object) -> bool:
        return False
