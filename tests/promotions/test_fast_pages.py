"""Issue #13: the promotions pages stay cheap at 50,000 employees and still show the same things."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from people.models import DisciplinarySanction
from promotions import reference, selectors
from promotions.models import CivilServiceExam, EducationRankCap, RuleSet
from promotions.queue import services as queue_services
from tests.people.factories import EmployeeFactory, OrgUnitFactory, PositionFactory
from tests.promotions.factories import give_predikat, period, reference_data, set_rank

DEC = dt.date(2026, 12, 1)


def client_for(emp: Any) -> Client:
    c = Client()
    c.force_login(emp.user)
    return c


@pytest.mark.django_db
def test_vacancy_picker_counts_holders_against_a_headcount_above_one(org: Any, refdata: None) -> None:
    """The picker stops reading holders at the headcount-th one; the answer is the same as counting them."""
    half = PositionFactory(unit=org.dinas, kind="pengawas", headcount=3, title="Analis Setengah")
    EmployeeFactory.create_batch(2, unit=org.dinas, position=half)
    full = PositionFactory(unit=org.dinas, kind="pengawas", headcount=3, title="Analis Penuh")
    EmployeeFactory.create_batch(3, unit=org.dinas, position=full)
    over = PositionFactory(unit=org.dinas, kind="pengawas", headcount=2, title="Analis Lebih")
    EmployeeFactory.create_batch(3, unit=org.dinas, position=over)
    leave = PositionFactory(unit=org.dinas, kind="pengawas", headcount=2, title="Analis Cuti")
    EmployeeFactory(unit=org.dinas, position=leave)
    EmployeeFactory(unit=org.dinas, position=leave, status="leave")  # on leave still holds the place
    none = PositionFactory(unit=org.dinas, kind="pengawas", headcount=0, title="Analis Tanpa Formasi")
    listed = set(selectors.vacancy_open_positions(user=org.admin.user).values_list("pk", flat=True))
    assert {p.pk: p.pk in listed for p in (half, full, over, leave, none)} == {
        half.pk: True,
        full.pk: False,
        over.pk: False,
        leave.pk: False,
        none.pk: False,
    }


@pytest.mark.django_db
def test_queue_unit_filter_keeps_the_subtree_and_lists_only_visible_units(org: Any, today: dt.date) -> None:
    for head in (org.head, org.bidang_head, org.other_head):
        set_rank(head, "IV/a", dt.date(2018, 4, 1))
    give_predikat([org.staff, org.staff2, org.bidang_staff, org.other_staff], [2024, 2025])
    kp = period(DEC)
    queue_services.queue_build(period=kp, agency_id=org.agency.pk, actor=None)
    foreign_unit = OrgUnitFactory(agency=org.other_agency, name="Dinas Luar Negeri")
    admin = client_for(org.admin)
    html = admin.get(f"/kenaikan-pangkat/periode/{kp.pk}/?unit={org.dinas.pk}").content.decode()
    assert org.bidang_staff.full_name in html and org.staff.full_name in html  # the Bidang is inside the Dinas
    assert org.other_staff.full_name not in html
    assert f'<option value="{org.dinas.pk}" selected>Dinas Kesehatan</option>' in html
    assert "Dinas Luar Negeri" not in html
    # Another agency's unit is not a choice: it narrows nothing to that agency (the list stays the admin's own).
    refused = admin.get(f"/kenaikan-pangkat/periode/{kp.pk}/?unit={foreign_unit.pk}").content.decode()
    assert org.foreign_staff.full_name not in refused and "Dinas Luar Negeri" not in refused
    head = client_for(org.bidang_head).get(f"/kenaikan-pangkat/periode/{kp.pk}/").content.decode()
    assert f'<option value="{org.bidang.pk}"' in head and f'<option value="{org.other_dinas.pk}"' not in head


# Outside a transaction (as a web request runs): committed rows, reference data from the loaders.
@pytest.mark.django_db(transaction=True)
def test_reference_tables_are_read_once_and_again_after_an_admin_edit(org: Any) -> None:
    reference_data()
    first = reference.current()
    with CaptureQueriesContext(connection) as warm:
        again = reference.current()
        selectors.load_tables()
        selectors.active_rule_version()
    assert again is first and len(warm.captured_queries) == 0
    cap = EducationRankCap.objects.get(education_level="slta")
    assert first.tables.education_caps["slta"] == "III/b"
    cap.max_rank_code = "III/c"
    cap.save()  # as the admin saves it
    assert reference.current().tables.education_caps["slta"] == "III/c"
    RuleSet.objects.filter(is_active=True).update(is_active=False)  # no signal: a bulk write ...
    RuleSet.objects.create(version="KP-2027.1", effective_from=dt.date(2027, 1, 1), is_active=True)  # ... then a save
    assert selectors.active_rule_version() == "KP-2027.1"


@pytest.mark.django_db(transaction=True)
def test_a_warm_outlook_reads_only_the_persons_own_rows(org: Any) -> None:
    reference_data()
    set_rank(org.head, "IV/a", dt.date(2018, 4, 1))
    set_rank(org.staff, "III/b", dt.date(2019, 4, 1))
    give_predikat([org.staff], [2024, 2025])
    reference.current()
    with CaptureQueriesContext(connection) as ctx:
        outlook = selectors.promotion_outlook(org.staff, today=dt.date(2026, 11, 13))
    sql = " ".join(q["sql"] for q in ctx.captured_queries)
    assert outlook.applicable and outlook.target_rank is not None and outlook.target_rank.code == "III/c"
    assert "promotions_educationrankcap" not in sql and "promotions_ruleset" not in sql
    assert 'FROM "people_rank"' not in sql
    # one precompiled statement: the employee with exams, sanctions, predikat and the superior's rank
    assert len(ctx.captured_queries) == 1


@pytest.mark.django_db
def test_one_persons_facts_equal_the_agency_wide_load(org: Any, refdata: None) -> None:
    """The outlook's short path (exams and sanctions as arrays on the employee row) reads the same facts as the
    queue build's set-based load."""
    set_rank(org.head, "IV/a", dt.date(2018, 4, 1))
    set_rank(org.staff, "II/d", dt.date(2019, 4, 1))
    give_predikat([org.staff, org.staff2], [2024, 2025])
    CivilServiceExam.objects.create(employee=org.staff, level="tingkat_i", exam_date=dt.date(2020, 1, 1))
    DisciplinarySanction.objects.create(
        employee=org.staff, level="ringan", description="teguran", start_date=dt.date(2026, 3, 1),
        end_date=dt.date(2027, 3, 1),
    )  # fmt: skip
    DisciplinarySanction.objects.create(
        employee=org.staff,
        level="sedang",
        description="lama",
        start_date=dt.date(2020, 1, 1),
        end_date=dt.date(2021, 1, 1),
    )  # fmt: skip — ended long before: in neither load
    DisciplinarySanction.objects.create(employee=org.staff2, level="berat", description="x", start_date=DEC)
    as_of = DEC
    wide = {f.employee_id: f for f in selectors.load_rank_facts(agency_id=org.agency.pk, as_of=as_of).facts}
    for emp in (org.staff, org.staff2):
        (one,) = selectors.load_rank_facts(employee_ids=[emp.pk], as_of=as_of).facts
        assert one == wide[emp.pk]
        assert selectors.one_persons_facts(emp.pk, as_of=as_of) == wide[emp.pk]  # the outlook's single statement
    assert wide[org.staff.pk].supervisor_rank_order is not None
    assert wide[org.staff.pk].predikat == {2024: "baik", 2025: "baik"}
    # a Plt. override as superior, and an override pointing at oneself (no superior): still the same facts
    org.staff2.supervisor_override = org.bidang_head
    org.staff2.save()
    set_rank(org.bidang_head, "III/d", dt.date(2017, 4, 1))
    org.staff.supervisor_override = org.staff
    org.staff.save()
    wide = {f.employee_id: f for f in selectors.load_rank_facts(agency_id=org.agency.pk, as_of=as_of).facts}
    for emp in (org.staff, org.staff2, org.bidang_staff):
        assert selectors.one_persons_facts(emp.pk, as_of=as_of) == wide[emp.pk]
    assert wide[org.staff2.pk].supervisor_rank_order == 12 and wide[org.staff.pk].supervisor_rank_order is None
    org.staff2.employment_type = "pppk"
    org.staff2.save()
    assert selectors.one_persons_facts(org.staff2.pk, as_of=as_of) is None  # KP does not apply: no outlook facts
    assert wide[org.staff.pk].exams == frozenset({"tingkat_i"})
    assert [s.start for s in wide[org.staff.pk].sanctions] == [dt.date(2026, 3, 1)]
    assert [s.end for s in wide[org.staff2.pk].sanctions] == [None]


