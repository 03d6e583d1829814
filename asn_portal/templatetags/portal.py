"""Small template helpers shared by every app."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import QueryDict

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context: dict[str, Any], **kwargs: Any) -> str:
    """The current query string with some parameters replaced (pagination, sorting)."""
    request = context.get("request")
    query: QueryDict = request.GET.copy() if request else QueryDict(mutable=True)
    for key, value in kwargs.items():
        if value is None or value == "":
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


@register.filter
def get_item(mapping: dict[Any, Any] | None, key: Any) -> Any:
    return (mapping or {}).get(key)


@register.filter
def percent(value: Any, digits: int = 1) -> str:
    """Indonesian percentage: 81,5%."""
    if value is None or value == "":
        return "–"
    return f"{float(value):.{digits}f}".replace(".", ",") + "%"
