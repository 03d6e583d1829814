"""Template context for the UI shell: menu for the user's roles and the unread-notification count."""

from typing import Any

from django.db.models import Count
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from . import guide, registry
from .models import Notification
from .precompiled import Param, Statement

# The bell's unread count on every page, compiled once per process (issue #13: building the count's SQL cost
# more than running it). One row (the count) when the user has unread notifications, none otherwise.
_UNREAD = Statement(
    lambda user: (
        Notification.objects.filter(user_id=user, read_at__isnull=True)
        .order_by()
        .values_list("user_id")
        .annotate(n=Count("pk"))
        .values_list("n")
    ),
    user=Param(-13_000_801),
)


def unread_count(user_id: int) -> int:
    """`Notification.objects.filter(user_id=user_id, read_at__isnull=True).count()`, precompiled."""
    rows = _UNREAD.rows(user=user_id)
    return rows[0][0] if rows else 0


# The menu's HTML depends only on the registered menu (fixed at start-up), the user's roles (computed per
# request), the current page and the language: rendered once per combination and process instead of ~20
# entries through the template engine on every page.
_MENU_HTML: dict[tuple[frozenset[str], str, str, str], SafeString] = {}
_MENU_HTML_MAX = 2048


def nav_menu_html(user: Any, view_name: str) -> SafeString:
    """The main menu `<ul>` (templates/partials/nav_menu.html) for this user's roles on this page."""
    key = (registry.roles_of(user), view_name, get_language() or "", get_script_prefix())
    html = _MENU_HTML.get(key)
    if html is None:
        html = render_to_string("partials/nav_menu.html", {"nav_entries": registry.nav_entries(user, view_name)})
        if len(_MENU_HTML) >= _MENU_HTML_MAX:
            _MENU_HTML.clear()
        _MENU_HTML[key] = html
    return html


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def unread() -> int:
        return unread_count(user.pk)

    roles = registry.roles_of(user)
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else ""
    return {
        "nav_items": registry.nav_for(user),
        "nav_menu": lambda: nav_menu_html(user, view_name),  # lazy: only pages showing the menu render it
        "user_roles": roles,
        "unread_notifications": unread,  # lazy: one query only when the template asks
        "help_url": guide.help_url(view_name),  # the "?" icon: this page's guide section
    }