@pytest.mark.django_db
def test_the_outlooks_single_statement_reads_what_the_batch_load_reads(org: Any, refdata: None) -> None:
    """`one_persons_facts` (compiled once with stand-in values) against the set-based load, for a superior
    by post, a Plt. override, nobody above, predikat inside and outside the evaluated years, a PPPK (no facts)
    and two dates (the placeholders are filled per call)."""
    set_rank(org.head, "IV/a", dt.date(2018, 4, 1))
    set_rank(org.bidang_head, "III/d", dt.date(2017, 4, 1))
    set_rank(org.staff, "III/b", dt.date(2019, 4, 1))
    set_rank(org.staff2, "III/a", dt.date(2020, 10, 1), supervisor_override=org.bidang_head)
    set_rank(org.bidang_staff, "II/c", dt.date(2021, 4, 1))
    pppk = EmployeeFactory(unit=org.dinas, name="Pegawai PPPK", employment_type="pppk")
    give_predikat([org.staff, org.staff2], [2016, 2019, 2024])
    give_predikat([org.bidang_staff], [2025], value="sangat_baik")
    CivilServiceExam.objects.create(employee=org.staff2, level="tingkat_i", exam_date=dt.date(2020, 1, 1))
    DisciplinarySanction.objects.create(
        employee=org.bidang_staff,
        level="ringan",
        description="teguran",
        start_date=dt.date(2025, 12, 1),
        end_date=dt.date(2026, 2, 1),
    )  # fmt: skip — in force for a period within a year of its end
    people = [org.head, org.bidang_head, org.staff, org.staff2, org.bidang_staff, pppk]
    for as_of in (DEC, dt.date(2027, 4, 1)):
        for emp in people:
            batch = selectors.load_rank_facts(employee_ids=[emp.pk], as_of=as_of)
            single = selectors.one_persons_facts(emp.pk, as_of=as_of)
            assert ([single] if single is not None else []) == batch.facts
    facts = {f.employee_id: f for f in selectors.load_rank_facts(agency_id=org.agency.pk, as_of=DEC).facts}
    assert pppk.pk not in facts
    assert facts[org.staff2.pk].supervisor_rank_order == rank_order("III/d")  # the override, not the post
    assert sorted(facts[org.staff.pk].predikat) == [2019, 2024]  # 2016 is outside the evaluated years
    assert facts[org.head.pk].supervisor_rank_order is None
    assert [s.start for s in facts[org.bidang_staff.pk].sanctions] == [dt.date(2025, 12, 1)]


