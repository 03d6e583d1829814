"""The two shortcuts `asn_portal.api_serializers.install()` puts in DRF (issue #13): a ModelSerializer's fields are
built once per class and language and copied per serializer, and a list resolves the current time zone once. Both
must give exactly what DRF gives: the same fields (class, arguments, labels, validators, choices) for every
ModelSerializer of the project in both languages, fields never shared between two serializers, a class that builds
its fields itself built as before, and the same datetimes in any active time zone."""

from __future__ import annotations

import datetime as dt
import types
import zoneinfo
from typing import Any

import pytest
from django.utils import timezone, translation
from django.utils.functional import Promise
from rest_framework import fields, serializers

from asn_portal import api_serializers
from asn_portal.api_serializers import RowListSerializer, list_timezone
from people.models import Employee, PositionHistory

pytestmark = pytest.mark.django_db  # a field's repr shows its queryset's rows


def _all_subclasses(cls: type) -> list[type]:
    out: list[type] = []
    sub: type
    for sub in cls.__subclasses__():
        out += [sub, *_all_subclasses(sub)]
    return out


def _project_model_serializers() -> list[type[serializers.ModelSerializer[Any]]]:
    import asn_portal.urls  # noqa: F401 - every app's API module (and serializers) imported

    found = [
        cls
        for cls in _all_subclasses(serializers.ModelSerializer)
        if not cls.__module__.startswith(("rest_framework", "drf_spectacular", "tests."))
        and getattr(getattr(cls, "Meta", None), "model", None) is not None
    ]
    assert len(found) > 40
    return found


def _describe(field: fields.Field) -> Any:
    """Everything a field holds after being built, comparable between two builds."""
    if isinstance(field, serializers.ListSerializer):
        return ("list", type(field), field._kwargs.keys(), _describe(field.child))  # type: ignore[arg-type]
    if isinstance(field, serializers.Serializer):
        return ("serializer", type(field), {n: _describe(f) for n, f in field.fields.items()})
    state = {}
    for key, value in vars(field).items():
        if key in ("_args", "_kwargs", "_creation_counter", "parent"):  # a new counter per copy, as DRF's deepcopy
            continue
        if isinstance(value, fields.Field):
            state[key] = _describe(value)
        elif key in ("validators", "_validators"):
            state[key] = [(type(v), getattr(v, "limit_value", None), str(getattr(v, "message", ""))) for v in value]
        elif isinstance(value, types.FunctionType):  # made in __init__ (a new closure per field)
            state[key] = value.__code__
        elif key == "queryset" and value is not None:
            state[key] = (type(value), value.model)
        else:
            state[key] = str(value) if isinstance(value, Promise) else value
    return (type(field), repr(field), state)


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_model_serializer_gets_the_fields_drf_builds(language: str) -> None:
    with translation.override(language):
        for cls in _project_model_serializers():
            cached = cls().get_fields()
            cached_again = cls().get_fields()
            built = api_serializers._drf_get_fields(cls())
            assert {n: _describe(f) for n, f in cached.items()} == {n: _describe(f) for n, f in built.items()}, cls
            assert list(cached) == list(built), cls
            for name, field in cached.items():
                assert field is not cached_again[name], (cls, name)
                assert field.parent is None and field.field_name is None, (cls, name)


def test_the_fields_are_not_shared_between_serializers() -> None:
    from people.api.serializers import EmployeeDetailSerializer

    first, second = EmployeeDetailSerializer(), EmployeeDetailSerializer()
    first.fields["unit"].queryset = Employee.objects.none()  # what a view may do to its own serializer
    assert second.fields["unit"].queryset is not first.fields["unit"].queryset
    assert second.fields["position_history"].child is not first.fields["position_history"].child
    assert second.fields["name"].parent is second and first.fields["name"].parent is first
    assert second.fields["nip"].validators is not first.fields["nip"].validators


def test_a_class_that_builds_its_own_fields_is_built_per_serializer() -> None:
    calls: list[str] = []

    class OwnBuilder(serializers.ModelSerializer[PositionHistory]):
        class Meta:
            model = PositionHistory
            fields = ["id", "position_title"]

        def build_field(self, *args: Any, **kwargs: Any) -> Any:
            calls.append("built")
            return super().build_field(*args, **kwargs)

    OwnBuilder().get_fields()
    OwnBuilder().get_fields()
    assert len(calls) == 4
    assert not any(key[0] is OwnBuilder for key in api_serializers._built)


class _Stamped(serializers.Serializer[Any]):
    at = serializers.DateTimeField()
    fixed = serializers.DateTimeField(default_timezone=zoneinfo.ZoneInfo("Asia/Jayapura"))
    naive = serializers.DateTimeField()


_ROWS = [
    {
        "at": dt.datetime(2026, 11, 30, 23, 59, tzinfo=dt.UTC),
        "fixed": dt.datetime(2026, 1, 1, 0, 0, tzinfo=dt.UTC),
        "naive": dt.datetime(2026, 6, 1, 12, 0),
    },
    {"at": None, "fixed": dt.datetime(2026, 1, 1, 17, 0, tzinfo=dt.UTC), "naive": dt.datetime(2026, 6, 1, 0, 0)},
]


def _per_value(zone: Any) -> list[dict[str, Any]]:
    """DRF's own rule, value by value, with `zone` current."""
    with timezone.override(zone):
        return [{name: _Stamped().fields[name].to_representation(row[name]) for name in row} for row in _ROWS]


@pytest.mark.parametrize("zone", ["Asia/Jakarta", "Asia/Makassar", "UTC"])
def test_a_list_writes_datetimes_in_the_current_zone_as_drf(zone: str) -> None:
    expected = _per_value(zoneinfo.ZoneInfo(zone))
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        assert _Stamped(_ROWS, many=True).data == expected
        assert RowListSerializer(child=_Stamped()).to_representation(_ROWS) == expected
        with list_timezone():
            assert [_Stamped(row).data for row in _ROWS] == expected
    assert expected[0]["fixed"] == "2026-01-01T09:00:00+09:00"


def test_the_zone_is_resolved_per_list_not_kept() -> None:
    with timezone.override(zoneinfo.ZoneInfo("Asia/Jakarta")):
        jakarta = _Stamped(_ROWS, many=True).data
    with timezone.override(zoneinfo.ZoneInfo("Asia/Makassar")):
        makassar = _Stamped(_ROWS, many=True).data
    assert jakarta[0]["at"] == "2026-12-01T06:59:00+07:00"
    assert makassar[0]["at"] == "2026-12-01T07:59:00+08:00"
    assert api_serializers._list_zone.get() is api_serializers._UNSET


def test_an_api_request_writes_datetimes_in_the_zone_current_when_it_began() -> None:
    from rest_framework.response import Response
    from rest_framework.test import APIRequestFactory
    from rest_framework.views import APIView

    class Stamps(APIView):
        authentication_classes: list[Any] = []
        permission_classes: list[Any] = []

        def get(self, request: Any) -> Response:
            by_hand = [{name: _Stamped().fields[name].to_representation(row[name]) for name in row} for row in _ROWS]
            return Response({"one": _Stamped(_ROWS[0]).data, "by_hand": by_hand})

    for zone in ("Asia/Makassar", "Asia/Jayapura"):
        expected = _per_value(zoneinfo.ZoneInfo(zone))
        with timezone.override(zoneinfo.ZoneInfo(zone)):
            response = Stamps.as_view()(APIRequestFactory().get("/"))
        assert response.data == {"one": expected[0], "by_hand": expected}
    assert api_serializers._list_zone.get() is api_serializers._UNSET
