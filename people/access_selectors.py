"""Reads of the access log (issue #16): one person's log (grouped by viewer and purpose, or entry by entry) and
the agency report.

All are bounded: a person's log is read through the (subject, -at) index; the agency report over a date window
of at most ACCESS_LOG_REPORT_MAX_DAYS from the daily roll-up (`people.access_rollup`), never the raw table.
`access_report_live` is the same report aggregated over the raw log: the reference the roll-up must equal
(tests) and the "before" of bench/access_report.py."""

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


def access_report_live(*, agency_id: int, window: ReportWindow, viewer: str = "", part: str = "") -> QuerySet[Any]:
    """The report aggregated over the raw log (the roll-up's reference): per viewer in the window, reads,
    distinct people, people outside the viewer's unit (as it was at the time of the read), exports and exports
    outside office hours; the most unusual first."""
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


def _viewer_ids(viewer: str) -> list[int] | None:
    """Accounts whose name or employee name contains `viewer` (None: no filter)."""
    from .models import User

    if not viewer:
        return None
    return list(
        User.objects.filter(Q(employee__name__icontains=viewer) | Q(username__icontains=viewer)).values_list(
            "pk", flat=True
        )
    )


def access_report(
    *, agency_id: int, window: ReportWindow, viewer: str = "", part: str = "", unusual_only: bool = False
) -> list[dict[str, Any]]:
    """The agency report from the daily roll-up: one row per viewer with `reads`, `people`, `outside`,
    `exports`, `night_exports`, `last` (as `access_report_live`); `unusual_only` keeps the highlighted rows."""
    from .access_rollup import ReportFilter, report_rows

    return report_rows(
        ReportFilter(
            agency_id=agency_id,
            since=window.since,
            until=window.until,
            viewer_ids=_viewer_ids(viewer),
            part=part,
            unusual_only=unusual_only,
        )
    )


def export_list(*, agency_id: int, window: ReportWindow, viewer: str = "", part: str = "") -> QuerySet[Any]:
    """The exports in the window (AccessExport rows: who, part, stated purpose, how many people, when), newest
    first: the (agency, -at) index."""
    from .models import AccessExport

    qs = AccessExport.objects.filter(agency_id=agency_id, at__gte=window.start, at__lt=window.end)
    ids = _viewer_ids(viewer)
    if ids is not None:
        qs = qs.filter(viewer_id__in=ids)
    if part:
        qs = qs.filter(part=part)
    return qs.order_by("-at", "-pk")


def entries_for_subject(*, subject: Employee) -> QuerySet[RecordAccess]:
    """The subject's log entry by entry, newest first (the (subject, -at) index; keyset-paginated in the API)."""
    return (
        RecordAccess.objects.filter(subject=subject)
        .select_related("viewer", "viewer_employee__unit")
        .only(
            "id",
            "at",
            "part",
            "purpose",
            "via",
            "export_id",
            "stated_purpose",
            "outside_unit",
            "viewer__username",
            "viewer_employee__name",
            "viewer_employee__front_title",
            "viewer_employee__back_title",
            "viewer_employee__unit__name",
        )
        .order_by("-at", "-pk")
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
    """Mirrors the `unusual_only` condition of `access_rollup.report_rows`."""
    return bool(row.get("night_exports")) or row.get("outside", 0) >= settings.ACCESS_LOG_OUTSIDE_UNIT_THRESHOLD


def is_off_hours(moment: dt.datetime) -> bool:
    from django.utils import timezone

    local = timezone.localtime(moment)
    start, end = settings.ACCESS_LOG_OFFICE_HOURS
    return local.hour < start or local.hour >= end or local.isoweekday() >= 6
