"""Logging filters."""

from __future__ import annotations

import logging


class ShortDatabaseOutage(logging.Filter):
    """While PostgreSQL is down every request fails the same way: log one line naming the fault instead of
    a full traceback (hundreds of kilobytes per request otherwise)."""

    def filter(self, record: logging.LogRecord) -> bool:
        from django.db import InterfaceError, OperationalError

        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, OperationalError | InterfaceError):
            first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            record.msg = f"{record.getMessage()} [database unavailable: {first_line[:300]}]"
            record.args = None
            record.exc_info = None
            record.exc_text = None
        return True
