"""SKP pages: each role's pages answer, scoping is a 404, lists cost a constant number of queries."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from asn_portal import summaries
from performance.calibration import services as calibration_services
from performance.choices import PlanStatus
from performance.models import PerformancePlan, PlannedResult, PredikatRecord
from tests.pagetext import main_text, xlsx_rows
from tests.people.factories import EmployeeFactory

from . import factories as f

pytestmark = pytest.mark.django_db


def client_for(emp: Any) -> Client:
    c = Client()
    c.force_login(emp.user)
    return c


def test_staff_pages_render(org: Any) -> None:
    f.periods(org.agency)
    c = client_for(org.staff)
    r = c.get(reverse("performance:my-skp"))
    assert r.status_code == 200 and "Susun SKP tahun ini" in r.content.decode()
    r = c.post(reverse("performance:plan-create"), follow=True)
    plan = PerformancePlan.objects.get(employee=org.staff)
    assert "Staf Satu" in main_text(r)
    edit = main_text(c.get(reverse("performance:plan-edit", args=[plan.pk])))
    assert "Staf Satu" in edit and "2026" in edit, edit
    detail = main_text(c.get(reverse("performance:plan-detail", args=[plan.pk])))
    assert "Staf Satu" in detail and "Draf" in detail and "Kepala Dinkes" in detail, detail


def test_plan_editor_saves_and_submits_with_formset(org: Any) -> None:
    f.periods(org.agency)
    plan = f.plan(org.staff, results=0)
    c = client_for(org.staff)
    data = {
        "approach": "quantitative",
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "0",
        "form-0-kind": "main",
        "form-0-text": "Laporan kinerja tersusun",
        "form-0-quantity_text": "Jumlah laporan",
        "form-0-quantity_target": "4",
        "form-0-quantity_unit": "laporan",
        "and_submit": "1",
    }
    r = c.post(reverse("performance:plan-edit", args=[plan.pk]), data)
    assert r.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    assert PlannedResult.objects.get(plan=plan).indicators.get().target_value == 4


def test_plan_editor_shows_error_for_non_numeric_target(org: Any) -> None:
    f.periods(org.agency)
    plan = f.plan(org.staff, results=0)
    c = client_for(org.staff)
    data = {
        "approach": "quantitative",
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "0",
        "form-0-kind": "main",
        "form-0-text": "Laporan",
        "form-0-quantity_text": "Jumlah laporan",
        "form-0-quantity_target": "empat",
    }
    r = c.post(reverse("performance:plan-edit", args=[plan.pk]), data)
    assert r.status_code == 200 and "harus berupa angka" in r.content.decode()
    assert not PlannedResult.objects.filter(plan=plan).exists()


def test_only_legal_buttons_are_shown(org: Any) -> None:
    f.periods(org.agency)
    plan = f.plan(org.staff, status=PlanStatus.SUBMITTED)
    staff_html = client_for(org.staff).get(reverse("performance:plan-detail", args=[plan.pk])).content.decode()
    head_html = client_for(org.head).get(reverse("performance:plan-detail", args=[plan.pk])).content.decode()
    assert 'data-testid="btn-approve"' not in staff_html and 'data-testid="btn-submit"' not in staff_html
    assert 'data-testid="btn-approve"' in head_html


def test_head_approves_and_evaluates_through_pages(org: Any) -> None:
    periods = f.periods(org.agency)
    plan = f.plan(org.staff, status=PlanStatus.SUBMITTED)
    c = client_for(org.head)
    assert c.post(reverse("performance:plan-transition", args=[plan.pk, "approve"])).status_code == 302
    r = c.post(
        reverse("performance:evaluate", args=[plan.pk]),
        {"period": periods[0].pk, "result_rating": "meets", "behaviour_rating": "below", "comment": ""},
    )
    assert r.status_code == 302
    html = client_for(org.staff).get(reverse("performance:my-skp")).content.decode()
    assert "Kurang/Misconduct" in html


@pytest.mark.parametrize("who", ["other_head", "foreign_admin", "staff2"])
def test_plan_of_another_unit_or_agency_is_404(org: Any, who: str) -> None:
    plan = f.plan(org.staff)
    c = client_for(getattr(org, who))
    assert c.get(reverse("performance:plan-detail", args=[plan.pk])).status_code == 404
    assert c.post(reverse("performance:plan-transition", args=[plan.pk, "approve"])).status_code == 404


# Each admin page shows its heading and the agency's seeded figures (not the other agency's).
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("performance:periods", ["Periode evaluasi kinerja", "Triwulan I 1 Jan 2026 – 31 Mar 2026 Dibuka"]),
        ("performance:calibration", ["Kalibrasi distribusi predikat", "Dinas Kesehatan"]),
        ("performance:statistics", ["Statistik kinerja 2026", "12,5% dari 8 pegawai aktif", "Dinilai: 1"]),
        ("performance:unit-ratings", ["Predikat kinerja organisasi", "Dinas Kesehatan", "Bidang Pelayanan"]),
        ("performance:import", ["Impor predikat tahun-tahun lalu", "kolom: NIP, Tahun, Predikat"]),
        ("performance:plan-list", ["Daftar SKP 2026", "Staf Satu Dinas Kesehatan Kepala Dinkes Dinilai Baik"]),
    ],
)
def test_admin_pages_render(org: Any, name: str, expected: list[str]) -> None:
    periods = f.periods(org.agency)
    f.plan(org.staff, status=PlanStatus.EVALUATED, predikat="baik")
    f.plan(org.foreign_staff, status=PlanStatus.EVALUATED, predikat="baik")
    PredikatRecord.objects.create(employee=org.staff, year=2025, predikat="baik", source="import", unit=org.dinas)
    calibration_services.unit_performance_set(unit=org.dinas, period=periods[3], rating="baik", actor=org.admin.user)
    for kind in summaries.kinds():  # the seed and the nightly job compute the summary rows the reports read
        summaries.refresh(kind, org.agency.pk)
    query = f"?period={periods[3].pk}" if name in ("performance:calibration", "performance:unit-ratings") else ""
    text = main_text(client_for(org.admin).get(reverse(name) + query))
    assert [e for e in expected if e not in text] == [], text
    assert "Pontianak" not in text


def test_staff_cannot_open_admin_pages(org: Any) -> None:
    c = client_for(org.staff)
    assert c.get(reverse("performance:statistics")).status_code == 403
    assert c.get(reverse("performance:periods")).status_code == 403


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("performance:inbox", ["Menunggu persetujuan 1", "Staf Satu {position} Dinas Kesehatan 2026 Diajukan"]),
        ("performance:team", ["Kinerja tim 2026", "Staf Satu {position} Dinas Kesehatan Diajukan"]),
        ("performance:cascade", ["Kaskade RHK 2026", "Utama: Hasil kerja 1", "Staf Satu"]),
    ],
)
def test_head_pages_render(org: Any, name: str, expected: list[str]) -> None:
    f.periods(org.agency)
    f.plan(org.head)
    f.plan(org.staff, status=PlanStatus.SUBMITTED)
    f.plan(org.other_staff, status=PlanStatus.SUBMITTED)
    text = main_text(client_for(org.head).get(reverse(name)))
    expected = [e.format(position=org.staff.position.title) for e in expected]
    assert [e for e in expected if e not in text] == [], text
    assert "Staf Disdik" not in text  # another unit's SKP


def _team(org: Any, n: int, status: str = PlanStatus.SUBMITTED) -> None:
    for _ in range(n):
        emp = EmployeeFactory(unit=org.dinas, position=org.staff.position)
        f.plan(emp, status=status, predikat="baik" if status == PlanStatus.EVALUATED else "")


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_calibration_query_count_is_constant(org: Any) -> None:
    periods = f.periods(org.agency)
    _team(org, 2, PlanStatus.EVALUATED)
    calibration_services.unit_performance_set(unit=org.dinas, period=periods[3], rating="baik", actor=org.admin.user)
    c = client_for(org.admin)
    url = reverse("performance:calibration") + f"?period={periods[3].pk}&unit={org.dinas.pk}"
    small = _count(c, url)
    _team(org, 48, PlanStatus.EVALUATED)
    # 1 session, 2 user, 3 scope (agency roles, own employee, headed units: one query), 4 the admin's
    # agency (people.access.agency_for), 5 the agency's periods (the one asked for and the picker's), 6 the
    # units with a rating or counts (id, name, path: paged and the chosen one found in Python), 7 the summary
    # rows of predikat per unit, 8 unit ratings, 9 calibration notes, 10 distribution rules, 11 the chosen
    # unit's page of people with their count (`COUNT(*) OVER ()`), 12 when the summary was computed, 13 the
    # admin's own unit (no calibration of one's own unit), 14 notification badge, 15 the access log's insert
    # for the people shown (Redis in production).
    assert _count(c, url) == small == 15
    from people.models import RecordAccess

    RecordAccess.objects.all().delete()
    _count(c, url)
    shown = RecordAccess.objects.filter(viewer=org.admin.user, part="skp", via="performance:calibration")
    assert shown.count() == shown.values("subject").distinct().count() == 50  # one entry per person listed


def test_calibration_pages_units_and_people(org: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The unit table and the chosen unit's people come a page at a time; a chosen unit off the current page
    still shows its row and people; only the people shown are in the access log."""
    from asn_portal import summaries
    from people.models import RecordAccess
    from performance.calibration import summaries as calibration_summaries
    from performance.calibration import views as calibration_views

    periods = f.periods(org.agency)
    _team(org, 52, PlanStatus.EVALUATED)
    calibration_services.unit_performance_set(unit=org.dinas, period=periods[3], rating="baik", actor=org.admin.user)
    calibration_services.unit_performance_set(unit=org.bidang, period=periods[3], rating="baik", actor=org.admin.user)
    summaries.refresh(calibration_summaries.KIND, org.agency.pk)  # the factory wrote no summary rows
    c = client_for(org.admin)
    base = reverse("performance:calibration") + f"?period={periods[3].pk}&unit={org.dinas.pk}"
    first = c.get(base)
    assert first.status_code == 200
    assert len(first.context["people"]) == 50 and first.context["people_page"].paginator.num_pages == 2
    RecordAccess.objects.all().delete()
    second = c.get(base + "&people_page=2")
    assert len(second.context["people"]) == 2
    shown = {x.employee_id for x in second.context["people"]}  # the annual period: SKPs
    logged = set(
        RecordAccess.objects.filter(viewer=org.admin.user, via="performance:calibration").values_list(
            "subject_id", flat=True
        )
    )
    assert logged == shown
    # One unit per page: the chosen unit (Dinas) is on page 1, page 2 still shows it as the chosen one.
    monkeypatch.setattr(calibration_views, "CALIBRATION_PAGE_SIZE", 1)
    r = c.get(base + "&page=2")
    assert [row["unit"] for row in r.context["rows"]] == [org.bidang]
    assert r.context["selected"]["unit"] == org.dinas and r.context["selected"]["total"] == 52
    assert (
        c.get(
            reverse("performance:calibration") + f"?period={periods[3].pk}&unit={org.foreign_staff.unit_id}"
        ).status_code
        == 404
    )


