"""Reads of the access log (issue #16): one person's log grouped by viewer and purpose, and the agency report.

Both are bounded: a person's log is read through the (subject, -at) index; the agency report only over a
date window of at most ACCESS_LOG_REPORT_MAX_DAYS through the (agency, -at) index, never the whole table."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Count, Max, Q, QuerySet

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


def _window_qs(*, agency_id: int, window: ReportWindow, viewer: str = "", part: str = "") -> QuerySet[RecordAccess]:
    qs = RecordAccess.objects.filter(agency_id=agency_id, at__gte=window.start, at__lt=window.end)
    if viewer:
        qs = qs.filter(Q(viewer_employee__name__icontains=viewer) | Q(viewer__username__icontains=viewer))
    if part:
        qs = qs.filter(part=part)
    return qs


def access_report(*, agency_id: int, window: ReportWindow, viewer: str = "", part: str = "") -> QuerySet[Any]:
    """Per viewer in the window: reads, distinct people, people outside the viewer's unit (as it was at the
    time of the read), exports and exports outside office hours; the most unusual first. One table, grouped by
    viewer only (names come from `with_viewer_labels` for the page shown)."""
    return (
        _window_qs(agency_id=agency_id, window=window, viewer=viewer, part=part)
        .values("viewer_id")
        .annotate(
            reads=Count("id"),
            people=Count("subject_id", distinct=True),
            outside=Count("subject_id", distinct=True, filter=Q(outside_unit=True)),
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
        .values("export_id")
        .annotate(
            exporter_id=Max("viewer_id"),
            part=Max("part"),
            stated_purpose=Max("stated_purpose"),
            people=Count("subject_id"),
            at=Max("at"),
        )
        .order_by("-at")
    )


def with_viewer_labels(rows: list[dict[str, Any]], key: str = "viewer_id") -> list[dict[str, Any]]:
    """Add the viewer's account and employee fields to report rows (one query for the rows given)."""
    from .models import User

    ids = {r[key] for r in rows if r.get(key)}
    users: dict[int, dict[str, Any]] = {
        u["pk"]: dict(u)
        for u in User.objects.filter(pk__in=ids).values(
            "pk",
            "username",
            "employee__name",
            "employee__front_title",
            "employee__back_title",
            "employee__unit__name",
        )
    }
    out = []
    for r in rows:
        u: dict[str, Any] = users.get(r.get(key) or 0, {})
        out.append(
            {
                **r,
                "viewer__username": u.get("username"),
                "viewer_employee__name": u.get("employee__name"),
                "viewer_employee__front_title": u.get("employee__front_title"),
                "viewer_employee__back_title": u.get("employee__back_title"),
                "viewer_employee__unit__name": u.get("employee__unit__name"),
            }
        )
    return out


def is_unusual(row: dict[str, Any]) -> bool:
    return bool(row.get("night_exports")) or row.get("outside", 0) >= settings.ACCESS_LOG_OUTSIDE_UNIT_THRESHOLD


def is_off_hours(moment: dt.datetime) -> bool:
    from django.utils import timezone

    local = timezone.localtime(moment)
    start, end = settings.ACCESS_LOG_OFFICE_HOURS
    return local.hour < start or local.hour >= end or local.isoweekday() >= 6
