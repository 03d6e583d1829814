"""Pages and API: status codes, scoping (404 for other agencies), query counts, bad input."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from promotions.models import PromotionProposal
from promotions.proposals import services as proposal_services
from promotions.queue import services as queue_services
from tests.conftest import api_as
from tests.pagetext import main_text
from tests.people.factories import EmployeeFactory, PositionFactory
from tests.promotions.factories import give_predikat, period, set_rank

pytestmark = pytest.mark.django_db
DEC = dt.date(2026, 12, 1)


@pytest.fixture
def setup(org: Any, today: dt.date, refdata: None) -> Any:
    for head in (org.head, org.bidang_head, org.other_head):
        set_rank(head, "IV/a", dt.date(2018, 4, 1))
    give_predikat([org.staff, org.staff2, org.bidang_staff, org.other_staff], [2024, 2025])
    queue_services.queue_build(period=period(DEC), agency_id=org.agency.pk, actor=None)
    return org


def client_for(emp: Any) -> Client:
    c = Client()
    c.force_login(emp.user)
    return c


def test_admin_sees_periods_and_the_queue(setup: Any) -> None:
    c = client_for(setup.admin)
    assert "1 Des 2026" in main_text(c.get("/kenaikan-pangkat/"))  # the December period is listed
    r = c.get(f"/kenaikan-pangkat/periode/{period(DEC).pk}/")
    assert r.status_code == 200
    assert setup.staff.name in r.content.decode()
    assert setup.foreign_staff.name not in r.content.decode()


def test_queue_filters_by_unit_and_status(setup: Any) -> None:
    c = client_for(setup.admin)
    r = c.get(f"/kenaikan-pangkat/periode/{period(DEC).pk}/", {"unit": setup.other_dinas.pk, "status": "eligible"})
    body = r.content.decode()
    assert setup.other_staff.name in body and setup.staff.name not in body


def test_head_sees_only_their_units_and_staff_is_refused(setup: Any) -> None:
    r = client_for(setup.bidang_head).get(f"/kenaikan-pangkat/periode/{period(DEC).pk}/")
    assert r.status_code == 200
    body = r.content.decode()
    assert setup.bidang_staff.name in body and setup.other_staff.name not in body
    assert client_for(setup.staff).get(f"/kenaikan-pangkat/periode/{period(DEC).pk}/").status_code == 403


def test_queue_page_query_count_is_constant(setup: Any) -> None:
    c = client_for(setup.admin)
    url = f"/kenaikan-pangkat/periode/{period(DEC).pk}/"
    c.get(url)
    with CaptureQueriesContext(connection) as few:
        assert c.get(url).status_code == 200
    more = [EmployeeFactory(unit=setup.dinas, position=setup.staff.position) for _ in range(40)]
    give_predikat(more, [2024, 2025])
    queue_services.queue_build(period=period(DEC), agency_id=setup.agency.pk, actor=None)
    with CaptureQueriesContext(connection) as many:
        assert c.get(url).status_code == 200
    # 1 session, 2 user, 3 scope (agency roles, own employee, headed units: one query), 4 the period,
    # 5 the queue's figures per status from the summary rows (which also give the page's total: no COUNT),
    # 6 notification badge, 7 units for the filter, 8 batches, 9 page of entries with employee, unit and
    # rank, 10 the access log's insert (Redis in production).
    assert len(many.captured_queries) == len(few.captured_queries) == 10


def test_propose_from_the_queue_page(setup: Any) -> None:
    c = client_for(setup.head)
    r = c.post(f"/kenaikan-pangkat/periode/{period(DEC).pk}/usulkan/", {"employee": setup.staff.pk})
    proposal = PromotionProposal.objects.get()
    assert r.status_code == 302 and r["Location"].endswith(f"/usulan/{proposal.pk}/")
    text = main_text(client_for(setup.admin).get(f"/kenaikan-pangkat/usulan/{proposal.pk}/"))
    assert f"Usulan KP #{proposal.pk}: {setup.staff.name}" in text, text
    assert client_for(setup.foreign_admin).get(f"/kenaikan-pangkat/usulan/{proposal.pk}/").status_code == 404
    assert client_for(setup.other_staff).get(f"/kenaikan-pangkat/usulan/{proposal.pk}/").status_code == 404


def test_approve_without_decree_shows_message_on_page(setup: Any) -> None:
    p = proposal_services.proposal_create(employee=setup.staff, period=period(DEC), actor=setup.admin.user)
    PromotionProposal.objects.filter(pk=p.pk).update(status="sent")
    c = client_for(setup.admin)
    r = c.post(f"/kenaikan-pangkat/usulan/{p.pk}/approve/", {"decree_number": ""}, follow=True)
    assert "Nomor SK wajib diisi" in r.content.decode()
    p.refresh_from_db()
    assert p.status == "sent"


def test_approve_with_an_impossible_decree_date_says_so_and_changes_nothing(setup: Any) -> None:
    p = proposal_services.proposal_create(employee=setup.staff, period=period(DEC), actor=setup.admin.user)
    PromotionProposal.objects.filter(pk=p.pk).update(status="sent")
    c = client_for(setup.admin)
    form = {"decree_number": "823/9", "decree_date": "2026-02-31"}
    r = c.post(f"/kenaikan-pangkat/usulan/{p.pk}/approve/", form, follow=True)
    body = r.content.decode()
    assert "Tanggal SK: Masukkan tanggal yang valid." in body
    assert "wajib diisi" not in body
    p.refresh_from_db()
    assert (p.status, p.decree_number) == ("sent", "")


def test_staff_sees_own_outlook_and_home_card(setup: Any) -> None:
    c = client_for(setup.staff)
    r = c.get("/kenaikan-pangkat/saya/")
    assert r.status_code == 200 and "III/c" in r.content.decode()
    home = c.get("/")
    assert 'data-testid="card-promotion-outlook"' in home.content.decode()


def test_vacancy_pages_and_foreign_scope(setup: Any) -> None:
    post = PositionFactory(unit=setup.dinas, kind="pengawas", headcount=1)
    c = client_for(setup.admin)
    r = c.post("/kenaikan-pangkat/lowongan/", {"position": post.pk})
    assert r.status_code == 302
    vacancy_url = r["Location"]
    assert f"Lowongan: {post.title}" in main_text(c.get(vacancy_url))
    assert client_for(setup.foreign_admin).get(vacancy_url).status_code == 404
    assert "Laporan merit promosi jabatan" in main_text(c.get("/kenaikan-pangkat/laporan-merit/"))


def test_vacancy_picker_lists_only_posts_with_a_free_place(setup: Any) -> None:
    free = PositionFactory(unit=setup.dinas, kind="pengawas", headcount=1, title="Kasi Bebas")
    full = PositionFactory(unit=setup.dinas, kind="pengawas", headcount=1, title="Kasi Penuh")
    EmployeeFactory(unit=setup.dinas, position=full)
    leaver = PositionFactory(unit=setup.dinas, kind="pengawas", headcount=1, title="Kasi Pensiun")
    EmployeeFactory(unit=setup.dinas, position=leaver, status="retired")  # a retired holder frees the place
    running = PositionFactory(unit=setup.dinas, kind="pengawas", headcount=2, title="Kasi Berjalan")
    inactive = PositionFactory(unit=setup.dinas, kind="pengawas", headcount=1, title="Kasi Nonaktif", is_active=False)
    foreign = PositionFactory(unit=setup.foreign_staff.unit, kind="pengawas", headcount=1, title="Kasi Pontianak")
    c = client_for(setup.admin)
    assert c.post("/kenaikan-pangkat/lowongan/", {"position": running.pk}).status_code == 302
    html = c.get("/kenaikan-pangkat/lowongan/").content.decode()
    options = {p.pk: f'<option value="{p.pk}"' in html for p in (free, full, leaver, running, inactive, foreign)}
    assert options == {free.pk: True, full.pk: False, leaver.pk: True, running.pk: False, inactive.pk: False,
                       foreign.pk: False}  # fmt: skip


# ---------------------------------------------------------------- API


def test_api_outlook_is_scoped(setup: Any) -> None:
    api = api_as(setup.staff)
    r = api.get(f"/api/v1/employees/{setup.staff.pk}/promotion-outlook/")
    assert r.status_code == 200
    assert r.json()["target_rank_code"] == "III/c" and r.json()["eligible_now"] is True
    assert api.get(f"/api/v1/employees/{setup.staff2.pk}/promotion-outlook/").status_code == 404
    assert api_as(setup.foreign_admin).get(f"/api/v1/employees/{setup.staff.pk}/promotion-outlook/").status_code == 404


def test_api_queue_list_constant_queries(setup: Any) -> None:
    api = api_as(setup.admin)
    url = f"/api/v1/rank-promotion-queue/?period={period(DEC).pk}"
    api.get(url)
    with CaptureQueriesContext(connection) as few:
        r = api.get(url)
    assert r.status_code == 200
    more = [EmployeeFactory(unit=setup.dinas, position=setup.staff.position) for _ in range(40)]
    give_predikat(more, [2024, 2025])
    queue_services.queue_build(period=period(DEC), agency_id=setup.agency.pk, actor=None)
    with CaptureQueriesContext(connection) as many:
        r2 = api.get(url)
    assert len(r2.json()["results"]) > len(r.json()["results"]) and "count" not in r2.json()
    # scope cached on the API user: 1 the period, 2 keyset page of entries with employee, unit and rank (no
    # COUNT), 3 the access log's insert (Redis in production).
    assert len(many.captured_queries) == len(few.captured_queries) == 3
    assert api_as(setup.foreign_admin).get(url).json()["results"] == []


def test_api_queue_builds_its_filterset_only_when_asked_to_filter(setup: Any, monkeypatch: Any) -> None:
    """Without a filter parameter the queue list answers without QueueFilter (it would filter nothing); with one,
    the FilterSet runs as before: it filters, and a wrong value is still a 400."""
    from promotions.filters import QueueFilter

    built: list[int] = []
    real_init = QueueFilter.__init__

    def counting_init(self: Any, *args: Any, **kwargs: Any) -> None:
        built.append(1)
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(QueueFilter, "__init__", counting_init)
    api = api_as(setup.admin)
    url = f"/api/v1/rank-promotion-queue/?period={period(DEC).pk}"
    every = api.get(url).json()["results"]
    assert every and built == []
    eligible = api.get(f"{url}&status=eligible").json()["results"]
    assert built and eligible and {r["status"] for r in eligible} == {"eligible"}
    assert [r for r in every if r["status"] == "eligible"] == eligible
    assert api.get(f"{url}&status=bogus").status_code == 400


def test_api_periods_and_bad_period(setup: Any) -> None:
    api = api_as(setup.admin)
    assert len(api.get("/api/v1/promotion-periods/").json()["results"]) >= 6
    assert api.get("/api/v1/rank-promotion-queue/?period=abc").status_code == 400


def test_api_proposal_refused_without_override_writes_nothing(setup: Any) -> None:
    set_rank(setup.staff2, "III/b", dt.date(2025, 4, 1))
    api = api_as(setup.admin)
    r = api.post("/api/v1/promotion-proposals/", {"employee": setup.staff2.pk, "period": period(DEC).pk}, format="json")
    assert r.status_code == 400
    assert "belum memenuhi syarat" in r.json()["message"]
    assert r.json()["extra"]["field"] == "override_reason"
    assert not PromotionProposal.objects.exists()


def test_api_proposal_journey(setup: Any) -> None:
    api = api_as(setup.admin)
    r = api.post("/api/v1/promotion-proposals/", {"employee": setup.staff.pk, "period": period(DEC).pk}, format="json")
    assert r.status_code == 201
    pk = r.json()["id"]
    from django.core.files.uploadedfile import SimpleUploadedFile

    for kind in ["sk_pangkat", "skp_1", "skp_2", "ijazah"]:
        up = SimpleUploadedFile(f"{kind}.pdf", b"%PDF-1.4", content_type="application/pdf")
        assert api.post(f"/api/v1/promotion-proposals/{pk}/documents/", {"kind": kind, "file": up}).status_code == 200
    bad = SimpleUploadedFile("x.txt", b"hello", content_type="text/plain")
    r = api.post(f"/api/v1/promotion-proposals/{pk}/documents/", {"kind": "ijazah", "file": bad})
    assert r.status_code == 400 and "Jenis berkas" in r.json()["message"]
    assert api.post(f"/api/v1/promotion-proposals/{pk}/verify/").json()["status"] == "verified"
    r = api.post("/api/v1/promotion-proposals/send/", {"period": period(DEC).pk}, format="json")
    assert r.status_code == 201
    batch = r.json()["batch"]
    x1 = api.get(f"/api/v1/promotion-proposals/export/?batch={batch}")
    x2 = api.get(f"/api/v1/promotion-proposals/export/?batch={batch}")
    assert x1.status_code == 200 and x1.content == x2.content
    assert api_as(setup.foreign_admin).get(f"/api/v1/promotion-proposals/export/?batch={batch}").status_code == 404
    r = api.post(f"/api/v1/promotion-proposals/{pk}/approve/", {"decree_number": ""}, format="json")
    assert r.status_code == 400
    r = api.post(f"/api/v1/promotion-proposals/{pk}/approve/", {"decree_number": "823/9", "decree_date": "2026-11-12"},
                 format="json")  # fmt: skip
    assert r.status_code == 200 and r.json()["status"] == "approved"
    r = api.post(f"/api/v1/promotion-proposals/{pk}/approve/", {"decree_number": "823/9", "decree_date": "2026-11-12"},
                 format="json")  # fmt: skip
    assert r.status_code == 409


def test_api_vacancy_candidates_ranked_with_components(setup: Any) -> None:
    post = PositionFactory(unit=setup.dinas, kind="pengawas", headcount=1)
    api = api_as(setup.admin)
    r = api.post("/api/v1/vacancies/", {"position": post.pk}, format="json")
    assert r.status_code == 201
    vid = r.json()["id"]
    cands = api.get(f"/api/v1/vacancies/{vid}/candidates/").json()
    assert cands[0]["rank"] == 1 and len(cands[0]["components"]) == 5
    assert api_as(setup.foreign_admin).get(f"/api/v1/vacancies/{vid}/candidates/").status_code == 404
    occupied = setup.staff.position
    occupied.headcount = 2
    occupied.save()
    r = api.post("/api/v1/vacancies/", {"position": occupied.pk}, format="json")
    assert r.status_code == 400 and "terisi penuh" in r.json()["message"]


def test_proposal_list_query_count_is_constant(setup: Any) -> None:
    c = client_for(setup.admin)
    proposal_services.proposal_create(employee=setup.staff, period=period(DEC), actor=setup.admin.user)
    c.get("/kenaikan-pangkat/usulan/")
    with CaptureQueriesContext(connection) as few:
        assert c.get("/kenaikan-pangkat/usulan/").status_code == 200
    more = [EmployeeFactory(unit=setup.dinas, position=setup.staff.position) for _ in range(30)]
    give_predikat(more, [2024, 2025])
    for e in more:
        proposal_services.proposal_create(employee=e, period=period(DEC), actor=setup.admin.user)
    with CaptureQueriesContext(connection) as many:
        r = c.get("/kenaikan-pangkat/usulan/")
    assert r.content.decode().count("/kenaikan-pangkat/usulan/") > 30
    # 1 session, 2 user, 3 scope (agency roles, own employee, headed units: one query), 4 periods for the
    # filter, 5 notification badge, 6 current period, 7 page of proposals (one row more than the page, no
    # COUNT) with employee, unit, rank, period and batch, 8 the access log's insert (Redis in production).
    assert len(many.captured_queries) == len(few.captured_queries) == 8


def test_profile_panel_shows_the_outlook_to_bkd(setup: Any) -> None:
    r = client_for(setup.admin).get(f"/pegawai/{setup.staff.pk}/")
    assert r.status_code == 200
    assert 'data-testid="panel-promotion-outlook"' in r.content.decode()
    assert client_for(setup.foreign_admin).get(f"/kenaikan-pangkat/pegawai/{setup.staff.pk}/").status_code == 404


def test_refused_proposal_ignores_an_off_site_next(setup: Any) -> None:
    c = client_for(setup.admin)
    url = f"/kenaikan-pangkat/periode/{period(DEC).pk}/usulkan/"
    assert c.post(url, {"employee": setup.staff.pk}).status_code == 302
    r = c.post(url, {"employee": setup.staff.pk, "next": "https://evil.example/"})  # already proposed: refused
    assert r.status_code == 302
    assert r["Location"] == f"/kenaikan-pangkat/periode/{period(DEC).pk}/"


def test_queue_table_rows_follow_the_data_and_carry_this_responses_csrf_token(setup: Any) -> None:
    """The one-pass table keeps written rows by every value they show: a renamed person, a new unit name or a
    proposal is a new row, and each response puts its own CSRF token in the rows' propose forms."""
    import re

    from people.models import Employee, OrgUnit

    c = Client(enforce_csrf_checks=True)
    c.force_login(setup.admin.user)
    url = f"/kenaikan-pangkat/periode/{period(DEC).pk}/"
    first = c.get(url).content.decode()
    row = re.search(rf'<tr data-testid="queue-row-{setup.staff.pk}">.*?</tr>', first, re.S)
    assert row is not None and setup.staff.full_name in row.group(0) and "Memenuhi syarat" in row.group(0)
    Employee.objects.filter(pk=setup.staff.pk).update(name="Nama Baru Sekali")
    OrgUnit.objects.filter(pk=setup.staff.unit_id).update(name="Dinas Berganti Nama")
    second = c.get(url).content.decode()
    row = re.search(rf'<tr data-testid="queue-row-{setup.staff.pk}">.*?</tr>', second, re.S)
    assert row is not None and "Nama Baru Sekali" in row.group(0) and "Dinas Berganti Nama" in row.group(0)
    assert setup.staff.name not in second
    assert f'<option value="{setup.staff.unit_id}">Dinas Berganti Nama</option>' in second  # the unit picker too
    token = re.search(
        rf'name="csrfmiddlewaretoken" value="([^"]+)"><input type="hidden" name="employee" value="{setup.staff.pk}"',
        second,
    )
    assert token is not None
    r = c.post(f"{url}usulkan/", {"employee": setup.staff.pk, "csrfmiddlewaretoken": token.group(1)})
    assert r.status_code == 302 and PromotionProposal.objects.filter(employee=setup.staff).exists()
    third = c.get(url).content.decode()
    row = re.search(rf'<tr data-testid="queue-row-{setup.staff.pk}">.*?</tr>', third, re.S)
    assert row is not None and "Sudah diusulkan" in row.group(0) and "usulkan/" not in row.group(0)
    # Another language is another row.
    c.cookies["django_language"] = "en"
    english = c.get(url).content.decode()
    assert "Memenuhi syarat" not in english.split('data-testid="queue-table"')[1]


