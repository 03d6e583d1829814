"""KP queue for the 1 Feb 2027 period uses the latest two predikat final when its window opens (2024, 2025), says
which years it used, and proposals after the window closes need a BKD admin's recorded late reason."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client

from asn_portal.models import AuditEntry
from promotions import rules
from promotions.models import PromotionProposal, QueueEntry
from promotions.queue import services as queue_services
from tests.conftest import api_as
from tests.promotions.factories import give_predikat, period, set_rank

D = dt.date
FEB = D(2027, 2, 1)
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("period_date", "opens", "closes", "years"),
    [
        (D(2027, 2, 1), D(2026, 12, 15), D(2027, 1, 15), (2024, 2025)),  # 2026 cannot be final on 15 Dec 2026
        (D(2027, 4, 1), D(2027, 2, 15), D(2027, 3, 15), (2025, 2026)),
        (D(2026, 12, 1), D(2026, 10, 15), D(2026, 11, 15), (2024, 2025)),
        (D(2027, 12, 1), D(2027, 10, 15), D(2027, 11, 15), (2025, 2026)),
    ],
)
def test_window_and_assessment_years_cases(period_date: D, opens: D, closes: D, years: tuple[int, int]) -> None:
    assert rules.submission_window(period_date) == (opens, closes)
    assert rules.assessment_years(opens) == years


def test_predikat_rule_for_february_uses_the_years_final_when_the_window_opens() -> None:
    history = {2024: "baik", 2025: "baik"}  # 2026 not final yet
    assert rules.rule_predikat_last_two_years(history, FEB).passed
    failing = rules.rule_predikat_last_two_years({2024: "butuh_perbaikan", 2025: "baik"}, FEB)
    assert failing.reason.startswith("Predikat kinerja 2024 dan 2025 harus minimal Baik (2024: Butuh Perbaikan)")


@pytest.mark.parametrize(
    ("today", "closes", "late"),
    [
        (D(2027, 1, 15), D(2027, 1, 15), False),
        (D(2027, 1, 16), D(2027, 1, 15), True),
        (D(2026, 11, 1), D(2027, 1, 15), False),
    ],
)
def test_submission_late_cases(today: D, closes: D, late: bool) -> None:
    assert rules.submission_late(today=today, window_closes=closes) is late


@pytest.fixture
def feb_window(org: Any, refdata: None) -> Iterator[Any]:
    """16 Dec 2026: the 1 Feb 2027 window is open; staff are III/b since 2019, predikat final for 2024 and 2025."""
    with time_machine.travel(dt.datetime(2026, 12, 16, 9, 0, tzinfo=dt.UTC), tick=True):
        for head in (org.head, org.bidang_head, org.other_head):
            set_rank(head, "IV/a", dt.date(2018, 4, 1))
        give_predikat([org.staff, org.staff2, org.bidang_staff, org.other_staff], [2024, 2025])
        from performance.models import PredikatRecord

        PredikatRecord.objects.filter(employee=org.staff2, year=2024).update(predikat="butuh_perbaikan")
        yield org


def test_february_queue_counts_people_with_2024_and_2025_predikat_as_eligible(feb_window: Any) -> None:
    org = feb_window
    counts = queue_services.queue_build(period=period(FEB), agency_id=org.agency.pk, actor=None)
    assert counts["eligible"] >= 1
    rows = {e.employee_id: e for e in QueueEntry.objects.filter(period__period_date=FEB)}
    assert rows[org.staff.pk].status == "eligible"
    reasons = " ".join(f["reason"] for f in rows[org.staff2.pk].failing)
    assert "Predikat kinerja 2024 dan 2025" in reasons
    c = Client()
    c.force_login(org.admin.user)
    html = c.get(f"/kenaikan-pangkat/periode/{period(FEB).pk}/").content.decode()
    assert 'data-testid="predikat-years"' in html and "predikat kinerja 2024 dan 2025" in html
    r = api_as(org.admin).get(f"/api/v1/rank-promotion-queue/?period={period(FEB).pk}")
    entry = next(e for e in r.json()["results"] if e["employee"] == org.staff.pk)
    assert entry["status"] == "eligible" and entry["predikat_years"] == [2024, 2025]


def test_after_the_window_closes_only_an_admin_with_a_late_reason_may_propose(feb_window: Any) -> None:
    org = feb_window
    queue_services.queue_build(period=period(FEB), agency_id=org.agency.pk, actor=None)
    with time_machine.travel(dt.datetime(2027, 1, 20, 9, 0, tzinfo=dt.UTC), tick=True):
        body = {"employee": org.staff.pk, "period": period(FEB).pk}
        r = api_as(org.head).post("/api/v1/promotion-proposals/", body, format="json")
        assert r.status_code == 403 and "ditutup 15-01-2027" in r.json()["message"]
        r = api_as(org.admin).post("/api/v1/promotion-proposals/", body, format="json")
        assert r.status_code == 400 and r.json()["extra"]["field"] == "late_reason"
        assert not PromotionProposal.objects.exists()
        c = Client()
        c.force_login(org.admin.user)
        html = c.get(f"/kenaikan-pangkat/periode/{period(FEB).pk}/").content.decode()
        assert 'data-testid="window-closed"' in html and 'name="late_reason"' in html
        r = c.post(
            f"/kenaikan-pangkat/periode/{period(FEB).pk}/usulkan/",
            {"employee": org.staff.pk, "late_reason": "SK pangkat lama baru diterima dari BKN 18-01-2027"},
        )
        assert r.status_code == 302
    proposal = PromotionProposal.objects.get(employee=org.staff)
    assert proposal.late_reason == "SK pangkat lama baru diterima dari BKN 18-01-2027"
    entry = AuditEntry.objects.get(action="promotion.propose", object_id=str(proposal.pk))
    assert entry.after["late"] is True and entry.actor == org.admin.user
