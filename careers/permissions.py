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
    if item.status != FollowUpStatus.PROPOSED:
        return False
    if not decisions.may_decide(user, item.employee_id):
        return False
    scope = scope_for(user)
    path = item.employee.unit.path
    return is_hr_admin(user, item.agency_id) or any(path.startswith(p) for p in scope.head_unit_paths)


def can_mark_follow_up_done(user: Any, item: AppraisalFollowUp) -> bool:
    if item.status not in (FollowUpStatus.CONFIRMED, FollowUpStatus.ADJUSTED):
        return False
    if not decisions.may_decide(user, item.employee_id):
        return False
    scope = scope_for(user)
    path = item.employee.unit.path
    return is_hr_admin(user, item.agency_id) or any(path.startswith(p) for p in scope.head_unit_paths)


def can_override_placement(user: Any, placement: Any) -> bool:
    """BKD adjusts a computed placement, never their own (issue #11)."""
    return can_manage_review(user, placement.review) and decisions.may_decide(user, placement.employee_id)
