"""Assessments, standards, stored JPM and the nightly recompute against PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest
import time_machine

from asn_portal.errors import ApplicationError
from asn_portal.models import AuditEntry, JobRun
from competencies import selectors, services
from competencies.models import (
    AssessmentResult,
    CompetencyAssessment,
    CompetencyRequirement,
    EmployeeJpm,
    JpmSnapshot,
)
from competencies.standards import services as standard_services
from people.choices import PositionType
from tests.competencies.factories import CompetencyFactory, national, record, set_standard
from tests.people.factories import EmployeeFactory, PositionFactory

pytestmark = [pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, 0), tick=False):
        yield


def test_assessment_refreshes_stored_jpm_and_category(org) -> None:
    comps = set_standard(org.staff.position, [3, 3, 3, 3, 3])  # Σ standard 15
    record(org.staff, {comps[0].pk: 3, comps[1].pk: 3, comps[2].pk: 3, comps[3].pk: 3}, actor=org.admin.user)
    stored = EmployeeJpm.objects.get(employee=org.staff)
    assert stored.jpm == Decimal("80.00")  # 12/15, the fifth never assessed counts 0
    assert stored.filling_category == "ms"
    assert stored.category == "cukup_optimal"
    assert stored.required_count == 5 and stored.assessed_count == 4 and stored.gap_count == 1
    assert JpmSnapshot.objects.filter(employee=org.staff, date=dt.date(2026, 6, 1), jpm=Decimal("80.00")).exists()
    assert AuditEntry.objects.filter(action="competencies.assessment_record").count() == 1


@pytest.mark.parametrize(
    ("achieved", "jpm", "filling", "mapping"),
    [
        ([5, 5, 4, 2, 1], "68.00", "mms", "kurang_optimal"),  # 17/25
        ([5, 5, 4, 2, 0], "64.00", "kms", "kurang_optimal"),
        ([5, 5, 5, 4, 1], "80.00", "ms", "cukup_optimal"),  # 20/25
        ([5, 5, 5, 5, 3], "92.00", "ms", "optimal"),
    ],
)
def test_stored_jpm_in_sql_matches_the_rule(org, achieved: list[int], jpm: str, filling: str, mapping: str) -> None:
    comps = set_standard(org.staff.position, [5, 5, 5, 5, 5])
    record(org.staff, {c.pk: lvl for c, lvl in zip(comps, achieved, strict=True) if lvl})
    stored = EmployeeJpm.objects.get(employee=org.staff)
    profile = selectors.profile_for(org.staff)
    assert stored.jpm == profile.jpm == Decimal(jpm)
    assert stored.filling_category == profile.filling_category == filling
    assert stored.category == profile.category == mapping


def test_current_profile_is_latest_valid_level_per_competency(org) -> None:
    comps = set_standard(org.staff.position, [3, 3, 3])
    record(org.staff, {comps[0].pk: 1, comps[1].pk: 2}, on=dt.date(2022, 1, 1))  # AC: valid 3 years → expired
    record(org.staff, {comps[0].pk: 2}, on=dt.date(2025, 1, 1))
    record(org.staff, {comps[0].pk: 3}, on=dt.date(2025, 6, 1), method="self")  # valid 1 year: until 2026-06-01
    profile = selectors.profile_for(org.staff)
    levels = {r.competency.pk: r.current for r in profile.rows}
    assert levels == {comps[0].pk: 3, comps[1].pk: None, comps[2].pk: None}
    assert profile.jpm == Decimal("33.33")
    assert [r.competency.pk for r in profile.gaps] == [comps[1].pk, comps[2].pk]


def test_profile_for_another_position_is_a_what_if(org) -> None:
    comps = set_standard(org.staff.position, [2, 2])
    other = PositionFactory(unit=org.dinas, kind=PositionType.PENGAWAS)
    set_standard(other, [4, 4], comps)
    record(org.staff, {comps[0].pk: 2, comps[1].pk: 2})
    assert selectors.profile_for(org.staff).jpm == Decimal("100.00")
    assert selectors.profile_for(org.staff, other).jpm == Decimal("50.00")


def test_gap_rows_are_set_based(org, django_assert_num_queries) -> None:
    comps = set_standard(org.staff.position, [3, 2])
    record(org.staff, {comps[0].pk: 1, comps[1].pk: 2})
    with django_assert_num_queries(3):  # positions, requirements, current levels
        rows = selectors.gap_rows([org.staff.pk, org.staff2.pk])
    assert sorted(rows) == sorted(
        [
            (org.staff.pk, comps[0].pk, 3, 1, 2),
            (org.staff2.pk, comps[0].pk, 3, None, 3),
            (org.staff2.pk, comps[1].pk, 2, None, 2),
        ]
    )
    many = [EmployeeFactory(unit=org.dinas, position=org.staff.position) for _ in range(30)]
    for e in many[:10]:
        record(e, {comps[0].pk: 3})
    with django_assert_num_queries(3):  # the same three queries for 32 employees
        rows = selectors.gap_rows([org.staff.pk, org.staff2.pk, *(e.pk for e in many)])
    assert len(rows) == 3 + 10 * 1 + 20 * 2


def test_one_employees_gaps_through_the_precompiled_reads_equal_the_set_based_reads(org) -> None:
    """`gap_rows` of one person (the recommendations) reads through statements compiled once per process:
    the same rows as the set-based reads, in the same order, for their own post, another post, no post,
    an expired or future result and another day."""
    comps = set_standard(org.staff.position, [3, 2, 4])
    other = PositionFactory(unit=org.dinas, kind=PositionType.PENGAWAS)
    set_standard(other, [4, 1], comps[:2])
    record(org.staff, {comps[0].pk: 1, comps[1].pk: 2})
    record(org.staff2, {comps[2].pk: 4}, on=dt.date(2024, 1, 1))
    nobody = EmployeeFactory(unit=org.dinas, position=None)
    days = [None, dt.date(2024, 6, 1), dt.date(2020, 1, 1)]
    for emp in (org.staff, org.staff2, nobody, org.head):
        for position_id in (None, other.pk, org.staff.position_id):
            for on in days:
                one = selectors.gap_rows([emp.pk], position_id=position_id, on=on)
                inputs = selectors._gap_inputs([emp.pk], position_id, on)
                assert selectors._gap_inputs_of(emp.pk, position_id, on) == inputs
                assert one == [
                    r for r in selectors.gap_rows([emp.pk, org.bidang_staff.pk], position_id, on) if r[0] == emp.pk
                ]
    assert selectors.gap_rows([org.staff.pk]) == [
        (org.staff.pk, comps[0].pk, 3, 1, 2),
        (org.staff.pk, comps[2].pk, 4, None, 4),
    ]


@pytest.mark.parametrize(
    ("levels", "on", "field"),
    [
        ({0: 6}, dt.date(2026, 1, 1), "levels"),
        ({0: 0}, dt.date(2026, 1, 1), "levels"),
        ({0: 3}, dt.date(2026, 6, 2), "assessed_on"),
    ],
)
def test_bad_assessment_is_refused_and_nothing_written(org, levels: dict[int, int], on: dt.date, field: str) -> None:
    comps = national()
    with pytest.raises(ApplicationError) as err:
        record(org.staff, {comps[k].pk: v for k, v in levels.items()}, on=on)
    assert err.value.extra["field"] == field
    assert not CompetencyAssessment.objects.exists() and not AssessmentResult.objects.exists()


def test_competency_of_another_agency_is_refused(org) -> None:
    foreign = CompetencyFactory(agency=org.other_agency)
    with pytest.raises(ApplicationError):
        record(org.staff, {foreign.pk: 3})
    with pytest.raises(ApplicationError):
        standard_services.requirement_set(position=org.staff.position, levels={foreign.pk: 3}, actor=org.admin.user)
    assert not CompetencyRequirement.objects.filter(competency=foreign).exists()


def test_requirement_set_marks_override_and_refreshes_holders(org) -> None:
    comps = national()
    record(org.staff, {comps[0].pk: 2})
    standard_services.requirement_set(position=org.staff.position, levels={comps[0].pk: 4}, actor=org.admin.user)
    assert EmployeeJpm.objects.get(employee=org.staff).jpm == Decimal("50.00")
    assert EmployeeJpm.objects.get(employee=org.staff2).jpm == Decimal("0.00")
    req = CompetencyRequirement.objects.get(position=org.staff.position, competency=comps[0])
    assert req.is_override and req.level == 4


def test_bulk_defaults_keep_overrides_and_follow_the_table(org) -> None:
    comps = national()
    pos = org.staff.position  # pelaksana → default level 1
    standard_services.requirement_set(position=pos, levels={comps[0].pk: 3}, actor=org.admin.user)
    result = standard_services.requirements_apply_defaults(
        agency_id=org.agency.pk, position_kind=PositionType.PELAKSANA, actor=org.admin.user
    )
    levels = dict(CompetencyRequirement.objects.filter(position=pos).values_list("competency_id", "level"))
    assert len(levels) == 9
    assert levels[comps[0].pk] == 3  # the override is kept
    assert all(lvl == 1 for cid, lvl in levels.items() if cid != comps[0].pk)
    assert result["job_run"] is None and result["counts"]["created"] >= 8


def test_bulk_defaults_touching_many_people_run_as_a_job_with_progress(
    org, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    monkeypatch.setattr(standard_services, "SYNC_REFRESH_LIMIT", 1)
    national()
    with django_capture_on_commit_callbacks(execute=True):
        result = standard_services.requirements_apply_defaults(
            agency_id=org.agency.pk, position_kind=PositionType.PELAKSANA, level=2, actor=org.admin.user
        )
    run = JobRun.objects.get(pk=result["job_run"].pk)
    assert run.status == JobRun.Status.SUCCESS
    assert run.counts["done"] == run.counts["total"] == result["counts"]["people"] >= 2
    assert EmployeeJpm.objects.filter(employee=org.staff, jpm=Decimal("0.00")).exists()


def test_nightly_recompute_covers_everyone_and_records_a_jobrun(org) -> None:
    comps = set_standard(org.staff.position, [2, 2])
    record(org.staff, {comps[0].pk: 2, comps[1].pk: 2})
    EmployeeJpm.objects.all().delete()
    counts = services.jpm_recompute_all()
    assert counts["employees"] >= 10
    assert EmployeeJpm.objects.get(employee=org.staff).jpm == Decimal("100.00")
    assert EmployeeJpm.objects.get(employee=org.admin).jpm is None  # a post without standard
    assert JobRun.objects.filter(job="competencies.jpm_recompute_all", status="success").exists()
    # Re-running the same day adds no duplicate snapshot.
    services.jpm_recompute_all()
    assert JpmSnapshot.objects.filter(employee=org.staff).count() == 1


def test_snapshot_added_only_when_jpm_changes(org) -> None:
    comps = set_standard(org.staff.position, [2, 2])
    with time_machine.travel(dt.datetime(2025, 1, 1, 9, 0), tick=False):
        record(org.staff, {comps[0].pk: 2}, on=dt.date(2025, 1, 1))
    services.jpm_recompute_all()
    record(org.staff, {comps[1].pk: 2})
    trend = [(s.date, s.jpm) for s in selectors.jpm_trend(org.staff)]
    assert trend == [(dt.date(2025, 1, 1), Decimal("50.00")), (dt.date(2026, 6, 1), Decimal("100.00"))]


def test_analytics_counts_gaps_in_the_database(org) -> None:
    comps = set_standard(org.staff.position, [3, 3])
    record(org.staff, {comps[0].pk: 3})
    services.jpm_recompute_all()
    data = selectors.analytics_live(user=org.admin.user)
    by_comp = {r["id"]: r["count"] for r in data["gap_by_competency"]}
    assert by_comp[comps[1].pk] == 2  # staff (unassessed) and staff2 (unassessed)
    assert by_comp[comps[0].pk] == 1  # staff2 only
    assert data["by_category"]["kurang_optimal"] == 1  # staff2 was never assessed: no category, not 0%
    assert (data["totals"]["assessed"], data["totals"]["avg"]) == (1, Decimal("50.00"))
    foreign = selectors.analytics_live(user=org.foreign_admin.user)
    assert foreign["gap_by_competency"] == []


def test_employee_on_other_post_without_standard(org) -> None:
    emp = EmployeeFactory(unit=org.dinas, position=None)
    services.jpm_refresh([emp.pk])
    assert EmployeeJpm.objects.get(employee=emp).jpm is None
