"""The base layout's cheap paths (issue #13): `{% frozen %}` runs render exactly what their content renders, once
per language / URL conf / script prefix / current app, and refuse anything that depends on the request; the
bell's precompiled unread count equals the ORM's count."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.template import Context, Template, TemplateSyntaxError, engines
from django.template.loader import get_template
from django.test import RequestFactory
from django.urls import resolve, set_script_prefix
from django.utils import timezone, translation

from asn_portal.context_processors import unread_count
from asn_portal.models import Notification
from asn_portal.templatetags import portal_builtins
from tests.people.factories import UserFactory

_CONTENT = (
    "<a href=\"{% url 'home' %}\">{% translate \"Beranda\" %}</a> {% translate 'Keluar' %}"
    "<link href=\"{% static 'css/app.css' %}\"> <form action=\"{% url 'set_language' %}\">"
    '<a href="{% url \'admin:index\' %}">{% translate "Bahasa" %}</a>'
)


def _render(source: str, lang: str, autoescape: bool = True) -> str:
    template = engines["django"].from_string("{% load static i18n %}" + source)
    request = RequestFactory().get("/")
    with translation.override(lang):
        return str(template.template.render(Context({"request": request}, autoescape=autoescape)))


@pytest.mark.parametrize("lang", ["id", "en"])
def test_frozen_renders_what_its_content_renders(lang: str) -> None:
    plain = _render(_CONTENT, lang)
    frozen = "{% frozen %}" + _CONTENT + "{% endfrozen %}"
    assert _render(frozen, lang) == plain  # first render
    assert _render(frozen, lang) == plain  # from the store


def test_frozen_keeps_one_output_per_language_and_script_prefix() -> None:
    portal_builtins._frozen.clear()
    template = engines["django"].from_string(
        "{% load i18n %}{% frozen %}{% translate 'Keluar' %} {% url 'home' %}{% endfrozen %}"
    )
    request = RequestFactory().get("/")
    seen = {}
    for prefix in ("/", "/portal/"):
        set_script_prefix(prefix)
        try:
            for lang in ("id", "en", "id"):
                with translation.override(lang):
                    seen[(prefix, lang)] = template.render({}, request=request)
        finally:
            set_script_prefix("/")
    assert seen[("/", "id")] == "Keluar /"
    assert seen[("/", "en")] != seen[("/", "id")] and seen[("/", "en")].endswith(" /")
    assert seen[("/portal/", "id")] == "Keluar /portal/"


@pytest.mark.parametrize(
    "content",
    [
        "{{ user }}",
        "{% translate greeting %}",
        "{% translate 'x' as y %}",
        "{% translate 'x'|upper %}",
        "{% url 'employee-detail' employee.pk %}",
        "{% url 'home' as home %}",
        "{% static path %}",
        "{% csrf_token %}",
        "{% if user.is_staff %}x{% endif %}",
        "{% block b %}{% endblock %}",
    ],
)
def test_frozen_refuses_content_that_depends_on_the_request(content: str) -> None:
    with pytest.raises(TemplateSyntaxError):
        Template("{% load static i18n %}{% frozen %}" + content + "{% endfrozen %}")


def _normalised(html: str) -> str:
    html = re.sub(r'(csrfmiddlewaretoken" value=")[^"]+', r"\1X", html)
    html = re.sub(r'("X-CSRFToken": ")[^"]+', r"\1X", html)
    return re.sub(r'nonce="[^"]+"', 'nonce="X"', html)


def _request(user: Any, path: str) -> Any:
    request = RequestFactory().get(path, secure=True)
    request.user = user
    request.resolver_match = resolve(path)
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_layout_equals_the_layout_without_frozen_runs(org: Any, lang: str) -> None:
    """templates/base.html for staff, a head, an admin and a superuser (menus and the staff-only entry differ), with
    and without unread notifications, equals the same template with its `{% frozen %}` tags taken out."""
    source = (settings.BASE_DIR / "templates" / "base.html").read_text()
    plain = engines["django"].from_string(source.replace("{% frozen %}", "").replace("{% endfrozen %}", ""))
    assert plain.template.source != source  # the layout really uses frozen runs
    layout = get_template("base.html")
    superuser = UserFactory(is_superuser=True, is_staff=True)
    Notification.objects.create(user=org.head.user, title="baru")
    with translation.override(lang):
        for user in (org.staff.user, org.head.user, org.admin.user, superuser):
            for path in ("/", "/notifikasi/"):
                for _ in range(2):  # the first render fills the store, the second reads it
                    ours = _normalised(layout.render({}, request=_request(user, path)))
                    theirs = _normalised(plain.render({}, request=_request(user, path)))
                    assert ours == theirs
                    assert f'<html lang="{lang}">' in ours and ours.endswith("</html>\n")


@pytest.mark.django_db
def test_unread_count_equals_the_orm_count(org: Any) -> None:
    staff, head, admin = org.staff.user, org.head.user, org.admin.user
    now = timezone.now()
    Notification.objects.bulk_create(
        [Notification(user=staff, title=f"n{i}") for i in range(3)]
        + [Notification(user=staff, title="read", read_at=now), Notification(user=head, title="read", read_at=now)]
    )
    for user in (staff, head, admin):
        orm = Notification.objects.filter(user=user, read_at__isnull=True).count()
        assert unread_count(user.pk) == orm
    assert unread_count(staff.pk) == 3 and unread_count(head.pk) == 0


def test_frozen_follows_a_language_switch_inside_one_render() -> None:
    template = engines["django"].from_string(
        "{% load i18n %}{% frozen %}{% translate 'Keluar' %}{% endfrozen %}|"
        "{% language 'en' %}{% frozen %}{% translate 'Keluar' %}{% endfrozen %}{% endlanguage %}"
    )
    with translation.override("id"):
        first, second = template.render({}, request=RequestFactory().get("/")).split("|")
    assert first == "Keluar"
    with translation.override("en"):
        assert second == str(translation.gettext("Keluar"))
