"""The training API lists' rows built from `values()` dicts (issue #13): the same JSON as the serializers
(`CourseSerializer`, `OfferingSerializer`, `EnrollmentSerializer`, `LearningRecordSerializer`) without a model
instance per row (and per joined row) and a serializer walk per row. Each builder is held equal to its
serializer's output for the same objects by tests/training/test_api_shapes.py."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import F, QuerySet
from django.utils.translation import get_language
from rest_framework import serializers
from rest_framework.reverse import reverse as api_reverse

from asn_portal.pagination import keyset_ordering
from asn_portal.precompiled import Param, Statement
from people.choices import PositionType

from ..common import AnyOf
from ..models import Course, CourseCompetency

Row = dict[str, Any]

_DATETIME = serializers.DateTimeField()  # the project's datetime output (time zone, format)
_SCORE = serializers.DecimalField(max_digits=5, decimal_places=2)  # an enrolment's score
_JP = serializers.DecimalField(max_digits=6, decimal_places=2)  # a course's or a ledger row's JP, hours
_POSITION_KIND = serializers.ChoiceField(choices=PositionType.choices)  # eligible_position_kinds' items
_FORMATS = dict(Course._meta.get_field("format").flatchoices)  # type: ignore[union-attr]
_FORMAT_LABELS: dict[str | None, dict[Any, str]] = {}  # per language: each format's label (gettext once)


def _format_labels() -> dict[Any, str]:
    language = get_language()
    labels = _FORMAT_LABELS.get(language)
    if labels is None:
        labels = _FORMAT_LABELS[language] = {value: str(label) for value, label in _FORMATS.items()}
    return labels


def _datetime(value: Any) -> Any:
    return None if value is None else _DATETIME.to_representation(value)


def _date(value: Any) -> Any:
    return value.isoformat() if value else None  # DRF's DateField: a falsy value is None


def row_values(queryset: QuerySet[Any], columns: Iterable[str]) -> QuerySet[Any]:
    """`queryset.values(*columns)` plus the columns its keyset ordering reads (a client's `?ordering=`), so
    `KeysetPagination` finds the last row's sort values in the dicts."""
    names = list(dict.fromkeys(columns))
    extra = [o.lstrip("-") for o in keyset_ordering(queryset) if o.lstrip("-") not in ("pk", "id", *names)]
    return queryset.values(*names, *extra)


COURSE_COLUMNS = (
    "id",
    "code",
    "title",
    "description",
    "mode",
    "format",
    "provider",
    "jp",
    "eligible_position_kinds",
    "min_rank_id",
    "max_rank_id",
    "is_active",
)


# A page's course competencies with their names, compiled once per process (asn_portal.precompiled).
_COURSE_COMPETENCIES = Statement(
    lambda ids: (
        CourseCompetency.objects.filter(AnyOf(F("course_id"), ids))
        .order_by("pk")
        .values_list("course_id", "competency_id", "competency__name", "target_level")
    ),
    ids=Param([-13_016_001]),
)


def course_competencies(course_ids: list[int]) -> dict[int, list[Row]]:
    """The `competencies` of each course (one query), in the order of their rows."""
    out: dict[int, list[Row]] = {i: [] for i in course_ids}
    if not course_ids:
        return out
    for course_id, competency_id, name, level in _COURSE_COMPETENCIES.rows(ids=course_ids):
        out[course_id].append({"competency": competency_id, "competency_name": name, "target_level": level})
    return out


def course_rows(values: list[Row]) -> list[Row]:
    """`CourseSerializer` rows of `COURSE_COLUMNS` dicts, with their competencies."""
    competencies = course_competencies([v["id"] for v in values])
    labels = _format_labels()
    out = []
    for v in values:
        kinds = v["eligible_position_kinds"]
        fmt = v["format"]
        out.append(
            {
                "id": v["id"],
                "code": v["code"],
                "title": v["title"],
                "description": v["description"],
                "mode": v["mode"],
                "format": fmt,
                "format_display": labels[fmt] if fmt in labels else str(fmt),
                "provider": v["provider"],
                "jp": _JP.to_representation(v["jp"]),
                "eligible_position_kinds": [None if k is None else _POSITION_KIND.to_representation(k) for k in kinds],
                "min_rank": v["min_rank_id"],
                "max_rank": v["max_rank_id"],
                "is_active": v["is_active"],
                "competencies": competencies[v["id"]],
            }
        )
    return out


OFFERING_COLUMNS = (
    "id",
    "course_id",
    "course__title",
    "name",
    "start_date",
    "end_date",
    "location",
    "online_url",
    "capacity",
    "seats_taken",
    "enrol_open",
    "enrol_close",
    "trainer",
    "requires_approval",
    "status",
)


def offering_rows(values: list[Row]) -> list[Row]:
    """`OfferingSerializer` rows of `OFFERING_COLUMNS` dicts."""
    return [
        {
            "id": v["id"],
            "course": v["course_id"],
            "course_title": v["course__title"],
            "name": v["name"],
            "start_date": _date(v["start_date"]),
            "end_date": _date(v["end_date"]),
            "location": v["location"],
            "online_url": v["online_url"],
            "capacity": v["capacity"],
            "seats_taken": v["seats_taken"],
            "seats_left": max(0, v["capacity"] - v["seats_taken"]),
            "enrol_open": _date(v["enrol_open"]),
            "enrol_close": _date(v["enrol_close"]),
            "trainer": v["trainer"],
            "requires_approval": v["requires_approval"],
            "status": v["status"],
        }
        for v in values
    ]


ENROLLMENT_COLUMNS = (
    "id",
    "offering_id",
    "offering__course__title",
    "employee_id",
    "employee__front_title",
    "employee__name",
    "employee__back_title",
    "status",
    "waitlisted_at",
    "completed_on",
    "score",
    "certificate_number",
    "reason",
    "created_at",
)


def enrollment_rows(values: list[Row]) -> list[Row]:
    """`EnrollmentSerializer` rows of `ENROLLMENT_COLUMNS` dicts (the employee's name as `full_name`)."""
    out = []
    for v in values:
        name = f"{v['employee__front_title']} {v['employee__name']}".strip()
        back, score = v["employee__back_title"], v["score"]
        out.append(
            {
                "id": v["id"],
                "offering": v["offering_id"],
                "course_title": v["offering__course__title"],
                "employee": v["employee_id"],
                "employee_name": f"{name}, {back}" if back else name,
                "status": v["status"],
                "waitlisted_at": _datetime(v["waitlisted_at"]),
                "completed_on": _date(v["completed_on"]),
                "score": None if score is None else _SCORE.to_representation(score),
                "certificate_number": v["certificate_number"],
                "reason": v["reason"],
                "created_at": _datetime(v["created_at"]),
            }
        )
    return out


LEARNING_RECORD_COLUMNS = (
    "id",
    "employee_id",
    "year",
    "date",
    "jp",
    "title",
    "kind",
    "format",
    "provider",
    "hours",
    "course_id",
    "source_type",
    "source_id",
    "status",
    "verified_at",
    "certificate_number",
    "certificate_file",
    "certificate_name",
    "note",
)


def learning_record_rows(values: list[Row], request: Any) -> list[Row]:
    """`LearningRecordSerializer` rows of `LEARNING_RECORD_COLUMNS` dicts (the certificate as its download URL)."""
    out = []
    for v in values:
        hours = v["hours"]
        out.append(
            {
                "id": v["id"],
                "employee": v["employee_id"],
                "year": v["year"],
                "date": _date(v["date"]),
                "jp": _JP.to_representation(v["jp"]),
                "title": v["title"],
                "kind": v["kind"],
                "format": v["format"],
                "provider": v["provider"],
                "hours": None if hours is None else _JP.to_representation(hours),
                "course": v["course_id"],
                "source_type": v["source_type"],
                "source_id": v["source_id"],
                "status": v["status"],
                "verified_at": _datetime(v["verified_at"]),
                "certificate_number": v["certificate_number"],
                "certificate_file": (
                    api_reverse("learning-record-certificate", kwargs={"pk": v["id"]}, request=request)
                    if v["certificate_file"]
                    else None
                ),
                "certificate_name": v["certificate_name"],
                "note": v["note"],
            }
        )
    return out
