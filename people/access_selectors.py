"""Reads of the access log (issue #16): one person's log grouped by viewer and purpose, and the agency report.

Both are bounded: a person's log is read through the (subject, -at) index; the agency report only over a
date window of at most ACCESS_LOG_REPORT_MAX_DAYS through the (agency, -at) index, never the whole table."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Count, F, Max, Q, QuerySet

from .models import Employee, RecordAccess


def access_groups_for_subject(*, subject: Employee) -> QuerySet[Any]:
    """The subject's log grouped by (viewer, purpose): count, last time and the parts read, newest first."""
    return (
        RecordAccess.objects.filter(subject=subject)
        .values(
            "viewer_id",
            "viewer__username",
            "viewer_employee_id",
            "viewer_employee__name",
            "viewer_employee__front_title",
            "viewer_employee__back_title",
            "viewer_employee__position__title",
            "viewer_employee__unit__name",
            "purpose",
        )
        .annotate(
            count=Count("id"),
            last=Max("at"),
            parts=ArrayAgg("part", distinct=True, default=[]),
            exports=Count("export_id", distinct=True),
        )
        .order_by("-last", "viewer_id", "purpose")
    )


def viewer_label(row: dict[str, Any]) -> str:
    """The viewer's name with titles, or their account name when they have no employee record."""
    name = row.get("viewer_employee__name")
    if name:
        full = f"{row.get('viewer_employee__front_title') or ''} {name}".strip()
        back = row.get("viewer_employee__back_title")
        return f"{full}, {back}" if back else full
    return str(row.get("viewer__username") or "–")


@dataclass(frozen=True)
class ReportWindow:
    since: dt.date
    until: dt.date  # inclusive

    @property
    def start(self) -> dt.datetime:
        from django.utils import timezone

        return timezone.make_aware(dt.datetime.combine(self.since, dt.time.min))

    @property
    def end(self) -> dt.datetime:
        from django.utils import timezone

        return timezone.make_aware(dt.datetime.combine(self.until + dt.timedelta(days=1), dt.time.min))


def off_hours_q(prefix: str = "") -> Q:
    """Reads outside office hours (Asia/Jakarta, ACCESS_LOG_OFFICE_HOURS) or on a weekend."""
    start, end = settings.ACCESS_LOG_OFFICE_HOURS
    return (
        Q(**{f"{prefix}at__hour__lt": start})
        | Q(**{f"{prefix}at__hour__gte": end})
        | Q(**{f"{prefix}at__week_day__in": [1, 7]})
    )


def outside_unit_q() -> Q:
    """The subject works outside the viewer's own unit subtree (viewers without an employee record never
    match: they are superusers or service accounts, reported as such)."""
    return ~Q(subject__unit__path__startswith=F("viewer_employee__unit__path")) & Q(viewer_employee__isnull=False)


def _window_qs(*, agency_id: int, window: ReportWindow, viewer: str = "", part: str = "") -> QuerySet[RecordAccess]:
    qs = RecordAccess.objects.filter(agency_id=agency_id, at__gte=window.start, at__lt=window.end)
    if viewer:
        qs = qs.filter(Q(viewer_employee__name__icontains=viewer) | Q(viewer__username__icontains=viewer))
    if part:
        qs = qs.filter(part=part)
    return qs


def access_report(*, agency_id: int, window: ReportWindow, viewer: str = "", part: str = "") -> QuerySet[Any]:
    """Per viewer in the window: reads, distinct people, people outside the viewer's unit, exports and exports
    outside office hours; the most unusual first (most outside-unit people, then night exports)."""
    return (
        _window_qs(agency_id=agency_id, window=window, viewer=viewer, part=part)
        .values(
            "viewer_id",
            "viewer__username",
            "viewer_employee__name",
            "viewer_employee__front_title",
            "viewer_employee__back_title",
            "viewer_employee__unit__name",
        )
        .annotate(
            reads=Count("id"),
            people=Count("subject_id", distinct=True),
            outside=Count("subject_id", distinct=True, filter=outside_unit_q()),
            exports=Count("export_id", distinct=True),
            night_exports=Count("export_id", distinct=True, filter=off_hours_q()),
            last=Max("at"),
        )
        .order_by("-outside", "-night_exports", "-reads", "viewer_id")
    )


def export_list(*, agency_id: int, window: ReportWindow, viewer: str = "", part: str = "") -> QuerySet[Any]:
    """The exports in the window (one row per export id) with how many people each held."""
    return (
        _window_qs(agency_id=agency_id, window=window, viewer=viewer, part=part)
        .filter(export_id__isnull=False)
        .values(
            "export_id",
            "viewer__username",
            "viewer_employee__name",
            "viewer_employee__front_title",
            "viewer_employee__back_title",
            "part",
            "via",
            "stated_purpose",
        )
        .annotate(people=Count("subject_id", distinct=True), at=Max("at"))
        .order_by("-at")
    )


def is_unusual(row: dict[str, Any]) -> bool:
    return bool(row.get("night_exports")) or row.get("outside", 0) >= settings.ACCESS_LOG_OUTSIDE_UNIT_THRESHOLD


def is_off_hours(moment: dt.datetime) -> bool:
    from django.utils import timezone

    local = timezone.localtime(moment)
    start, end = settings.ACCESS_LOG_OFFICE_HOURS
    return local.hour < start or local.hour >= end or local.isoweekday() >= 6
