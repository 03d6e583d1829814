"""The 20 JP compliance figures recomputed person by person from the ledger, in Python, and compared with
what a BKD admin reads: the report page, the home-page card and the XLSX export (PP 11/2017 jo.
PP 17/2020 Pasal 203 ayat (4): at least 20 JP a year)."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import defaultdict
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from asn_portal import summaries
from people.choices import ACTIVE_STATUSES, EmployeeStatus
from people.models import Employee, OrgUnit
from tests.people.factories import EmployeeFactory
from training import rules
from training.choices import VerificationStatus
from training.defaults import ensure_defaults
from training.ledger import services as ledger_services
from training.models import LearningRecord

pytestmark = pytest.mark.django_db

THIS_YEAR = 2026
LAST_YEAR = THIS_YEAR - 1
TODAY = dt.datetime(THIS_YEAR, 11, 16, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))


@pytest.fixture(autouse=True)
def _frozen_today(db: Any) -> Any:
    ensure_defaults()
    with time_machine.travel(TODAY, tick=False):
        yield


def credit(emp: Employee, jp: str, on: dt.date, n: int) -> None:
    ledger_services.learning_credit(
        employee=emp, jp=Decimal(jp), on_date=on, title=f"Kegiatan {n}", source_type="test", source_id=n, actor=None
    )


@pytest.fixture
def ledger(org: Any) -> Any:
    """Ledger entries around the 20 JP threshold, across two years, with entries that must not count."""
    jan, dec_last = dt.date(THIS_YEAR, 1, 1), dt.date(LAST_YEAR, 12, 31)
    d = dt.date(THIS_YEAR, 6, 10)
    credit(org.staff, "10", d, 1)
    credit(org.staff, "9.5", d, 2)  # 19.5: below
    credit(org.staff2, "12", d, 3)
    credit(org.staff2, "8", d, 4)  # exactly 20: met
    credit(org.bidang_staff, "20.5", d, 5)  # met (counted in the Dinas that contains the Bidang)
    credit(org.bidang_head, "25", dt.date(LAST_YEAR, 5, 2), 6)  # last year only
    credit(org.other_head, "10", dec_last, 7)
    credit(org.other_head, "10", jan, 8)  # 10 + 10 across the year boundary: below in both years
    credit(org.other_staff, "18", d, 9)
    LearningRecord.objects.create(  # +5 waiting for verification: not counted, still below
        employee=org.other_staff,
        agency=org.agency,
        year=THIS_YEAR,
        date=d,
        jp=Decimal("5"),
        title="Webinar eksternal",
        source_type="external",
        source_id="p1",
        status=VerificationStatus.PENDING,
    )
    credit(org.admin, "30", d, 10)
    credit(org.admin, "20", dt.date(LAST_YEAR, 3, 3), 11)
    credit(org.foreign_staff, "40", d, 12)  # another agency: never in agency A's figures
    retired = EmployeeFactory(unit=org.dinas, name="Pensiunan", status=EmployeeStatus.RETIRED)
    credit(retired, "25", d, 13)  # not an active employee: not in the headcount
    # org.head has no learning at all.
    summaries.refresh_all([org.agency.pk])  # rows written directly above: computed as the nightly job would
    return org


def expected(agency_id: int, year: int) -> dict[str, Any]:
    """Compliance computed person by person from the ledger rows (no SQL aggregate)."""
    units = {u.pk: u for u in OrgUnit.objects.filter(agency_id=agency_id)}

    def opd_of(unit: OrgUnit) -> OrgUnit:
        while unit.parent_id is not None:
            unit = units[unit.parent_id]
        return unit

    per_opd: dict[str, dict[str, Any]] = defaultdict(lambda: {"headcount": 0, "met": 0, "jp": Decimal(0)})
    for emp in Employee.objects.filter(agency_id=agency_id):
        if emp.status not in ACTIVE_STATUSES:
            continue
        total = Decimal(0)
        for rec in LearningRecord.objects.filter(employee=emp):
            if rec.year == year and rec.status == VerificationStatus.VERIFIED:
                total += rec.jp
        row = per_opd[opd_of(units[emp.unit_id]).name]
        row["headcount"] += 1
        row["met"] += 1 if total >= 20 else 0
        row["jp"] += total
    total_row = {k: sum(r[k] for r in per_opd.values()) for k in ("headcount", "met", "jp")}
    return {"opds": dict(per_opd), "total": total_row}


def pct(met: int, headcount: int) -> float:
    return round(met * 100 / headcount, 1) if headcount else 0.0


def admin_client(org: Any) -> Client:
    c = Client()
    c.force_login(org.admin.user)
    return c


def test_the_ledger_figures_are_the_ones_the_fixture_intends(ledger: Any) -> None:
    want = expected(ledger.agency.pk, THIS_YEAR)
    # staff2 (20), bidang_staff (20.5) and admin (30) reach 20 JP; 8 active employees in agency A.
    assert want["total"] == {"headcount": 8, "met": 3, "jp": Decimal("118")}
    assert rules.JP_TARGET == 20


@pytest.mark.parametrize("year", [THIS_YEAR, LAST_YEAR])
def test_report_rows_and_total_match_the_ledger(ledger: Any, year: int) -> None:
    want = expected(ledger.agency.pk, year)
    r = admin_client(ledger).get(reverse("training:report-compliance"), {"year": year})
    assert r.status_code == 200
    report = r.context["report"]
    got = {row["name"]: row for row in report["rows"]}
    assert set(got) == set(want["opds"])
    for name, row in want["opds"].items():
        assert got[name]["headcount"] == row["headcount"], name
        assert got[name]["met"] == row["met"], name
        assert got[name]["below"] == row["headcount"] - row["met"], name
        assert got[name]["jp"] == row["jp"], name
    t = want["total"]
    assert (report["total"]["headcount"], report["total"]["met"]) == (t["headcount"], t["met"])
    # The sentence the admin reads at the top of the report.
    sentence = f"{t['met']} dari {t['headcount']} pegawai ({pct(t['met'], t['headcount'])}%)".replace(".", ",")
    assert sentence in r.content.decode()


def test_home_card_shows_the_ledger_figure(ledger: Any) -> None:
    t = expected(ledger.agency.pk, THIS_YEAR)["total"]
    html = admin_client(ledger).get(reverse("home")).content.decode()
    card = html.split('data-testid="card-training-admin"', 1)[1].split("</div></div></div>", 1)[0]
    assert f"Kepatuhan 20 JP {THIS_YEAR}" in card
    assert f"{t['met']} dari {t['headcount']} pegawai" in card
    shown = re.search(r'class="display-6 mb-0">([^<]+)<', card)
    assert shown is not None
    assert shown.group(1) == f"{pct(t['met'], t['headcount']):.1f}%".replace(".", ",")  # 37,5%


@pytest.mark.parametrize("year", [THIS_YEAR, LAST_YEAR])
def test_xlsx_matches_the_ledger(ledger: Any, year: int) -> None:
    want = expected(ledger.agency.pk, year)
    r = admin_client(ledger).get(reverse("training:report-compliance"), {"year": year, "format": "xlsx"})
    assert r.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(r.content)).active
    assert sheet is not None
    rows = [list(row) for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]]
    by_name = {row[0]: row for row in rows}
    assert set(by_name) == {*want["opds"], "Total instansi"}
    for name, w in [*want["opds"].items(), ("Total instansi", want["total"])]:
        _name, headcount, met, below, percent, avg_jp = by_name[name][:6]
        assert (headcount, met, below) == (w["headcount"], w["met"], w["headcount"] - w["met"]), name
        assert float(percent) == pytest.approx(pct(w["met"], w["headcount"])), name
        assert float(avg_jp) == pytest.approx(round(float(w["jp"] / w["headcount"]), 2)), name
