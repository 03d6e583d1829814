"""The verification list's rows are written in one pass (`training_tables.verify_rows`, issue #13): the same HTML
as the template loop it replaced, for every kind of row (own record, certificate file or none, hours or none, a
blank format, characters that need escaping), in both languages."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.template import engines
from django.test import Client
from django.urls import reverse
from django.utils import translation

from training.models import LearningRecord

pytestmark = pytest.mark.django_db

# The loop of training/verify.html before the one-pass tag (the oracle).
_LOOP = engines["django"].from_string(
    """{% load i18n %}{% translate "jam" as t_hours %}{% translate "berkas" as t_file %}"""
    """{% translate "Data Anda sendiri: diverifikasi oleh admin BKD lain." as t_own %}"""
    """{% translate "Alasan" as t_reason %}{% translate 'Alasan (wajib bila ditolak)' as t_reason_ph %}"""
    """{% translate "Verifikasi" as t_verify %}{% translate "Tolak" as t_reject %}"""
    """<tbody>{% for r in page_obj %}<tr><td>{{ r.employee.full_name }}<div class="small text-body-secondary">"""
    """{{ r.employee.unit.name }}</div></td>
<td>{{ r.title }}<div class="small">{{ r.get_format_display }} · {{ r.provider }} · {{ r.date|date:"DATE_FORMAT" }}"""
    """{% if r.hours %} · {{ r.hours|floatformat:"-2" }} {{ t_hours }}{% endif %}</div></td>
<td class="text-end">{{ r.jp|floatformat:"-2" }}</td><td class="small">{{ r.certificate_number|default:"–" }}"""
    """{% if r.certificate_file %} <a href="{% url 'training:learning-certificate' r.pk %}">{{ t_file }}</a>"""
    """{% endif %}</td>
<td>{% if not r.may_verify %}<span class="small text-body-secondary" data-testid="own-record-note">{{ t_own }}"""
    """</span>{% else %}<form method="post" class="d-flex flex-wrap gap-1">{% csrf_token %}<input type="hidden" """
    """name="record" value="{{ r.pk }}">
<label class="visually-hidden" for="vr-{{ r.pk }}">{{ t_reason }}</label><input id="vr-{{ r.pk }}" name="reason" """
    """class="form-control form-control-sm" placeholder="{{ t_reason_ph }}">
<button class="btn btn-success btn-sm" name="decision" value="approve" type="submit">{{ t_verify }}</button>"""
    """<button class="btn btn-outline-danger btn-sm" name="decision" value="reject" type="submit">{{ t_reject }}"""
    """</button></form>{% endif %}</td></tr>
{% empty %}<tr><td colspan="5">{% include "partials/empty.html" with message=_("Tidak ada pembelajaran eksternal """
    """yang menunggu verifikasi.") %}</td></tr>{% endfor %}</tbody>"""
)


def _record(emp: Any, i: int, **kw: Any) -> LearningRecord:
    values: dict[str, Any] = {
        "employee": emp,
        "agency": emp.agency,
        "year": 2026,
        "date": dt.date(2026, 3, 1 + i),
        "title": f"Seminar <Etika> & \"Integritas\" 'ASN' {i}",
        "jp": Decimal("2.5") + i,
        "status": "pending",
        "source_type": "external",
        "source_id": str(i),
        "provider": "LAN & BPSDM <RI>",
        **kw,
    }
    return LearningRecord.objects.create(**values)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_verify_rows_equal_the_template_loop(org: Any, lang: str) -> None:
    _record(org.staff, 0)
    _record(
        org.staff2, 1, format="teknis", hours=Decimal("7.50"), certificate_number="CERT/01", certificate_file="c/a.pdf"
    )
    _record(org.admin, 2, format="manajerial", hours=Decimal("3"))  # the admin's own: the note, no form
    _record(org.bidang_staff, 3, format="unknown-kind", certificate_file="c/b.pdf")
    c = Client()
    c.force_login(org.admin.user)
    c.cookies["django_language"] = lang
    response = c.get(reverse("training:verify"), HTTP_ACCEPT_LANGUAGE=lang)
    html = response.content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert token is not None
    records = list(response.context["page_obj"].object_list)
    assert len(records) == 4 and sum(1 for r in records if not r.may_verify) == 1
    with translation.override(lang):
        expected = _LOOP.render({"page_obj": records, "csrf_token": token.group(1)})
    tbody = html[html.index("<tbody>") : html.index("</tbody>") + len("</tbody>")]
    assert tbody == expected
    assert "own-record-note" in tbody and "/sertifikat/" in tbody and "&lt;Etika&gt;" in tbody


def test_verify_rows_empty_list_shows_the_empty_note(org: Any) -> None:
    c = Client()
    c.force_login(org.admin.user)
    html = c.get(reverse("training:verify")).content.decode()
    tbody = html[html.index("<tbody>") : html.index("</tbody>") + len("</tbody>")]
    assert tbody == _LOOP.render({"page_obj": [], "csrf_token": "x"})
