"""Who may do what in careers: booleans for templates (the services enforce the same rules)."""

from __future__ import annotations

from typing import Any

from people import decisions
from people.access import is_hr_admin, scope_for

from .choices import FollowUpStatus, PlanStatus, ReviewStatus
from .models import AppraisalFollowUp, CareerPlan, MentoringSession, TalentReview


def can_edit_plan(user: Any, plan: CareerPlan) -> bool:
    return scope_for(user).employee_id == plan.employee_id and plan.status != PlanStatus.ARCHIVED


def can_submit_plan(user: Any, plan: CareerPlan) -> bool:
    return can_edit_plan(user, plan) and plan.status in (PlanStatus.DRAFT, PlanStatus.REVISION)


def can_review_plan(user: Any, plan: CareerPlan) -> bool:
    scope = scope_for(user)
    if plan.status != PlanStatus.SUBMITTED or not decisions.may_decide(user, plan.employee_id):
        return False
    path = plan.employee.unit.path
    return any(path.startswith(p) for p in scope.head_unit_paths)


def can_confirm_session(user: Any, session: MentoringSession) -> bool:
    eid = scope_for(user).employee_id
    if not decisions.may_decide(user, None, conflicted=[session.coach_id], conflict=decisions.OWN_SESSION):
        return False
    return any(p.employee_id == eid and p.confirmed_at is None for p in session.participants.all())


def can_give_feedback(user: Any, session: MentoringSession) -> bool:
    eid = scope_for(user).employee_id
    return any(p.employee_id == eid and p.feedback_at is None for p in session.participants.all())


def can_coach_session(user: Any, session: MentoringSession) -> bool:
    return bool(user.pk == session.author_id)


def can_manage_review(user: Any, review: TalentReview) -> bool:
    return is_hr_admin(user, review.agency_id) and review.status != ReviewStatus.PUBLISHED


def can_decide_follow_up(user: Any, item: AppraisalFollowUp) -> bool:
    return may_decide_follow_up_row(
        user, status=item.status, employee_id=item.employee_id, agency_id=item.agency_id, path=item.employee.unit.path
    )


def can_mark_follow_up_done(user: Any, item: AppraisalFollowUp) -> bool:
    return may_mark_follow_up_done_row(
        user, status=item.status, employee_id=item.employee_id, agency_id=item.agency_id, path=item.employee.unit.path
    )


def may_decide_follow_up_row(user: Any, *, status: str, employee_id: int, agency_id: int, path: str) -> bool:
    """`can_decide_follow_up` of a list row read as values (the status, the employee, the agency and the path of
    the employee's unit): the follow-up list's rows are not model objects (issue #13)."""
    if status != FollowUpStatus.PROPOSED:
        return False
    return _may_act_on_follow_up(user, employee_id=employee_id, agency_id=agency_id, path=path)


def may_mark_follow_up_done_row(user: Any, *, status: str, employee_id: int, agency_id: int, path: str) -> bool:
    """`can_mark_follow_up_done` of a list row read as values."""
    if status not in (FollowUpStatus.CONFIRMED, FollowUpStatus.ADJUSTED):
        return False
    return _may_act_on_follow_up(user, employee_id=employee_id, agency_id=agency_id, path=path)


def _may_act_on_follow_up(user: Any, *, employee_id: int, agency_id: int, path: str) -> bool:
    if not decisions.may_decide(user, employee_id):
        return False
    scope = scope_for(user)
    return is_hr_admin(user, agency_id) or any(path.startswith(p) for p in scope.head_unit_paths)


def can_override_placement(user: Any, placement: Any) -> bool:
    """BKD adjusts a computed placement, never their own (issue #11)."""
    return can_manage_review(user, placement.review) and decisions.may_decide(user, placement.employee_id)
