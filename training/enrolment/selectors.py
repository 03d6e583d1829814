"""Reads of enrolments: the user's, the head's requests to decide."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.http import Http404

from asn_portal.precompiled import Statement
from people.access import admin_agency_q, employee_q, scope_for, team_q
from people.choices import ACTIVE_STATUSES
from people.models import Employee
from training.choices import EnrollmentStatus as S
from training.common import STAND_IN_HEAD, StandInHead, head_values
from training.models import CourseOffering, Enrollment


def enrollment_list_visible_to(*, user: Any) -> QuerySet[Enrollment]:
    """Enrolments of people the user may see (self, team, agency for BKD)."""
    qs = Enrollment.objects.filter(employee_q(user, "employee__"))
    scope = scope_for(user)
    if (
        not scope.everything
        and scope.admin_agency_ids
        and not scope.head_unit_paths
        and (not scope.employee_id or scope.agency_id in scope.admin_agency_ids)
    ):
        # A BKD admin sees their agencies' people, the lone condition above. An enrolment's own agency (its
        # offering's) is the employee's: `enrollment_request` refuses another agency's offering and an employee
        # never changes agency (a move is the status "transferred"; the admin shows `agency` read-only). The
        # same condition on the enrolment lets its (agency, newest) index lead the page instead of reading the
        # newest rows of every agency to find the admin's (issue #13); the result is the same rows.
        qs = qs.filter(agency_id__in=scope.admin_agency_ids)
    return qs.select_related("employee", "employee__unit", "offering", "offering__course")


def enrollment_get_visible(*, user: Any, pk: int) -> Enrollment:
    enrollment = enrollment_list_visible_to(user=user).filter(pk=pk).first()
    if enrollment is None:
        raise Http404("Pendaftaran tidak ditemukan.")
    return enrollment


def my_enrollment_for(employee_id: int | None, offering: CourseOffering) -> Enrollment | None:
    if not employee_id:
        return None
    return Enrollment.objects.filter(employee_id=employee_id, offering=offering).order_by("-created_at").first()


def requests_for_head(*, user: Any) -> QuerySet[Enrollment]:
    return (
        Enrollment.objects.filter(team_q(user, "employee__"), status=S.REQUESTED)
        .select_related("employee", "employee__unit", "offering", "offering__course")
        .order_by("created_at")
    )


# What a row of the head's requests shows (the person, their unit, the offering and its course).
REQUEST_ROW_COLUMNS = (
    "offering_id",
    "employee_id",
    "employee__front_title",
    "employee__name",
    "employee__back_title",
    "employee__unit_id",
    "employee__unit__name",
    "offering__course_id",
    "offering__name",
    "offering__start_date",
    "offering__course__title",
)
HEAD_REQUESTS_SHOWN = 50
# A head's requests on "Pelatihan tim", compiled once per process (`training.common.StandInHead`, issue #13).
_HEAD_REQUESTS = Statement(
    lambda patterns, head: requests_for_head(user=StandInHead()).only(*REQUEST_ROW_COLUMNS)[:HEAD_REQUESTS_SHOWN],
    **STAND_IN_HEAD,
)


def requests_for_head_shown(*, user: Any) -> list[Enrollment]:
    """The first `HEAD_REQUESTS_SHOWN` of `requests_for_head` with the columns a row shows; a head's through a
    statement compiled once per process (the same SQL with their values), anyone else's through the ORM."""
    values = head_values(user)
    if values is None:
        return list(requests_for_head(user=user).only(*REQUEST_ROW_COLUMNS)[:HEAD_REQUESTS_SHOWN])
    rows: list[Enrollment] = _HEAD_REQUESTS.instances(**values)
    return rows


def nominable_team(*, user: Any, with_agency: bool = False) -> QuerySet[Employee]:
    """Active employees a head may nominate (their team); a BKD admin also their agency's (`with_agency`)."""
    q = team_q(user) | admin_agency_q(user) if with_agency else team_q(user)
    return Employee.objects.filter(q, status__in=ACTIVE_STATUSES).order_by("name")


def offering_participants(offering: CourseOffering) -> QuerySet[Enrollment]:
    """An offering's enrolments for its manager, by status then waiting order."""
    return offering.enrollments.select_related("employee", "employee__unit").order_by(
        "status", "waitlisted_at", "created_at", "pk"
    )


def team_enrollments_in(*, user: Any, offering: CourseOffering) -> list[Enrollment]:
    return list(offering.enrollments.filter(team_q(user, "employee__")).select_related("employee"))


def offering_status_counts(offering: CourseOffering) -> dict[str, int]:
    return dict(offering.enrollments.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))


def open_enrollments_of(employee: Employee, limit: int = 20) -> list[Enrollment]:
    """An employee's enrolments not yet completed, newest first ("Pelatihan saya")."""
    return list(
        Enrollment.objects.filter(employee=employee)
        .exclude(status__in=[S.COMPLETED])
        .select_related("offering__course")
        .order_by("-created_at")[:limit]
    )