def test_a_heads_queue_is_the_access_rule_read_by_the_employee_index(setup: Any) -> None:
    """For a head, the queue selector reads the people of employee_q (units as a list) first: the same rows as the
    access rule applied over the queue joined to employees, and no subquery of units left under the OR."""
    from people.access import employee_q
    from promotions import selectors
    from promotions.models import QueueEntry

    kp = period(DEC)
    for head in (setup.head, setup.bidang_head, setup.other_head):
        expected = set(
            QueueEntry.objects.filter(period=kp).filter(employee_q(head.user, "employee__")).values_list("pk")
        )
        with CaptureQueriesContext(connection) as ctx:
            rows = set(selectors.queue_visible_to(user=head.user, period=kp).values_list("pk"))
        assert rows == expected and rows
        sql = ctx.captured_queries[-1]["sql"]
        assert 'IN (SELECT U0."id" AS "pk" FROM "people_orgunit"' not in sql
        assert '"promotions_queueentry"."employee_id" = ANY(ARRAY(SELECT' in sql  # the (period, employee) index
    # A head who is also a BKD admin (here of the other agency): their units and that agency, the same rows.
    from people.models import AgencyRole

    AgencyRole.objects.create(user=setup.other_head.user, agency=setup.foreign_admin.agency, role="hr_admin")
    both = type(setup.other_head.user).objects.get(pk=setup.other_head.user.pk)
    queue_services.queue_build(period=kp, agency_id=setup.foreign_admin.agency_id, actor=None)
    expected = set(QueueEntry.objects.filter(period=kp).filter(employee_q(both, "employee__")).values_list("pk"))
    rows = set(selectors.queue_visible_to(user=both, period=kp).values_list("pk"))
    assert rows == expected and {
        a for (a,) in QueueEntry.objects.filter(pk__in=[r for (r,) in rows]).values_list("agency_id").distinct()
    } == {setup.agency.pk, setup.foreign_admin.agency_id}
    c = client_for(setup.bidang_head)
    url = f"/kenaikan-pangkat/periode/{kp.pk}/"
    c.get(url)
    with CaptureQueriesContext(connection) as few:
        assert c.get(url).status_code == 200
    more = [EmployeeFactory(unit=setup.bidang, position=setup.bidang_staff.position) for _ in range(30)]
    give_predikat(more, [2024, 2025])
    queue_services.queue_build(period=kp, agency_id=setup.agency.pk, actor=None)
    with CaptureQueriesContext(connection) as many:
        assert c.get(url).status_code == 200
    # 1 session, 2 user, 3 scope, 4 period, 5 the figures per status (live, their sum is the pager's count: no
    # COUNT) and the page of rows, both from the head's queue rows found once (promotions.selectors.head_queue_read),
    # 6 notification badge, 7 units for the filter, 8 the access log's insert (no BKN batches for a head: no query).
    assert len(many.captured_queries) == len(few.captured_queries) == 8


