"""The KP queue build looks its reference tables up once per build: the same small number of queries for an
agency of 2 and of 20 PNS, and exactly the entries the build produced before the reference loading was
shared (the expected rows below were taken from the earlier code on this fixture)."""

from __future__ import annotations

import datetime as dt
import json
import os
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from people.models import DisciplinarySanction
from promotions.models import CivilServiceExam, PromotionPeriod, QueueEntry
from promotions.queue import services as queue_services
from tests.people.factories import EmployeeFactory, PositionFactory
from tests.promotions.factories import give_predikat, period, set_rank

pytestmark = pytest.mark.django_db
DEC = dt.date(2026, 12, 1)


def _build(agency_id: int, p: PromotionPeriod) -> list[dict[str, Any]]:
    with CaptureQueriesContext(connection) as ctx:
        queue_services.queue_build(period=p, agency_id=agency_id, actor=None)
    return ctx.captured_queries


def test_the_build_costs_the_same_few_queries_for_2_and_for_20_employees(org: Any, today: dt.date) -> None:
    p = period(DEC)  # reference rows and periods in place before counting
    agency = org.other_agency  # its BKD admin and one staff member: 2 PNS
    unit = org.foreign_staff.unit
    two = _build(agency.pk, p)
    assert QueueEntry.objects.filter(period=p, agency=agency).count() == 2
    more = [EmployeeFactory(unit=unit, position=org.foreign_staff.position) for _ in range(18)]
    give_predikat(more, [2024, 2025])
    CivilServiceExam.objects.create(employee=more[0], level="tingkat_i", exam_date=dt.date(2020, 1, 1))
    DisciplinarySanction.objects.create(employee=more[1], level="ringan", description="x", start_date=DEC)
    twenty = _build(agency.pk, p)
    assert QueueEntry.objects.filter(period=p, agency=agency).count() == 20
    # 1 job run, 2 PNS rank ladder (codes and ids together), 3 education caps, 4 AK thresholds, 5 rule
    # version; 6 employees' rank facts, 7 superiors, 8 predikat, 9 exams, 10 sanctions, 11 open proposals;
    # 12 savepoint, 13 delete the period's rows (the insert is one COPY, not captured), 14 delete and 15 insert
    # the period's summary rows (the counts the build has just made), 16 release, 17 job done.
    assert len(two) == len(twenty) == 17, [q["sql"][:80] for q in twenty]


def _varied_population(org: Any) -> None:
    """The conftest org plus people each rule treats differently."""
    for head in (org.head, org.bidang_head, org.other_head):
        set_rank(head, "IV/a", dt.date(2018, 4, 1))
    give_predikat([org.staff, org.staff2, org.bidang_staff, org.other_staff, org.head], [2023, 2024, 2025])
    set_rank(org.staff2, "III/b", dt.date(2023, 1, 15))  # near: four years in early 2027
    set_rank(org.bidang_staff, "III/b", dt.date(2019, 4, 1), education_level="slta")  # capped at III/b
    DisciplinarySanction.objects.create(
        employee=org.other_staff, level="sedang", description="Teguran", start_date=dt.date(2026, 1, 1)
    )
    jf = PositionFactory(unit=org.dinas, kind="fungsional_keahlian", functional_level="ahli_muda", headcount=3)
    analyst = EmployeeFactory(unit=org.dinas, position=jf, name="Analis Uji")
    set_rank(analyst, "III/c", dt.date(2021, 4, 1))
    give_predikat([analyst], [2022, 2023, 2024, 2025], "sangat_baik")
    senior = EmployeeFactory(unit=org.dinas, position=org.staff.position, name="Staf Senior", education_level="s2")
    set_rank(senior, "III/d", dt.date(2020, 10, 1))
    give_predikat([senior], [2024, 2025])
    CivilServiceExam.objects.create(employee=senior, level="tingkat_i", exam_date=dt.date(2020, 1, 1))
    junior = EmployeeFactory(unit=org.bidang, position=org.bidang_staff.position, name="Staf Baru")
    set_rank(junior, "II/c", dt.date(2025, 4, 1), education_level="d3")
    EmployeeFactory(unit=org.dinas, position=org.staff.position, name="Staf PPPK", employment_type="pppk")


def _entries() -> list[list[Any]]:
    return [
        [
            e.employee.name,
            e.kind,
            e.status,
            e.current_rank.code,
            e.target_rank.code if e.target_rank else None,
            [f["code"] for f in e.failing],
            e.next_eligible_date.isoformat() if e.next_eligible_date else None,
            str(e.credit_points) if e.credit_points is not None else None,
            e.rule_version,
        ]
        for e in QueueEntry.objects.select_related("employee", "current_rank", "target_rank").order_by("employee__name")
    ]


EXPECTED: list[list[Any]] = [  # name, kind, status, rank, target, failing rules, next date, AK, rule version
    ["Admin BKD", "reguler", "blocked", "III/b", "III/c", ["predikat"], None, None, "KP-2024.1"],
    ["Analis Uji", "fungsional", "eligible", "III/c", "III/d", [], "2026-12-01", "150.00", "KP-2024.1"],
    ["Kabid Pelayanan", "struktural", "blocked", "IV/a", "IV/b", ["predikat", "superior_rank"], None, None, "KP-2024.1"],  # noqa: E501
    ["Kepala Dinkes", "struktural", "eligible", "IV/a", "IV/b", [], "2026-12-01", None, "KP-2024.1"],
    ["Kepala Disdik", "struktural", "blocked", "IV/a", "IV/b", ["predikat"], None, None, "KP-2024.1"],
    ["Staf Baru", "reguler", "blocked", "II/c", "II/d", ["years_in_rank", "predikat"], None, None, "KP-2024.1"],
    ["Staf Bidang", "reguler", "blocked", "III/b", "III/c", ["education_cap"], None, None, "KP-2024.1"],
    ["Staf Disdik", "reguler", "blocked", "III/b", "III/c", ["sanction"], None, None, "KP-2024.1"],
    ["Staf Dua", "reguler", "near", "III/b", "III/c", ["years_in_rank"], "2027-02-01", None, "KP-2024.1"],
    ["Staf Satu", "reguler", "eligible", "III/b", "III/c", [], "2026-12-01", None, "KP-2024.1"],
    ["Staf Senior", "reguler", "blocked", "III/d", "IV/a", ["civil_service_exam"], None, None, "KP-2024.1"],
]  # fmt: skip


def test_the_build_produces_the_same_entries_as_before(org: Any, today: dt.date) -> None:
    _varied_population(org)
    queue_services.queue_build(period=period(DEC), agency_id=org.agency.pk, actor=None)
    got = _entries()
    if os.environ.get("QUEUE_GOLDEN_OUT"):
        with open(os.environ["QUEUE_GOLDEN_OUT"], "w") as out:
            json.dump(got, out, indent=1)
    assert got == EXPECTED
