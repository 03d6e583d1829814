"""Opening a page never writes: the period settings page shows the defaults without storing a settings row."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from performance.models import PerformanceSetting
from tests.pagetext import main_text

from .test_views import client_for

pytestmark = pytest.mark.django_db


def test_period_settings_page_shows_the_defaults_without_storing_them(org: Any) -> None:
    assert not PerformanceSetting.objects.filter(agency=org.agency).exists()
    r = client_for(org.admin).get(reverse("performance:periods"))
    assert r.status_code == 200
    form = r.context["form"]
    assert (form.initial["kind"], form.initial["objection_window_days"], form.initial["reminder_days_before"]) == (
        "quarterly",
        14,
        7,
    )
    assert "Periode evaluasi kinerja" in main_text(r)
    assert not PerformanceSetting.objects.filter(agency=org.agency).exists()


def test_period_settings_page_shows_what_the_agency_saved(org: Any) -> None:
    PerformanceSetting.objects.create(
        agency=org.agency, period_kind="half_yearly", objection_window_days=21, reminder_days_before=3
    )
    r = client_for(org.admin).get(reverse("performance:periods"))
    form = r.context["form"]
    assert (form.initial["kind"], form.initial["objection_window_days"], form.initial["reminder_days_before"]) == (
        "half_yearly",
        21,
        3,
    )
    assert PerformanceSetting.objects.filter(agency=org.agency).count() == 1
