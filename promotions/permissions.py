"""Who may do what in promotions (booleans for templates and checks in services)."""

from __future__ import annotations

from typing import Any

from people import decisions
from people.access import is_hr_admin, scope_for

from .choices import OPEN_PROPOSAL_STATUSES, ProposalStatus, VacancyStatus


def can_manage_promotions(user: Any, agency_id: int | None = None) -> bool:
    """BKD administrators run queues, verification, batches and decrees."""
    return is_hr_admin(user, agency_id)


def can_propose_employee(user: Any, employee: Any) -> bool:
    """The unit proposes: its head (anyone heading a unit above the employee's) or a BKD admin."""
    if not decisions.may_decide(user, employee.pk):
        return False
    if is_hr_admin(user, employee.agency_id):
        return True
    scope = scope_for(user)
    path = getattr(getattr(employee, "unit", None), "path", "") or ""
    return any(path.startswith(p) for p in scope.head_unit_paths)


def can_upload_document(user: Any, proposal: Any) -> bool:
    return proposal.status == ProposalStatus.PROPOSED and can_propose_employee(user, proposal.employee)


def _decides_proposal(user: Any, proposal: Any) -> bool:
    return is_hr_admin(user, proposal.agency_id) and decisions.may_decide(user, proposal.employee_id)


def can_verify_proposal(user: Any, proposal: Any) -> bool:
    return proposal.status == ProposalStatus.PROPOSED and _decides_proposal(user, proposal)


def can_decide_proposal(user: Any, proposal: Any) -> bool:
    return proposal.status == ProposalStatus.SENT and _decides_proposal(user, proposal)


def can_reject_proposal(user: Any, proposal: Any) -> bool:
    return proposal.status in OPEN_PROPOSAL_STATUSES and _decides_proposal(user, proposal)


def is_committee(user: Any, agency_id: int) -> bool:
    scope = scope_for(user)
    return scope.everything or agency_id in scope.committee_agency_ids


def is_vacancy_candidate(user: Any, vacancy: Any) -> bool:
    """Whether the user's own record is ranked for the vacancy (then they decide nothing on it)."""
    from .models import VacancyCandidate

    emp_id = decisions.actor_employee_id(user)
    return emp_id is not None and VacancyCandidate.objects.filter(vacancy=vacancy, employee_id=emp_id).exists()


def _decides_vacancy(user: Any, vacancy: Any) -> bool:
    emp_id = decisions.actor_employee_id(user)
    conflicted = [emp_id] if is_vacancy_candidate(user, vacancy) else []
    return decisions.may_decide(user, vacancy.chosen_id, conflicted=conflicted)


def can_decide_vacancy(user: Any, vacancy: Any) -> bool:
    """The Tim Penilai Kinerja (or a BKD admin acting for it) records the recommendation."""
    return (
        vacancy.status == VacancyStatus.OPEN
        and (is_committee(user, vacancy.agency_id) or is_hr_admin(user, vacancy.agency_id))
        and _decides_vacancy(user, vacancy)
    )


def can_rerank_vacancy(user: Any, vacancy: Any) -> bool:
    return (
        vacancy.status == VacancyStatus.OPEN
        and is_hr_admin(user, vacancy.agency_id)
        and _decides_vacancy(user, vacancy)
    )


def can_appoint_vacancy(user: Any, vacancy: Any) -> bool:
    return (
        vacancy.status == VacancyStatus.DECIDED
        and is_hr_admin(user, vacancy.agency_id)
        and _decides_vacancy(user, vacancy)
    )