def rank_order(code: str) -> int:
    from tests.people.factories import rank

    return int(rank(code).order)


def _live(kp: Any, agency_id: int) -> dict[str, int]:
    from promotions.models import QueueEntry

    rows = QueueEntry.objects.filter(period=kp, agency_id=agency_id)
    return {s: rows.filter(status=s).count() for s in ("eligible", "near", "blocked", "proposed")}


@pytest.mark.django_db
def test_queue_figures_come_from_summary_rows_that_follow_proposals_and_rejections(org: Any, today: dt.date) -> None:
    from promotions.proposals import services as proposal_services

    for head in (org.head, org.bidang_head, org.other_head):
        set_rank(head, "IV/a", dt.date(2018, 4, 1))
    give_predikat([org.staff, org.staff2, org.bidang_staff, org.other_staff], [2024, 2025])
    kp = period(DEC)
    queue_services.queue_build(period=kp, agency_id=org.agency.pk, actor=None)

    def summary() -> dict[str, int]:
        return selectors.queue_summary(period_ids=[kp.pk], agency_ids=[org.agency.pk])[kp.pk].counts

    assert summary() == _live(kp, org.agency.pk) and summary()["eligible"] >= 2
    proposal = proposal_services.proposal_create(employee=org.staff, period=kp, actor=org.admin.user)
    assert summary() == _live(kp, org.agency.pk) and summary()["proposed"] == 1
    proposal_services.proposal_reject(proposal=proposal, reason="SKP belum ditandatangani", actor=org.admin.user)
    assert summary() == _live(kp, org.agency.pk) and summary()["proposed"] == 0
    # The admin's pages read the summary: no COUNT over the queue, and they say when the figures were computed.
    admin = client_for(org.admin)
    with CaptureQueriesContext(connection) as ctx:
        html = admin.get(f"/kenaikan-pangkat/periode/{kp.pk}/").content.decode()
    assert not [q for q in ctx.captured_queries if "COUNT(" in q["sql"] and "promotions_queueentry" in q["sql"]]
    assert 'data-testid="counts-at"' in html and f"{sum(summary().values())} pegawai" in html
    tab = admin.get(f"/kenaikan-pangkat/periode/{kp.pk}/?status=eligible").content.decode()
    assert f"{summary()['eligible']} pegawai" in tab
    index = admin.get("/kenaikan-pangkat/").content.decode()
    assert "antrean dihitung" in index
    # A head's figures are their units' rows, counted live.
    head = client_for(org.bidang_head)
    head_html = head.get(f"/kenaikan-pangkat/periode/{kp.pk}/").content.decode()
    assert 'data-testid="counts-at"' not in head_html
    # Their sum is the pager's total (no COUNT of its own): the rows the access rule gives, per status tab too.
    from people.access import employee_q
    from promotions.models import QueueEntry

    head_rows = QueueEntry.objects.filter(period=kp).filter(employee_q(org.bidang_head.user, "employee__"))
    assert head_rows.count() >= 2 and f"{head_rows.count()} pegawai" in head_html
    for status in ("eligible", "near", "blocked", "proposed"):
        tab = head.get(f"/kenaikan-pangkat/periode/{kp.pk}/?status={status}").content.decode()
        assert f"{head_rows.filter(status=status).count()} pegawai" in tab


