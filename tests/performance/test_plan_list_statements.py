"""Issue #13: a head's "Daftar SKP" is read by a statement compiled once per process (`head_plan_page`); it gives
the rows of the page's ORM queryset (`plan_page_rows_visible_to`, one status or all) in the same order and
windows, for several heads, years and statuses, and is not used for anyone else."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from people.models import AgencyRole, OrgUnit
from performance.choices import PlanStatus, Predikat
from performance.models import PerformancePlan
from performance.plans import selectors
from tests.people.factories import EmployeeFactory
from tests.performance import factories as f

pytestmark = pytest.mark.django_db


def _shown(p: PerformancePlan) -> tuple[Any, ...]:
    """What the page shows of a row (and the access log reads)."""
    return (
        p.pk,
        p.employee_id,
        p.employee.full_name,
        p.unit.name,
        p.appraiser.full_name if p.appraiser_id else None,
        p.status,
        p.get_status_display(),
        p.predikat,
    )


def _orm(user: Any, year: int, status: str | None) -> list[tuple[Any, ...]]:
    qs = selectors.plan_page_rows_visible_to(user=user, year=year)
    if status is not None:
        qs = qs.filter(status=status)
    return [_shown(p) for p in qs]


def _fresh(user: Any) -> Any:
    """The user read anew (the scope is cached on the user object)."""
    return get_user_model().objects.get(pk=user.pk)


def _data(org: Any) -> None:
    f.periods(org.agency)
    statuses = [PlanStatus.DRAFT, PlanStatus.SUBMITTED, PlanStatus.APPROVED, PlanStatus.FINAL]
    units = [org.dinas, org.bidang, org.other_dinas]
    for i in range(14):
        emp = EmployeeFactory(
            unit=units[i % 3], position=org.staff.position, name=f"Pegawai {i % 5}", front_title="Dr." if i % 4 else ""
        )
        extra: dict[str, Any] = {}
        if i % 3 == 2:  # another unit's SKP the head appraises or signs above
            extra = {"appraiser": org.head} if i % 2 else {"appraiser_superior": org.head}
        f.plan(emp, status=statuses[i % 4], predikat=Predikat.BAIK if i % 4 == 3 else "", **extra)
        if i % 5 == 0:
            f.plan(emp, year=2025, status=PlanStatus.FINAL)
    for emp in (org.head, org.staff, org.bidang_staff, org.bidang_head, org.other_staff, org.foreign_staff):
        f.plan(emp, appraiser=org.bidang_head if emp == org.bidang_staff else None)


@pytest.mark.parametrize("status", [None, PlanStatus.DRAFT, PlanStatus.APPROVED, PlanStatus.FINAL])
def test_heads_precompiled_plan_list_equals_the_orm_page(org: Any, status: str | None) -> None:
    _data(org)
    # an acting head of another unit as well: two headed paths
    OrgUnit.objects.filter(pk=org.other_dinas.pk).update(acting_head=org.bidang_head)
    for head in (org.head, org.bidang_head, org.other_head):
        for year in (2026, 2025, 2024):
            user = _fresh(head.user)
            page = selectors.head_plan_page(user=user, year=year, status=status)
            assert page is not None
            expected = _orm(user, year, status)
            assert [_shown(p) for p in page[0:100]] == expected
            for start, stop in ((0, 3), (2, 5), (4, 26), (50, 76)):
                assert [_shown(p) for p in page[start:stop]] == expected[start:stop]
    assert _orm(_fresh(org.head.user), 2026, status)  # the comparisons saw rows


def test_plan_list_statement_is_only_for_heads_who_administer_no_agency(org: Any, django_user_model: Any) -> None:
    _data(org)
    superuser = django_user_model.objects.create_superuser("root", "root@example.org", "x")
    for user in (org.admin.user, org.foreign_admin.user, org.staff.user, superuser):
        assert selectors.head_plan_page(user=_fresh(user), year=2026, status=None) is None
    AgencyRole.objects.create(user=org.head.user, agency=org.agency, role="hr_admin")
    assert selectors.head_plan_page(user=_fresh(org.head.user), year=2026, status=None) is None


def _team_shown(e: Any) -> tuple[Any, ...]:
    """What "Kinerja tim" shows of a member (and the access log reads)."""
    return (
        e.pk,
        e.__dict__.get("agency_id"),
        e.full_name,
        e.position.title if e.position_id else None,
        e.unit.name,
        e.plan_id,
        e.plan_status,
        getattr(e, "reported", None),
        getattr(e, "period_predikat", None),
    )


@pytest.mark.parametrize("show", ["", "unplanned", "unreported", "bogus"])
def test_heads_precompiled_team_progress_equals_the_orm_page(org: Any, show: str) -> None:
    """`team_progress_rows` of a head: the count and every window of `team_progress` with the page's filter,
    with a running period (reported or not, a predikat or none) and without one."""
    from performance.models import Evaluation, Progress

    periods = f.periods(org.agency)
    _data(org)
    # namesakes in one unit: the page orders by unit, name and then id, so they keep their place in every window
    for _ in range(4):
        EmployeeFactory(unit=org.bidang, position=org.staff.position, name="Tanpa SKP")
    approved = PerformancePlan.objects.filter(year=2026, status=PlanStatus.APPROVED).order_by("pk")
    for i, plan in enumerate(approved):
        indicator = plan.results.first().indicators.first()  # type: ignore[union-attr]
        if i % 2:
            Progress.objects.create(indicator=indicator, period=periods[0], value="3")
        if i % 3 == 0:
            Evaluation.objects.create(plan=plan, period=periods[0], predikat=Predikat.BAIK)
    OrgUnit.objects.filter(pk=org.other_dinas.pk).update(acting_head=org.bidang_head)
    for head in (org.head, org.bidang_head, org.other_head):
        for year, period in ((2026, periods[0]), (2026, None), (2025, None)):
            user = _fresh(head.user)
            rows = selectors.team_progress_rows(user=user, year=year, period=period, show=show)
            assert isinstance(rows, selectors.TeamProgressRows)
            expected = [
                _team_shown(e)
                for e in selectors.team_progress_shown(
                    selectors.team_progress(user=user, year=year, period=period), show, period is not None
                )
            ]
            assert rows.count() == len(expected)
            assert [_team_shown(e) for e in rows[0:100]] == expected
            namesakes = [r[0] for r in expected if r[2] == "Tanpa SKP"]
            assert namesakes == sorted(namesakes) and (
                len(namesakes) == 4 or head != org.bidang_head or show == "unreported"
            )
            for start, stop in ((0, 2), (3, 7), (50, 75)):
                assert [_team_shown(e) for e in rows[start:stop]] == expected[start:stop]
    assert selectors.team_progress_rows(user=_fresh(org.head.user), year=2026, period=periods[0], show=show).count()
