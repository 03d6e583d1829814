"""The head's pending requests on "Pelatihan tim" are written in one pass (`training_tables.team_request_rows`,
issue #13): the same HTML as the template loop it replaced, in both languages, with characters that need escaping."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.template import engines
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.people.factories import EmployeeFactory

from .factories import OfferingFactory, enrolled

pytestmark = pytest.mark.django_db

# The loop of training/team.html before the one-pass tag (the oracle).
_LOOP = engines["django"].from_string(
    """{% load i18n %}{% translate "Setujui" as t_approve %}{% translate "Alasan" as t_reason %}"""
    """{% translate 'Alasan penolakan' as t_reason_ph %}{% translate "Tolak" as t_decline %}"""
    """{% url 'training:team' as team_url %}"""
    """<tbody>{% for e in requests %}<tr><td>{{ e.employee.full_name }}<div class="small text-body-secondary">"""
    """{{ e.employee.unit.name }}</div></td>
<td><a href="{% url 'training:offering-detail' e.offering_id %}">{{ e.offering.course.title }} – """
    """{{ e.offering.name }}</a><div class="small">{{ e.offering.start_date|date:"DATE_FORMAT" }}</div></td>
<td><div class="d-flex flex-wrap gap-1">
<form method="post" action="{% url 'training:enrollment-action' e.pk 'approve' %}">{% csrf_token %}<input """
    """type="hidden" name="next" value="{{ team_url }}"><button class="btn btn-success btn-sm" type="submit">"""
    """{{ t_approve }}</button></form>
<form method="post" action="{% url 'training:enrollment-action' e.pk 'decline' %}" class="d-flex gap-1">"""
    """{% csrf_token %}<input type="hidden" name="next" value="{{ team_url }}"><label class="visually-hidden" """
    """for="reason-{{ e.pk }}">{{ t_reason }}</label><input id="reason-{{ e.pk }}" name="reason" required """
    """class="form-control form-control-sm" placeholder="{{ t_reason_ph }}"><button class="btn btn-outline-danger """
    """btn-sm" type="submit">{{ t_decline }}</button></form>
</div></td></tr>{% empty %}<tr><td colspan="3">{% include "partials/empty.html" with """
    """message=_("Tidak ada permohonan.") %}</td></tr>{% endfor %}</tbody>"""
)


def _requests_tbody(html: str) -> str:
    table = html[html.index('data-testid="requests"') :]
    return table[table.index("<tbody>") : table.index("</tbody>") + len("</tbody>")]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_team_request_rows_equal_the_template_loop(org: Any, lang: str) -> None:
    offering = OfferingFactory(
        course__agency=org.agency, course__title="Diklat <PIM> & \"Etika\" 'ASN'", name="Angkatan <1>"
    )
    for emp in (org.staff, org.bidang_staff, EmployeeFactory(unit=org.dinas, name="O'Neil & <Sari>")):
        enrolled(offering, emp, status="requested")
    c = Client()
    c.force_login(org.head.user)
    c.cookies["django_language"] = lang
    response = c.get(reverse("training:team"), HTTP_ACCEPT_LANGUAGE=lang)
    html = response.content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert token is not None
    requests = response.context["requests"]
    assert len(requests) == 3
    with translation.override(lang):
        expected = _LOOP.render({"requests": requests, "csrf_token": token.group(1)})
    assert _requests_tbody(html) == expected
    assert "O&#x27;Neil &amp; &lt;Sari&gt;" in expected and "/approve/" in expected


def test_no_requests_shows_the_empty_note(org: Any) -> None:
    c = Client()
    c.force_login(org.head.user)
    html = c.get(reverse("training:team")).content.decode()
    assert _requests_tbody(html) == _LOOP.render({"requests": [], "csrf_token": "x"})
