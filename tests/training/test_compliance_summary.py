"""The 20 JP compliance summary rows equal the live computation after every kind of change, made through the
services (each change's refresh runs after its commit, as in production), and the page reads them."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.db.models import Sum
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from asn_portal import summaries
from people import services as people_services
from people.choices import ACTIVE_STATUSES, EmployeeStatus
from tests.people.factories import EmployeeFactory, OrgUnitFactory
from training.choices import CourseFormat, VerificationStatus
from training.defaults import ensure_defaults
from training.external import services as external_services
from training.ledger import bulk, compliance
from training.ledger import services as ledger_services
from training.ledger.selectors import compliance_report, compliance_report_live
from training.models import JpUnitMetSummary, LearningRecord

pytestmark = pytest.mark.django_db


def client_for(emp: Any) -> Client:
    c = Client()
    c.force_login(emp.user)
    return c


def shown(report: dict[str, Any]) -> list[tuple[Any, ...]]:
    """What the admin reads: per OPD and the agency total."""
    rows = [
        (r["name"], r["headcount"], r["met"], r["below"], r["jp"], r["none"], round(r["percent"], 1))
        for r in report["rows"]
    ]
    t = report["total"]
    return [*rows, ("total", t["headcount"], t["met"], t["below"], t["jp"], t["none"], round(t["percent"], 1))]


@pytest.fixture
def committed(org: Any, django_capture_on_commit_callbacks: Any) -> Iterator[Callable[..., Any]]:
    """Run a change and its after-commit work (the outbox sends the refresh; Celery is eager in tests)."""
    ensure_defaults()
    summaries.refresh_all([org.agency.pk, org.other_agency.pk])

    def run(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    yield run


def unit_met_live(agency_id: int) -> list[tuple[int, int, int]]:
    """(unit, year, active staff of the agency in it who reached 20 JP that year), counted now with the ORM."""
    per_employee = (
        LearningRecord.objects.filter(
            status=VerificationStatus.VERIFIED, employee__agency_id=agency_id, employee__status__in=ACTIVE_STATUSES
        )
        .values("employee_id", "employee__unit_id", "year")
        .annotate(jp=Sum("jp"))
    )
    met = Counter((r["employee__unit_id"], r["year"]) for r in per_employee if r["jp"] >= Decimal("20"))
    return sorted((unit, year, n) for (unit, year), n in met.items())


def assert_summary_is_live(agency_id: int) -> None:
    this_year = timezone.localdate().year
    for year in (this_year, this_year - 1, 2001):
        assert shown(compliance_report(agency_id=agency_id, year=year)) == shown(
            compliance_report_live(agency_id=agency_id, year=year)
        ), year
    rows = JpUnitMetSummary.objects.filter(agency_id=agency_id).values_list("unit_id", "year", "met")
    assert sorted(rows) == unit_met_live(agency_id)  # the head's home card's rows


def credit(emp: Any, jp: str, on: dt.date, n: int) -> Any:
    return ledger_services.learning_credit(
        employee=emp, jp=Decimal(jp), on_date=on, title=f"Kegiatan {n}", source_type="test", source_id=n, actor=None
    )


def test_summary_follows_every_kind_of_change(org: Any, committed: Callable[..., Any]) -> None:
    today = timezone.localdate()
    last_year = today.replace(year=today.year - 1, day=1)
    assert_summary_is_live(org.agency.pk)
    # a credit (course completion, mentoring confirmation and verified external learning all go through it)
    committed(credit, org.staff, "20", today, 1)
    committed(credit, org.bidang_staff, "12.5", last_year, 2)
    assert compliance_report(agency_id=org.agency.pk, year=today.year)["total"]["met"] == 1
    assert_summary_is_live(org.agency.pk)
    # set-based credits
    committed(
        bulk.learning_credit_many,
        [
            bulk.Credit(org.staff2.pk, org.agency.pk, Decimal("21"), today, "Bulk", "bulk", "b1"),
            bulk.Credit(org.other_staff.pk, org.agency.pk, Decimal("3"), today, "Bulk", "bulk", "b2"),
        ],
    )
    assert compliance_report(agency_id=org.agency.pk, year=today.year)["total"]["met"] == 2
    assert_summary_is_live(org.agency.pk)
    # external learning: pending counts nothing; verified counts; rejected counts nothing
    pending = [
        external_services.external_learning_record(
            employee=org.other_staff,
            title=f"Webinar {i}",
            fmt=CourseFormat.MANAGERIAL,
            provider="LAN",
            on_date=today,
            jp=Decimal("17"),
            certificate_number=f"C-{i}",
            actor=org.other_staff.user,
        )
        for i in (1, 2)
    ]
    assert_summary_is_live(org.agency.pk)
    committed(external_services.learning_verify, record=pending[0], approve=True, actor=org.admin.user)
    assert compliance_report(agency_id=org.agency.pk, year=today.year)["total"]["met"] == 3
    committed(external_services.learning_verify, record=pending[1], approve=False, reason="Palsu", actor=org.admin.user)
    assert_summary_is_live(org.agency.pk)
    # an employee moves to another OPD, then leaves the active staff
    committed(people_services.employee_update, employee=org.staff, data={"unit": org.other_dinas}, actor=org.admin.user)
    rows = {r["name"]: r for r in compliance_report(agency_id=org.agency.pk, year=today.year)["rows"]}
    assert rows["Dinas Pendidikan"]["met"] == 2  # Staf Satu now counts in Dinas Pendidikan
    assert_summary_is_live(org.agency.pk)
    committed(
        people_services.employee_update,
        employee=org.staff2,
        data={"status": EmployeeStatus.RETIRED},
        actor=org.admin.user,
    )
    assert compliance_report(agency_id=org.agency.pk, year=today.year)["total"]["headcount"] == 7
    assert_summary_is_live(org.agency.pk)
    # a new OPD, and a unit moved under another OPD
    committed(
        people_services.org_unit_create,
        agency=org.agency,
        code="X1",
        name="Badan Baru",
        kind="dinas",
        actor=org.admin.user,
    )
    committed(people_services.org_unit_move, unit=org.bidang, new_parent=org.other_dinas, actor=org.admin.user)
    assert_summary_is_live(org.agency.pk)
    # the other agency's figures stayed its own
    assert_summary_is_live(org.other_agency.pk)


def test_jp_recorded_by_another_agency_counts_for_the_employee(org: Any, committed: Callable[..., Any]) -> None:
    """The found defect: JP an employee earned while seconded, recorded by the host agency, was missed."""
    today = timezone.localdate()
    LearningRecord.objects.create(  # recorded by Pontianak while Staf Satu was seconded there
        employee=org.staff,
        agency=org.other_agency,
        year=today.year,
        date=today,
        jp=Decimal("12"),
        title="Diklat di instansi tempat diperbantukan",
        source_type="test",
        source_id="seconded",
        status=VerificationStatus.VERIFIED,
    )
    committed(credit, org.staff, "8", today, 1)  # 12 + 8 = 20: met
    report = compliance_report(agency_id=org.agency.pk, year=today.year)
    assert report["total"]["met"] == 1 and report["total"]["jp"] == Decimal("20")
    assert_summary_is_live(org.agency.pk)
    # and Pontianak's own report does not claim Staf Satu
    assert compliance_report(agency_id=org.other_agency.pk, year=today.year)["total"]["jp"] == Decimal("0")


def test_page_and_export_read_the_summary_and_say_when(org: Any, committed: Callable[..., Any]) -> None:
    today = timezone.localdate()
    committed(credit, org.staff, "20", today, 1)
    c = client_for(org.admin)
    r = c.get(reverse("training:report-compliance"))
    assert r.context["report"]["total"]["met"] == 1
    assert r.context["computed_at"] == summaries.computed_at(compliance.KIND, org.agency.pk) is not None
    assert "Data dihitung pada" in r.content.decode()


def test_page_queries_stay_constant(org: Any, committed: Callable[..., Any]) -> None:
    c = client_for(org.admin)
    url = reverse("training:report-compliance")
    with CaptureQueriesContext(connection) as small:
        assert len(c.get(url).context["report"]["rows"]) == 3
    for i in range(8):
        EmployeeFactory.create_batch(3, unit=OrgUnitFactory(agency=org.agency, name=f"Badan {i}"))
    summaries.refresh_all([org.agency.pk])
    with CaptureQueriesContext(connection) as large:
        assert len(c.get(url).context["report"]["rows"]) == 11
    assert len(large.captured_queries) == len(small.captured_queries)
