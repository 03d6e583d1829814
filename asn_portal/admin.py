"""Admin for job runs (with a "run now" button for registered periodic jobs) and audit entries."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django_celery_beat.models import PeriodicTask

from . import summaries
from .errors import ApplicationError
from .models import AuditEntry, JobRun, Notification
from .services import periodic_task_run_now


class SummariesFollowEdits:
    """Mixed into every admin of HR data: an add, change or delete made in the Django admin (which bypasses the
    services) marks the agency's summary rows stale and queues their refresh in the same transaction, so
    report pages do not wait for the nightly safety net."""

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        summaries.touch_after_edit([obj])
        return super().log_addition(request, obj, message)  # type: ignore[misc]

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        summaries.touch_after_edit([obj])
        return super().log_change(request, obj, message)  # type: ignore[misc]

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        summaries.touch_after_edit(list(queryset))
        return super().log_deletions(request, queryset)  # type: ignore[misc]


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    list_display = ("job", "part", "agency_id", "status", "started_at", "finished_at", "duration_seconds", "counts")
    list_filter = ("status", "job")
    readonly_fields = [f.name for f in JobRun._meta.fields]
    change_list_template = "admin/asn_portal/jobrun/change_list.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def get_urls(self) -> list[Any]:
        return [
            path("run-now/", self.admin_site.admin_view(self.run_now), name="asn_portal_jobrun_run_now")
        ] + super().get_urls()

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        extra_context = extra_context or {}
        extra_context["periodic_tasks"] = PeriodicTask.objects.filter(enabled=True).order_by("name")
        return super().changelist_view(request, extra_context)

    def run_now(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST":
            task = PeriodicTask.objects.filter(pk=request.POST.get("task")).first()
            if task is None:
                messages.error(request, _("Pekerjaan tidak ditemukan."))
            else:
                try:
                    periodic_task_run_now(task=task, actor=request.user)
                except ApplicationError as exc:
                    messages.error(request, exc.message)
                else:
                    messages.success(request, _("Pekerjaan %(name)s dikirim ke worker.") % {"name": task.name})
        return HttpResponseRedirect(reverse("admin:asn_portal_jobrun_changelist"))


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "actor", "action", "object_type", "object_repr", "reason")
    list_filter = ("action", "object_type")
    search_fields = ("object_repr", "reason", "object_id")
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[AuditEntry]:
        return super().get_queryset(request).select_related("actor")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("user", "title", "created_at", "read_at")
    raw_id_fields = ("user",)
