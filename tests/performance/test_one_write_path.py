"""One write path (issue #11): a unit's organisational rating set on the page and through the API goes
through the same service, so both give the same row and the same audit entry."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from asn_portal.models import AuditEntry
from performance.models import PerformanceSetting, UnitPerformance
from tests.conftest import api_as

from .factories import periods

pytestmark = pytest.mark.django_db


def _audit(row: UnitPerformance) -> list[tuple[str, Any, Any, str]]:
    rows = AuditEntry.objects.filter(object_type="performance.unitperformance", object_id=str(row.pk)).order_by("pk")
    return [(a.action, a.before, a.after, a.reason) for a in rows]


def test_a_unit_rating_set_on_the_page_and_through_the_api_gives_the_same_row_and_audit(org: Any) -> None:
    period = periods(org.agency)[0]
    page = Client()
    page.force_login(org.admin.user)
    body = {"period": period.pk, "rating": "baik", "note": "Capaian IKU 98%"}
    r = page.post(f"/kinerja/predikat-unit/?period={period.pk}", {**body, "unit": org.dinas.pk})
    assert r.status_code == 302
    r = api_as(org.admin).post("/api/v1/unit-performance/", {**body, "unit": org.other_dinas.pk}, format="json")
    assert r.status_code == 201, r.json()
    by_page = UnitPerformance.objects.get(unit=org.dinas, period=period)
    by_api = UnitPerformance.objects.get(unit=org.other_dinas, period=period)
    assert (by_page.rating, by_page.note) == (by_api.rating, by_api.note) == ("baik", "Capaian IKU 98%")
    assert (
        _audit(by_page)
        == _audit(by_api)
        == [("performance.unit_rating.set", {"rating": None}, {"rating": "baik"}, "Capaian IKU 98%")]
    )


def test_period_settings_are_written_by_the_service_and_audited(org: Any) -> None:
    periods(org.agency)
    page = Client()
    page.force_login(org.admin.user)
    year = periods(org.agency)[0].year
    r = page.post(
        "/kinerja/periode/",
        {"year": year, "kind": "quarterly", "objection_window_days": 21, "reminder_days_before": 5},
    )
    assert r.status_code == 302
    setting = PerformanceSetting.objects.get(agency=org.agency)
    assert (setting.objection_window_days, setting.reminder_days_before) == (21, 5)
    entry = AuditEntry.objects.filter(action="performance.periods.configure").latest("pk")
    assert entry.after["objection_window_days"] == 21 and entry.after["reminder_days_before"] == 5
