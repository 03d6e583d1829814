"""The head's heatmap: one page of the team at a time in the database's order, cells from the stored current
profile, and the team and per-unit averages read from the analytics summary rows, which equal the live
computation over the team (the head left out) after every kind of change that feeds them."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.models import Q
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from competencies import cards, rules, selectors, services
from competencies.choices import JpmCategory
from competencies.models import CurrentLevel, EmployeeJpm
from competencies.standards import services as standard_services
from people import services as people_services
from people.access import team_q
from people.choices import ACTIVE_STATUSES
from people.models import Employee
from tests.competencies.factories import national, record
from tests.people.factories import EmployeeFactory

from .test_views import client_for

pytestmark = pytest.mark.django_db(transaction=False)


def _live(user: Any) -> tuple[Any, list[tuple[int, Any, int, int]]]:
    """What the heatmap computed per request before the summary rows: every active team member's stored JPM
    (the head excluded, as the grid does), the team's coverage and each unit's."""
    people = list(
        Employee.objects.filter(team_q(user), status__in=ACTIVE_STATUSES).select_related("jpm", "unit").order_by("pk")
    )

    def pair(e: Employee) -> tuple[Any, int]:
        jpm = getattr(e, "jpm", None)
        return (jpm.jpm, jpm.assessed_count) if jpm else (None, 0)

    team = rules.jpm_coverage(pair(e) for e in people)
    units: dict[int, list[tuple[Any, int]]] = {}
    for e in people:
        units.setdefault(e.unit_id, []).append(pair(e))
    per_unit = []
    for unit_id, rows in units.items():
        cov = rules.jpm_coverage(rows)
        per_unit.append((unit_id, cov.average, cov.assessed, cov.total))
    return team, sorted(per_unit)


def _assert_averages_equal_live(user: Any) -> Any:
    team, per_unit = _live(user)
    got = selectors.team_averages(user=user)
    assert (got.average, got.assessed, got.total) == (team.average, team.assessed, team.total)
    assert sorted((u["unit"].pk, u["average"], u["count"], u["total"]) for u in got.units) == per_unit
    assert got.computed_at is not None
    # the head's home card reads the same rows, with the "Kurang Optimal" count of the assessed
    request = RequestFactory().get("/")
    request.user = user
    card = cards.head_card(request)
    live_kurang = EmployeeJpm.objects.filter(
        team_q(user, "employee__"),
        employee__status__in=ACTIVE_STATUSES,
        assessed_count__gt=0,
        jpm__isnull=False,
        category=JpmCategory.KURANG_OPTIMAL,
    ).count()
    assert card is not None
    assert (card["avg"], card["assessed"], card["n"], card["kurang"]) == (
        team.average,
        team.assessed,
        team.total,
        live_kurang,
    )
    # the page reads the averages and its columns once per state of the summary rows (cached): after every
    # change they are the live ones again, whether the page was read before the change or not
    for _ in range(2):
        heat = selectors.team_heatmap(user=user)
        assert (heat.average_jpm, heat.assessed, heat.total) == (team.average, team.assessed, team.total)
        members = Employee.objects.filter(team_q(user), status__in=ACTIVE_STATUSES).values("pk")
        live_columns = set(CurrentLevel.objects.filter(employee__in=members).values_list("competency_id", flat=True))
        assert {c.pk for c in heat.competencies} == live_columns
    return team


def test_team_averages_equal_the_live_computation_after_every_kind_of_change(
    org: Any, django_capture_on_commit_callbacks: Any
) -> None:
    comps = national()
    admin = org.admin.user
    head = org.head.user
    run = django_capture_on_commit_callbacks
    with run(execute=True):  # standards set: everyone unassessed
        for emp in (org.staff, org.bidang_staff, org.head):
            standard_services.requirement_set(
                position=emp.position, levels={comps[0].pk: 4, comps[1].pk: 2}, actor=admin
            )
        # like the analytics, the coverage counts people with a stored JPM row: everyone after the nightly
        # recompute, a newcomer from their first refresh
        services.jpm_recompute_all()
    assert _assert_averages_equal_live(head).assessed == 0
    with run(execute=True):  # assessments recorded, the head's own too (never in their team's figures)
        record(org.staff, {comps[0].pk: 4, comps[1].pk: 1}, actor=admin)
        first = record(org.bidang_staff, {comps[0].pk: 2, comps[1].pk: 2}, actor=admin)
        record(org.head, {comps[0].pk: 1, comps[1].pk: 1}, actor=admin)
    assert _assert_averages_equal_live(head).assessed == 2
    with run(execute=True):  # an assessment deleted
        services.assessment_delete(assessment=first, actor=admin, reason="Salah input")
    assert _assert_averages_equal_live(head).assessed == 1
    with run(execute=True):  # the standard raised
        standard_services.requirement_set(position=org.staff.position, levels={comps[0].pk: 5}, actor=admin)
    _assert_averages_equal_live(head)
    newcomer = EmployeeFactory(unit=org.bidang, position=org.bidang_staff.position)
    with run(execute=True):  # the nightly recompute
        services.jpm_recompute_all()
    assert _assert_averages_equal_live(head).total == 5  # staff, staff2, bidang head, bidang staff, newcomer
    with run(execute=True):  # someone moves out of the team, someone into it
        people_services.employee_update(employee=org.staff2, data={"unit": org.other_dinas}, actor=admin)
        people_services.employee_update(employee=org.other_staff, data={"unit": org.bidang}, actor=admin)
    _assert_averages_equal_live(head)
    with run(execute=True):  # one leaves the service
        people_services.employee_update(employee=org.staff, data={"status": "retired"}, actor=admin)
    assert _assert_averages_equal_live(head).assessed == 0
    assert newcomer.pk
    # the bidang head's own figures leave them out too, and the page shows the figures and when
    _assert_averages_equal_live(org.bidang_head.user)
    html = client_for(org.head).get("/kompetensi/tim/").content.decode()
    assert "Data dihitung pada" in html


def _team_of(org: Any, n: int, django_capture_on_commit_callbacks: Any) -> list[Employee]:
    comps = national()
    admin = org.admin.user
    with django_capture_on_commit_callbacks(execute=True):
        standard_services.requirement_set(
            position=org.staff.position, levels={comps[0].pk: 4, comps[1].pk: 4}, actor=admin
        )
        people = [EmployeeFactory(unit=org.dinas, position=org.staff.position) for _ in range(n)]
        for i, emp in enumerate(people):
            if i % 7:  # every seventh never assessed
                record(emp, {comps[0].pk: 1 + i % 4, comps[1].pk: 1 + (i // 4) % 4}, actor=admin)
        services.jpm_recompute_all()
    return people


def _all_pages(user: Any, sort: str) -> list[dict[str, Any]]:
    rows, page = [], 1
    while True:
        heat = selectors.team_heatmap(user=user, sort=sort, page=page, page_size=25)
        rows += heat.people
        if not heat.has_next:
            return rows
        page += 1


def test_heatmap_pages_follow_the_order_of_the_whole_team(org: Any, django_capture_on_commit_callbacks: Any) -> None:
    _team_of(org, 60, django_capture_on_commit_callbacks)
    head = org.head.user
    by_name = _all_pages(head, "name")
    team_ids = set(Employee.objects.filter(team_q(head), status__in=ACTIVE_STATUSES).values_list("pk", flat=True))
    assert [r["employee"].pk for r in by_name] and {r["employee"].pk for r in by_name} == team_ids
    assert len(by_name) == len(team_ids)  # every member exactly once across the pages
    assert [r["employee"].name for r in by_name] == sorted(r["employee"].name for r in by_name)
    by_jpm = [r["jpm"] for r in _all_pages(head, "jpm")]
    assessed = [j for j in by_jpm if j is not None]
    assert assessed == sorted(assessed) and by_jpm[len(assessed) :] == [None] * (len(by_jpm) - len(assessed))
    desc = [r["jpm"] for r in _all_pages(head, "-jpm") if r["jpm"] is not None]
    assert desc == sorted(desc, reverse=True)
    gaps = [r["gap_total"] for r in _all_pages(head, "gap")]
    assert gaps == sorted(gaps, reverse=True) and gaps[0] > gaps[-1]


def test_heatmap_cells_are_the_live_profile(org: Any, django_capture_on_commit_callbacks: Any) -> None:
    people = _team_of(org, 8, django_capture_on_commit_callbacks)
    heat = selectors.team_heatmap(user=org.head.user)
    rows = {r["employee"].pk: r for r in heat.people}
    for emp in people:
        profile = {row.competency.pk: row for row in selectors.profile_for(emp).rows}
        for comp, cell in zip(heat.competencies, rows[emp.pk]["cells"], strict=True):
            live = profile.get(comp.pk)
            assert (cell["required"], cell["current"]) == ((live.required, live.current) if live else (None, None))


def test_heatmap_page_costs_the_same_for_2_and_60_people(org: Any, django_capture_on_commit_callbacks: Any) -> None:
    c = client_for(org.head)

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(url).status_code == 200
        return len(ctx.captured_queries)

    small = count("/kompetensi/tim/")
    _team_of(org, 60, django_capture_on_commit_callbacks)
    # 1 session, 2 user, 3 scope, 4 the summary rows' state, 5 the page of people (+ stored JPM), 6 their cells,
    # 7 the columns, 8 the units' summary rows, 9 the head's own JPM, 10 notification badge, 11 units for the
    # filter, 12 the access log's insert (Redis in production)
    assert count("/kompetensi/tim/") == small == 12
    # the same state of the summary rows again: the column ids and the averages come from the cache (8 and 9)
    assert count("/kompetensi/tim/?sort=gap&page=2") == count("/kompetensi/tim/?sort=jpm") == 10
    html = c.get("/kompetensi/tim/?sort=jpm&page=2").content.decode()
    assert "Sebelumnya" in html and 'data-testid="heatmap"' in html
    assert c.get("/kompetensi/tim/?page=999999999999").status_code == 200


def test_team_figures_cache_keys_are_valid_everywhere(org: Any, django_capture_on_commit_callbacks: Any) -> None:
    """The cache keys of the team figures hold no spaces and stay short (memcached's rule, which Django checks
    and warns about on every call): the state's timestamps and the headed paths are hashed into the key, and the
    key still changes with the summary rows' state."""
    import warnings

    from django.core.cache import CacheKeyWarning

    people = _team_of(org, 3, django_capture_on_commit_callbacks)
    user = type(org.head.user).objects.get(pk=org.head.user.pk)
    computed, key = selectors._team_cache_key("team", user, None)
    assert computed is not None and key is not None
    assert " " not in key and len(key) < 250
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheKeyWarning)
        assert client_for(org.head).get("/kompetensi/tim/").status_code == 200
        assert client_for(org.head).get("/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        record(people[1], {national()[0].pk: 4}, actor=org.admin.user)  # a new assessment: the rows change
    user = type(org.head.user).objects.get(pk=org.head.user.pk)
    assert selectors._team_cache_key("team", user, None)[1] != key


@pytest.mark.parametrize("sort", selectors.HEATMAP_SORTS)
def test_precompiled_page_is_the_querysets_page(org: Any, django_capture_on_commit_callbacks: Any, sort: str) -> None:
    """The page's rows come from a statement compiled once per process with a stand-in head: for a head of
    two units (two path patterns) and another head, every page equals what the queryset itself reads."""
    _team_of(org, 12, django_capture_on_commit_callbacks)
    EmployeeFactory(unit=org.other_dinas, position=org.staff.position)
    org.other_dinas.acting_head = org.head
    org.other_dinas.save()
    for emp in (org.head, org.bidang_head):
        user = type(emp.user).objects.get(pk=emp.user.pk)  # a fresh scope
        assert len(selectors.scope_for(user).head_unit_paths) == (2 if emp == org.head else 1)
        for offset in (0, 5, 10, 40):
            expected = list(selectors._page_rows_qs(user, None, sort, offset, 5))
            assert selectors._page_rows(user, None, sort, offset, 5) == expected
            assert offset or expected
    assert (sort, 0, 5) in selectors._PAGE_STATEMENTS


def test_plain_sql_columns_and_unit_options_equal_the_orm(org: Any, django_capture_on_commit_callbacks: Any) -> None:
    """The heatmap's columns (cached ids read back) and the unit filter's options are read in plain SQL: the same
    objects, fields and order as the querysets they replace, for heads of one and of two units (an inactive child
    unit left out), and nothing for an id list without rows."""
    from competencies.models import Competency
    from people.models import OrgUnit
    from tests.people.factories import OrgUnitFactory

    _team_of(org, 3, django_capture_on_commit_callbacks)
    ids = list(Competency.objects.values_list("pk", flat=True))
    assert len(ids) > 2
    orm = Competency.objects.filter(pk__in=ids).only("code", "name", "kind", "order").order_by("kind", "order", "name")
    got = selectors._columns(ids[::-1])
    assert [(c.pk, c.code, c.name, c.kind, c.order) for c in got] == [
        (c.pk, c.code, c.name, c.kind, c.order) for c in orm
    ]
    assert all(c.get_deferred_fields() == orm[0].get_deferred_fields() for c in got)
    assert selectors._columns([]) == [] and selectors._columns([-1]) == []
    OrgUnitFactory(parent=org.dinas, agency=org.dinas.agency, is_active=False, name="Bidang Lama")
    org.other_dinas.acting_head = org.head
    org.other_dinas.save()
    for emp in (org.head, org.bidang_head):
        user = type(emp.user).objects.get(pk=emp.user.pk)  # a fresh scope
        heads = selectors.scope_for(user).head_unit_ids
        expected = OrgUnit.objects.filter(Q(pk__in=heads) | Q(parent_id__in=heads), is_active=True)
        expected = expected.only("name").order_by("path")
        options = selectors.team_unit_options(user=user)
        assert [(u.pk, u.name) for u in options] == [(u.pk, u.name) for u in expected]
        assert options and "Bidang Lama" not in {u.name for u in options}


def test_heatmap_column_heads_and_unit_options_are_escaped(org: Any, django_capture_on_commit_callbacks: Any) -> None:
    """The column heads and the unit filter's options are joined in the view: names and codes escaped as the
    template escaped them, the chosen unit selected."""
    from django.utils.html import escape

    _team_of(org, 2, django_capture_on_commit_callbacks)
    comp = national()[0]
    comp.name, comp.code = 'Kerja <Sama> & "Tim"', "K<1>"
    comp.save()
    org.bidang.name = "Bidang <Uji> & 'Co'"
    org.bidang.save()
    c = client_for(org.head)
    html = c.get("/kompetensi/tim/").content.decode()
    name = escape(comp.name)
    assert f'<th scope="col" class="text-center" title="{name}"><abbr title="{name}">K&lt;1&gt;</abbr></th>' in html
    assert f'<option value="{org.bidang.pk}">{escape(org.bidang.name)}</option>' in html
    assert comp.name not in html and org.bidang.name not in html
    html = c.get(f"/kompetensi/tim/?unit={org.bidang.pk}").content.decode()
    assert f'<option value="{org.bidang.pk}" selected>{escape(org.bidang.name)}</option>' in html
    assert f'<option value="{org.dinas.pk}">{escape(org.dinas.name)}</option>' in html
