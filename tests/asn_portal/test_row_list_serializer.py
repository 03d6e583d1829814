"""`RowListSerializer` (asn_portal.api_serializers) gives the JSON DRF's own ListSerializer gives, for every kind
of field and row: plain columns, foreign keys (set and null), dotted sources, `source="*"`, method fields,
nested serializers, defaults, skipped fields, callables, mapping rows and serializers with their own
`to_representation`; and the learning-records API (its first user) answers the same rows as before."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from rest_framework import serializers

from asn_portal.api_serializers import RowListSerializer
from people.models import Employee
from tests.conftest import api_as
from tests.people.factories import EmployeeFactory
from training.api.serializers import LearningRecordSerializer
from training.models import LearningRecord

pytestmark = pytest.mark.django_db


class _Nested(serializers.Serializer[Any]):
    name = serializers.CharField()


class _Everything(serializers.ModelSerializer[Employee]):
    unit_name = serializers.CharField(source="unit.name")
    unit_again: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        source="unit", read_only=True
    )
    as_text = serializers.SerializerMethodField()
    whole = serializers.CharField(source="*")
    missing_default = serializers.CharField(source="no_such_attribute", default="d", read_only=True)
    missing_null = serializers.CharField(source="no_such_attribute", allow_null=True, read_only=True)
    missing_skipped = serializers.CharField(source="no_such_attribute", required=False, read_only=True)
    callable_value = serializers.CharField(source="get_full_name_for_test", read_only=True)
    nested_unit = _Nested(source="unit", read_only=True)

    class Meta:
        model = Employee
        fields = [
            "id",
            "name",
            "nip",
            "unit",
            "position",
            "rank",
            "unit_name",
            "unit_again",
            "as_text",
            "whole",
            "missing_default",
            "missing_null",
            "missing_skipped",
            "callable_value",
            "nested_unit",
        ]

    def get_as_text(self, obj: Employee) -> str:
        return f"{obj.pk}:{obj.name}"


def _both(serializer: type[serializers.Serializer[Any]], rows: Any, **kwargs: Any) -> tuple[Any, Any]:
    plain = serializer(rows, many=True, **kwargs).data
    fast = RowListSerializer(child=serializer(**kwargs), **kwargs).to_representation(rows)
    return plain, fast


def test_model_rows_serialize_exactly_as_drf() -> None:
    employees = EmployeeFactory.create_batch(3)
    employees[1].position = None
    employees[1].rank = None
    for e in employees:
        e.get_full_name_for_test = lambda e=e: f"called {e.pk}"  # type: ignore[attr-defined]
    plain, fast = _both(_Everything, employees)
    assert fast == plain
    assert fast[1]["position"] is None and fast[0]["unit"] == employees[0].unit_id
    assert fast[0]["callable_value"] == f"called {employees[0].pk}"
    assert "missing_skipped" not in fast[0] and fast[0]["missing_default"] == "d"


def test_mapping_rows_and_custom_to_representation_serialize_exactly_as_drf() -> None:
    class Flat(serializers.Serializer[Any]):
        a = serializers.IntegerField()
        b = serializers.DateField()
        c = serializers.DecimalField(max_digits=6, decimal_places=2)
        d = serializers.CharField(required=False)

    class Custom(Flat):
        def to_representation(self, instance: Any) -> dict[str, Any]:
            return {"custom": instance["a"]}

    rows = [{"a": 1, "b": date(2026, 11, 30), "c": Decimal("2.5")}, {"a": 2, "b": None, "c": None, "d": "x"}]
    for serializer in (Flat, Custom):
        plain, fast = _both(serializer, rows)
        assert fast == plain
    assert _both(Flat, rows)[1][0] == {"a": 1, "b": "2026-11-30", "c": "2.50"}


def test_a_missing_attribute_without_default_fails_as_in_drf() -> None:
    class Broken(serializers.Serializer[Any]):
        nothing = serializers.CharField(source="not_there")

    employee = EmployeeFactory()
    with pytest.raises(AttributeError, match="not_there"):
        RowListSerializer(child=Broken()).to_representation([employee])


def test_learning_records_api_lists_the_same_rows_through_the_row_serializer(org: Any) -> None:
    assert isinstance(LearningRecordSerializer(many=True), RowListSerializer)
    for i in range(3):
        LearningRecord.objects.create(
            employee=org.staff,
            agency=org.agency,
            year=2026,
            date=date(2026, 1, i + 1),
            jp=Decimal("2.5"),
            title=f"Belajar {i}",
            source_type="test",
            source_id=f"r{i}",
        )
    body = api_as(org.admin).get("/api/v1/learning-records/", {"employee": org.staff.pk}).json()
    records = LearningRecord.objects.filter(employee=org.staff).order_by("-date", "-pk")
    child = LearningRecordSerializer(context={"request": None})
    drf: serializers.ListSerializer[Any] = serializers.ListSerializer(child=child)
    assert [r["title"] for r in body["results"]] == ["Belajar 2", "Belajar 1", "Belajar 0"]
    assert body["results"] == drf.to_representation(records)
    assert body["results"][0]["employee"] == org.staff.pk and body["results"][0]["jp"] == "2.50"
