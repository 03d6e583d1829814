"""asn_portal.precompiled: a queryset compiled once gives the ORM's own rows for every value (issue #13)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

import pytest

from asn_portal.precompiled import FIRST_DAY, Param, Statement
from people.models import DisciplinarySanction, Employee

pytestmark = pytest.mark.django_db


def _sanctions(employee_id: int, since: dt.date) -> Any:
    return (
        DisciplinarySanction.objects.filter(
            employee_id=employee_id, start_date__gte=since, level__in=["ringan", "berat"]
        )
        .order_by("start_date")
        .values_list("description", "start_date")
    )


def test_rows_equal_the_orm_for_each_value_and_the_sql_is_built_once(org: Any) -> None:
    for emp, day, level in ((org.staff, 1, "ringan"), (org.staff, 2, "berat"), (org.staff2, 3, "sedang")):
        DisciplinarySanction.objects.create(
            employee=emp, level=level, description=f"s{day}", start_date=dt.date(2025, 1, day)
        )
    build = mock.Mock(side_effect=_sanctions)
    stmt = Statement(build, employee_id=Param(-1), since=Param(FIRST_DAY))
    for emp in (org.staff, org.staff2, org.head):
        for since in (dt.date(2025, 1, 1), dt.date(2025, 1, 2), dt.date(2026, 1, 1)):
            assert stmt.rows(employee_id=emp.pk, since=since) == list(_sanctions(emp.pk, since))
    assert build.call_count == 1  # built and compiled once
    assert stmt.rows(employee_id=org.staff.pk, since=dt.date(2025, 1, 1)) == [
        ("s1", dt.date(2025, 1, 1)),
        ("s2", dt.date(2025, 1, 2)),
    ]  # the constant list of levels stays in the statement: "sedang" is not read


def test_a_stand_in_the_orm_does_not_send_is_refused() -> None:
    # A year far outside the field's range: the ORM drops the bound, so the value could never be swapped in.
    from performance.models import PredikatRecord

    stmt = Statement(lambda year: PredikatRecord.objects.filter(year__gte=year).values_list("pk"), year=Param(-5))
    with pytest.raises(ValueError, match="stand-ins not found"):
        stmt.rows(year=2025)


def test_instances_are_the_orm_objects_with_their_related_objects_and_annotations(org: Any) -> None:
    from django.db.models import F

    def staff(unit_id: int) -> Any:
        return (
            Employee.objects.filter(unit_id=unit_id)
            .select_related("rank", "position")
            .annotate(rank_order=F("rank__order"))
            .order_by("pk")
        )

    stmt = Statement(staff, unit_id=Param(-2))
    for unit in (org.dinas, org.bidang):
        got, want = stmt.instances(unit_id=unit.pk), list(staff(unit.pk))
        assert [(e.pk, e.name, e.rank_order, e.rank.code, e.position and e.position.title) for e in got] == [
            (e.pk, e.name, e.rank_order, e.rank.code, e.position and e.position.title) for e in want
        ]
        assert got and all("rank" in e._state.fields_cache for e in got)  # no query when reading the rank


def test_values_list_columns_come_in_the_order_named(org: Any) -> None:
    from django.db.models import F

    def named(pk: int) -> Any:
        return Employee.objects.filter(pk=pk).annotate(order=F("rank__order")).values_list("order", "name", "pk")

    stmt = Statement(named, pk=Param(-3))
    assert (
        stmt.rows(pk=org.staff.pk)
        == list(named(org.staff.pk))
        == [(org.staff.rank.order, org.staff.name, org.staff.pk)]
    )
