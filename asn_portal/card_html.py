"""The home cards' HTML, rendered once per distinct content (issue #13).

A card template is a pure function of its context (`card`), the language, the time zone and the day: it reads
nothing else (no request, user, CSRF token or session) and runs no query. So its HTML is kept per process,
keyed by the content itself — every value the context holds, field by field (models with the fields and related
objects loaded, dataclasses, lists, dicts, numbers, texts, dates) — and never by who asked. Two users whose
cards hold the same values share the HTML; any changed value is a different key. A context holding anything
else (a set, a form, an unknown object) is rendered every time, and so is a card whose rendering ran a query
(it read something the key does not hold). The figures themselves are still read live on every request.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Model
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe

MAX_ENTRIES = 4096
_memo: OrderedDict[Any, str] = OrderedDict()
_lock = threading.Lock()


class _Unkeyable(Exception):
    pass


def _key(value: Any, depth: int = 0) -> Any:
    """A hashable, order-preserving description of everything `value` holds (raises _Unkeyable)."""
    if depth > 12:
        raise _Unkeyable
    if value is None or isinstance(value, bool | int | str):
        return (type(value).__name__, value)
    if isinstance(value, Decimal | float):
        return (type(value).__name__, repr(value))  # Decimal("1.0") and Decimal("1.00") render differently
    if isinstance(value, dt.date | dt.time):  # datetime is a date
        return (type(value).__name__, value.isoformat())
    if isinstance(value, Promise):
        return ("lazy", str(value))
    if isinstance(value, dict):
        return ("dict", tuple((_key(k, depth + 1), _key(v, depth + 1)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return (type(value).__name__, tuple(_key(v, depth + 1) for v in value))
    return _object_key(value, depth)


def _object_key(value: Any, depth: int) -> Any:
    if isinstance(value, Model):
        if value.__dict__.get("_prefetched_objects_cache"):
            raise _Unkeyable  # prefetched lists a template could read without a query
        fields = tuple((name, _key(v, depth + 1)) for name, v in value.__dict__.items() if not name.startswith("_"))
        related = tuple((name, _key(v, depth + 1)) for name, v in value._state.fields_cache.items())
        return ("model", value._meta.label, fields, related)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (
            "dataclass",
            type(value).__qualname__,
            type(value).__module__,
            tuple((f.name, _key(getattr(value, f.name), depth + 1)) for f in dataclasses.fields(value)),
        )
    raise _Unkeyable


@contextmanager
def _queries_seen() -> Iterator[list[int]]:
    seen: list[int] = []

    def spy(execute: Any, sql: Any, params: Any, many: Any, context: Any) -> Any:
        seen.append(1)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(spy):
        yield seen


def card_html(template_name: str, ctx: dict[str, Any]) -> SafeString:
    """The card's HTML (`template_name` rendered with `card=ctx`), from the memo when the same content was
    rendered before in this language, time zone and day."""
    try:
        key: Any = (
            template_name,
            translation.get_language(),
            timezone.get_current_timezone_name(),
            timezone.localdate().isoformat(),
            _key(ctx),
        )
        hash(key)
    except (_Unkeyable, TypeError):
        key = None
    if key is not None:
        with _lock:
            html = _memo.get(key)
            if html is not None:
                _memo.move_to_end(key)
                return mark_safe(html)  # noqa: S308 - the template's own escaped output
    with _queries_seen() as seen:
        html = get_template(template_name).render({"card": ctx})
    if key is not None and not seen:
        with _lock:
            _memo[key] = html
            while len(_memo) > MAX_ENTRIES:
                _memo.popitem(last=False)
    return mark_safe(html)  # noqa: S308 - the template's own escaped output


def clear() -> None:
    with _lock:
        _memo.clear()
