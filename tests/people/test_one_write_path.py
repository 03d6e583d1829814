"""One write path (issue #11): the employee page and the API call the same service, so the same change
gives the same row and the same audit entry whichever door it came through."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from asn_portal.models import AuditEntry
from people.models import Employee
from people.views import FORM_FIELDS
from tests.conftest import api_as

pytestmark = pytest.mark.django_db


def _form_data(emp: Employee, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for f in FORM_FIELDS:
        value = getattr(emp, f)
        data[f] = "" if value is None else getattr(value, "pk", value)
    data.update(changes)
    return data


def _audit(emp: Employee) -> list[tuple[str, Any, Any]]:
    rows = AuditEntry.objects.filter(object_type="people.employee", object_id=str(emp.pk)).order_by("pk")
    return [(a.action, a.before, a.after) for a in rows]


def test_editing_an_employee_on_the_page_and_through_the_api_gives_the_same_row_and_audit(org: Any) -> None:
    change = {"phone": "081234567890", "email": "baru@medan.go.id", "education_field": "Administrasi Publik"}
    page, api = org.staff, org.staff2
    Employee.objects.filter(pk=api.pk).update(
        **{f: getattr(page, f) for f in ("phone", "email", "education_field", "education_level")}
    )
    c = Client()
    c.force_login(org.admin.user)
    r = c.post(f"/pegawai/{page.pk}/ubah/", _form_data(page, **change))
    assert r.status_code == 302, r.content.decode()[:3000]
    r = api_as(org.admin).patch(f"/api/v1/employees/{api.pk}/", change, format="json")
    assert r.status_code == 200, r.json()
    page.refresh_from_db()
    api.refresh_from_db()
    assert [getattr(page, f) for f in change] == [getattr(api, f) for f in change] == list(change.values())
    assert _audit(page) == _audit(api)
    assert _audit(page)[0][0] == "employee.update"
