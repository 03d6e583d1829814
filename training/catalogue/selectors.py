"""Reads of the catalogue: courses and offerings the user may see, and the admin's own agency's."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from asn_portal.precompiled import FIRST_DAY, Param, Statement, rows_together
from people.access import Scope, admin_agency_q, agency_q, scope_for
from training.choices import OfferingStatus
from training.common import AnyOf
from training.filters import competency_choices
from training.models import Course, CourseCompetency, CourseOffering


def open_offering_q(prefix: str = "", today: dt.date | None = None) -> Q:
    today = today or timezone.localdate()
    return Q(
        **{
            f"{prefix}status": OfferingStatus.OPEN,
            f"{prefix}enrol_close__gte": today,
            f"{prefix}enrol_open__lte": today,
        }
    )


def course_list_visible_to(*, user: Any, today: dt.date | None = None) -> QuerySet[Course]:
    """Catalogue entries of the user's agency, with the next open offering date and competencies."""
    next_open = (
        CourseOffering.objects.filter(open_offering_q(today=today), course=OuterRef("pk"))
        .order_by("start_date")
        .values("start_date")[:1]
    )
    return (
        Course.objects.filter(agency_q(user))
        .annotate(next_open_start=Subquery(next_open))
        .prefetch_related(
            Prefetch(
                "course_competencies", queryset=CourseCompetency.objects.select_related("competency").order_by("pk")
            )
        )
    )


def catalogue_courses(*, user: Any, today: dt.date | None = None) -> QuerySet[Course]:
    """The catalogue page's active courses in its order, with what a row shows: the course's own figures, its next
    open offering's start and its competencies' names and target levels (no descriptions)."""
    return (
        course_list_visible_to(user=user, today=today)
        .filter(is_active=True)
        .order_by("title", "pk")
        .only("title", "mode", "format", "provider", "jp")
        .prefetch_related(None)
        .prefetch_related(Prefetch("course_competencies", queryset=_row_competencies()))
    )


def _row_competencies() -> QuerySet[CourseCompetency]:
    """A row's competencies in the order they were added to the course (without an order PostgreSQL may return
    them in any order, so a row could list them differently from one request to the next)."""
    return (
        CourseCompetency.objects.select_related("competency")
        .only("course_id", "target_level", "competency__name")
        .order_by("pk")
    )


class _StandInAgencyUser:
    """A user of one stand-in agency (`people.access.scope_for` reads the cached `_portal_scope`): the catalogue's
    statements are compiled once per process from `agency_q` of this user and run with a real user's agency."""

    is_authenticated = True
    is_superuser = False
    _portal_scope = Scope(agency_id=-13_016_051)


CATALOGUE_ROW_FIELDS = ("pk", "title", "mode", "format", "provider", "jp", "next_open_start")
CATALOGUE_PAGE_SIZE = 20
_AGENCY, _TODAY = Param(_StandInAgencyUser._portal_scope.agency_id), Param(FIRST_DAY)
# The first page of the catalogue (one row more: is there a next page?) and the competencies its search form
# offers, read together; then the page's courses' competencies. Compiled once per process (issue #13).
_FIRST_PAGE = Statement(
    lambda agency, today: (
        catalogue_courses(user=_StandInAgencyUser(), today=today)
        .prefetch_related(None)
        .values_list(*CATALOGUE_ROW_FIELDS)[: CATALOGUE_PAGE_SIZE + 1]
    ),
    agency=_AGENCY,
    today=_TODAY,
)
_FORM_COMPETENCIES = Statement(
    lambda agency: competency_choices(SimpleNamespace(user=_StandInAgencyUser())).values_list("pk", "name"),
    agency=_AGENCY,
)
_ROW_COMPETENCIES = Statement(
    lambda ids: (
        _row_competencies()
        .filter(AnyOf(F("course_id"), ids))
        .values_list("course_id", "competency__name", "target_level")
    ),
    ids=Param([-13_016_052]),
)