@pytest.mark.django_db
def test_a_one_agency_admins_precompiled_reads_equal_the_orm(org: Any, today: dt.date) -> None:
    """The queue page of a BKD admin of one agency reads its rows (every status tab, every page), the summary, the
    BKN batches and the unit picker through statements compiled once: the same rows as the ORM's querysets."""
    from django.db.models import Count

    from people.access import unit_q
    from people.models import OrgUnit
    from promotions.filters import _unit_rows
    from promotions.models import ProposalBatch, QueueCountSummary
    from promotions.proposals import services as proposal_services
    from promotions.templatetags.promotion_tables import queue_table_values

    for head in (org.head, org.bidang_head, org.other_head):
        set_rank(head, "IV/a", dt.date(2018, 4, 1))
    EmployeeFactory.create_batch(7, unit=org.bidang)
    give_predikat([org.staff, org.staff2, org.bidang_staff, org.other_staff], [2024, 2025])
    kp = period(DEC)
    for agency in (org.agency, org.other_agency):
        queue_services.queue_build(period=kp, agency_id=agency.pk, actor=None)
    proposal_services.proposal_create(employee=org.staff, period=kp, actor=org.admin.user)
    batch = ProposalBatch.objects.create(
        agency=org.agency, period=kp, number=1, sent_at=dt.datetime(2026, 11, 10, tzinfo=dt.UTC)
    )
    ProposalBatch.objects.create(
        agency=org.other_agency, period=kp, number=1, sent_at=dt.datetime(2026, 11, 10, tzinfo=dt.UTC)
    )

    class Request:
        pass

    user = org.admin.user
    base = selectors.queue_visible_to(user=user, period=kp)
    for status in (None, "eligible", "near", "blocked", "proposed"):
        page = selectors.queue_page(user=user, period=kp, status=status)
        assert page is not None
        orm = queue_table_values(base.filter(status=status) if status else base)
        expected = list(orm)
        assert page[0:1000] == expected, status
        assert page[2:5] == list(orm[2:5]) and page[len(expected) : len(expected) + 50] == []
    assert len(list(queue_table_values(base))) >= 10
    assert selectors.queue_page(user=user, period=kp, status="bogus") is None
    # A head: their own row and their units' people, with the figures counted live.
    for head in (org.head, org.bidang_head):
        head_user = head.user
        visible = selectors.queue_visible_to(user=head_user, period=kp)
        for status in (None, "eligible", "near", "blocked", "proposed"):
            page = selectors.queue_page(user=head_user, period=kp, status=status)
            assert page is not None
            assert page[0:1000] == list(queue_table_values(visible.filter(status=status) if status else visible))
        counts = selectors.queue_counts_for(user=head_user, period=kp)
        assert counts.live and counts.counts == selectors.queue_counts(visible)
        assert sum(counts.counts.values()) >= 2
        request = Request()
        request.user = head_user  # type: ignore[attr-defined]
        assert _unit_rows(request) == list(
            OrgUnit.objects.filter(unit_q(head_user)).order_by("path").values_list("pk", "name", "path")
        )
    # Anyone else (a superuser, an admin of several agencies or who also heads a unit) takes the ORM's path.
    from people.models import AgencyRole

    AgencyRole.objects.create(user=org.head.user, agency=org.agency, role="hr_admin")
    assert (
        selectors.queue_page(user=type(org.head.user).objects.get(pk=org.head.user.pk), period=kp, status=None) is None
    )
    # The summary of one agency, the batches with their proposal counts, the unit picker's rows.
    summary = selectors.queue_summary(period_ids=[kp.pk], agency_ids=[org.agency.pk])[kp.pk]
    rows = QueueCountSummary.objects.filter(period=kp, agency=org.agency)
    assert summary.counts == {
        **dict.fromkeys(("eligible", "near", "blocked", "proposed"), 0),
        **dict(rows.values_list("status", "n")),
    }
    assert summary.computed_at == min(rows.values_list("computed_at", flat=True))
    batches = selectors.batches_visible_to(user=user, period=kp)
    orm_batches = ProposalBatch.objects.filter(period=kp, agency_id__in=[org.agency.pk]).annotate(n=Count("proposals"))
    assert (
        [(b.pk, b.number, b.n) for b in batches] == [(b.pk, b.number, b.n) for b in orm_batches] == [(batch.pk, 1, 0)]
    )

    request = Request()
    request.user = user  # type: ignore[attr-defined]
    assert _unit_rows(request) == list(
        OrgUnit.objects.filter(unit_q(user)).order_by("path").values_list("pk", "name", "path")
    )


