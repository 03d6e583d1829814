"""Who may do what in training: booleans for templates and views (the services re-check)."""

from __future__ import annotations

from typing import Any

from people import decisions
from people.access import is_head, is_hr_admin, scope_for

from . import rules
from .choices import EnrollmentStatus as S
from .models import CourseOffering, Enrollment


def can_manage_catalogue(user: Any) -> bool:
    return is_hr_admin(user)


def can_manage_offering(user: Any, offering: CourseOffering) -> bool:
    return is_hr_admin(user, offering.agency_id)


def can_nominate(user: Any) -> bool:
    return is_head(user) or is_hr_admin(user)


def allowed_actions(user: Any, enrollment: Enrollment) -> list[str]:
    """The transitions this user may take now (buttons show only legal moves)."""
    admin = is_hr_admin(user, enrollment.agency_id)
    own = scope_for(user).employee_id == enrollment.employee_id
    head = is_head(user) and not own
    # Approval, attendance and results are decisions: never on one's own enrolment (issue #11).
    decides = decisions.may_decide(user, enrollment.employee_id)
    actions: list[str] = []
    status = enrollment.status
    if status == S.REQUESTED and (admin or head) and decides:
        actions += ["approve", "decline"]
    if rules.can_transition(status, S.CANCELLED) and (admin or head or own):
        actions.append("cancel")
    if admin and decides and status == S.ENROLLED:
        actions += ["attend", "no-show"]
    if admin and decides and status in (S.ENROLLED, S.ATTENDED):
        actions += ["complete", "fail"]
    return actions


def can_verify_learning(user: Any, record: Any) -> bool:
    """BKD verifies reported external learning, never their own."""
    return is_hr_admin(user, record.agency_id) and decisions.may_decide(user, record.employee_id)


def questionnaire_conflict(user: Any, response: Any) -> str:
    """Why the user may not answer: a supervisor's follow-up vouches for the participant's application of
    the training (competency evidence), so it is never answered about oneself. Empty when they may."""
    from .choices import RespondentRole

    if response.respondent_role != RespondentRole.SUPERVISOR:
        return ""
    kind = decisions.conflict_reason(user, response.enrollment.employee_id)
    return decisions.message_for(kind) if kind else ""
