"""The agency analytics read summary rows kept current by the services; after every kind of change they equal
the live computation (`selectors.analytics_live`, the oracle), the page shows them and says when."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from asn_portal import summaries as portal_summaries
from competencies import selectors, services, summaries
from competencies.analytics import selectors as analytics_selectors
from competencies.standards import services as standard_services
from people import services as people_services
from tests.competencies.factories import national, record
from tests.people.factories import EmployeeFactory, OrgUnitFactory, PositionFactory

from .test_views import client_for

pytestmark = pytest.mark.django_db(transaction=False)


def _comparable(data: dict[str, Any]) -> dict[str, Any]:
    def q(v: Any) -> Any:
        return None if v is None else Decimal(v).quantize(Decimal("0.01"))

    return {
        "by_category": data["by_category"],
        "by_filling": data["by_filling"],
        "totals": {"n": data["totals"]["n"], "assessed": data["totals"]["assessed"], "avg": q(data["totals"]["avg"])},
        "units": [
            (u["employee__unit_id"], u["employee__unit__name"], u["n"], u["assessed"], q(u["avg"]))
            + (u["optimal"], u["cukup"], u["kurang"], u["gaps"])
            for u in data["units"]
        ],
        "gap_by_competency": [(r["id"], r["name"], r["count"], q(r["avg_gap"])) for r in data["gap_by_competency"]],
        "gap_by_unit": [(u["unit_id"], u["unit"], u["gaps"]) for u in data["gap_by_unit"]],
    }


def _assert_summary_equals_live(org: Any) -> dict[str, Any]:
    live = _comparable(selectors.analytics_live(user=org.admin.user))
    summary = analytics_selectors.analytics(user=org.admin.user)
    assert _comparable(summary) == live
    assert summary["computed_at"] is not None
    # the BKD admin's home card: JPM totals, employees and posts without a standard, kept with the rows
    for agencies in ([org.agency.pk], [org.other_agency.pk], [org.agency.pk, org.other_agency.pk], None):
        assert summaries.card_figures(agencies) == summaries.card_figures_live(agencies), agencies
    return live


def test_summary_equals_live_after_every_kind_of_change(org: Any, django_capture_on_commit_callbacks: Any) -> None:
    comps = national()
    admin = org.admin.user
    run = django_capture_on_commit_callbacks
    portal_summaries.refresh_all([org.agency.pk, org.other_agency.pk], [summaries.KIND])  # as the seed leaves it
    with run(execute=True):  # a post's standard set through the standards service
        standard_services.requirement_set(
            position=org.staff.position, levels={comps[0].pk: 4, comps[1].pk: 3, comps[2].pk: 2}, actor=admin
        )
        standard_services.requirement_set(
            position=org.bidang_staff.position, levels={comps[0].pk: 3, comps[1].pk: 3}, actor=admin
        )
    live = _assert_summary_equals_live(org)
    assert live["totals"]["assessed"] == 0 and live["gap_by_competency"]  # unassessed: every level a gap
    with run(execute=True):  # assessments recorded
        record(org.staff, {comps[0].pk: 4, comps[1].pk: 1}, actor=admin)
        first = record(org.bidang_staff, {comps[0].pk: 2, comps[1].pk: 3}, actor=admin)
        record(org.staff2, {comps[0].pk: 5, comps[1].pk: 3, comps[2].pk: 2}, actor=admin)
    live = _assert_summary_equals_live(org)
    assert live["totals"]["assessed"] == 3
    with run(execute=True):  # an assessment deleted
        services.assessment_delete(assessment=first, actor=admin, reason="Salah input")
    assert _assert_summary_equals_live(org)["totals"]["assessed"] == 2
    with run(execute=True):  # the standard raised: the holders' current levels recomputed
        standard_services.requirement_set(position=org.staff.position, levels={comps[2].pk: 5}, actor=admin)
    _assert_summary_equals_live(org)
    newcomer = EmployeeFactory(unit=org.other_dinas, position=PositionFactory(unit=org.other_dinas))
    with run(execute=True):  # the nightly recompute (the path of the XLSX import too: jpm_refresh)
        services.jpm_recompute_all()
    assert _assert_summary_equals_live(org)["totals"]["n"] >= 4
    with run(execute=True):  # an employee moves to another unit
        people_services.employee_update(employee=org.staff2, data={"unit": org.other_dinas}, actor=admin)
    live = _assert_summary_equals_live(org)
    assert org.other_dinas.pk in [u[0] for u in live["units"]]
    with run(execute=True):  # and one leaves the service: out of the figures
        people_services.employee_update(employee=org.staff, data={"status": "retired"}, actor=admin)
    live = _assert_summary_equals_live(org)
    assert live["totals"]["assessed"] == 1
    assert newcomer.pk  # counted in its unit, never assessed
    with run(execute=True):  # a post nobody holds (the import and the Django admin touch every kind)
        vacant = PositionFactory(unit=org.dinas)
        portal_summaries.touch_all(portal_summaries.kinds(), [org.agency.pk])
    _assert_summary_equals_live(org)
    before = summaries.card_figures([org.agency.pk])["no_standard"]
    with run(execute=True):  # given a standard: one post fewer without one, though no holder's JPM changes
        standard_services.requirement_set(position=vacant, levels={comps[0].pk: 3}, actor=admin)
    _assert_summary_equals_live(org)
    assert summaries.card_figures([org.agency.pk])["no_standard"] == before - 1


def test_page_and_xlsx_show_the_summary_figures_and_when(org: Any, django_capture_on_commit_callbacks: Any) -> None:
    comps = national()
    with django_capture_on_commit_callbacks(execute=True):
        standard_services.requirement_set(
            position=org.staff.position, levels={comps[0].pk: 4, comps[1].pk: 4}, actor=org.admin.user
        )
        record(org.staff, {comps[0].pk: 4, comps[1].pk: 2}, actor=org.admin.user)  # JPM 75 %
    c = client_for(org.admin)
    html = c.get("/kompetensi/analitik/").content.decode()
    assert 'data-testid="agency-avg">75,00%' in html and "Data dihitung pada" in html
    book = load_workbook(io.BytesIO(c.get("/kompetensi/analitik/ekspor.xlsx").content))
    units = {row[0]: row for row in book["JPM per unit"].iter_rows(min_row=2, values_only=True)}
    assert units["Dinas Kesehatan"][1:3] == (2, 75.0)  # staff and staff2 hold the post; one assessed
    # another agency's admin sees nothing of it
    assert "Dinas Kesehatan" not in client_for(org.foreign_admin).get("/kompetensi/analitik/").content.decode()


def test_analytics_page_costs_the_same_for_1_and_12_units(org: Any) -> None:
    c = client_for(org.admin)

    def count() -> int:
        portal_summaries.refresh(summaries.KIND, org.agency.pk)
        with CaptureQueriesContext(connection) as ctx:
            assert c.get("/kompetensi/analitik/").status_code == 200
        return len(ctx.captured_queries)

    comps = national()
    standard_services.requirement_set(position=org.staff.position, levels={comps[0].pk: 3}, actor=org.admin.user)
    small = count()
    for i in range(11):
        unit = OrgUnitFactory(agency=org.agency, name=f"Unit {i}")
        pos = PositionFactory(unit=unit)
        EmployeeFactory(unit=unit, position=pos)
        standard_services.requirement_set(position=pos, levels={comps[1].pk: 3}, actor=org.admin.user)
    assert count() == small


def test_xlsx_is_built_once_per_refresh_and_follows_every_refresh(
    org: Any, django_capture_on_commit_callbacks: Any
) -> None:
    comps = national()
    admin = org.admin.user
    c = client_for(org.admin)

    def download() -> tuple[int, dict[str, Any]]:
        with CaptureQueriesContext(connection) as ctx:
            resp = c.get("/kompetensi/analitik/ekspor.xlsx")
        book = load_workbook(io.BytesIO(resp.content))
        units = {row[0]: row for row in book["JPM per unit"].iter_rows(min_row=2, values_only=True)}
        return len(ctx.captured_queries), units

    with django_capture_on_commit_callbacks(execute=True):
        standard_services.requirement_set(
            position=org.staff.position, levels={comps[0].pk: 4, comps[1].pk: 4}, actor=admin
        )
        record(org.staff, {comps[0].pk: 4, comps[1].pk: 2}, actor=admin)  # JPM 75 %
    built, units = download()
    assert units["Dinas Kesehatan"][1:3] == (2, 75.0)
    cached, again = download()
    assert again == units and cached < built  # the second download reads only the refresh times
    with django_capture_on_commit_callbacks(execute=True):  # a change refreshes the rows: a new workbook
        record(org.staff2, {comps[0].pk: 4, comps[1].pk: 4}, actor=admin)  # JPM 100 %
    _n, units = download()
    assert units["Dinas Kesehatan"][1:3] == (2, 87.5)
