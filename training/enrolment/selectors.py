"""Reads of enrolments: the user's, the head's requests to decide."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from people.access import employee_q, team_q
from training.choices import EnrollmentStatus as S
from training.models import CourseOffering, Enrollment


def enrollment_list_visible_to(*, user: Any) -> QuerySet[Enrollment]:
    """Enrolments of people the user may see (self, team, agency for BKD)."""
    return Enrollment.objects.filter(employee_q(user, "employee__")).select_related(
        "employee", "employee__unit", "offering", "offering__course"
    )


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
