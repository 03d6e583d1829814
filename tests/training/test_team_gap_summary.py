"""The head's team gaps on "Pelatihan tim" are read from the competencies' per-unit gap summary rows; after every
kind of change that feeds them they equal the live computation over the team (`team_gaps_live`, the oracle),
and the page says when they were computed."""

from __future__ import annotations

from typing import Any

import pytest

from competencies import services
from competencies.standards import services as standard_services
from people import services as people_services
from tests.competencies.factories import national, record
from training.needs import selectors

from .test_views import client_for

pytestmark = pytest.mark.django_db(transaction=False)


def _rows(gaps: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [(g["competency_id"], g["name"], g["people"], g["gap_sum"], g["avg_gap"]) for g in gaps]


def _assert_summary_equals_live(org: Any, head: Any) -> list[tuple[Any, ...]]:
    live = _rows(selectors.team_gaps_live(user=head.user, agency_id=org.agency.pk))
    assert _rows(selectors.team_gaps(user=head.user, agency_id=org.agency.pk)) == live
    return live


def test_team_gaps_equal_the_live_team_after_every_kind_of_change(
    org: Any, django_capture_on_commit_callbacks: Any
) -> None:
    comps = national()
    admin = org.admin.user
    run = django_capture_on_commit_callbacks
    with run(execute=True):  # standards set: unassessed holders have every level as a gap
        standard_services.requirement_set(
            position=org.staff.position, levels={comps[0].pk: 4, comps[1].pk: 3, comps[2].pk: 2}, actor=admin
        )
        standard_services.requirement_set(
            position=org.bidang_staff.position, levels={comps[0].pk: 3, comps[1].pk: 3}, actor=admin
        )
        standard_services.requirement_set(position=org.head.position, levels={comps[0].pk: 5}, actor=admin)
        standard_services.requirement_set(position=org.other_staff.position, levels={comps[1].pk: 4}, actor=admin)
    live = _assert_summary_equals_live(org, org.head)
    # staff, staff2 (dinas) and bidang_staff (bidang, under dinas); never the head nor another dinas
    assert {r[0]: r[2] for r in live}[comps[0].pk] == 3
    assert _assert_summary_equals_live(org, org.bidang_head)
    with run(execute=True):  # assessments recorded, the head's own included (the head is not in the team)
        record(org.staff, {comps[0].pk: 4, comps[1].pk: 1}, actor=admin)
        first = record(org.bidang_staff, {comps[0].pk: 2, comps[1].pk: 3}, actor=admin)
        record(org.head, {comps[0].pk: 2}, actor=admin)
    live = _assert_summary_equals_live(org, org.head)
    assert {r[0]: r[2] for r in live}[comps[0].pk] == 2  # staff now meets level 4
    with run(execute=True):  # an assessment deleted
        services.assessment_delete(assessment=first, actor=admin, reason="Salah input")
    _assert_summary_equals_live(org, org.head)
    with run(execute=True):  # a standard raised: the holders' current levels recomputed
        standard_services.requirement_set(position=org.staff.position, levels={comps[2].pk: 5}, actor=admin)
    _assert_summary_equals_live(org, org.head)
    with run(execute=True):  # the nightly recompute
        services.jpm_recompute_all()
    _assert_summary_equals_live(org, org.head)
    with run(execute=True):  # a team member moves to another OPD: out of this team, into the other one
        people_services.employee_update(employee=org.staff2, data={"unit": org.other_dinas}, actor=admin)
    _assert_summary_equals_live(org, org.head)
    assert _assert_summary_equals_live(org, org.other_head)
    with run(execute=True):  # and one leaves the service
        people_services.employee_update(employee=org.staff, data={"status": "retired"}, actor=admin)
    live = _assert_summary_equals_live(org, org.head)
    assert {r[0]: r[2] for r in live}[comps[0].pk] == 1  # bidang_staff only


def test_team_page_shows_the_summary_gaps_and_when(org: Any, django_capture_on_commit_callbacks: Any) -> None:
    comps = national()
    with django_capture_on_commit_callbacks(execute=True):
        standard_services.requirement_set(position=org.staff.position, levels={comps[0].pk: 4}, actor=org.admin.user)
    html = client_for(org.head).get("/pelatihan/tim/").content.decode()
    assert comps[0].name in html and "Data dihitung pada" in html
    # a staff member heads nothing: no team, no gaps
    assert selectors.team_gaps(user=org.staff.user, agency_id=org.agency.pk) == []


def test_team_gap_counts_are_reused_until_the_summary_is_computed_again(
    org: Any, django_capture_on_commit_callbacks: Any, django_assert_num_queries: Any
) -> None:
    comps = national()
    with django_capture_on_commit_callbacks(execute=True):
        standard_services.requirement_set(position=org.staff.position, levels={comps[0].pk: 4}, actor=org.admin.user)
    first = selectors.team_gaps(user=org.head.user, agency_id=org.agency.pk)
    # the summary's computed_at (the key), then the names and the closing courses in one round trip: the counts
    # come from the cache
    with django_assert_num_queries(2):
        again = selectors.team_gaps(user=org.head.user, agency_id=org.agency.pk)
    assert _rows(again) == _rows(first)
    with django_capture_on_commit_callbacks(execute=True):  # a change: refreshed, so computed anew
        record(org.staff, {comps[0].pk: 4}, actor=org.admin.user)
    _assert_summary_equals_live(org, org.head)