def test_calibration_page_of_a_head_lists_only_their_units(org: Any) -> None:
    """A head calibrates the units under them (the units read through the access rule, not the agency-wide
    precompiled read of a BKD admin): their subtree's units with a rating, not another dinas."""
    periods = f.periods(org.agency)
    _team(org, 2, PlanStatus.EVALUATED)
    for unit in (org.bidang, org.other_dinas):
        calibration_services.unit_performance_set(unit=unit, period=periods[3], rating="baik", actor=org.admin.user)
    c = client_for(org.head)
    r = c.get(reverse("performance:calibration") + f"?period={periods[3].pk}&unit={org.bidang.pk}")
    assert r.status_code == 200
    assert [row["unit"].name for row in r.context["rows"]] == ["Bidang Pelayanan"]
    assert r.context["selected"]["unit"] == org.bidang
    other = reverse("performance:calibration") + f"?period={periods[3].pk}&unit={org.other_dinas.pk}"
    assert c.get(other).status_code == 404


def test_inbox_sections_come_a_page_at_a_time_with_their_full_count(org: Any) -> None:
    from performance.models import Evaluation

    periods = f.periods(org.agency)
    _team(org, 30, PlanStatus.APPROVED)
    plans = list(PerformancePlan.objects.filter(appraiser=org.head, status=PlanStatus.APPROVED).order_by("pk"))
    assert len(plans) == 30
    Evaluation.objects.create(plan=plans[0], period=periods[0])  # an opened quarter not yet evaluated
    head = client_for(org.head)
    url = reverse("performance:inbox")
    first = head.get(url)
    page = first.context["box"]["evaluate"]
    assert len(page.object_list) == 25 and page.paginator.count == 30
    assert first.context["links"]["evaluate"] == {"next": "?evaluate_page=2"}
    text = main_text(first)
    assert "Perlu dinilai 30" in text and "Halaman 1 dari 2" in text
    second = head.get(url + "?evaluate_page=2")
    rest = second.context["box"]["evaluate"].object_list
    shown = {p.pk for p in page.object_list} | {p.pk for p in rest}
    assert len(rest) == 5 and shown == {p.pk for p in plans}
    marked = {p.pk for p in list(page.object_list) + list(rest) if p.has_pending}
    assert marked == {plans[0].pk}
    assert _count(head, url) == _count(head, url + "?evaluate_page=2")