def test_api_queue_rows_equal_the_serializer(setup: Any) -> None:
    """The queue list writes its rows from values() in one pass: the same JSON as QueueEntrySerializer, for rows
    with and without a target rank, credit points and an estimated period, and a titled name."""
    from decimal import Decimal

    from people.models import Employee
    from promotions.api.serializers import QueueEntrySerializer
    from promotions.models import QueueEntry

    kp = period(DEC)
    Employee.objects.filter(pk=setup.staff.pk).update(front_title="dr.", back_title="M.Kes.")
    QueueEntry.objects.filter(period=kp, employee=setup.staff2).update(credit_points=Decimal("81.5"))
    api = api_as(setup.admin)
    listed: list[dict[str, Any]] = []
    url: str | None = f"/api/v1/rank-promotion-queue/?period={kp.pk}&page_size=2"
    while url:
        body = api.get(url).json()
        listed += body["results"]
        url = body["next"]
    entries = QueueEntry.objects.filter(pk__in=[r["id"] for r in listed]).select_related(
        "employee", "unit", "current_rank", "target_rank", "period"
    )
    expected = {e.pk: e for e in entries}
    assert len(listed) == len(expected) >= 4
    for row in listed:
        assert row == dict(QueueEntrySerializer(expected[row["id"]]).data)
        assert list(row) == list(QueueEntrySerializer(expected[row["id"]]).data)
    kinds = {(r["target_rank"] is None, r["next_eligible_date"] is None, r["credit_points"] is None) for r in listed}
    assert len(kinds) >= 2
    assert any(r["employee_name"].startswith("dr. ") and r["employee_name"].endswith(", M.Kes.") for r in listed)
    assert any(r["credit_points"] == "81.50" for r in listed)
    # The three fields the rows represent values with are the serializer's own, built alone.
    from promotions.api.serializers import _queue_value_fields

    built = QueueEntrySerializer().fields
    for name, alone in _queue_value_fields().items():
        field = built[name]
        assert type(alone) is type(field) and alone.allow_null == field.allow_null, name
        for attr in ("max_digits", "decimal_places", "coerce_to_string", "localize", "format", "timezone"):
            assert getattr(alone, attr, None) == getattr(field, attr, None), (name, attr)


