"""The performance sub-menu, with its links decided by performance.permissions (never by the template)."""

from __future__ import annotations

from typing import Any

from django import template

from performance import permissions

register = template.Library()


@register.inclusion_tag("performance/_subnav.html", takes_context=True)
def performance_subnav(context: dict[str, Any]) -> dict[str, Any]:
    request = context["request"]
    return {"request": request, **permissions.subnav_for(request.user)}