@pytest.mark.django_db
def test_a_unit_filters_precompiled_rows_and_total_equal_the_orms(org: Any, today: dt.date) -> None:
    """The queue page filtered to one unit (and a status tab) for a one-agency BKD admin or a head reads its rows and
    its total through statements compiled once: for every unit the user may pick and every tab, the same rows in
    the same order and the same count as QueueFilter over `queue_visible_to` gives."""
    from promotions.filters import QueueFilter
    from promotions.proposals import services as proposal_services
    from promotions.templatetags.promotion_tables import queue_table_values

    for head in (org.head, org.bidang_head, org.other_head):
        set_rank(head, "IV/a", dt.date(2018, 4, 1))
    EmployeeFactory.create_batch(6, unit=org.bidang)
    EmployeeFactory.create_batch(3, unit=org.dinas)
    deep = OrgUnitFactory(agency=org.agency, parent=org.bidang, name="Seksi Dalam", kind="seksi")
    EmployeeFactory.create_batch(2, unit=deep)
    give_predikat([org.staff, org.staff2, org.bidang_staff, org.other_staff], [2024, 2025])
    kp = period(DEC)
    for agency in (org.agency, org.other_agency):
        queue_services.queue_build(period=kp, agency_id=agency.pk, actor=None)
    proposal_services.proposal_create(employee=org.staff, period=kp, actor=org.admin.user)
    # Moved to another agency after the build: their row keeps its unit, the live scope drops it.
    moved = EmployeeFactory(unit=org.bidang)
    queue_services.queue_build(period=kp, agency_id=org.agency.pk, actor=None)
    moved.agency, moved.unit = org.other_agency, org.foreign_staff.unit
    moved.save(update_fields=["agency", "unit"])

    class Request:
        def __init__(self, user: Any) -> None:
            self.user = user

    checked = 0
    for user in (org.admin.user, org.head.user, org.bidang_head.user, org.other_head.user):
        visible = selectors.queue_visible_to(user=user, period=kp)
        units = QueueFilter({}, queryset=visible, request=Request(user))._units()
        assert units
        for pk, _name, path in units:
            for status in (None, "eligible", "near", "blocked", "proposed"):
                data = {"unit": str(pk), **({"status": status} if status else {})}
                orm = QueueFilter(data, queryset=visible, request=Request(user)).qs
                page = selectors.queue_page(user=user, period=kp, status=status, unit_path=path)
                assert page is not None
                expected = list(queue_table_values(orm))
                assert page[0:1000] == expected, (user, pk, status)
                assert page[1:3] == expected[1:3]
                assert page.count() == orm.count() == len(expected), (user, pk, status)
                checked += len(expected)
    assert checked >= 30
    # The page: the unit's rows and their total, in the fixed number of queries of the unfiltered page (the
    # summary figures' query gives way to the unit's grouped count).
    admin = client_for(org.admin)
    url = f"/kenaikan-pangkat/periode/{kp.pk}/?unit={org.dinas.pk}"
    admin.get(url)
    with CaptureQueriesContext(connection) as queries:
        html = admin.get(url).content.decode()
    inside = QueueFilter(
        {"unit": str(org.dinas.pk)}, queryset=selectors.queue_visible_to(user=org.admin.user, period=kp)
    )
    inside.request = Request(org.admin.user)
    assert f"{inside.qs.count()} pegawai" in html and moved.full_name not in html
    # 1 session, 2 user, 3 scope, 4 the period, 5 the figures per status (summary rows), 6 the unit picker's units,
    # 7 the unit's rows per status (the pager's total), 8 the page of rows, 9 batches, 10 notification badge,
    # 11 the access log's insert (Redis in production).
    assert len(queries.captured_queries) == 11
    sqls = [q["sql"] for q in queries.captured_queries]
    assert any("GROUP BY" in sql and "LIKE" in sql for sql in sqls)  # the precompiled count, no ORM COUNT(*)
    assert not any("COUNT(*)" in sql and "promotions_queueentry" in sql for sql in sqls)


