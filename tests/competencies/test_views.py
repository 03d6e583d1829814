"""Pages: who sees what (404 across agencies/units, 403 for roles), constant query counts, forms."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from competencies.models import AssessmentImport, CompetencyAssessment, CompetencyRequirement, EmployeeJpm
from tests.competencies.factories import CompetencyFactory, national, record, set_standard
from tests.pagetext import main_text
from tests.people.factories import EmployeeFactory

pytestmark = [pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, 0), tick=False):
        yield


def client_for(emp: Any) -> Client:
    c = Client()
    c.force_login(emp.user)
    return c


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get(url)
    assert resp.status_code == 200, url
    return len(ctx.captured_queries)


def test_staff_sees_own_profile_with_chart_jpm_and_unassessed(org) -> None:
    comps = set_standard(org.staff.position, [3, 3, 3])
    record(org.staff, {comps[0].pk: 3, comps[1].pk: 1})
    resp = client_for(org.staff).get("/kompetensi/saya/")
    html = resp.content.decode()
    assert resp.status_code == 200
    assert 'data-chart="radar-data"' in html and 'id="radar-data"' in html
    assert "44,44%" in html  # (3 + 1 + 0) / 9
    assert "belum diases" in html
    assert "Kurang Optimal" in html and "Kurang Memenuhi Syarat" in html


def test_what_if_for_another_post(org) -> None:
    comps = set_standard(org.staff.position, [2, 2])
    set_standard(org.head.position, [4, 4], comps)
    record(org.staff, {comps[0].pk: 2, comps[1].pk: 2})
    html = client_for(org.staff).get(f"/kompetensi/saya/?position={org.head.position.pk}").content.decode()
    assert 'data-testid="what-if"' in html and "50,00%" in html


def test_what_if_for_a_post_of_another_agency_is_404(org) -> None:
    resp = client_for(org.staff).get(f"/kompetensi/saya/?position={org.foreign_staff.position.pk}")
    assert resp.status_code == 404


def test_profile_page_query_count_does_not_grow_with_history(org) -> None:
    comps = set_standard(org.staff.position, [3, 3, 3])
    set_standard(org.staff2.position, [3, 3, 3], comps)
    record(org.staff, {comps[0].pk: 2}, on=dt.date(2026, 1, 1))
    for i in range(8):
        record(org.staff2, {c.pk: 1 + i % 5 for c in comps}, on=dt.date(2025, 1, 1) + dt.timedelta(days=30 * i))
    c = client_for(org.admin)
    # 1 session, 2 user, 3 scope (agency roles, own employee, headed units: one query), 4 the employee with
    # unit, position and rank, 5 the post's requirements, 6 latest level per competency, 7 assessments,
    # 8 their results with their competencies, 9 JPM snapshots, 10 notification badge,
    # 11 the access log's insert (Redis in production): 1 or 8 assessments alike.
    assert (
        count_queries(c, f"/kompetensi/pegawai/{org.staff.pk}/")
        == count_queries(c, f"/kompetensi/pegawai/{org.staff2.pk}/")
        == 11
    )
    html = c.get(f"/kompetensi/pegawai/{org.staff2.pk}/").content.decode()
    assert html.count(f"{comps[0].code}: ") == 8  # every assessment lists its results


@pytest.mark.parametrize(
    ("viewer", "target", "status"),
    [
        ("head", "staff", 200),
        ("head", "bidang_staff", 200),  # heads see their subtree
        ("bidang_head", "staff", 404),
        ("other_head", "staff", 404),
        ("staff", "staff2", 404),
        ("admin", "other_staff", 200),
        ("foreign_admin", "staff", 404),
    ],
)
def test_person_profile_is_scoped(org, viewer: str, target: str, status: int) -> None:
    resp = client_for(getattr(org, viewer)).get(f"/kompetensi/pegawai/{getattr(org, target).pk}/")
    assert resp.status_code == status


def test_heatmap_constant_queries_for_2_and_50_people(org) -> None:
    comps = set_standard(org.staff.position, [2, 3, 2, 3, 2])
    record(org.staff, {comps[0].pk: 2})
    c = client_for(org.head)
    small = count_queries(c, "/kompetensi/tim/")
    for _i in range(48):
        e = EmployeeFactory(unit=org.dinas, position=org.staff.position)
        record(e, {comps[1].pk: 2})
    # 1 session, 2 user, 3 scope (agency roles, own employee, headed units: one query), 4 a page of team
    # members with JPM, 5 their stored cells, 6 the columns, 7 the units' summary rows, 8 the head's own JPM,
    # 9 when the rows were computed, 10 notification badge, 11 units for the filter, 12 the access log's insert
    # (Redis in production).
    assert count_queries(c, "/kompetensi/tim/") == small == 12
    html = c.get("/kompetensi/tim/?sort=jpm").content.decode()
    assert 'data-testid="heatmap"' in html and org.staff.name in html
    assert f"/kompetensi/pegawai/{org.staff.pk}/" in html


def test_heatmap_only_for_heads(org) -> None:
    assert client_for(org.staff).get("/kompetensi/tim/").status_code == 403


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("/kompetensi/analitik/", "Analitik kompetensi instansi"),
        ("/kompetensi/standar/", "Standar kompetensi jabatan"),
        ("/kompetensi/asesmen/", "Asesmen kompetensi"),
        ("/kompetensi/impor/", "Impor hasil asesmen"),
        ("/kompetensi/asesmen/tambah/", "Catat asesmen kompetensi"),
        ("/kompetensi/kamus/tambah/", "Tambah kompetensi teknis"),
    ],
)
def test_admin_pages_refuse_staff_and_heads(org, url: str, heading: str) -> None:
    assert client_for(org.staff).get(url).status_code == 403
    assert client_for(org.head).get(url).status_code == 403
    assert heading in main_text(client_for(org.admin).get(url))


def test_list_pages_constant_queries(org) -> None:
    comps = national()
    record(org.staff, {comps[0].pk: 2})
    c = client_for(org.admin)
    counts = [count_queries(c, u) for u in ("/kompetensi/asesmen/", "/kompetensi/standar/")]
    for i in range(30):
        e = EmployeeFactory(unit=org.dinas)
        record(e, {comps[i % 9].pk: 3})
        CompetencyRequirement.objects.create(position=e.position, competency=comps[0], level=2)
    # 1 session, 2 user, 3 scope (agency roles, own employee, headed units: one query), 4 page of assessments
    # (standards: positions; neither is counted) with the employee joined, 5 the page's result counts
    # (standards: the page's standard counts), 6 badge; assessments also 7 the access log's insert for the
    # people shown (Redis in production), standards 7 the bulk job runs.
    assert [count_queries(c, u) for u in ("/kompetensi/asesmen/", "/kompetensi/standar/")] == counts == [7, 7]
    standards = c.get("/kompetensi/standar/").content.decode()
    assert "Berikutnya" in standards and " dari " not in standards.split('aria-label="Halaman"')[-1]
    assert c.get("/kompetensi/standar/?page=2").status_code == 200
    with_standard = e.position  # the last loop's post has one
    bare = EmployeeFactory(unit=org.dinas).position
    missing = c.get("/kompetensi/standar/?missing=1").content.decode()
    assert f"/kompetensi/standar/jabatan/{bare.pk}/" in missing
    assert f"/kompetensi/standar/jabatan/{with_standard.pk}/" not in missing
    html = c.get("/kompetensi/asesmen/").content.decode()
    assert "Berikutnya" in html and " dari " not in html.split('aria-label="Halaman"')[-1]
    second = c.get("/kompetensi/asesmen/?page=2").content.decode()
    assert "Sebelumnya" in second and "Berikutnya" not in second


def test_admin_records_assessment_through_the_form(org) -> None:
    comps = set_standard(org.staff.position, [2, 2])
    resp = client_for(org.admin).post(
        "/kompetensi/asesmen/tambah/",
        {
            "nip": org.staff.nip,
            "assessed_on": "2026-05-01",
            "purpose": "mapping",
            "method": "competency_test",
            "assessor": "BKN",
            f"level_{comps[0].pk}": "2",
            f"level_{comps[1].pk}": "1",
        },
    )
    assert resp.status_code == 302
    assert EmployeeJpm.objects.get(employee=org.staff).jpm == 75


def test_assessment_form_refuses_future_date_and_foreign_nip(org) -> None:
    comps = national()
    c = client_for(org.admin)
    resp = c.post(
        "/kompetensi/asesmen/tambah/",
        {
            "nip": org.staff.nip,
            "assessed_on": "2026-07-01",
            "purpose": "mapping",
            "method": "cat",
            f"level_{comps[0].pk}": "3",
        },
    )
    assert "masa depan" in resp.content.decode()
    resp = c.post(
        "/kompetensi/asesmen/tambah/",
        {
            "nip": org.foreign_staff.nip,
            "assessed_on": "2026-05-01",
            "purpose": "mapping",
            "method": "cat",
            f"level_{comps[0].pk}": "3",
        },
    )
    assert "NIP tidak ditemukan" in resp.content.decode()
    assert not CompetencyAssessment.objects.exists()


def test_position_standard_edit_and_bulk_apply(org) -> None:
    comps = national()
    c = client_for(org.admin)
    resp = c.post(f"/kompetensi/standar/jabatan/{org.staff.position.pk}/", {f"level_{comps[0].pk}": "3"})
    assert resp.status_code == 302
    assert CompetencyRequirement.objects.get(position=org.staff.position, competency=comps[0]).is_override
    resp = c.post("/kompetensi/standar/massal/", {"position_kind": "pelaksana", "functional_level": "", "level": ""})
    assert resp.status_code == 302
    assert CompetencyRequirement.objects.filter(position=org.staff.position).count() == 9
    assert client_for(org.foreign_admin).get(f"/kompetensi/standar/jabatan/{org.staff.position.pk}/").status_code == 404


def test_import_preview_names_row_and_field_then_nothing_written(org) -> None:
    national()
    tech = CompetencyFactory(agency=org.agency, code="TK1")
    content = (
        "nip,tanggal,M1,M2,TK1\n"
        f"{org.staff.nip},2026-01-10,3,2,4\n"
        "199999999999999999,2026-01-10,3,2,1\n"
        f"{org.staff2.nip},2026-01-10,7,2,1\n"
        f"{org.bidang_staff.nip},2027-01-10,3,2,1\n"
    ).encode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = client_for(org.admin)
    with TestCase.captureOnCommitCallbacks(execute=True):  # the worker reads the file (eager here)
        resp = c.post(
            "/kompetensi/impor/",
            {
                "file": SimpleUploadedFile("ac.csv", content),
                "purpose": "mapping",
                "method": "assessment_center",
                "assessor": "UPT",
            },
        )
    assert resp.status_code == 302
    batch = AssessmentImport.objects.get()
    assert {(e["row"], e["field"]) for e in batch.errors} == {(3, "nip"), (4, "m1"), (5, "tanggal")}
    html = c.get(resp["Location"]).content.decode()
    assert "Baris 3, kolom nip" in html
    resp = c.post(f"/kompetensi/impor/{batch.pk}/konfirmasi/")
    assert not CompetencyAssessment.objects.exists()
    assert tech.pk


def test_import_xlsx_confirm_writes_all_rows_once(org) -> None:
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    comps = set_standard(org.staff.position, [2, 2])
    wb = Workbook()
    ws = wb.active
    ws.append(["nip", "tanggal", "asesor", "M1", "M2"])
    ws.append([org.staff.nip, dt.date(2026, 2, 1), "BKN", 2, 1])
    ws.append([org.staff2.nip, "01/02/2026", "", 1, ""])
    buf = io.BytesIO()
    wb.save(buf)
    c = client_for(org.admin)
    with TestCase.captureOnCommitCallbacks(execute=True):  # the worker reads the file (eager here)
        resp = c.post(
            "/kompetensi/impor/",
            {
                "file": SimpleUploadedFile("ac.xlsx", buf.getvalue()),
                "purpose": "filling",
                "method": "assessment_center",
                "assessor": "UPT",
            },
        )
    batch = AssessmentImport.objects.get()
    assert batch.errors == []
    c.post(f"/kompetensi/impor/{batch.pk}/konfirmasi/")
    c.post(f"/kompetensi/impor/{batch.pk}/konfirmasi/")  # a double click imports once
    assert CompetencyAssessment.objects.count() == 2
    assert EmployeeJpm.objects.get(employee=org.staff).jpm == 75
    assert EmployeeJpm.objects.get(employee=org.staff2).jpm == 25
    assert comps and resp.status_code == 302


def test_analytics_page_and_xlsx(org, django_capture_on_commit_callbacks) -> None:
    c = client_for(org.admin)
    assert "Data belum dihitung" in c.get("/kompetensi/analitik/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # the summary rows are refreshed after commit
        comps = set_standard(org.staff.position, [3, 3])
        record(org.staff, {comps[0].pk: 3})
    html = c.get("/kompetensi/analitik/").content.decode()
    assert 'data-testid="gap-by-competency"' in html and comps[1].name in html
    assert "Data dihitung pada" in html
    resp = c.get("/kompetensi/analitik/ekspor.xlsx")
    assert resp.status_code == 200 and resp["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(resp.content))
    units = {row[0]: row for row in book["JPM per unit"].iter_rows(min_row=2, values_only=True)}
    assert units["Dinas Kesehatan"][1] >= 1, units  # the assessed employee's unit is counted
    gaps = {row[0]: row for row in book["Kesenjangan per kompetensi"].iter_rows(min_row=2, values_only=True)}
    assert gaps[comps[1].name][2] >= 1 and gaps[comps[1].name][3] > 0, gaps  # the unassessed competency
    assert not any("Pontianak" in str(unit) for unit in units)


def test_home_cards_and_profile_panel(org) -> None:
    comps = set_standard(org.staff.position, [2, 2])
    record(org.staff, {comps[0].pk: 2})
    assert 'data-testid="card-my-jpm"' in client_for(org.staff).get("/").content.decode()
    assert 'data-testid="card-team-jpm"' in client_for(org.head).get("/").content.decode()
    assert 'data-testid="card-agency-gaps"' in client_for(org.admin).get("/").content.decode()
    html = client_for(org.admin).get(f"/pegawai/{org.staff.pk}/").content.decode()
    assert 'data-testid="competency-panel"' in html and "50,00%" in html


def test_profile_history_lists_each_assessment_newest_first_with_its_results(org) -> None:
    comps = set_standard(org.staff.position, [3, 3])
    record(org.staff, {comps[0].pk: 2, comps[1].pk: 4}, on=dt.date(2025, 3, 1), method="cat")
    record(org.staff, {comps[1].pk: 3}, on=dt.date(2026, 2, 1))
    record(org.staff2, {comps[0].pk: 5}, on=dt.date(2026, 3, 1))  # someone else's: not listed
    html = client_for(org.staff).get("/kompetensi/saya/").content.decode()
    history = html[html.index('id="hist-h"') :]
    newer, older = history.index(f"{comps[1].code}: 3"), history.index(f"{comps[0].code}: 2")
    assert newer < older < history.index(f"{comps[1].code}: 4")
    assert f"{comps[0].code}: 5" not in history
    assert "berlaku s.d." in history and "UPT Penilaian Kompetensi" in history
    gaps = html[html.index('data-testid="gap-list"') :]
    assert f"{comps[0].name} (2 → 3)" in gaps  # the latest valid level of each competency against the standard


def test_what_if_search_matches_titles_literally_in_readable_agencies(org) -> None:
    from tests.people.factories import PositionFactory

    mine = PositionFactory(unit=org.dinas, title="Analis 100% Data_Kepegawaian")
    PositionFactory(unit=org.dinas, title="Analis 1000 Data Kepegawaian")
    PositionFactory(unit=org.dinas, title="Analis Lama", is_active=False)
    PositionFactory(unit=org.foreign_staff.unit, title="Analis 100% Data_Kepegawaian Asing")
    c = client_for(org.staff)

    def found(q: str) -> list[str]:
        html = c.get("/kompetensi/saya/", {"q": q}).content.decode()
        block = html[html.index('data-testid="position-matches"') :].split("</ul>")[0]
        return [part.split('">', 1)[1].split("</a>")[0] for part in block.split('href="?position=')[1:]]

    assert found("100%") == ["Analis 100% Data_Kepegawaian"]  # % and _ are letters, not wildcards
    assert found("data_k") == ["Analis 100% Data_Kepegawaian"]
    assert found("ANALIS 10") == ["Analis 100% Data_Kepegawaian", "Analis 1000 Data Kepegawaian"]
    assert found("lama") == []  # inactive posts are not offered
    html = c.get("/kompetensi/saya/", {"q": "100%"}).content.decode()
    assert f'href="?position={mine.pk}"' in html and f"· {org.dinas.name}</span>" in html


def test_profile_panel_equals_profile_for(org) -> None:
    """The profile panel reads the requirement and level rows itself (one round trip, no model instances): its
    JPM, category and first five gaps are `profile_for`'s, with and without a standard, assessed or not, met,
    short or above the standard, more than five gaps."""
    from django.test import RequestFactory

    from competencies import cards
    from competencies.selectors import profile_for
    from people.models import Employee

    comps = set_standard(org.staff.position, [3, 2, 4, 1, 2, 3, 2])
    record(org.staff, {comps[0].pk: 2, comps[1].pk: 3, comps[3].pk: 1})
    record(org.bidang_staff, {comps[0].pk: 4})  # no standard for their post: assessed, no JPM
    request = RequestFactory().get("/")
    request.user = org.admin.user
    for who in (org.staff, org.staff2, org.bidang_staff, org.head):
        emp = Employee.objects.select_related("position").get(pk=who.pk)
        profile = profile_for(emp)
        card = cards.profile_panel(request, emp)
        assert (card["jpm"], card["category_label"], card["colour"]) == (
            profile.jpm,
            profile.category.label if profile.category else "",
            profile.category_colour(),
        )
        assert [(g["competency"]["name"], g["current"], g["required"]) for g in card["gaps"]] == [
            (r.competency.name, r.current, r.required) for r in profile.gaps[:5]
        ]
    staff = cards.profile_panel(request, Employee.objects.get(pk=org.staff.pk))
    assert staff["jpm"] is not None and len(staff["gaps"]) == 5
