"""Issue #13: the SKP inbox page's three reads run as statements compiled once per process
(`asn_portal.precompiled`); each gives what its ORM queryset gives, for several kinds of users and inboxes."""

from __future__ import annotations

from typing import Any

import pytest

from people.access import scope_for
from performance.choices import EvaluationStatus, PlanStatus
from performance.models import Evaluation, PerformancePlan
from performance.plans import selectors
from tests.people.factories import EmployeeFactory
from tests.performance import factories as f

pytestmark = pytest.mark.django_db


def _orm_inbox_ids(user: Any) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {key: [] for key in selectors.INBOX_SECTIONS}
    qs = selectors._inbox(user)
    if qs is not None:
        for pk, status in qs.order_by("employee__name", "pk").values_list("pk", "status"):
            out[selectors.SECTION_OF[status]].append(pk)
    return out


def _orm_rows(ids: list[int]) -> dict[int, tuple[Any, ...]]:
    plans = PerformancePlan.objects.filter(pk__in=ids).select_related("employee", "unit")
    return {p.pk: _shown(p) for p in plans}


def _shown(p: PerformancePlan) -> tuple[Any, ...]:
    return (p.status, p.year, p.position_title, p.employee_id, p.employee.full_name, p.unit.name)


def _orm_pending(ids: list[int]) -> set[int]:
    return set(
        Evaluation.objects.filter(
            plan_id__in=ids, status=EvaluationStatus.PENDING, period__opened_at__isnull=False
        ).values_list("plan_id", flat=True)
    )


def test_inbox_reads_equal_their_orm_querysets(org: Any) -> None:
    periods = f.periods(org.agency)
    statuses = [PlanStatus.SUBMITTED, PlanStatus.APPROVED, PlanStatus.EVALUATED, PlanStatus.OBJECTED, PlanStatus.DRAFT]
    plans = []
    for i, status in enumerate(statuses * 2):
        emp = EmployeeFactory(unit=org.dinas if i % 2 else org.bidang, position=org.staff.position, name=f"Pegawai {i}")
        plans.append(f.plan(emp, status=status, appraiser_superior=org.head))
    plans.append(f.plan(org.bidang_staff, status=PlanStatus.SUBMITTED))  # appraised by the bidang head
    plans.append(f.plan(org.bidang_head, status=PlanStatus.OBJECTED, appraiser_superior=org.head))
    # the head's own SKP names the head as appraiser: never in their own inbox
    plans.append(f.plan(org.head, status=PlanStatus.SUBMITTED, appraiser=org.head))
    approved = [p for p in plans if p.status == PlanStatus.APPROVED]
    Evaluation.objects.create(plan=approved[0], period=periods[0])  # opened, not yet evaluated
    Evaluation.objects.create(plan=approved[1], period=periods[1], status=EvaluationStatus.EVALUATED)

    users = [org.head, org.bidang_head, org.staff, org.other_head, org.admin, org.foreign_staff]
    seen = 0
    for emp in users:
        user = type(emp.user).objects.get(pk=emp.user_id)
        box = selectors.inbox_ids(user=user)
        assert box == _orm_inbox_ids(user), emp.name
        ids = [pk for section in box.values() for pk in section]
        seen += len(ids)
        rows = selectors.inbox_rows(iter(ids))
        assert {pk: _shown(p) for pk, p in rows.items()} == _orm_rows(ids)
        assert selectors.plans_with_pending_evaluation(iter(ids)) == _orm_pending(ids)
        if scope_for(user).employee_id == org.head.pk:
            assert approved[0].pk in selectors.plans_with_pending_evaluation(ids)
    assert seen >= 10  # the head's and the bidang head's inboxes are not empty
    every = [p.pk for p in plans]
    assert {pk: _shown(p) for pk, p in selectors.inbox_rows(every).items()} == _orm_rows(every)
    assert selectors.plans_with_pending_evaluation(every) == _orm_pending(every) == {approved[0].pk}
    assert selectors.inbox_rows([]) == {} and selectors.plans_with_pending_evaluation([]) == set()
