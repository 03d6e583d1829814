"""Reading ids that pages send outside a Django form (`request.POST["item"]`, `?unit=`)."""

from __future__ import annotations

import re

_ID = re.compile(r"[0-9]{1,18}")


def int_or_none(raw: object) -> int | None:
    """`"12"` -> 12; anything else (`"abc"`, `""`, `"-1"`, `"1.5"`, `"²"`, a NUL byte, 30 digits) -> None,
    so a view answers "not found" or a form error instead of failing on `int()` or in the database."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw if 0 <= raw < 10**18 else None
    if isinstance(raw, str) and _ID.fullmatch(raw):
        return int(raw)
    return None
