"""Who may do what on an SKP: booleans for templates and the 'allowed transitions' list for buttons."""

from __future__ import annotations

from typing import Any

from people import decisions
from people.access import is_head, is_hr_admin, scope_for

from . import rules
from .choices import PlanStatus
from .models import PerformancePlan


def plan_roles(user: Any, plan: PerformancePlan) -> set[str]:
    """The user's roles on this SKP: owner, appraiser, appraiser_superior, admin."""
    scope = scope_for(user)
    roles: set[str] = set()
    emp_id = scope.employee_id
    if emp_id is not None:
        if plan.employee_id == emp_id:
            roles.add("owner")
        if plan.appraiser_id == emp_id:
            roles.add("appraiser")
        if plan.appraiser_superior_id == emp_id:
            roles.add("appraiser_superior")
    if is_hr_admin(user, plan.agency_id):
        roles.add("admin")
    return roles


DECIDER_ROLES = frozenset({"appraiser", "appraiser_superior", "admin"})


def _decides(user: Any, plan: PerformancePlan, roles: set[str], deciders: set[str]) -> bool:
    return bool(roles & deciders) and decisions.may_decide(user, plan.employee_id)


def allowed_transitions_for(user: Any, plan: PerformancePlan) -> list[str]:
    """Transitions the user may take now on this SKP (pages show only these buttons)."""
    roles = plan_roles(user, plan)
    # Nobody (appraiser, their superior or BKD admin) decides on their own SKP (issue #11).
    if not decisions.may_decide(user, plan.employee_id):
        roles -= DECIDER_ROLES
    names = rules.allowed_transitions(status=plan.status, actor_roles=roles)
    if not decisions.may_decide(user, None, conflicted=[plan.appraiser_id], conflict=decisions.OWN_ASSESSMENT):
        names = [n for n in names if n != rules.RESOLVE]
    # The annual evaluation is recorded through the evaluation form, not a bare button.
    return [n for n in names if n != rules.EVALUATE]


def can_edit_plan(user: Any, plan: PerformancePlan) -> bool:
    return plan.status in (PlanStatus.DRAFT, PlanStatus.RETURNED) and "owner" in plan_roles(user, plan)


def can_record_progress(user: Any, plan: PerformancePlan) -> bool:
    return plan.status == PlanStatus.APPROVED and "owner" in plan_roles(user, plan)


def can_evaluate_plan(user: Any, plan: PerformancePlan) -> bool:
    roles = plan_roles(user, plan)
    return plan.status == PlanStatus.APPROVED and _decides(user, plan, roles, {"appraiser", "admin"})


def can_give_feedback(user: Any, plan: PerformancePlan) -> bool:
    roles = plan_roles(user, plan)
    return plan.status in (PlanStatus.APPROVED, PlanStatus.EVALUATED) and _decides(user, plan, roles, {"appraiser"})


def can_set_expectations(user: Any, plan: PerformancePlan) -> bool:
    roles = plan_roles(user, plan)
    return plan.status in (PlanStatus.DRAFT, PlanStatus.SUBMITTED, PlanStatus.RETURNED) and _decides(
        user, plan, roles, {"appraiser", "admin"}
    )


def subnav_for(user: Any) -> dict[str, bool]:
    """Which performance tools the sub-menu offers: the same checks the pages make."""
    head, admin = is_head(user), is_hr_admin(user)
    return {"can_use_team_tools": head, "can_review_plans": head or admin, "can_administer": admin}
