"""asn_portal.precompiled: a queryset compiled once gives the ORM's own rows for every value (issue #13)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

import pytest
from django.db.models.sql.query import Query

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
    stmt = Statement(_sanctions, employee_id=Param(-1), since=Param(FIRST_DAY))
    with mock.patch.object(Query, "sql_with_params", autospec=True, side_effect=Query.sql_with_params) as compiled:
        for emp in (org.staff, org.staff2, org.head):
            for since in (dt.date(2025, 1, 1), dt.date(2025, 1, 2), dt.date(2026, 1, 1)):
                assert stmt.rows(employee_id=emp.pk, since=since) == list(_sanctions(emp.pk, since))
    assert compiled.call_count == 1
    assert stmt.rows(employee_id=org.staff.pk, since=dt.date(2025, 1, 1)) == [
        ("s1", dt.date(2025, 1, 1)),
        ("s2", dt.date(2025, 1, 2)),
    ]  # the constant list of levels stays in the statement: "sedang" is not read


def test_a_stand_in_the_orm_does_not_send_is_refused() -> None:
    # A year far outside the field's range: the ORM drops the bound, so the value could never be swapped in.
    stmt = Statement(lambda pk: Employee.objects.filter(pk__in=[]).filter(pk=pk).values_list("pk"), pk=Param(-5))
    with pytest.raises(ValueError, match="stand-ins not found"):
        stmt.rows(pk=1)
