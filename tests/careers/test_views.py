"""Career pages: each role's pages, scoping (404 outside), private notes, constant query counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from asn_portal import summaries
from careers.choices import ReviewStatus
from careers.models import MentoringSession
from careers.talent import summaries as talent_summaries
from tests.careers import factories as f
from tests.pagetext import main_text
from tests.people.factories import EmployeeFactory, PositionFactory

pytestmark = pytest.mark.django_db


def client_for(employee) -> Client:
    c = Client()
    c.force_login(employee.user)
    return c


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _seed(org) -> None:
    """One session, one plan and one published review the pages below must show."""
    f.session(org.head, [org.staff], held_on=timezone.localdate() - dt.timedelta(days=7), topics="Dialog triwulan")
    f.plan(org.staff, target_family="Analis kebijakan")
    f.review(org.agency.pk, status=ReviewStatus.PUBLISHED)


# Each page shows its own heading and the seeded rows a reader came for (not just a 200).
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/karier/saya/", ["Karier Saya", "Dialog triwulan", "Analis kebijakan"]),
        ("/karier/bimbingan/", ["Bimbingan kinerja", "Dialog triwulan", "Kepala Dinkes"]),
        ("/karier/rencana/", ["Rencana karier", "Staf Satu", "Analis kebijakan"]),
        ("/karier/talenta/", ["Manajemen talenta", "Talenta 2025"]),
        ("/karier/tindak-lanjut/", ["Tindak lanjut penilaian kinerja", "Belum ada daftar tindak lanjut"]),
        ("/", ["Beranda pegawai", "Staf Satu", "Karier Saya"]),
    ],
)
def test_staff_pages_show_their_rows(org, url, expected) -> None:
    _seed(org)
    text = main_text(client_for(org.staff).get(url))
    assert [e for e in expected if e not in text] == [], text


def test_new_plan_form_offers_the_agencys_positions(org) -> None:
    text = main_text(client_for(org.staff).get("/karier/rencana/baru/"))
    assert "Rencana karier baru" in text and "Kepala Dinas Kesehatan" in text and "Aspirasi karier" in text, text
    assert "Pontianak" not in text


@pytest.mark.parametrize(
    ("url", "expected", "absent"),
    [
        ("/karier/tim/", ["Tim saya: bimbingan", "Staf Satu", "Staf Bidang"], ["Staf Disdik"]),
        ("/karier/bimbingan/baru/", ["Catat sesi bimbingan", "Staf Satu", "Staf Bidang"], ["Staf Disdik"]),
        ("/karier/rencana/", ["Rencana karier", "Staf Satu", "Analis kebijakan"], ["Staf Disdik"]),
        ("/", ["Beranda kepala unit", "4 pegawai aktif di unit yang Anda pimpin"], []),
    ],
)
def test_head_pages_show_their_team_only(org, url, expected, absent) -> None:
    _seed(org)
    text = main_text(client_for(org.head).get(url))
    assert [e for e in expected if e not in text] == [], text
    assert [a for a in absent if a in text] == [], text


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # unit, employees, mentored, not yet, %: Staf Satu was mentored (1 of the 3 in Dinas Kesehatan)
        ("/karier/bimbingan/kadens/", ["Kadens bimbingan per unit", "Dinas Kesehatan 3 1 2 33%"]),
        ("/karier/suksesi/", ["Suksesi jabatan kunci", "Kepala Dinas Kesehatan Administrator Dinas Kesehatan"]),
        ("/karier/rencana/", ["Cakupan dan kemajuan per unit", "Staf Satu", "Analis kebijakan"]),
        ("/karier/tindak-lanjut/", ["Tindak lanjut penilaian kinerja", "Belum ada daftar tindak lanjut"]),
        ("/", ["Beranda admin BKD", "Pemerintah Kota Medan", "8 pegawai aktif"]),
    ],
)
def test_admin_pages_show_the_agency(org, url, expected) -> None:
    _seed(org)
    summaries.refresh_all([org.agency.pk])  # factory rows: computed as the nightly job would
    text = main_text(client_for(org.admin).get(url))
    assert [e for e in expected if e not in text] == [], text
    assert "Pontianak" not in text


def test_staff_cannot_open_head_or_admin_pages(org) -> None:
    c = client_for(org.staff)
    for url in ("/karier/tim/", "/karier/bimbingan/kadens/", "/karier/suksesi/"):
        assert c.get(url).status_code == 404


def test_other_units_and_agencies_get_404(org) -> None:
    plan = f.plan(org.staff)
    session = f.session(org.head, [org.staff])
    review = f.review(org.agency.pk, status=ReviewStatus.PUBLISHED)
    for who in (org.other_head, org.other_staff):
        c = client_for(who)
        assert c.get(f"/karier/rencana/{plan.pk}/").status_code == 404
        assert c.get(f"/karier/bimbingan/{session.pk}/").status_code == 404
    c = client_for(org.foreign_admin)
    assert c.get(f"/karier/rencana/{plan.pk}/").status_code == 404
    assert c.get(f"/karier/bimbingan/{session.pk}/").status_code == 404
    assert c.get(f"/karier/talenta/{review.pk}/").status_code == 404
    assert c.get(f"/karier/pegawai/{org.staff.pk}/linimasa/").status_code == 404
    assert "Analis kebijakan" in main_text(client_for(org.admin).get(f"/karier/rencana/{plan.pk}/"))


def test_unpublished_review_is_hidden_from_staff(org) -> None:
    review = f.review(org.agency.pk, status=ReviewStatus.COMPUTED)
    assert client_for(org.staff).get(f"/karier/talenta/{review.pk}/").status_code == 404
    assert "Talenta 2025" in main_text(client_for(org.admin).get(f"/karier/talenta/{review.pk}/"))


def test_private_notes_only_for_their_author(org) -> None:
    session = f.session(org.head, [org.staff], private_notes="RAHASIA-PEMBIMBING")
    assert b"RAHASIA-PEMBIMBING" in client_for(org.head).get(f"/karier/bimbingan/{session.pk}/").content
    for who in (org.staff, org.admin):
        assert b"RAHASIA-PEMBIMBING" not in client_for(who).get(f"/karier/bimbingan/{session.pk}/").content


def test_head_logs_session_through_the_page_and_bad_input_is_refused(org) -> None:
    c = client_for(org.head)
    data = {
        "mentees": [org.staff.pk],
        "held_on": "2099-01-01",
        "duration_minutes": 60,
        "mode": "in_person",
        "kind": "coaching",
        "topics": "Target triwulan",
        "item_title_1": "Susun laporan",
        "item_owner_1": str(org.staff.pk),
        "item_due_1": "2099-02-01",
    }
    response = c.post("/karier/bimbingan/baru/", data)
    assert response.status_code == 200
    assert "Tanggal sesi tidak boleh di masa depan." in response.content.decode()
    response = c.post("/karier/bimbingan/baru/", {**data, "held_on": "2026-01-05", "mentees": [org.other_staff.pk]})
    assert "bukan anggota unit Anda" in response.content.decode()
    response = c.post("/karier/bimbingan/baru/", {**data, "held_on": "2026-01-05", "item_owner_1": ""})
    assert "penanggung jawab wajib diisi" in response.content.decode()
    assert not MentoringSession.objects.exists()
    response = c.post("/karier/bimbingan/baru/", {**data, "held_on": "2026-01-05"})
    assert response.status_code == 302
    assert MentoringSession.objects.get().action_items.get().owner == org.staff


def _add_team(org, n: int) -> None:
    pos = PositionFactory(unit=org.dinas, headcount=60)
    for _ in range(n):
        e: Any = EmployeeFactory(unit=org.dinas, position=pos)
        s = f.session(org.head, [e], held_on=dt.date(2026, 1, 10))
        s.action_items.create(title="x", owner=e, due_date=dt.date(2026, 2, 1))


def test_team_page_costs_the_same_for_2_and_50_members(org) -> None:
    c = client_for(org.head)
    _add_team(org, 2)
    small = queries(c, "/karier/tim/")
    _add_team(org, 48)
    # 1 session, 2 user, 3 scope (agency roles, own employee, headed units: one query), 4 team members with
    # unit/position/rank, 5 career settings, 6 page of members (one row more than a page, no count) with last
    # session and open/overdue action items annotated, 7 notification badge, 8 the access log's insert.
    assert queries(c, "/karier/tim/") == small == 8
    # more than 50 members: "Berikutnya" leads to page 2, which leads back
    assert "Berikutnya" in main_text(c.get("/karier/tim/"))
    assert "Sebelumnya" in main_text(c.get("/karier/tim/?page=2"))


def test_plan_and_session_lists_cost_the_same_for_2_and_50_rows(org) -> None:
    c = client_for(org.head)
    pos = PositionFactory(unit=org.dinas, headcount=60)

    def add(n: int) -> None:
        for _ in range(n):
            e: Any = EmployeeFactory(unit=org.dinas, position=pos)
            f.plan(e)
            f.session(org.head, [e, org.staff])

    add(2)
    small = [queries(c, "/karier/rencana/"), queries(c, "/karier/bimbingan/")]
    add(48)
    # plans: 1 session, 2 user, 3 scope (agency roles, own employee, headed units: one query), 4 the page of
    # plans with employee, unit, target post and each row's action counts (correlated subqueries; one row more
    # than a page: no count), 5 notification badge, 6 the access log's insert (Redis in production).
    # sessions: 1-3, 4 the page of sessions with coach (no count), 5 their participants with employee,
    # 6 notification badge, 7 own open action items, 8 the access log's insert.
    assert [queries(c, "/karier/rencana/"), queries(c, "/karier/bimbingan/")] == small == [6, 8]
    assert "Berikutnya" in main_text(c.get("/karier/rencana/"))  # 50 plans, 25 a page
    # one entry per person shown: Staf Satu attends every session of the page and is recorded once
    from people.models import RecordAccess

    RecordAccess.objects.all().delete()
    queries(c, "/karier/bimbingan/")
    assert RecordAccess.objects.filter(subject=org.staff).count() == 1
    assert RecordAccess.objects.count() == 1 + 25  # the page's 25 sessions: 25 mentees and Staf Satu


def test_grid_and_box_list_cost_the_same_for_2_and_50_placements(org) -> None:
    review = f.review(org.agency.pk, status=ReviewStatus.PUBLISHED)
    pos = PositionFactory(unit=org.dinas, headcount=60)
    people: list = [EmployeeFactory(unit=org.dinas, position=pos) for _ in range(50)]
    for e in people[:2]:
        f.placement(review, e, 5)
    summaries.refresh(talent_summaries.KIND, org.agency.pk)  # factories write no summary rows
    c = client_for(org.admin)
    grid, box = queries(c, f"/karier/talenta/{review.pk}/"), queries(c, f"/karier/talenta/{review.pk}/kotak/5/")
    for e in people[2:]:
        f.placement(review, e, 5)
    summaries.refresh(talent_summaries.KIND, org.agency.pk)
    # grid: 1 session, 2 user, 3 scope (agency roles, own employee, headed units: one query), 4 the review,
    # 5 the summary rows summed per box, 6 the other reviews for the switcher, 7 when the summary was
    # computed, 8 notification badge.
    assert queries(c, f"/karier/talenta/{review.pk}/") == grid == 8
    # box list: 1-3 as above, 4 the review, 5 the page of placements with employee, unit, position and rank
    # joined (one row more than a page: no count), 6 notification badge, 7 the access log's insert.
    assert queries(c, f"/karier/talenta/{review.pk}/kotak/5/") == box == 7
    # the grid's box 5 counts all 50 placements, and the box list names the last one placed
    grid_text = main_text(c.get(f"/karier/talenta/{review.pk}/"))
    assert "Kotak 5 50" in grid_text and "Kotak 8 0" in grid_text, grid_text
    assert people[-1].name in main_text(c.get(f"/karier/talenta/{review.pk}/kotak/5/"))


def test_timeline_costs_the_same_for_2_and_50_sessions(org) -> None:
    c = client_for(org.head)
    for _ in range(2):
        f.session(org.head, [org.staff])
    small = queries(c, f"/karier/pegawai/{org.staff.pk}/linimasa/")
    for _ in range(48):
        f.session(org.head, [org.staff])
    # 1 session, 2 user, 3 scope (agency roles, own employee, headed units: one query), 4 the employee,
    # 5 position and rank history (one statement, people.employee_rows), 6 the timeline's own rows: assessments,
    # sessions, plan actions (done and open) and talent placements, with the learning records, promotion
    # proposals and predikat the training, promotion and performance sources registered
    # (registry.register_timeline_read), in one round trip (rows_together); the next-rank estimate:
    # 7 rank facts (with exams, sanctions, predikat years and the superior's rank: one precompiled statement),
    # 8 rank table, 9 education caps, 10 credit thresholds, 11 rule-set version (read once per process outside a
    # transaction: promotions.reference); 12 notification badge, 13 the access log's insert (Redis in production).
    assert queries(c, f"/karier/pegawai/{org.staff.pk}/linimasa/") == small == 13


def test_staff_sees_own_box_once_published(org) -> None:
    review = f.review(org.agency.pk, status=ReviewStatus.COMPUTED)
    f.placement(review, org.staff, 8)
    c = client_for(org.staff)
    assert "Kotak 8" not in c.get("/karier/saya/").content.decode()
    review.status = ReviewStatus.PUBLISHED
    review.save()
    page = c.get("/karier/saya/").content.decode()
    assert "Kotak 8" in page and "job enlargement" in page


def test_admin_overrides_in_the_box_list(org) -> None:
    review = f.review(org.agency.pk, status=ReviewStatus.COMPUTED)
    p = f.placement(review, org.staff, 5)
    c = client_for(org.admin)
    r = c.post(f"/karier/talenta/{review.pk}/kotak/5/", {"placement": p.pk, "o-box": 8, "o-reason": ""})
    assert "Alasan penyesuaian wajib ditulis." in r.content.decode()
    p.refresh_from_db()
    assert p.box == 5
    r = c.post(f"/karier/talenta/{review.pk}/kotak/5/", {"placement": p.pk, "o-box": 8, "o-reason": "Komite"})
    assert r.status_code == 302
    p.refresh_from_db()
    assert p.box == 8


def test_export_keeps_private_notes_to_their_author(org) -> None:
    import io

    from openpyxl import load_workbook

    f.session(org.head, [org.staff], private_notes="RAHASIA-EKSPOR")

    def cells(who) -> str:
        r = client_for(who).get("/karier/bimbingan/ekspor.xlsx")
        assert r.status_code == 200
        ws = load_workbook(io.BytesIO(r.content)).active
        return str([c.value for row in ws.iter_rows() for c in row])

    assert "RAHASIA-EKSPOR" in cells(org.head)
    assert "RAHASIA-EKSPOR" not in cells(org.staff)
    assert "RAHASIA-EKSPOR" not in cells(org.admin)
    assert "Capaian RHK" not in cells(org.other_staff)


def test_profile_panel_and_home_cards(org) -> None:
    f.session(org.head, [org.staff], held_on=dt.date(2026, 2, 2), topics="Dialog triwulan")
    profile = client_for(org.head).get(f"/pegawai/{org.staff.pk}/").content.decode()
    assert "Linimasa karier" in profile and "Dialog triwulan" in profile
    assert "cc-staff" in client_for(org.staff).get("/").content.decode()
    assert "cc-head" in client_for(org.head).get("/").content.decode()
    assert "cc-admin" in client_for(org.admin).get("/").content.decode()
    assert "cc-admin" not in client_for(org.staff).get("/").content.decode()


def test_plan_list_shows_each_plans_action_progress(org) -> None:
    plan = f.plan(org.staff)
    other = f.plan(org.staff2)
    due = dt.date(2026, 12, 31)
    for status in ("done", "done", "planned", "cancelled"):
        plan.actions.create(kind="training", title=f"Kegiatan {status}", due_date=due, status=status)
    other.actions.create(kind="training", title="Kegiatan lain", due_date=due, status="in_progress")
    text = main_text(client_for(org.head).get("/karier/rencana/"))
    # cancelled actions do not count: 2 of 3 done; the other plan 0 of 1; the counts are per plan
    assert "67% (2/3)" in text and "0% (0/1)" in text, text


def test_follow_up_years_are_the_years_each_user_may_see(org) -> None:
    from careers.followups import selectors as followup_selectors
    from careers.followups import services as followup_services

    f.predikat(org.staff, 2024, "sangat_baik")
    f.predikat(org.other_staff, 2025, "kurang")
    f.predikat(org.foreign_staff, 2023, "butuh_perbaikan")
    followup_services.follow_ups_draft(agency_id=org.agency.pk, year=2024)
    followup_services.follow_ups_draft(agency_id=org.agency.pk, year=2025)
    followup_services.follow_ups_draft(agency_id=org.foreign_staff.agency_id, year=2023)
    expected = {org.admin: [2025, 2024], org.head: [2024], org.other_staff: [2025], org.foreign_admin: [2023]}
    for who, years in expected.items():
        live = followup_selectors.follow_up_list_visible_to(user=who.user).values_list("year", flat=True)
        assert sorted(set(live), reverse=True) == years, who.name
        assert followup_selectors.follow_up_years(user=who.user) == years, who.name
    assert followup_selectors.follow_up_years(user=org.bidang_staff.user) == []
