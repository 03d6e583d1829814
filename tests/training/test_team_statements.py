"""The head's "Pelatihan tim" reads its team's JP page and pending requests through statements compiled once per
process (issue #13): they give the rows the ORM gives, for every kind of user, page and year, and the JP per member
and the team's counts equal the previous definition (a JP subquery per member, counted again for the target)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Count, Q, Window
from django.utils import timezone

from asn_portal import summaries
from asn_portal.models import SummaryState
from people.access import team_q
from people.choices import ACTIVE_STATUSES
from people.models import Employee
from tests.people.factories import EmployeeFactory
from training import rules
from training.choices import VerificationStatus
from training.enrolment import selectors as enrolment_selectors
from training.ledger import selectors as ledger_selectors
from training.ledger import services as ledger_services
from training.models import LearningRecord

from .factories import OfferingFactory, enrolled

pytestmark = pytest.mark.django_db


def _credit(emp: Any, jp: str, on: dt.date, source: str, actor: Any) -> LearningRecord:
    return ledger_services.learning_credit(
        employee=emp, jp=Decimal(jp), on_date=on, title="Diklat", source_type="test", source_id=source, actor=actor
    )


def _team(org: Any) -> None:
    """Thirty more people under the head (some in the bidang, one retired) with verified lines this year and last
    year (some reaching 20 JP, some not, one with several lines), a pending line, and the heads' own lines."""
    today = timezone.localdate()
    last_year = today.replace(year=today.year - 1, day=1)
    actor = org.admin.user
    people = [
        EmployeeFactory(unit=org.bidang if i % 3 == 0 else org.dinas, position=org.staff.position, name=f"Anggota {i}")
        for i in range(30)
    ]
    people.append(EmployeeFactory(unit=org.dinas, position=org.staff.position, name="Anggota 0"))  # a namesake
    retired = EmployeeFactory(unit=org.dinas, position=org.staff.position, name="Purna", status="retired")
    for i, emp in enumerate([*people, retired]):
        if i % 4 == 0:
            _credit(emp, "24", today, f"a{i}", actor)
        elif i % 4 == 1:
            _credit(emp, "12.5", today, f"b{i}", actor)
            _credit(emp, "7.5", today, f"c{i}", actor)  # 20 JP from two lines: meets the target
        elif i % 4 == 2:
            _credit(emp, "3.25", today, f"d{i}", actor)
            _credit(emp, "30", last_year, f"e{i}", actor)
    pending = _credit(people[3], "40", today, "pending", actor)
    LearningRecord.objects.filter(pk=pending.pk).update(status=VerificationStatus.PENDING)
    _credit(org.head, "5", today, "head", actor)
    _credit(org.bidang_head, "25", today, "bidang-head", actor)


def _previous_definition(user: Any, year: int) -> list[Employee]:
    """The team's JP as the page read it before: a JP subquery per member, evaluated again for the count."""
    jp = ledger_selectors.jp_subquery(year)
    return list(
        Employee.objects.filter(team_q(user), status__in=ACTIVE_STATUSES)
        .select_related("unit")
        .annotate(jp=jp)
        .annotate(
            team_total=Window(Count("pk")),
            team_below=Window(Count("pk", filter=Q(jp__lt=rules.JP_TARGET))),
        )
        .order_by("jp", "name", "pk")
    )


def _shown(rows: list[Employee]) -> list[tuple[Any, ...]]:
    # str(jp): the same digits (the page's fragment key is the repr of the values it shows)
    return [
        (e.pk, e.full_name, e.unit_id, e.unit.name if e.unit_id else None, str(e.jp), e.team_total, e.team_below)  # type: ignore[attr-defined]
        for e in rows
    ]