@pytest.mark.django_db
def test_a_heads_figures_and_page_read_together_equal_the_orms(org: Any, today: dt.date) -> None:
    """A head's queue page reads its figures and its page of rows in one statement that finds their rows once
    (`head_queue_read`): for every status tab and page (numbers as the pager reads them, out of range included),
    the same figures as `queue_counts` and the same rows as the ORM's page; visibility by each employee's current
    unit (someone moved out after the build is gone); anyone but a head, or an unknown tab, takes the other path."""
    from django.core.paginator import Paginator

    from people.models import AgencyRole
    from promotions.proposals import services as proposal_services
    from promotions.templatetags.promotion_tables import queue_table_values

    for head in (org.head, org.bidang_head, org.other_head):
        set_rank(head, "IV/a", dt.date(2018, 4, 1))
    EmployeeFactory.create_batch(6, unit=org.bidang)
    EmployeeFactory.create_batch(3, unit=org.dinas)
    give_predikat([org.staff, org.staff2, org.bidang_staff, org.other_staff], [2024, 2025])
    kp = period(DEC)
    for agency in (org.agency, org.other_agency):
        queue_services.queue_build(period=kp, agency_id=agency.pk, actor=None)
    proposal_services.proposal_create(employee=org.staff, period=kp, actor=org.admin.user)
    moved = EmployeeFactory(unit=org.bidang)
    queue_services.queue_build(period=kp, agency_id=org.agency.pk, actor=None)
    moved.agency, moved.unit = org.other_agency, org.foreign_staff.unit
    moved.save(update_fields=["agency", "unit"])

    per_page, checked = 3, 0
    for head in (org.head, org.bidang_head, org.other_head):
        visible = selectors.queue_visible_to(user=head.user, period=kp)
        assert moved.pk not in set(visible.values_list("employee_id", flat=True))
        for status in (None, "eligible", "near", "blocked", "proposed"):
            rows = queue_table_values(visible.filter(status=status) if status else visible)
            for number in (None, "", "1", "2", "3", "4", "99", "0", "-1", "x", "2.0", "10000000000000"):
                with CaptureQueriesContext(connection) as one:
                    read = selectors.head_queue_read(
                        user=head.user, period=kp, status=status, page=number, per_page=per_page
                    )
                assert read is not None and len(one.captured_queries) == 1
                assert read.figures.live and read.figures.counts == selectors.queue_counts(visible)
                total = read.figures.counts[status] if status else sum(read.figures.counts.values())
                assert total == rows.count()
                paginator: Paginator[Any] = Paginator(read.rows, per_page)
                paginator.__dict__["count"] = total
                expected_paginator = Paginator(rows, per_page)
                page = paginator.get_page(number)
                assert page.number == expected_paginator.get_page(number).number
                expected = list(expected_paginator.get_page(number).object_list)
                assert list(page.object_list) == expected, (head, status, number)
                checked += len(expected)
    assert checked >= 30
    # A BKD admin, an unknown tab, a head who is also a BKD admin: the other path.
    assert selectors.head_queue_read(user=org.admin.user, period=kp, status=None, page=None, per_page=50) is None
    assert selectors.head_queue_read(user=org.head.user, period=kp, status="bogus", page=None, per_page=50) is None
    AgencyRole.objects.create(user=org.head.user, agency=org.agency, role="hr_admin")
    both = type(org.head.user).objects.get(pk=org.head.user.pk)
    assert selectors.head_queue_read(user=both, period=kp, status=None, page=None, per_page=50) is None