def test_api_proposal_rows_equal_the_serializer(setup: Any) -> None:
    """The proposal list writes its rows from values() in one pass: the same JSON as ProposalSerializer, with and
    without a batch, a decree date and a titled name."""
    from people.models import Employee
    from promotions.api.serializers import ProposalSerializer
    from promotions.models import ProposalBatch

    kp = period(DEC)
    Employee.objects.filter(pk=setup.staff.pk).update(front_title="Ir.", back_title="M.T.")
    first = proposal_services.proposal_create(employee=setup.staff, period=kp, actor=setup.admin.user)
    proposal_services.proposal_create(employee=setup.bidang_staff, period=kp, actor=setup.admin.user)
    batch = ProposalBatch.objects.create(
        agency=setup.agency,
        period=kp,
        number=3,
        sent_by=setup.admin.user,
        sent_at=dt.datetime(2026, 11, 20, tzinfo=dt.UTC),
    )
    PromotionProposal.objects.filter(pk=first.pk).update(
        batch=batch, status="approved", decree_number="SK-1", decree_date=dt.date(2026, 12, 1)
    )
    api = api_as(setup.admin)
    listed = api.get("/api/v1/promotion-proposals/").json()["results"]
    expected = {p.pk: p for p in selectors_proposals(setup.admin.user)}
    assert len(listed) == len(expected) == 2
    for row in listed:
        data = dict(ProposalSerializer(expected[row["id"]]).data)
        assert row == data and list(row) == list(data)
    assert {r["batch_number"] for r in listed} == {3, None}
    assert {r["decree_date"] for r in listed} == {"2026-12-01", None}
    assert any(r["employee_name"] == f"Ir. {setup.staff.name}, M.T." for r in listed)
    # The two fields the rows represent values with are the serializer's own, built alone.
    from promotions.api.serializers import _proposal_value_fields

    built = ProposalSerializer().fields
    for name, alone in _proposal_value_fields().items():
        field = built[name]
        assert type(alone) is type(field) and alone.allow_null == field.allow_null, name
        for attr in ("format", "timezone", "read_only"):
            assert getattr(alone, attr, None) == getattr(field, attr, None), (name, attr)