def test_plan_list_pages_without_counting(org: Any) -> None:
    f.periods(org.agency)
    _team(org, 27)
    admin = client_for(org.admin)
    url = reverse("performance:plan-list")
    first = admin.get(url)
    assert len(first.context["page_obj"].object_list) == 25 and first.context["page_obj"].has_next
    assert "?page=2" in first.content.decode() and "Halaman 1" in main_text(first)
    second = admin.get(url + "?page=2")
    rest = second.context["page_obj"]
    assert not rest.has_next and rest.has_previous and len(rest.object_list) == 27 - 25
    shown = [p.pk for p in [*first.context["page_obj"], *rest]]
    assert len(set(shown)) == 27  # every SKP once across the pages
    assert admin.get(url + "?page=x").context["page_obj"].number == 1


def test_heads_plan_list_is_the_access_rule_by_name(org: Any) -> None:
    """A head's "Daftar SKP" (the rule's parts as one `pk = ANY(ARRAY(part UNION …))`): exactly the year's SKPs
    `plan_q` gives (their own, their units' people, those they appraise or sign above from another unit), never
    another unit's, another year's or another agency's, by name then id (namesakes in a stable order)."""
    from performance.plans.selectors import plan_q

    f.periods(org.agency)
    for emp in (org.head, org.staff, org.bidang_staff, org.other_staff, org.foreign_staff):
        f.plan(emp)
    f.plan(org.staff2, year=2025)
    appraised = f.plan(EmployeeFactory(unit=org.other_dinas, name="Staf Dinilai"), appraiser=org.head)
    signed = f.plan(EmployeeFactory(unit=org.other_dinas, name="Staf Diatas"), appraiser_superior=org.head)
    twins = [f.plan(EmployeeFactory(unit=org.dinas, name="Staf Kembar")) for _ in range(2)]
    rule = PerformancePlan.objects.filter(plan_q(org.head.user), year=2026)
    expected = sorted(rule.values_list("employee__name", "pk"))
    page = client_for(org.head).get(reverse("performance:plan-list")).context["page_obj"]
    assert [(p.employee.name, p.pk) for p in page.object_list] == expected
    shown = {p.pk for p in page.object_list}
    assert {appraised.pk, signed.pk, *(t.pk for t in twins)} <= shown and len(shown) == 7
    second = client_for(org.head).get(reverse("performance:plan-list") + "?year=2025").context["page_obj"]
    assert [p.employee_id for p in second.object_list] == [org.staff2.pk]
    bidang = client_for(org.bidang_head).get(reverse("performance:plan-list")).context["page_obj"]
    assert [p.employee_id for p in bidang.object_list] == [org.bidang_staff.pk]


