"""The "Data pribadi saya" panel on one's own profile: links to the copy of one's data and to corrections."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def my_privacy_panel(request: HttpRequest, employee: Any = None, **_kwargs: Any) -> dict[str, Any] | None:
    """Only on the person's own profile; nobody else manages another person's rights from here."""
    if employee is None or getattr(request.user, "pk", None) != employee.user_id:
        return None
    return {"employee": employee}
