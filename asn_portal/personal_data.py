"""Rows for an employee's copy of their own data (UU PDP 27/2022 Pasal 7 and 13): every app's exporter
turns its querysets into JSON-ready dicts here, so the whole ZIP follows one format: dates ISO 8601,
enums as {"code", "label"}, related rows as {"id", "label"}, files as their original name only."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import models


def value(obj: models.Model, field: models.Field[Any, Any]) -> Any:
    """One field of a row, as it reads in the export."""
    if isinstance(field, models.ForeignKey):
        related_id = getattr(obj, field.attname)
        if related_id is None:
            return None
        return {"id": related_id, "label": str(getattr(obj, field.name))}
    raw = getattr(obj, field.attname)
    if isinstance(field, models.FileField):
        return bool(raw)
    if field.choices and raw not in (None, ""):
        return {"code": raw, "label": str(dict(field.flatchoices).get(raw, raw))}
    return plain(raw)


def plain(raw: Any) -> Any:
    if isinstance(raw, dt.datetime | dt.date | dt.time):
        return raw.isoformat()
    if isinstance(raw, decimal.Decimal):
        return str(raw)
    if isinstance(raw, uuid.UUID):
        return str(raw)
    if isinstance(raw, dict):
        return {str(k): plain(v) for k, v in raw.items()}
    if isinstance(raw, list | tuple):
        return [plain(v) for v in raw]
    return raw


def rows(queryset: Iterable[models.Model], *, exclude: Iterable[str] = ()) -> list[dict[str, Any]]:
    """Every concrete field of each row except `exclude` (secrets, other people's private notes).
    Pass the queryset with `select_related` for the foreign keys it names, so labels cost no query."""
    skip = set(exclude)
    out = []
    for obj in queryset:
        fields = [f for f in obj._meta.concrete_fields if f.name not in skip]
        out.append({f.name: value(obj, f) for f in fields})
    return out
