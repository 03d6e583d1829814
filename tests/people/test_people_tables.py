# ruff: noqa: E501  (the old template loop, verbatim)
"""The one-pass table tags of the people pages (people_tables) and the filter bar's options: the same markup and
escaping as the template loops they replaced (issue #13)."""

from __future__ import annotations

from typing import Any

import pytest
from django.template import Context, Template
from django.utils.html import escape

from asn_portal import summaries
from people import headcount
from people.models import Employee
from tests.people.factories import EmployeeFactory, OrgUnitFactory, PositionFactory, rank

pytestmark = pytest.mark.django_db

TRICKY = "Unit <b>&\"'</b>"

# The rows as the directory template wrote them before the tag (people/_employee_rows.html, issue #13 round 3).
OLD_ROWS = Template(
    """{% for e in rows %}
    <tr>
      <td><a href="{% url 'people:profile' e.pk %}">{{ e.full_name }}</a></td>
      <td class="font-monospace small text-nowrap">{{ e.nip_display }}</td>
      <td>{{ e.position.title|default:"–" }}{% if e.position %}<div class="small text-body-secondary">{{ e.position.get_kind_display }}</div>{% endif %}</td>
      <td>{{ e.unit.name }}</td>
      <td class="text-nowrap">{% if e.rank %}{{ e.rank.code }} <span class="small text-body-secondary d-none d-lg-inline">{{ e.rank.name }}</span>{% else %}–{% endif %}</td>
      <td>{% if e.status == "active" %}<span class="badge text-bg-success">{{ e.get_status_display }}</span>{% else %}<span class="badge text-bg-secondary">{{ e.get_status_display }}</span>{% endif %}</td>
    </tr>
  {% endfor %}"""
)


def _squash(html: str) -> str:
    return " ".join(html.split())


def test_directory_rows_equal_the_template_loop(org: Any) -> None:
    from people import selectors
    from people.templatetags.people_tables import employee_table_rows

    unit = OrgUnitFactory(agency=org.agency, parent=org.dinas, name=TRICKY)
    post = PositionFactory(unit=unit, title="Analis <i>&</i>")
    EmployeeFactory(unit=unit, position=post, rank=rank("III/c"), front_title="dr.", back_title="M.Kes", status="leave")
    EmployeeFactory(unit=unit, position=None, rank=None, name='O\'Neil "Tanpa" Jabatan')
    qs = selectors.employee_directory(user=org.admin.user).order_by("name", "pk")
    expected = OLD_ROWS.render(Context({"rows": list(qs)}))
    rows = list(qs.values(*selectors.DIRECTORY_ROW_FIELDS))
    assert len(rows) == Employee.objects.filter(agency=org.agency).count() >= 8
    assert _squash(employee_table_rows(rows)) == _squash(expected)
    assert escape(TRICKY) in expected and TRICKY not in expected


def test_directory_page_escapes_the_unit_options_and_rows(client: Any, org: Any) -> None:
    unit = OrgUnitFactory(agency=org.agency, parent=org.dinas, name=TRICKY)
    EmployeeFactory(unit=unit, name="Pegawai Unit Aneh")
    client.force_login(org.admin.user)
    body = client.get("/pegawai/", {"unit": unit.pk}).content.decode()
    assert f'<option value="{unit.pk}" selected>— {escape(TRICKY)}</option>' in body
    assert f"<td>{escape(TRICKY)}</td>" in body and TRICKY not in body


def test_org_chart_rows_escape_and_mark_heads(client: Any, org: Any) -> None:
    unit = OrgUnitFactory(agency=org.agency, parent=org.dinas, name=TRICKY)
    unit.head_position = PositionFactory(unit=unit, title="Kepala <Unit>")
    unit.save()  # a head post nobody holds: "kosong"
    summaries.refresh_all([org.agency.pk], [headcount.KIND])
    client.force_login(org.admin.user)
    body = _squash(client.get("/pegawai/organisasi/").content.decode())
    assert (
        f'<td class="ps-2"><span class="text-body-secondary" aria-hidden="true">└ </span>'
        f'<a href="/pegawai/unit/{unit.pk}/">{escape(TRICKY)}</a>'
    ) in body
    assert (
        '<span class="badge text-bg-danger">kosong</span> <div class="small text-body-secondary">Kepala &lt;Unit&gt;</div>'
        in body
    )
    assert TRICKY not in body
