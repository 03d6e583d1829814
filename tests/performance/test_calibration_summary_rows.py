"""The calibration page reads predikat counts from summary rows kept current by the services; after every kind
of change they equal the live count (`distribution_counts_live`, the oracle) for every period."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from asn_portal import summaries
from people import services as people_services
from performance.calibration import selectors as calibration_selectors
from performance.calibration import summaries as calibration_summaries
from performance.choices import PlanStatus
from performance.evaluation import services as evaluation_services
from performance.models import EvaluationPeriod, Indicator, PerformancePlan
from performance.objections import services as objections_services
from performance.progress import services as progress_services

from . import factories as f

pytestmark = pytest.mark.django_db(transaction=False)


def _assert_summary_equals_live(periods: list[EvaluationPeriod]) -> dict[int, dict[int, dict[str, int]]]:
    out = {}
    for p in periods:
        live = dict(calibration_selectors.distribution_counts_live(period=p))
        assert dict(calibration_selectors.distribution_counts(period=p)) == live, p.name
        out[p.pk] = live
    return out


def _evaluate(plan: PerformancePlan, period: EvaluationPeriod, result: str, behaviour: str, actor: Any) -> None:
    evaluation_services.evaluation_record(
        plan=plan, period=period, result_rating=result, behaviour_rating=behaviour, actor=actor
    )


def test_summary_equals_live_after_every_kind_of_change(org: Any, django_capture_on_commit_callbacks: Any) -> None:
    run = django_capture_on_commit_callbacks
    with run(execute=True):  # the year's periods created through the periods service
        periods = f.periods(org.agency)
    plans = [f.plan(e, status=PlanStatus.APPROVED) for e in (org.staff, org.staff2)]
    with run(execute=True):  # a quarter evaluated
        _evaluate(plans[0], periods[0], "above", "meets", org.head.user)
        _evaluate(plans[1], periods[0], "meets", "meets", org.head.user)
    counts = _assert_summary_equals_live(periods)
    assert counts[periods[0].pk] == {org.dinas.pk: {"baik": 2}}
    with run(execute=True):  # a quarter re-rated
        _evaluate(plans[1], periods[0], "above", "above", org.head.user)
    assert _assert_summary_equals_live(periods)[periods[0].pk] == {org.dinas.pk: {"baik": 1, "sangat_baik": 1}}
    progress_services.progress_record(
        indicator=Indicator.objects.filter(result__plan=plans[0]).get(),
        period=periods[3],
        value="12",
        evidence_link="https://contoh.go.id/akhir",
        actor=org.staff.user,
    )
    with time_machine.travel(dt.datetime(f.YEAR + 1, 1, 6, 9, tzinfo=dt.UTC)), run(execute=True):
        _evaluate(plans[0], periods[3], "below", "meets", org.head.user)  # the annual predikat of the SKP
    assert _assert_summary_equals_live(periods)[periods[3].pk] == {org.dinas.pk: {"butuh_perbaikan": 1}}
    with run(execute=True):  # an employee moves: the SKP keeps its unit, the counts do not change
        people_services.employee_update(employee=org.staff, data={"unit": org.other_dinas}, actor=org.admin.user)
    _assert_summary_equals_live(periods)


def test_objection_decision_updates_the_annual_counts(org: Any, django_capture_on_commit_callbacks: Any) -> None:
    periods = f.periods(org.agency)
    plan = f.plan(org.bidang_staff, status=PlanStatus.EVALUATED, predikat="butuh_perbaikan")
    summaries.refresh(calibration_summaries.KIND, org.agency.pk)  # the factory wrote no summary rows
    assert calibration_selectors.distribution_counts(period=periods[3]) == {org.bidang.pk: {"butuh_perbaikan": 1}}
    with time_machine.travel(dt.datetime(f.YEAR + 1, 1, 10, 9, tzinfo=dt.UTC)):
        evaluation_services.plan_finalise(plan=plan, actor=org.bidang_head.user)
        objection = objections_services.objection_lodge(
            plan=plan, reason="Bukti belum dihitung", actor=org.bidang_staff.user
        )
        with django_capture_on_commit_callbacks(execute=True):
            objections_services.objection_decide(
                objection=objection, upheld=True, new_predikat="baik", decision="Bukti lengkap", actor=org.head.user
            )
    assert _assert_summary_equals_live(periods)[periods[3].pk] == {org.bidang.pk: {"baik": 1}}


def test_calibration_page_shows_the_summary_counts_and_when(org: Any, django_capture_on_commit_callbacks: Any) -> None:
    periods = f.periods(org.agency)
    for e in (org.staff, org.staff2):
        f.plan(e, status=PlanStatus.EVALUATED, predikat="baik")
    c = Client()
    c.force_login(org.admin.user)
    url = reverse("performance:calibration") + f"?period={periods[3].pk}"
    html = c.get(url).content.decode()
    assert "Data belum dihitung" in html and "Dinas Kesehatan" not in html
    summaries.refresh(calibration_summaries.KIND, org.agency.pk)
    html = c.get(url).content.decode()
    assert "Data dihitung pada" in html and "Dinas Kesehatan" in html
