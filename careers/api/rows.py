"""Flat API list rows built from `values()` (issue #13): the same fields and the same JSON as the list
serializers, without a model instance and a serializer field walk per row.

`FlatRows(SerializerClass)` reads the serializer's fields once: the `values()` key of each field is its source
(`employee.name` -> `employee__name`; a foreign key's source is its id), and its representation is the field's own
`to_representation` for dates, times and decimals (the same ISO strings and quantised decimals) and the value itself
for plain strings, integers, booleans, choices and primary keys. Computed fields (a `SerializerMethodField`, a
nested list) are given as functions of the row. Tests check each builder against its serializer's output for the
same objects (tests/careers/test_api_rows.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from rest_framework import serializers

_PLAIN = (
    serializers.CharField,
    serializers.ChoiceField,
    serializers.IntegerField,
    serializers.BooleanField,
    serializers.PrimaryKeyRelatedField,
)
Row = dict[str, Any]


class FlatRows:
    """The rows of one list serializer from `values()` dicts (see the module docstring)."""

    def __init__(
        self,
        serializer_class: type[serializers.Serializer[Any]],
        *,
        computed: Mapping[str, Callable[[Row], Any]] | None = None,
        needs: Iterable[str] = (),
    ) -> None:
        self.serializer_class = serializer_class
        self.computed = dict(computed or {})
        self.needs = tuple(needs)
        self._plan: list[tuple[str, str, Callable[[Any], Any] | None]] | None = None
        self._order: list[str] = []

    @property
    def plan(self) -> list[tuple[str, str, Callable[[Any], Any] | None]]:
        """(output name, `values()` key, converter or None for the value itself), built once per process."""
        if self._plan is None:
            fields = self.serializer_class().fields
            self._order = list(fields)
            self._plan = [
                (
                    name,
                    (field.source or name).replace(".", "__"),
                    None if type(field) in _PLAIN else field.to_representation,
                )
                for name, field in fields.items()
                if name not in self.computed
            ]
        return self._plan

    def value_keys(self) -> list[str]:
        """The `values()` keys the rows need (serializer sources and the computed fields' inputs)."""
        return list(dict.fromkeys([key for _, key, _ in self.plan] + list(self.needs)))

    def rows(self, values: Iterable[Row]) -> list[Row]:
        """One JSON-ready dict per `values()` row, in the serializer's field order."""
        plan, computed, order = self.plan, self.computed, self._order
        out = []
        for v in values:
            row: Row = {}
            for name, key, convert in plan:
                value = v[key]
                row[name] = value if convert is None or value is None else convert(value)
            if computed:
                for name, fn in computed.items():
                    row[name] = fn(v)
                row = {name: row[name] for name in order}
            out.append(row)
        return out
