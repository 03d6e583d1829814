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


def test_rows_together_gives_each_statements_own_rows_in_one_query(org: Any) -> None:
    """`rows_together` runs several statements in one round trip and gives what each `rows()` gives: the same
    order and limit, dates and aware timestamps as the adapter returns them, None kept, an empty list kept."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from asn_portal.precompiled import rows_together

    for day, level in ((3, "ringan"), (1, "berat"), (2, "sedang")):
        DisciplinarySanction.objects.create(
            employee=org.staff,
            level=level,
            description=f"s{day}",
            start_date=dt.date(2025, 1, day),
            end_date=dt.date(2025, 6, day) if day != 2 else None,
        )
    sanctions = Statement(
        lambda e: (
            DisciplinarySanction.objects.filter(employee_id=e)
            .order_by("-start_date")
            .values_list("description", "start_date", "end_date", "created_at")[:2]
        ),
        e=Param(-11),
    )
    people = Statement(
        lambda unit_id: Employee.objects.filter(unit_id=unit_id).order_by("pk").values_list("pk", "name", "rank__code"),
        unit_id=Param(-12),
    )
    for emp in (org.staff, org.staff2):
        with CaptureQueriesContext(connection) as ctx:
            got = rows_together((sanctions, {"e": emp.pk}), (people, {"unit_id": emp.unit_id}))
        assert len(ctx.captured_queries) == 1
        assert got == [sanctions.rows(e=emp.pk), people.rows(unit_id=emp.unit_id)]
    assert [r[0] for r in got[0]] == [] and got[1]
    first = rows_together((sanctions, {"e": org.staff.pk}))[0]
    assert [r[:3] for r in first] == [
        ("s3", dt.date(2025, 1, 3), dt.date(2025, 6, 3)),
        ("s2", dt.date(2025, 1, 2), None),
    ]
    assert first[0][3].tzinfo is not None


def test_rows_together_keeps_decimals_exact_and_refuses_a_column_json_would_change(org: Any) -> None:
    """A decimal travels as text (a JSON number would come back as a float); a JSON column is refused."""
    from decimal import Decimal

    from asn_portal.models import JobRun
    from asn_portal.precompiled import rows_together
    from training.ledger import services as ledger_services
    from training.models import LearningRecord

    for i, jp in enumerate(("2.50", "0.10", "12")):
        ledger_services.learning_credit(
            employee=org.staff,
            jp=Decimal(jp),
            on_date=dt.date(2025, 1, 1 + i),
            title=f"K{i}",
            source_type="import",
            source_id=f"dec-{i}",
            actor=None,
        )
    stmt = Statement(
        lambda e: LearningRecord.objects.filter(employee_id=e).order_by("date").values_list("jp", "title"), e=Param(-13)
    )
    got = rows_together((stmt, {"e": org.staff.pk}))[0]
    assert got == stmt.rows(e=org.staff.pk) and [str(jp) for jp, _t in got] == ["2.50", "0.10", "12.00"]
    counts = Statement(lambda pk: JobRun.objects.filter(pk=pk).values_list("counts"), pk=Param(-14))
    with pytest.raises(TypeError, match="JSONField"):
        rows_together((counts, {"pk": 1}))


def test_rows_together_reads_a_shared_statement_once_for_the_reads_over_it(org: Any) -> None:
    """With `shared`, the statement's rows are a common table the reads select from (an `SqlRows` in SQL, a
    `Statement` through `RawSQL`): each read gives what it would give over the statement's own rows, in one
    query, for several values."""
    from django.db import connection
    from django.db.models import Count, F
    from django.db.models.expressions import RawSQL
    from django.test.utils import CaptureQueriesContext

    from asn_portal.precompiled import Shared, SqlRows, rows_together
    from people.access import InArray

    people = Statement(
        lambda unit_id: Employee.objects.filter(unit_id=unit_id).order_by().values_list("pk", "name", "rank_id"),
        unit_id=Param(-15),
    )
    by_rank = SqlRows("SELECT p.c2, count(*) FROM p GROUP BY p.c2 ORDER BY p.c2 NULLS FIRST", columns=2)
    first_two = Statement(
        lambda: (
            Employee.objects.filter(InArray(F("pk"), RawSQL("SELECT p.c0 FROM p ORDER BY p.c1, p.c0 LIMIT %s", (2,))))
            .order_by("name", "pk")
            .values_list("pk", "nip", "unit__name")
        ),
    )
    seen = 0
    for unit in {org.staff.unit_id, org.bidang_staff.unit_id, org.other_staff.unit_id}:
        with CaptureQueriesContext(connection) as ctx:
            counts, rows = rows_together(by_rank, (first_two, {}), shared=Shared("p", people, {"unit_id": unit}))
        assert len(ctx.captured_queries) == 1
        orm = Employee.objects.filter(unit_id=unit)
        expected = orm.order_by("rank_id").values_list("rank_id").annotate(n=Count("pk")).order_by("rank_id")
        assert sorted(counts, key=lambda r: (r[0] is not None, r[0] or 0)) == sorted(
            expected, key=lambda r: (r[0] is not None, r[0] or 0)
        )
        assert rows == list(orm.order_by("name", "pk").values_list("pk", "nip", "unit__name")[:2])
        seen += len(rows)
    assert seen >= 3