def test_cascade_page_has_one_form_choosing_the_result(org: Any) -> None:
    """The subordinates are listed once (not once per RHK); the form names the RHK to cascade."""
    f.periods(org.agency)
    head_plan = f.plan(org.head, results=2)
    first, second = PlannedResult.objects.filter(plan=head_plan).order_by("order", "pk")
    head = client_for(org.head)
    url = reverse("performance:cascade")
    body = head.get(url).content.decode()
    assert body.count(f'value="{org.staff.pk}"') == 1
    assert f'<option value="{second.pk}">' in body
    r = head.post(url, {"result": second.pk, "employees": [org.staff.pk], "text": ""})
    assert r.status_code == 302
    cascaded = PlannedResult.objects.get(plan__employee=org.staff, parent_result__isnull=False)
    assert cascaded.parent_result_id == second.pk and cascaded.text == second.text
    assert not PlannedResult.objects.filter(parent_result=first).exists()


def _cascade_children(parent: PlannedResult, n: int) -> list[PlannedResult]:
    out = []
    for i in range(n):
        emp = EmployeeFactory(
            unit=parent.plan.employee.unit, position=parent.plan.employee.position, name=f"Bawahan {i}"
        )
        sub_plan = f.plan(emp, results=0)
        out.append(
            PlannedResult.objects.create(plan=sub_plan, kind="main", text=f"RHK turunan {i}", parent_result=parent)
        )
    return out