def selectors_proposals(user: Any) -> list[PromotionProposal]:
    from promotions import selectors

    return list(selectors.proposal_list_visible_to(user=user))


def test_api_queue_first_page_by_the_precompiled_statement_equals_the_orm_list(setup: Any, monkeypatch: Any) -> None:
    """A one-agency BKD admin's or a head's unfiltered first page is read by a statement compiled once: the same
    rows, order, representation and next cursor as the ORM's list (which `?format=json` still takes), for several
    page sizes; a superuser, staff and a filter take the ORM's path."""
    from asn_portal.pagination import keyset_ordering
    from promotions import selectors
    from promotions.api.serializers import QUEUE_ENTRY_VALUES, queue_entry_values

    EmployeeFactory.create_batch(5, unit=setup.bidang, position=setup.staff.position)
    queue_services.queue_build(period=period(DEC), agency_id=setup.agency.pk, actor=None)
    proposal_services.proposal_create(employee=setup.staff, period=period(DEC), actor=setup.admin.user)
    kp = period(DEC)
    real = selectors.queue_visible_to
    orm_reads: list[int] = []

    def counted(**kwargs: Any) -> Any:
        orm_reads.append(1)
        return real(**kwargs)

    monkeypatch.setattr(selectors, "queue_visible_to", counted)
    url = f"/api/v1/rank-promotion-queue/?period={kp.pk}"
    for who in (setup.admin, setup.head, setup.bidang_head):
        visible = real(user=who.user, period=kp)
        assert keyset_ordering(visible) == selectors.QUEUE_API_ORDERING
        for limit in (1, 3, 50):
            rows = selectors.queue_first_rows(user=who.user, period=kp, fields=QUEUE_ENTRY_VALUES, limit=limit)
            assert rows == list(queue_entry_values(visible)[:limit])
        api = api_as(who)
        for size in ("", "&page_size=2", "&page_size=3", "&page_size=0"):
            orm_reads.clear()
            fast = api.get(url + size)
            assert fast.status_code == 200 and orm_reads == []
            orm = api.get(url + size + "&format=json").json()
            if orm["next"]:  # the link repeats the request's parameters
                orm["next"] = orm["next"].replace("&format=json", "")
            assert orm_reads and fast.json() == orm
            assert fast.json()["results"]
        # The next page (a cursor) is the ORM's.
        first = api.get(url + "&page_size=2").json()
        if first["next"]:
            assert api.get(first["next"]).json()["results"][0]["id"] not in {r["id"] for r in first["results"]}
    assert len(api_as(setup.admin).get(url).json()["results"]) >= 8
    for who in (setup.staff,):
        orm_reads.clear()
        assert api_as(who).get(url).status_code == 200 and orm_reads


