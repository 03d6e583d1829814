"""Keyset pagination for the API lists that grow with the workforce (issue #13).

`PageNumberPagination` counts every visible row on each request (`SELECT COUNT(*)` over 50,000 SKPs or
ledger rows) and walks an OFFSET that grows with the page number. `KeysetPagination` never counts: it keeps the
list's own ordering (the viewset's `order_by`, made unique with the primary key), fetches one row more than a
page to know whether there is a next one, and encodes the last row's sort values in an opaque `cursor`; the next
page is `WHERE (sort values) > (cursor)`, which an index on the sort columns answers directly however deep the
client reads. Response: `{"next": <url or null>, "results": [...]}`. Rows may be model instances or
`values()` dicts (a lean list selects its ordering columns among the values).

Ordering columns must be NOT NULL (a NULL has no place in a keyset comparison); a list ordered by a nullable
column falls back to newest first (`-pk`), which is also what a list without an ordering gets."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from .params import int_or_none

FALLBACK_ORDERING = ("-pk",)


def _not_null_path(model: type[Model], path: str) -> bool:
    """True when every field along `path` (e.g. `employee__name`) is NOT NULL."""
    for part in path.split("__"):
        if part == "pk":
            return True
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return False
        if getattr(field, "null", False) or field.many_to_many or field.one_to_many:
            return False
        if field.is_relation:
            model = field.related_model  # type: ignore[assignment]
    return True


def keyset_ordering(queryset: QuerySet[Any]) -> tuple[str, ...]:
    """The queryset's ordering as plain field names ending in the primary key, or the fallback."""
    ordering = list(queryset.query.order_by or queryset.model._meta.ordering or [])
    if not all(isinstance(o, str) for o in ordering):
        return FALLBACK_ORDERING
    names = [o for o in ordering if o.lstrip("-") not in ("pk", "id")]
    if not all(_not_null_path(queryset.model, o.lstrip("-")) for o in names):
        return FALLBACK_ORDERING
    tail = next((o for o in ordering if o.lstrip("-") in ("pk", "id")), "pk")
    return (*names, "-pk" if tail.startswith("-") else "pk")


def _value(row: Any, path: str) -> Any:
    """A sort value of a page row: a model instance, or a `values()` dict (lean lists), whose keys are the
    ordering paths themselves (`name`, `unit__path`) and `id` for the primary key."""
    if isinstance(row, dict):
        return row["id"] if path == "pk" else row[path]
    for part in path.split("__"):
        row = row.pk if part == "pk" else getattr(row, part)
    return row


def _after(ordering: tuple[str, ...], values: list[str]) -> Q:
    """Rows strictly after `values` in `ordering`: (a > x) OR (a = x AND b > y) OR … (per column direction)."""
    condition = Q(pk__in=[])
    equal = Q()
    for field, value in zip(ordering, values, strict=True):
        name = field.lstrip("-")
        op = "lt" if field.startswith("-") else "gt"
        condition |= equal & Q(**{f"{name}__{op}": value})
        equal &= Q(**{name: value})
    return condition


class KeysetPagination(BasePagination):
    page_size = 50
    max_page_size = 500
    page_size_query_param = "page_size"
    cursor_query_param = "cursor"

    def _page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param, "")
        return min(int(raw), self.max_page_size) if raw.isdecimal() and int(raw) > 0 else self.page_size

    def _decode(self, raw: str | None, width: int) -> list[str] | None:
        if not raw:
            return None
        try:
            values = json.loads(base64.urlsafe_b64decode(raw.encode("ascii")))
        except (ValueError, UnicodeError, binascii.Error):
            values = None
        if not isinstance(values, list) or len(values) != width or not all(isinstance(v, str) for v in values):
            raise exceptions.ValidationError({self.cursor_query_param: [_("Kursor halaman tidak valid.")]})
        return values

    def _start(self, queryset: Any, request: Request) -> tuple[QuerySet[Any], int, list[str] | None]:
        """The list in its unique order from the cursor on: (queryset, page size, the cursor's values or None)."""
        assert isinstance(queryset, QuerySet), "KeysetPagination pages querysets"
        self.request = request
        self.ordering = keyset_ordering(queryset)
        size = self._page_size(request)
        after = self._decode(request.query_params.get(self.cursor_query_param), len(self.ordering))
        queryset = queryset.order_by(*self.ordering)
        if after is not None:
            try:
                queryset = queryset.filter(_after(self.ordering, after))
            except (ValueError, TypeError) as exc:
                raise exceptions.ValidationError({self.cursor_query_param: [_("Kursor halaman tidak valid.")]}) from exc
        return queryset, size, after

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> list[Any]:
        queryset, size, _after_values = self._start(queryset, request)
        rows = list(queryset[: size + 1])
        last = rows[size - 1] if len(rows) > size else None
        self.next_values = None if last is None else [str(_value(last, f.lstrip("-"))) for f in self.ordering]
        return rows[:size]

    def paginate_rows(self, rows: list[Any], request: Request, ordering: tuple[str, ...]) -> list[Any]:
        """`paginate_queryset` for a first page the caller read itself: `rows` in `ordering` (what
        `keyset_ordering` gives for the list's queryset), one more than `page_size(request)` when there is a next
        page."""
        self.request, self.ordering = request, ordering
        size = self.page_size_for(request)
        last = rows[size - 1] if len(rows) > size else None
        self.next_values = None if last is None else [str(_value(last, f.lstrip("-"))) for f in ordering]
        return rows[:size]

    def page_size_for(self, request: Request) -> int:
        return self._page_size(request)

    def get_next_link(self) -> str | None:
        if self.next_values is None:
            return None
        cursor = base64.urlsafe_b64encode(json.dumps(self.next_values).encode()).decode("ascii")
        return replace_query_param(self.request.build_absolute_uri(), self.cursor_query_param, cursor)

    def get_paginated_response(self, data: Any) -> Response:
        return Response({"next": self.get_next_link(), "results": data})

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["results"],
            "properties": {
                "next": {"type": "string", "nullable": True, "format": "uri", "description": _("Halaman berikutnya")},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Opaque cursor from `next`",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Rows per page (max {self.max_page_size})",
                "schema": {"type": "integer"},
            },
        ]


@dataclass
class UncountedPage:
    """One page of an HTML list that grows with the workforce, without counting it (no COUNT over an agency's
    50,000 rows per request): its rows, its number and whether a next page exists (one row more than a page is
    read). Rendered by `templates/partials/uncounted_pager.html` ("Sebelumnya" / "Halaman n" / "Berikutnya")."""

    object_list: list[Any]
    number: int
    has_next: bool

    def __iter__(self) -> Iterator[Any]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


class SlicedRows(Protocol):
    """What `uncounted_page` reads a page from: an ordered queryset, or rows read by window the same way."""

    def __getitem__(self, window: slice, /) -> Any: ...


def uncounted_page(queryset: QuerySet[Any] | SlicedRows, raw_number: object, size: int) -> UncountedPage:
    """Page `raw_number` of an ordered queryset (or `SlicedRows`) in one query; a missing, unusable or absurd
    number is the first or last reachable OFFSET (never an overflow)."""
    number = min(max(int_or_none(raw_number) or 1, 1), 10**6)
    start = (number - 1) * size
    rows = list(queryset[start : start + size + 1])
    return UncountedPage(object_list=rows[:size], number=number, has_next=len(rows) > size)