@dataclass(frozen=True)
class CatalogueFirstPage:
    """The unfiltered catalogue's first page as the row values the page shows (`CATALOGUE_ROW_FIELDS`, with the
    competencies' (name, target level) before the next open start), whether a next page exists, and the
    search form's competency choices (id, name)."""

    rows: list[tuple[Any, ...]]
    has_next: bool
    competencies: list[tuple[Any, ...]]


def catalogue_first_page(*, user: Any) -> CatalogueFirstPage | None:
    """`catalogue_courses(user=user)`'s first page read by statements compiled once per process, for a user whose
    catalogue is one agency's (`agency_q`); None for anyone else (read through the ORM)."""
    scope = scope_for(user)
    if scope.everything or len(scope.agency_ids) != 1:
        return None
    (agency,) = scope.agency_ids
    courses, competencies = rows_together(
        (_FIRST_PAGE, {"agency": agency, "today": timezone.localdate()}), (_FORM_COMPETENCIES, {"agency": agency})
    )
    shown = courses[:CATALOGUE_PAGE_SIZE]
    by_course: dict[int, list[tuple[Any, Any]]] = {c[0]: [] for c in shown}
    if shown:
        for course_id, name, level in _ROW_COMPETENCIES.rows(ids=list(by_course)):
            by_course[course_id].append((name, level))
    rows = [(*c[:6], by_course[c[0]], c[6]) for c in shown]
    return CatalogueFirstPage(rows=rows, has_next=len(courses) > CATALOGUE_PAGE_SIZE, competencies=competencies)


def course_rows_visible_to(*, user: Any) -> QuerySet[Course]:
    """The catalogue entries of `course_list_visible_to` as plain rows (no next open date, no competencies)."""
    return Course.objects.filter(agency_q(user))


def course_get_visible(*, user: Any, pk: int) -> Course:
    course = course_list_visible_to(user=user).select_related("min_rank", "max_rank").filter(pk=pk).first()
    if course is None:
        raise Http404("Pelatihan tidak ditemukan.")
    return course


def course_admin_get(*, user: Any, pk: Any) -> Course:
    """A course the user may edit (BKD admin of its agency); anything else is "not found"."""
    course = Course.objects.filter(admin_agency_q(user)).filter(pk=pk).first() if str(pk).isdigit() else None
    if course is None:
        raise Http404("Pelatihan tidak ditemukan.")
    return course


def offering_list_visible_to(*, user: Any) -> QuerySet[CourseOffering]:
    return CourseOffering.objects.filter(agency_q(user)).select_related("course")


def offering_get_visible(*, user: Any, pk: int) -> CourseOffering:
    offering = offering_list_visible_to(user=user).filter(pk=pk).first()
    if offering is None:
        raise Http404("Angkatan tidak ditemukan.")
    return offering


def offering_admin_get(*, user: Any, pk: Any) -> CourseOffering:
    offering = (
        CourseOffering.objects.filter(admin_agency_q(user)).select_related("course").filter(pk=pk).first()
        if str(pk).isdigit()
        else None
    )
    if offering is None:
        raise Http404("Angkatan tidak ditemukan.")
    return offering


def offerings_to_manage(*, user: Any) -> QuerySet[CourseOffering]:
    """The BKD admin's agency's offerings, newest first."""
    return CourseOffering.objects.filter(admin_agency_q(user)).select_related("course").order_by("-start_date")


def courses_to_manage(*, user: Any) -> QuerySet[Course]:
    """The BKD admin's agency's courses with their number of offerings."""
    return Course.objects.filter(admin_agency_q(user)).annotate(n=Count("offerings")).order_by("title")


def admin_course(*, user: Any, pk: int | None) -> Course | None:
    """One of the admin's agency's courses, or None (no id, or another agency's)."""
    return Course.objects.filter(admin_agency_q(user), pk=pk).first() if pk else None