def test_vacancy_first_page_by_the_precompiled_statement_equals_the_orm_rows(setup: Any) -> None:
    """A one-agency BKD admin's first vacancy page (26 rows: 25 and one to know a next page exists) is read by a
    statement compiled once: the same vacancies, order, columns, chosen people and candidate counts as the ORM's
    `vacancy_rows(vacancy_list_visible_to(...))[:26]`; an admin who also sits on another agency's committee, a
    committee member alone and later pages take the queryset's path."""
    from people.models import AgencyRole
    from promotions import selectors
    from promotions.models import PositionVacancy, VacancyCandidate

    people = EmployeeFactory.create_batch(3, unit=setup.dinas)
    for i in range(30):
        post = PositionFactory(unit=setup.bidang if i % 2 else setup.dinas, kind="pengawas", title=f"Kasi {i:02d}")
        chosen = people[i % 3] if i % 4 == 0 else None
        vacancy = PositionVacancy.objects.create(
            agency=setup.agency,
            position=post,
            status="decided" if chosen else "open" if i % 3 else "closed",
            chosen=chosen,
            chosen_rank=(i % 3) + 1 if chosen else None,
        )
        for rank, person in enumerate(people[: i % 4], start=1):
            VacancyCandidate.objects.create(
                vacancy=vacancy, employee=person, rank=rank, merit_score="70.50", seniority_rank=rank
            )
    PositionVacancy.objects.create(
        agency=setup.foreign_admin.agency, position=PositionFactory(unit=setup.foreign_staff.unit), status="open"
    )

    def shown(vacancies: Any) -> list[tuple[Any, ...]]:
        return [
            (v.pk, v.status, v.get_status_display(), v.chosen_rank, v.created_at, v.position.title,
             v.position.unit.name, v.chosen.full_name if v.chosen else None, v.candidate_count)
            for v in vacancies
        ]  # fmt: skip

    for who in (setup.admin, setup.foreign_admin):
        first = selectors.vacancy_first_page(user=who.user)
        orm = selectors.vacancy_rows(selectors.vacancy_list_visible_to(user=who.user))[:26]
        assert first is not None and shown(first) == shown(orm)
    assert len(shown(selectors.vacancy_first_page(user=setup.admin.user) or [])) == 26
    html = client_for(setup.admin).get("/kenaikan-pangkat/lowongan/").content.decode()
    assert html.count("/kenaikan-pangkat/lowongan/") >= 25 and "?page=2" in html
    assert "Kasi 29" in html and "Kasi 00" not in html  # newest first, 25 of them
    page2 = client_for(setup.admin).get("/kenaikan-pangkat/lowongan/?page=2").content.decode()
    assert "Kasi 04" in page2 and "Kasi 29" not in page2
    # A committee seat in another agency widens the list: the queryset's path.
    AgencyRole.objects.create(user=setup.admin.user, agency=setup.foreign_admin.agency, role="committee")
    admin_user = type(setup.admin.user).objects.get(pk=setup.admin.user.pk)
    assert selectors.vacancy_first_page(user=admin_user) is None
    assert selectors.vacancy_first_page(user=setup.staff.user) is None