def test_cascade_tree_shows_two_levels_with_owners_in_constant_queries(org: Any) -> None:
    """The head's RHK, the subordinates' RHK supporting it (with whose they are), and the RHK cascaded from those;
    the number of queries does not grow with the number of subordinates' RHK."""
    f.periods(org.agency)
    head_plan = f.plan(org.head, results=1)
    top = PlannedResult.objects.get(plan=head_plan)
    staff_plan = f.plan(org.staff, results=0)
    child = PlannedResult.objects.create(plan=staff_plan, kind="main", text="RHK staf", parent_result=top)
    other = EmployeeFactory(unit=org.dinas, position=org.staff.position, name="Cucu Satu", front_title="Dr.")
    PlannedResult.objects.create(plan=f.plan(other, results=0), kind="main", text="RHK cucu", parent_result=child)
    head = client_for(org.head)
    url = reverse("performance:cascade")
    small = _count(head, url)
    text = main_text(head.get(url))
    assert f"{org.staff.full_name}: RHK staf" in text
    assert "Dr. Cucu Satu: RHK cucu" in text
    assert "Utama: Hasil kerja 1" in text
    _cascade_children(top, 30)
    # session, user, scope, the head's employee, the head's plan of the year with their direct reports' names
    # (one round trip), the head's RHK with their subordinates' RHK and the RHK cascaded from those (one round
    # trip), the notification badge
    assert _count(head, url) == small == 7
    assert "Bawahan 29: RHK turunan 29" in main_text(head.get(url))


def test_inbox_plan_list_and_team_query_counts_are_constant(org: Any) -> None:
    """Inbox: session, user, scope (roles, employee, head units), unread badge, the inbox's ids, the rows shown:
    the same for 2 and 50 SKPs. Same for the SKP list and the team page."""
    f.periods(org.agency)
    _team(org, 2)
    head = client_for(org.head)
    urls = [reverse("performance:inbox"), reverse("performance:plan-list"), reverse("performance:team")]
    small = [_count(head, u) for u in urls]
    _team(org, 48)
    # inbox: 1 session, 2 user, 3 scope (agency roles, own employee, headed units: one query), 4 the inbox's
    # plan ids and statuses, 5 the rows shown (a page per section) with employee and unit (the pending
    # evaluations are read only for a page of SKPs to evaluate; none here), 6 notification badge, 7 the access
    # log's insert (Redis in production).
    # SKP list: 1-3, 4 the page of plans (one row more, no count) with employee, unit and agency, 5 badge,
    # 6 the access log's insert.
    # team: 1-3, 4 current period (of the agency the scope read), 5 count, 6 badge, 7 page of members with their
    # plan, results, indicators, progress and evaluation of the period annotated, 8 the access log's insert.
    assert [_count(head, u) for u in urls] == small == [7, 6, 8]


