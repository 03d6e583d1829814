"""The one error type services raise for a refused business action."""

from typing import Any


class ApplicationError(Exception):
    """A business rule refused the action. `message` is shown to the user (Indonesian);
    `extra` carries machine-readable detail (e.g. {"field": "nip", "row": 12})."""

    def __init__(self, message: str, extra: dict[str, Any] | None = None, status: int = 400) -> None:
        super().__init__(message)
        self.message = str(message)
        self.extra = extra or {}
        self.status = status


class ConflictError(ApplicationError):
    """Someone else changed the object first (a compare-and-set found no row in the expected state)."""

    def __init__(self, message: str, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message, extra, status=409)


def check_length(value: str, limit: int, *, field: str, label: str = "") -> str:
    """Refuse text longer than the column instead of cutting it silently; returns the stripped text."""
    from django.utils.translation import gettext as _

    text = (value or "").strip()
    if len(text) > limit:
        message = _("Maksimal %(n)d karakter.") % {"n": limit}
        raise ApplicationError(f"{label}: {message}" if label else message, {"field": field, "max_length": limit})
    return text
