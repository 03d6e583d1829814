"""Template context for the UI shell: menu for the user's roles and the unread-notification count."""

from typing import Any

from django.http import HttpRequest

from . import guide, registry
from .models import Notification


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def unread() -> int:
        return Notification.objects.filter(user=user, read_at__isnull=True).count()

    roles = registry.roles_of(user)
    match = getattr(request, "resolver_match", None)
    return {
        "nav_items": registry.nav_for(user),
        "nav_entries": registry.nav_entries(user, match.view_name if match else ""),
        "user_roles": roles,
        "unread_notifications": unread,  # lazy: one query only when the template asks
        "help_url": guide.help_url(match.view_name if match else ""),  # the "?" icon: this page's guide section
    }