def test_xlsx_export_and_pdf(org: Any) -> None:
    f.periods(org.agency)
    plan = f.plan(org.staff, status=PlanStatus.APPROVED)
    admin = client_for(org.admin)
    f.plan(org.foreign_staff, status=PlanStatus.APPROVED)
    rows = xlsx_rows(admin.get(reverse("performance:export", args=["skp"])))
    assert rows[0] == [
        "NIP",
        "Nama",
        "Unit",
        "Jabatan",
        "Tahun",
        "Status",
        "Rating hasil",
        "Rating perilaku",
        "Predikat",
    ]
    staff_rows = [row for row in rows if org.staff.nip in row]
    assert len(staff_rows) == 1, rows
    assert staff_rows[0][:6] == [
        org.staff.nip,
        "Staf Satu",
        "Dinas Kesehatan",
        plan.position_title,
        plan.year,
        "Disetujui",
    ]
    assert not any(org.foreign_staff.nip in row for row in rows)  # another agency's SKP is not exported
    PredikatRecord.objects.create(employee=org.staff, year=2025, predikat="sangat_baik", source="import")
    PredikatRecord.objects.create(employee=org.foreign_staff, year=2025, predikat="baik", source="import")
    rows = xlsx_rows(admin.get(reverse("performance:export", args=["predikat"]) + "?year=2025"))
    assert rows[0] == ["NIP", "Nama", "Tahun", "Predikat", "Sumber"]
    assert [row[:4] for row in rows[1:]] == [[org.staff.nip, "Staf Satu", 2025, "Sangat Baik"]], rows
    r = client_for(org.staff).get(reverse("performance:plan-pdf", args=[plan.pk, "skp"]))
    assert r.status_code == 200 and r.content.startswith(b"%PDF")


