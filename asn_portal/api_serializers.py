"""A cheaper list serializer for the API lists (issue #13): the same JSON as DRF's `ListSerializer`, with less
work per row.

DRF serializes each row of a list by walking the child serializer's field mapping through a generator, then
calling each field's `get_attribute` (a generic walk over `source_attrs` with Mapping checks, callable checks
and exception translation) and `to_representation`. For a 50-row page of 20 fields that is 1,000 generic
lookups per request. `RowListSerializer` decides once per page how each readable field reads its value:

- a field with DRF's own `get_attribute` and a one-step source reads `getattr(row, source)` directly;
- a `PrimaryKeyRelatedField` (the pk-only case DRF optimises) reads the foreign key column (`employee_id`);
- anything else (dotted sources, `source="*"`, method fields, nested serializers, custom fields) is DRF's
  own `get_attribute`.

Whenever the direct read is not the plain case (a missing attribute, a callable value, a mapping row) the
field takes DRF's path for that value, so errors, defaults and `SkipField` behave exactly as in DRF. A child
serializer that overrides `to_representation` keeps it (rows go through it unchanged).

Use: `class Meta: list_serializer_class = RowListSerializer` on a list endpoint's serializer.

Two costs every serializer of the API paid per request are cut for all of them by `install()` (called from
`AsnPortalConfig.ready()`), without any change in the apps' serializers:

- `ModelSerializer.get_fields` built each field from the model on every request (DRF's `field_mapping`:
  verbose names, choices, validators, ~0.1 ms per field; 3 ms for the employee detail). The built fields are kept
  per serializer class and language and each serializer gets a deep copy of them, which is what DRF itself does
  with a serializer's declared fields. Only classes that build their fields with DRF's own methods are kept (a
  class overriding `build_field`, `get_extra_kwargs`, ... is built as before).
- `DateTimeField.to_representation` looked up the current time zone for every value (~7 us each, an
  `asgiref.local.Local` read). An API request (`APIView.dispatch`) and a list (DRF's `ListSerializer`,
  `RowListSerializer`) resolve it once and their datetime fields use that zone; rows written by hand outside a
  request (a task, a test) can do the same with `list_timezone()`. The portal never activates another zone during
  a request (the zone is settings.TIME_ZONE); code that would must do it before the view runs.
"""

from __future__ import annotations

import contextvars
import copy
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.functional import Promise
from rest_framework import fields, relations, serializers, views
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject
from rest_framework.settings import api_settings

_GENERIC, _ATTR, _FK = 0, 1, 2
_Step = tuple[int, str, str, fields.Field, Callable[[Any], Any]]


def _fk_column(model: type[models.Model] | None, name: str) -> str | None:
    """The column of a forward foreign key `name` on `model` (`employee` -> `employee_id`), else None."""
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - not a model field (property, annotation): DRF's path
        return None
    if not isinstance(field, models.ForeignKey):  # ForeignKey and OneToOneField: a column of this table
        return None
    return str(field.attname) if field.attname != name else None


def _plan(child: serializers.Serializer[Any]) -> list[_Step]:
    model = getattr(getattr(child, "Meta", None), "model", None)
    steps: list[_Step] = []
    for field in child._readable_fields:
        attrs = field.source_attrs
        kind, attr = _GENERIC, ""
        if len(attrs) == 1:
            if type(field) is relations.PrimaryKeyRelatedField and field.pk_field is None:
                column = _fk_column(model, attrs[0])
                if column is not None:
                    kind, attr = _FK, column
            elif type(field).get_attribute is fields.Field.get_attribute:
                kind, attr = _ATTR, attrs[0]
        steps.append((kind, str(field.field_name), attr, field, field.to_representation))
    return steps


def _row(steps: list[_Step], instance: Any) -> dict[str, Any]:
    ret: dict[str, Any] = {}
    plain = not isinstance(instance, Mapping)
    for kind, name, attr, field, represent in steps:
        if kind == _FK and plain:
            try:
                pk = getattr(instance, attr)
            except AttributeError:
                pass
            else:
                ret[name] = pk  # DRF: PKOnlyObject(pk).pk, None stays None
                continue
        if kind == _ATTR and plain:
            try:
                value = getattr(instance, attr)
            except Exception:  # noqa: BLE001 - DRF's path below raises or defaults exactly as DRF does
                pass
            else:
                if not callable(value):
                    ret[name] = None if value is None else represent(value)
                    continue
        try:
            attribute = field.get_attribute(instance)
        except SkipField:
            continue
        check_for_none = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
        ret[name] = None if check_for_none is None else represent(attribute)
    return ret


class RowListSerializer(serializers.ListSerializer[Any]):
    """DRF's list serializer with each field's way of reading a row decided once per page (see the module)."""

    def to_representation(self, data: Any) -> list[Any]:
        iterable = data.all() if isinstance(data, models.manager.BaseManager) else data
        child = self.child
        assert child is not None
        if type(child).to_representation is not serializers.Serializer.to_representation:
            return [child.to_representation(item) for item in iterable]
        steps = _plan(child)  # type: ignore[arg-type]
        with list_timezone():
            return [_row(steps, item) for item in iterable]


# --- Model serializer fields built once per class and language --------------------------------------------------