def test_team_jp_pages_equal_the_previous_definition_for_every_user_page_and_year(org: Any) -> None:
    _team(org)
    year = timezone.localdate().year
    users = [org.head, org.bidang_head, org.other_head, org.admin, org.staff]
    for emp in users:
        for y in (year, year - 1, 2000):
            expected = _shown(_previous_definition(emp.user, y))
            for start, stop in ((0, 26), (25, 51), (10, 12), (500, 526), (525, 551)):
                rows = ledger_selectors.TeamJp(user=emp.user, year=y)[start:stop]
                assert _shown(rows) == expected[start:stop], (emp.name, y, start)
                assert _shown(list(ledger_selectors.team_jp(user=emp.user, year=y)[start:stop])) == expected[start:stop]
    head_rows = _shown(ledger_selectors.TeamJp(user=org.head.user, year=year)[0:26])
    below, total = ledger_selectors.team_below_target_count(user=org.head.user, year=year)
    assert (head_rows[0][5], head_rows[0][6]) == (total, below)
    assert total >= 35 and total - below == 17  # 24 JP or 12.5 + 7.5 JP: 16 of the 31, and the bidang head
    windows = ledger_selectors._TEAM_JP_PAGES.compiled_windows()
    assert (0, 26) in windows  # a head's first page went through its statement; a page past 520 rows did not
    assert (500, 526) not in windows and all(stop <= ledger_selectors._TEAM_JP_PAGES.max_rows for _s, stop in windows)


def test_team_jp_statement_follows_a_new_line_and_a_move(org: Any) -> None:
    _team(org)
    year = timezone.localdate().year
    before = _shown(ledger_selectors.TeamJp(user=org.head.user, year=year)[0:26])
    lowest = Employee.objects.get(pk=before[0][0])
    _credit(lowest, "20", timezone.localdate(), "late", org.admin.user)
    Employee.objects.filter(pk=before[1][0]).update(unit=org.other_dinas)
    after = _shown(ledger_selectors.TeamJp(user=org.head.user, year=year)[0:26])
    assert after == _shown(_previous_definition(org.head.user, year))[0:26]
    assert after[0][5] == before[0][5] - 1 and after[0][6] == before[0][6] - 2


def _request_rows(rows: list[Any]) -> list[tuple[Any, ...]]:
    return [
        (
            e.pk,
            e.employee.full_name,
            e.employee.unit.name,
            e.offering_id,
            e.offering.course.title,
            e.offering.name,
            e.offering.start_date,
        )
        for e in rows
    ]


def test_head_requests_shown_equal_the_orm_for_every_user(org: Any) -> None:
    offering = OfferingFactory(course__agency=org.agency, capacity=100)
    for emp in (org.staff, org.staff2, org.bidang_staff, org.other_staff, org.head):
        enrolled(offering, emp, status="requested")
    enrolled(OfferingFactory(course__agency=org.agency), org.staff, status="enrolled")
    for emp in (org.head, org.bidang_head, org.other_head, org.admin, org.staff):
        expected = list(
            enrolment_selectors.requests_for_head(user=emp.user).only(*enrolment_selectors.REQUEST_ROW_COLUMNS)[:50]
        )
        assert _request_rows(enrolment_selectors.requests_for_head_shown(user=emp.user)) == _request_rows(expected)
    assert len(enrolment_selectors.requests_for_head_shown(user=org.head.user)) == 3  # staff, staff2, bidang staff


def test_computed_at_reads_the_state_row(org: Any) -> None:
    assert summaries.computed_at("training.test-kind", org.agency.pk) is None
    assert summaries.computed_at("training.test-kind", None) is None
    at = timezone.now().replace(microsecond=123456)
    SummaryState.objects.create(kind="training.test-kind", agency_id=org.agency.pk, computed_at=at)
    SummaryState.objects.create(kind="training.other-kind", agency_id=org.agency.pk, computed_at=at - dt.timedelta(1))
    assert summaries.computed_at("training.test-kind", org.agency.pk) == at
    assert summaries.computed_at("training.test-kind", org.other_agency.pk) is None