def test_import_preview_then_confirm_through_page(org: Any, django_capture_on_commit_callbacks: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = client_for(org.admin)
    body = f"NIP,Tahun,Predikat\n{org.staff.nip},2024,Baik\n{org.staff2.nip},2024,Butuh Perbaikan\n".encode()
    with django_capture_on_commit_callbacks(execute=True):  # the worker reads the file (eager here)
        r = c.post(reverse("performance:import"), {"file": SimpleUploadedFile("p.csv", body, content_type="text/csv")})
    assert r.status_code == 302
    assert "siap diimpor" in c.get(r["Location"]).content.decode()
    assert not PredikatRecord.objects.exists()
    r = c.post(r["Location"] + "konfirmasi/")
    assert r.status_code == 302
    assert set(PredikatRecord.objects.values_list("predikat", flat=True)) == {"baik", "butuh_perbaikan"}


def test_profile_panel_shows_history(org: Any) -> None:
    PredikatRecord.objects.create(employee=org.staff, year=2025, predikat="sangat_baik", source="import")
    text = main_text(client_for(org.head).get(reverse("people:profile", args=[org.staff.pk])))
    assert re.search(r"2025 Sangat Baik", text), text


def test_profile_panel_and_timeline_read_the_predikat_history_once(org: Any) -> None:
    """The profile's predikat panel and its timeline entries share one read of the employee's history."""
    from people.models import Employee
    from performance import cards

    PredikatRecord.objects.create(employee=org.staff, year=2024, predikat="baik", source="import")
    PredikatRecord.objects.create(employee=org.staff, year=2025, predikat="sangat_baik", source="import")
    emp = Employee.objects.get(pk=org.staff.pk)
    with CaptureQueriesContext(connection) as ctx:
        entries = list(cards.timeline(emp))
        again = list(cards.timeline(emp))
    assert len(ctx.captured_queries) == 1
    assert [e["date"].year for e in entries] == [e["date"].year for e in again] == [2025, 2024]


def test_home_cards_per_role(org: Any) -> None:
    f.periods(org.agency)
    assert 'data-testid="card-skp"' in client_for(org.staff).get("/").content.decode()
    assert 'data-testid="card-skp-inbox"' in client_for(org.head).get("/").content.decode()
    assert 'data-testid="card-skp-admin"' in client_for(org.admin).get("/").content.decode()


def test_team_shows_who_reported_this_period_and_its_predikat(org: Any) -> None:
    """Kinerja tim, per team member: the year's SKP, whether any IKI of it has a report in the running period
    (another period's report does not count), the period's predikat; "Belum melapor" lists the approved SKPs
    without a report this period."""
    from performance.models import Evaluation, Indicator, Progress
    from performance.periods.selectors import current_period

    f.periods(org.agency)
    period = current_period(org.agency.pk)
    assert period is not None
    other = EmployeeFactory(unit=org.dinas, position=org.staff.position, name="Staf Tiga")
    reported = f.plan(org.staff, status=PlanStatus.APPROVED, results=2)
    f.plan(org.staff2, status=PlanStatus.APPROVED)
    older = f.plan(other, status=PlanStatus.APPROVED)
    last = Indicator.objects.filter(result__plan=reported).order_by("pk").last()
    Progress.objects.create(indicator=last, period=period, value="3")
    Evaluation.objects.create(plan=reported, period=period, predikat="sangat_baik")
    earlier = period.__class__.objects.filter(agency=org.agency).exclude(pk=period.pk).first()
    Progress.objects.create(indicator=Indicator.objects.get(result__plan=older), period=earlier, value="1")
    text = main_text(client_for(org.head).get(reverse("performance:team")))
    rows = {name: re.sub(r"\s+", " ", text.split(name, 1)[1][:160]) for name in ("Staf Satu", "Staf Dua", "Staf Tiga")}
    assert "Disetujui sudah Sangat Baik" in rows["Staf Satu"], rows
    assert "Disetujui belum –" in rows["Staf Dua"] and "Disetujui belum –" in rows["Staf Tiga"], rows
    text = main_text(client_for(org.head).get(reverse("performance:team") + "?show=unreported"))
    assert "Staf Dua" in text and "Staf Tiga" in text and "Staf Satu" not in text


def test_employee_without_plan_in_team_listed_as_unplanned(org: Any) -> None:
    f.periods(org.agency)
    f.plan(org.staff2)
    text = main_text(client_for(org.head).get(reverse("performance:team") + "?show=unplanned"))
    assert "Staf Satu" in text and "belum menyusun" in text, text
    assert "Staf Dua" not in text  # has an SKP, so not listed as unplanned


def test_period_settings_are_saved_and_audited_in_one_step(org: Any) -> None:
    from asn_portal.models import AuditEntry
    from performance.models import PerformanceSetting

    r = client_for(org.admin).post(
        reverse("performance:periods"),
        {"year": 2026, "kind": "quarterly", "objection_window_days": 21, "reminder_days_before": 5},
    )
    assert r.status_code == 302
    setting = PerformanceSetting.objects.get(agency=org.agency)
    assert (setting.period_kind, setting.objection_window_days, setting.reminder_days_before) == ("quarterly", 21, 5)
    entry = AuditEntry.objects.get(action="performance.periods.configure")
    assert entry.after == {"year": 2026, "kind": "quarterly", "objection_window_days": 21, "reminder_days_before": 5}


def test_sub_menu_offers_each_role_only_the_tools_its_pages_allow(org: Any) -> None:
    def links(emp: Any) -> set[str]:
        body = client_for(emp).get(reverse("performance:plan-list")).content.decode()
        menu = body.split('aria-label="Menu kinerja"', 1)[1].split("</nav>", 1)[0]
        labels = ("Kotak masuk", "Kinerja tim", "Daftar SKP", "Statistik", "Periode")
        return {label for label in labels if label in menu}

    assert links(org.head) == {"Kotak masuk", "Kinerja tim", "Daftar SKP"}
    assert links(org.admin) == {"Daftar SKP", "Statistik", "Periode"}


def test_my_skp_query_count_is_constant_and_rows_show_progress(org: Any) -> None:
    """SKP Saya reads RHK, IKI and progress as three flat queries (no per-RHK or per-IKI query), shows no
    objections (no query for them) and takes the open periods from the periods already read."""
    from performance.models import Feedback, Indicator, Progress

    periods = f.periods(org.agency)
    plan = f.plan(org.staff, results=1, status=PlanStatus.APPROVED, appraiser=org.head)
    c = client_for(org.staff)
    url = reverse("performance:my-skp")
    small = _count(c, url)
    for i in range(2, 7):
        res = PlannedResult.objects.create(plan=plan, kind="additional", text=f"RHK tambahan {i}", order=i)
        for k in range(2):
            ind = Indicator.objects.create(
                result=res, aspect="quality", text=f"IKI {i}.{k}", target="100", target_value=100, unit="%"
            )
            Progress.objects.create(
                indicator=ind, period=periods[0], value=f"9{i}{k}", evidence_link="https://x.test/a"
            )
        Feedback.objects.create(plan=plan, result=res, text=f"Umpan balik {i}", given_by=org.head)
    # session, user, scope, the employee, their SKPs (appraisers' names, unit), predikat history, RHK, IKI,
    # progress (with periods), periods, evaluations, feedback (givers' names), behaviour, notification badge
    assert _count(c, url) == small == 14
    text = main_text(c.get(url))
    assert "RHK tambahan 6" in text and "IKI 6.1" in text and "961" in text
    assert f"{org.head.full_name} · RHK: RHK tambahan 6" in text


def test_period_for_review_is_the_latest_ended_read_with_the_pickers_periods(org: Any) -> None:
    """One read of the agency's periods answers both the picker and the period to review: the latest ended,
    else the latest started, else the latest (of periods ending the same day, the first in the picker's order);
    a period of another agency is a 404."""
    import datetime as dt

    from django.http import Http404

    from performance.models import EvaluationPeriod
    from performance.periods.selectors import agency_periods, period_for_review

    f.periods(org.agency)
    foreign = f.periods(org.other_agency)[0]
    picker = list(EvaluationPeriod.objects.filter(agency=org.agency).order_by("-year", "kind", "number"))
    assert agency_periods(org.agency.pk) == picker
    qs = EvaluationPeriod.objects.filter(agency=org.agency)
    for today in (
        dt.date(2025, 6, 1),
        dt.date(2026, 2, 1),
        dt.date(2026, 7, 1),
        dt.date(2026, 12, 31),
        dt.date(2027, 3, 1),
    ):
        chosen, listed = period_for_review(agency_id=org.agency.pk, pk=None, today=today)
        assert listed == picker
        latest = (
            qs.filter(end_date__lt=today).order_by("-end_date").first()
            or qs.filter(start_date__lte=today).order_by("-end_date").first()
            or qs.order_by("-end_date").first()
        )
        assert chosen is not None and latest is not None
        assert chosen == next(p for p in picker if p.end_date == latest.end_date), today
    assert period_for_review(agency_id=org.agency.pk, pk=picker[1].pk)[0] == picker[1]
    with pytest.raises(Http404):
        period_for_review(agency_id=org.agency.pk, pk=foreign.pk)
    assert period_for_review(agency_id=org.other_agency.pk + 99, pk=None) == (None, [])


def test_profile_panel_lists_the_skps_plan_q_lets_each_reader_see(org: Any) -> None:
    """The panel's three latest SKPs (one plain statement) are those `plan_q` gives, for every kind of reader:
    the BKD admin (agency), the heads above (team), the person, a colleague who appraises or signs above, a
    colleague who does not, the other agency's admin, a superuser."""
    from django.test import RequestFactory

    from people.models import Employee, User
    from performance import cards
    from performance.plans.selectors import plan_q

    for year in (2022, 2023, 2024, 2025):
        f.plan(org.staff, year=year)
    PerformancePlan.objects.filter(employee=org.staff, year=2023).update(appraiser=org.staff2)
    PerformancePlan.objects.filter(employee=org.staff, year=2022).update(appraiser_superior=org.other_staff)
    superuser = User.objects.create_superuser("root-skp", "root@example.com", "rahasia-123")
    readers = [org.admin.user, org.head.user, org.bidang_head.user, org.staff.user, org.staff2.user]
    readers += [org.other_staff.user, org.foreign_admin.user, org.bidang_staff.user, superuser]
    seen = set()
    for user in readers:
        user = User.objects.get(pk=user.pk)  # fresh: no cached scope
        request = RequestFactory().get("/")
        request.user = user
        emp = Employee.objects.get(pk=org.staff.pk)
        want = list(
            PerformancePlan.objects.filter(plan_q(user), employee=emp).order_by("-year").values("pk", "year")[:3]
        )
        assert cards.profile_panel(request, emp)["plans"] == want, user
        seen.add(tuple(p["year"] for p in want))
    assert {(2025, 2024, 2023), (2023,), (2022,), ()} <= seen  # every kind of answer was compared
