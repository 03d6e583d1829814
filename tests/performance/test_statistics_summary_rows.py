"""The statistics page and the BKD admin's home card read SKP counts from summary rows kept current by the
services; after each kind of change they equal the live count (`live_counts`, the oracle)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from asn_portal import summaries
from asn_portal.models import SummaryState
from performance.choices import PlanStatus
from performance.evaluation import services as evaluation_services
from performance.models import Indicator, PlannedResult
from performance.plans import services as plans_services
from performance.reports import summaries as statistics_summaries
from tests.pagetext import main_text

from . import factories as f

pytestmark = pytest.mark.django_db(transaction=False)


def _assert_rows_equal_live(agency_id: int, year: int = f.YEAR) -> tuple[dict[str, int], dict[Any, dict[str, int]]]:
    live = statistics_summaries.live_counts(agency_id=agency_id, year=year)
    assert statistics_summaries.year_counts(agency_id=agency_id, year=year) == live
    return live


def _touched_then_refreshed(agency_id: int) -> tuple[dict[str, int], dict[Any, dict[str, int]]]:
    """The service marked the kind stale (a refresh is queued); running it gives the live figures."""
    state = SummaryState.objects.get(kind=statistics_summaries.KIND, agency_id=agency_id)
    assert state.dirty_since is not None
    summaries.refresh(statistics_summaries.KIND, agency_id)
    return _assert_rows_equal_live(agency_id)


def test_rows_equal_live_after_create_submit_and_finalise(org: Any) -> None:
    f.periods(org.agency)
    plan = plans_services.plan_create(employee=org.staff, year=f.YEAR, actor=org.staff.user)
    assert _touched_then_refreshed(org.agency.pk)[0] == {"draft": 1}
    f.plan(org.staff2, status=PlanStatus.EVALUATED, predikat="baik")  # factory: written without the services
    result = PlannedResult.objects.create(plan=plan, kind="main", text="Laporan", order=0)
    Indicator.objects.create(result=result, aspect="quantity", text="Jumlah", target="1", target_value=1)
    plans_services.plan_submit(plan=plan, actor=org.staff.user)
    assert _touched_then_refreshed(org.agency.pk)[0] == {"submitted": 1, "evaluated": 1}
    with time_machine.travel(dt.datetime(f.YEAR + 1, 1, 10, 9, tzinfo=dt.UTC)):
        evaluated = f.plan(org.bidang_staff, status=PlanStatus.EVALUATED, predikat="sangat_baik")
        evaluation_services.plan_finalise(plan=evaluated, actor=org.bidang_head.user)
    status, by_unit = _touched_then_refreshed(org.agency.pk)
    assert status == {"submitted": 1, "evaluated": 1, "final": 1}
    assert by_unit == {org.bidang.pk: {"sangat_baik": 1}}


def test_statistics_page_and_admin_card_show_the_rows_and_when(org: Any) -> None:
    f.periods(org.agency)
    f.plan(org.staff, status=PlanStatus.FINAL, predikat="baik")
    c = Client()
    c.force_login(org.admin.user)
    text = main_text(c.get(reverse("performance:statistics")))
    assert "Data belum dihitung" in text and "Final: 0" in text
    summaries.refresh(statistics_summaries.KIND, org.agency.pk)
    text = main_text(c.get(reverse("performance:statistics")))
    assert "Data dihitung pada" in text and "Final: 1" in text
    home = c.get(reverse("home")).content.decode()
    assert "1 predikat final" in home


def test_an_upgraded_database_gets_its_rows_after_migrate(org: Any) -> None:
    """Agencies with SKPs whose statistics were never computed (a database migrated past the table's creation)
    get their rows from the post-migrate step, once; an agency already computed is left to its own touches."""
    f.plan(org.staff, status=PlanStatus.EVALUATED, predikat="baik")  # factory: written without the services
    f.plan(org.foreign_staff, status=PlanStatus.DRAFT)
    SummaryState.objects.filter(kind=statistics_summaries.KIND).delete()
    assert statistics_summaries.computed_at(org.agency.pk) is None
    assert statistics_summaries.fill_if_empty() == 2
    assert _assert_rows_equal_live(org.agency.pk)[0] == {"evaluated": 1}
    assert _assert_rows_equal_live(org.other_agency.pk)[0] == {"draft": 1}
    assert statistics_summaries.fill_if_empty() == 0  # not again once computed
