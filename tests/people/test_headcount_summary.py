"""The headcount summary rows (`people.headcount`) equal the live count after every kind of change made through
the people services and the import (each change's refresh runs after its commit, as in production), and the org
chart and the home cards read them."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db.models import Count
from django.test import Client

from asn_portal import summaries
from people import headcount, imports, services
from people.access import team_q
from people.choices import ACTIVE_STATUSES, EmployeeStatus
from people.models import Employee, UnitHeadcount
from people.rules import build_nip
from tests.people.factories import PositionFactory
from tests.people.test_imports import emp_row, to_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(org: Any, django_capture_on_commit_callbacks: Any) -> Iterator[Callable[..., Any]]:
    """Run a change and its after-commit work (the outbox sends the refresh; Celery is eager in tests)."""
    summaries.refresh_all([org.agency.pk, org.other_agency.pk], [headcount.KIND])

    def run(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    yield run


def live(agency_id: int) -> Counter[tuple[int, str, str]]:
    rows = (
        Employee.objects.filter(agency_id=agency_id)
        .values_list("unit_id", "status", "employment_type")
        .annotate(n=Count("id"))
    )
    return Counter({(u, s, t): n for u, s, t, n in rows})


def summary(agency_id: int) -> Counter[tuple[int, str, str]]:
    rows = UnitHeadcount.objects.filter(agency_id=agency_id).values_list("unit_id", "status", "employment_type", "n")
    return Counter({(u, s, t): n for u, s, t, n in rows})


def assert_summary_is_live(org: Any) -> None:
    for agency_id in (org.agency.pk, org.other_agency.pk):
        assert summary(agency_id) == live(agency_id), agency_id
        # the BKD admin's home card: employees, units, positions and vacant posts kept with the rows
        assert headcount.agency_figures(agency_id) == headcount.agency_figures_live(agency_id), agency_id
    active = Employee.objects.filter(agency=org.agency, status__in=ACTIVE_STATUSES)
    assert headcount.agency_totals(org.agency.pk) == {
        "total": active.count(),
        "pns": active.filter(employment_type="pns").count(),
        "cpns": active.filter(employment_type="cpns").count(),
        "pppk": active.filter(employment_type="pppk").count(),
    }
    assert headcount.active_by_unit(org.agency.pk) == dict(
        active.values_list("unit_id").annotate(n=Count("id")).values_list("unit_id", "n")
    )


def test_summary_follows_every_kind_of_change(org: Any, committed: Callable[..., Any]) -> None:
    assert_summary_is_live(org)
    # a new employee with a post
    pos = PositionFactory(unit=org.bidang, headcount=5)
    data = {
        "nip": build_nip(dt.date(1990, 2, 3), 2015, 3, "P", 7),
        "name": "Rina Lubis",
        "gender": "P",
        "birth_date": dt.date(1990, 2, 3),
        "cpns_date": dt.date(2015, 3, 1),
        "education_level": "s1",
        "unit": org.dinas,
        "position": pos,
        "position_start_date": dt.date(2020, 1, 2),
    }
    rina, _warnings = committed(services.employee_create, agency=org.agency, data=data, actor=org.admin.user)
    assert (
        summary(org.agency.pk)[(org.bidang.pk, "active", "pns")]
        == live(org.agency.pk)[(org.bidang.pk, "active", "pns")]
    )
    assert_summary_is_live(org)
    # moved to another unit, on leave, another employment type, then retired
    committed(services.employee_update, employee=org.staff, data={"unit": org.other_dinas}, actor=org.admin.user)
    assert_summary_is_live(org)
    committed(services.employee_update, employee=org.staff2, data={"status": "leave"}, actor=org.admin.user)
    assert_summary_is_live(org)
    committed(services.employee_update, employee=rina, data={"employment_type": "pppk"}, actor=org.admin.user)
    assert_summary_is_live(org)
    committed(
        services.employee_update, employee=org.staff2, data={"status": EmployeeStatus.RETIRED}, actor=org.admin.user
    )
    assert_summary_is_live(org)
    # appointed to a post in another unit
    other = PositionFactory(unit=org.other_dinas, headcount=5)
    committed(
        services.employee_appoint,
        employee=org.bidang_staff,
        position=other,
        start_date=dt.date(2024, 1, 2),
        actor=org.admin.user,
    )
    assert_summary_is_live(org)
    # a unit moved under another OPD (the counts stay per unit), and a bulk import
    committed(services.org_unit_move, unit=org.bidang, new_parent=org.other_dinas, actor=org.admin.user)
    assert_summary_is_live(org)
    batch = imports.batch_create(
        agency=org.agency,
        kind="employees",
        stream=io.BytesIO(to_csv([emp_row(i, org.dinas.code) for i in range(12)])),
        filename="pegawai.csv",
        actor=org.admin.user,
    )
    committed(imports.batch_confirm, batch=batch, only_valid=False, actor=org.admin.user)
    assert Employee.objects.filter(name__startswith="Pegawai Impor").count() == 12
    assert_summary_is_live(org)


def test_org_chart_reads_the_summary_rows_the_head_card_counts_live(org: Any, committed: Callable[..., Any]) -> None:
    committed(services.employee_update, employee=org.staff2, data={"status": "study"}, actor=org.admin.user)
    client = Client()
    client.force_login(org.admin.user)
    response = client.get("/pegawai/organisasi/")
    rows = {r["id"]: r["own_count"] for r in response.context["rows"]}
    active = Employee.objects.filter(agency=org.agency, status__in=ACTIVE_STATUSES)
    for unit_id, own in rows.items():
        assert own == active.filter(unit_id=unit_id).count()
    assert 'data-testid="computed-at"' in response.content.decode()
    # the head's team card (unit-wide, counted live): the people of the headed subtree without the head themself
    client.force_login(org.head.user)
    card = next(c for t, c in client.get("/").context["cards"] if t == "people/cards/head.html")
    team = Employee.objects.filter(team_q(org.head.user))
    assert card["stats"] == {
        "total": team.filter(status__in=ACTIVE_STATUSES).count(),
        "on_leave": team.filter(status__in=[EmployeeStatus.LEAVE, EmployeeStatus.STUDY]).count(),
    }
    assert card["stats"]["on_leave"] == 1


def test_rows_are_filled_once_when_the_table_is_empty(org: Any) -> None:
    """After the migration that adds the table (post_migrate), an existing database gets its rows."""
    UnitHeadcount.objects.all().delete()
    assert headcount.fill_if_empty() == 2  # both agencies of the fixture have employees
    assert_summary_is_live(org)
    assert headcount.fill_if_empty() == 0  # not again while rows exist
