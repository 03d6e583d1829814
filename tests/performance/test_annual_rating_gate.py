"""The annual (final) SKP rating opens only after the year ends and with its last-period realisation
(PermenPANRB 6/2022 Pasal 5; regulations.md §1.1, §1.3), and no rating is ever pre-selected."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from performance import rules
from performance.choices import PlanStatus
from performance.models import Evaluation, Indicator, PerformancePlan
from performance.plans import services as plans_services
from performance.progress import services as progress_services
from tests.conftest import api_as

from . import factories as f
from .test_views import client_for

YEAR_END = dt.date(2026, 12, 31)


@pytest.mark.parametrize(
    ("today", "indicators", "realised", "is_open", "too_early", "missing"),
    [
        (dt.date(2026, 11, 30), 3, 3, False, True, 0),  # November: the year is not over
        (dt.date(2026, 12, 31), 3, 3, False, True, 0),  # the last day is still inside the year
        (dt.date(2027, 1, 1), 3, 3, True, False, 0),  # opens the day after the annual period ends
        (dt.date(2027, 1, 15), 3, 2, False, False, 1),  # one IKI without its IV/Akhir realisation
        (dt.date(2027, 1, 15), 3, 0, False, False, 3),  # no fourth-quarter realisation at all
        (dt.date(2027, 1, 15), 0, 0, False, False, 0),  # an SKP without indicators cannot be rated
    ],
)
def test_annual_rating_gate_cases(
    today: dt.date, indicators: int, realised: int, is_open: bool, too_early: bool, missing: int
) -> None:
    gate = rules.annual_rating_gate(
        today=today, period_end=YEAR_END, indicators=indicators, indicators_realised=realised
    )
    assert (gate.is_open, gate.too_early, gate.missing_realisation) == (is_open, too_early, missing)
    assert gate.opens_on == dt.date(2027, 1, 1)


def _approved(org: Any) -> tuple[PerformancePlan, list[Any]]:
    periods = f.periods(org.agency)
    plan = f.plan(org.staff, status=PlanStatus.SUBMITTED)
    plans_services.plan_approve(plan=plan, actor=org.head.user)
    plan.refresh_from_db()
    return plan, periods


@pytest.mark.django_db
def test_api_refuses_annual_rating_before_the_year_ends(org: Any) -> None:
    plan, periods = _approved(org)
    ind = Indicator.objects.get(result__plan=plan)
    progress_services.progress_record(
        indicator=ind, period=periods[3], value="10", evidence_link="https://contoh.go.id/b", actor=org.staff.user
    )
    with time_machine.travel(dt.datetime(f.YEAR, 11, 30, 9, tzinfo=dt.UTC)):
        r = api_as(org.head).post(
            f"/api/v1/performance-plans/{plan.pk}/evaluate/",
            {"period": periods[3].pk, "result_rating": "above", "behaviour_rating": "above"},
            format="json",
        )
    assert r.status_code == 400
    assert "baru dibuka mulai 1 Januari" in r.json()["message"]
    assert r.json()["extra"]["opens_on"] == f"{f.YEAR + 1}-01-01"
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and not plan.predikat
    assert not Evaluation.objects.filter(plan=plan, period=periods[3], status="evaluated").exists()


@pytest.mark.django_db
def test_api_refuses_annual_rating_without_fourth_quarter_realisation(org: Any) -> None:
    plan, periods = _approved(org)
    with time_machine.travel(dt.datetime(f.YEAR + 1, 1, 8, 9, tzinfo=dt.UTC)):
        r = api_as(org.head).post(
            f"/api/v1/performance-plans/{plan.pk}/evaluate/",
            {"period": periods[3].pk, "result_rating": "meets", "behaviour_rating": "meets"},
            format="json",
        )
    assert r.status_code == 400
    assert r.json()["message"].startswith("Realisasi Triwulan IV/Akhir belum diisi untuk 1 dari 1 indikator")
    assert r.json()["extra"]["missing_realisation"] == 1
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED


@pytest.mark.django_db
def test_evaluation_page_preselects_no_rating_and_says_when_the_annual_rating_opens(org: Any) -> None:
    plan, periods = _approved(org)
    c = client_for(org.head)
    with time_machine.travel(dt.datetime(f.YEAR, 11, 30, 9, tzinfo=dt.UTC)):
        html = c.get(reverse("performance:evaluate", args=[plan.pk])).content.decode()
        assert "baru dibuka mulai 1 Januari" in html
        for field in ("result_rating", "behaviour_rating"):
            select = html.split(f'name="{field}"')[1].split("</select>")[0]
            assert re.search(r'<option value=""[^>]*>— pilih rating —', select)
            assert not re.search(r'<option value="(above|meets|below)"[^>]*selected', select)
        # a submission without choosing is refused, nothing recorded
        r = c.post(reverse("performance:evaluate", args=[plan.pk]), {"period": periods[0].pk, "comment": ""})
        assert r.status_code == 200
        assert not Evaluation.objects.filter(plan=plan, status="evaluated").exists()
        r = c.post(
            reverse("performance:evaluate", args=[plan.pk]),
            {"period": periods[3].pk, "result_rating": "above", "behaviour_rating": "above", "comment": ""},
        )
        assert r.status_code == 200 and "baru dibuka mulai" in r.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