# The ModelSerializer methods `get_fields` builds the fields with: a class that overrides any of them (outside DRF)
# may build them from the request or the instance, so its fields are built per serializer as DRF does.
_BUILDERS = (
    "get_field_names",
    "get_default_field_names",
    "build_field",
    "build_standard_field",
    "build_relational_field",
    "build_nested_field",
    "build_property_field",
    "build_url_field",
    "build_unknown_field",
    "include_extra_kwargs",
    "get_extra_kwargs",
    "get_uniqueness_extra_kwargs",
)
_drf_get_fields = serializers.ModelSerializer.get_fields
_REGEX = re.Pattern
_standard: dict[type, bool] = {}
# (serializer class, language) -> the fields DRF built, never bound nor handed out: each serializer gets a copy.
# The language is part of the key: DRF decides whether a field carries an explicit label by comparing its verbose
# name in the active language, and formats a unique field's error message in it.
_built: dict[tuple[type, str | None], dict[str, fields.Field]] = {}


def _builds_like_drf(cls: type) -> bool:
    known = _standard.get(cls)
    if known is None:
        known = _standard[cls] = all(getattr(cls, name).__module__ == serializers.__name__ for name in _BUILDERS)
    return known


def model_serializer_fields(self: serializers.ModelSerializer[Any]) -> dict[str, fields.Field]:
    """`ModelSerializer.get_fields`, built once per class and language and deep-copied per serializer (the same
    fields, kwargs and validators DRF builds; DRF deep-copies declared fields the same way)."""
    cls = type(self)
    if not _builds_like_drf(cls):
        return _drf_get_fields(self)
    if self.url_field_name is None:  # what DRF's get_fields sets on the serializer first
        self.url_field_name = api_settings.URL_FIELD_NAME  # type: ignore[misc]
    key = (cls, translation.get_language())
    built = _built.get(key)
    if built is None:
        built = _built[key] = _drf_get_fields(self)
    return {name: _clone(field) for name, field in built.items()}


# Values a field's kwargs share between copies as they are (immutable): DRF's deepcopy returns the same object for
# them anyway (lazy translations copy to themselves), it only takes longer to find out.
_ATOMIC = frozenset({str, int, float, bool, type(None), Decimal, type, Promise})


def _copy_value(value: Any) -> Any:
    kind = type(value)
    if kind in _ATOMIC or isinstance(value, Promise | models.manager.BaseManager):
        # A manager (a relation's `queryset`) is shared too: DRF passes the model's own `_default_manager` to every
        # field it builds, and a field reads it through `.all()`.
        return value
    if kind is tuple:
        return tuple(_copy_value(v) for v in value)
    if kind is list:
        return [_copy_value(v) for v in value]
    if kind is dict:
        return {_copy_value(k): _copy_value(v) for k, v in value.items()}
    if isinstance(value, fields.Field) and type(value).__deepcopy__ is fields.Field.__deepcopy__:
        return _clone(value)
    return copy.deepcopy(value)


def _clone(field: fields.Field) -> fields.Field:
    """`copy.deepcopy(field)` as DRF's `Field.__deepcopy__` does it (a new field from the arguments it was created
    with, each copied, regexes and validators shared), several times faster: immutable values are not walked."""
    if type(field).__deepcopy__ is not fields.Field.__deepcopy__:
        return copy.deepcopy(field)
    args = [v if isinstance(v, _REGEX) else _copy_value(v) for v in field._args]  # type: ignore[attr-defined]
    kwargs = {
        key: value if key in ("validators", "regex") else _copy_value(value)
        for key, value in field._kwargs.items()  # type: ignore[attr-defined]
    }
    return type(field)(*args, **kwargs)


# --- The current time zone resolved once per list -------------------------------------------------------------------

_UNSET: Any = object()
_list_zone: contextvars.ContextVar[Any] = contextvars.ContextVar("asn_portal_list_timezone", default=_UNSET)
_drf_default_timezone = fields.DateTimeField.default_timezone
_drf_list_to_representation = serializers.ListSerializer.to_representation
_drf_dispatch = views.APIView.dispatch


@contextmanager
def list_timezone() -> Iterator[None]:
    """Within the block, every `DateTimeField` without its own `default_timezone` uses the time zone that was
    current when the block began (DRF's default, resolved once instead of once per value)."""
    if _list_zone.get() is not _UNSET:  # a nested list: the outer one resolved it
        yield
        return
    token = _list_zone.set(timezone.get_current_timezone() if settings.USE_TZ else None)
    try:
        yield
    finally:
        _list_zone.reset(token)


def _default_timezone(self: fields.DateTimeField) -> Any:
    zone = _list_zone.get()
    return _drf_default_timezone(self) if zone is _UNSET else zone


def _list_to_representation(self: serializers.ListSerializer[Any], data: Any) -> Any:
    with list_timezone():
        return _drf_list_to_representation(self, data)


def _dispatch(self: views.APIView, request: Any, *args: Any, **kwargs: Any) -> Any:
    with list_timezone():
        return _drf_dispatch(self, request, *args, **kwargs)


def install() -> None:
    """Put the two shortcuts above in DRF's classes (once, at start-up)."""
    serializers.ModelSerializer.get_fields = model_serializer_fields  # type: ignore[method-assign,assignment]
    fields.DateTimeField.default_timezone = _default_timezone  # type: ignore[method-assign]
    serializers.ListSerializer.to_representation = _list_to_representation  # type: ignore[method-assign]
    views.APIView.dispatch = _dispatch  # type: ignore[method-assign]
