"""Texts stored as a catalogue message and its parameters (e.g. a KP rule's reason kept in a queue entry),
rendered in the reader's language when shown. A stored entry is a dict with `message` (the Indonesian
catalogue text, `{name}` placeholders) and `params`; by name, `*_date` is an ISO date, `*_num` a decimal,
`*_label` a catalogue text, and a list holds nested `{message, params}` parts joined by "; ". Older entries
without `message` show their stored `reason` as written."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import formats
from django.utils.translation import gettext


def rule_text(entry: Any) -> str:
    """`entry` ({message, params} or {reason}) in the active language."""
    if not isinstance(entry, dict):
        return str(entry or "")
    message = entry.get("message")
    if not message:
        return str(entry.get("reason", ""))
    params = {k: _param(k, v) for k, v in (entry.get("params") or {}).items()}
    try:
        return gettext(message).format(**params)
    except (KeyError, IndexError, ValueError):  # a translation that names another placeholder
        return str(message).format(**params)


def _param(key: str, value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(rule_text(part) for part in value)
    if isinstance(value, dict):
        return rule_text(value)
    if key.endswith("_date") and value:
        return formats.date_format(dt.date.fromisoformat(str(value)), "SHORT_DATE_FORMAT")
    if key.endswith("_num") and value not in (None, ""):
        return formats.number_format(Decimal(str(value)), 2, use_l10n=True)
    if key.endswith("_label") and value:
        return gettext(str(value))
    return str(value)
