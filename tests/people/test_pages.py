"""Directory (filters, sort, exports, constant queries), profile, Profil Saya, org chart, home cards."""

import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from asn_portal import summaries
from people import headcount
from people.models import DisciplinarySanction, Employee
from tests.pagetext import main_text
from tests.people.factories import EmployeeFactory, PositionFactory, rank

pytestmark = pytest.mark.django_db


def login(client, emp):
    client.force_login(emp.user)
    return client


def names(response):
    return {e["name"] for e in response.context["page_obj"]}


def test_staff_cannot_open_the_directory(client, org):
    assert login(client, org.staff).get("/pegawai/").status_code == 403


def test_head_sees_their_subtree_and_admin_the_agency(client, org):
    assert names(login(client, org.head).get("/pegawai/")) == {
        "Kepala Dinkes",
        "Staf Satu",
        "Staf Dua",
        "Kabid Pelayanan",
        "Staf Bidang",
    }
    admin_names = names(login(client, org.admin).get("/pegawai/"))
    assert "Staf Disdik" in admin_names and "Staf Pontianak" not in admin_names


def test_directory_search_by_name_and_nip(client, org):
    login(client, org.admin)
    assert names(client.get("/pegawai/", {"q": "bidang"})) == {"Staf Bidang"}
    assert names(client.get("/pegawai/", {"q": org.staff2.nip_display})) == {"Staf Dua"}


def test_directory_filter_by_unit_includes_sub_units(client, org):
    login(client, org.admin)
    got = names(client.get("/pegawai/", {"unit": org.dinas.pk}))
    assert got == {"Kepala Dinkes", "Staf Satu", "Staf Dua", "Kabid Pelayanan", "Staf Bidang"}


def test_directory_unit_filter_lists_the_visible_units_indented_with_the_chosen_one_selected(client, org):
    import re

    html = login(client, org.head).get("/pegawai/", {"unit": org.bidang.pk}).content.decode()
    select = re.search(r'<select name="unit"[^>]*>(.*?)</select>', html, re.S)
    assert select is not None
    options = re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select.group(1))
    # The head of Dinas Kesehatan sees their unit and its bidang (indented), never Dinas Pendidikan.
    assert options == [
        ("", "", "Semua"),
        (str(org.dinas.pk), "", "Dinas Kesehatan"),
        (str(org.bidang.pk), " selected", "— Bidang Pelayanan"),
    ]


def test_directory_refuses_a_unit_outside_the_users_scope(client, org):
    login(client, org.head)
    response = client.get("/pegawai/", {"unit": org.other_dinas.pk})
    assert response.status_code == 200 and names(response) == set()


def test_directory_filters_rank_status_and_position_kind_and_sorts(client, org):
    Employee.objects.filter(pk=org.staff.pk).update(rank=rank("IV/a"), status="leave")
    login(client, org.admin)
    assert names(client.get("/pegawai/", {"rank": rank("IV/a").pk})) == {"Staf Satu"}
    assert names(client.get("/pegawai/", {"status": "leave"})) == {"Staf Satu"}
    assert "Kepala Dinkes" in names(client.get("/pegawai/", {"position_kind": "administrator"}))
    ordered = [e["name"] for e in client.get("/pegawai/", {"ordering": "-rank"}).context["page_obj"]]
    assert ordered[0] == "Staf Satu"


def make_many(unit, n):
    pos = PositionFactory(unit=unit, headcount=n)
    for _ in range(n):
        EmployeeFactory(unit=unit, position=pos)


def directory_queries(client, user):
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/pegawai/", {"page_size": 50}).status_code == 200
    return len(ctx.captured_queries)


def test_directory_query_count_does_not_grow_with_rows(client, org, django_assert_num_queries):
    small = directory_queries(client, org.admin.user)
    make_many(org.dinas, 40)
    large = directory_queries(client, org.admin.user)
    assert small == large
    # 1 session, 2 user, 3 scope (agency roles, own employee, headed units: one query), 4 count,
    # 5 notification badge, 6 unit and rank choices (one round trip, people.filters.FilterOptions),
    # 7 the page's rows (unit, position, rank joined), 8 the access log's insert (Redis in production).
    client.force_login(org.admin.user)
    with django_assert_num_queries(8):
        client.get("/pegawai/")


def test_a_name_search_counts_the_same_total_through_the_trigram_index(client, org):
    """The directory reads a name search's total with the page's ids (`COUNT(*) OVER ()`, one pass through the
    trigram index, issue #13), and past the last page as `COUNT(unit_id)` (so PostgreSQL takes the trigram
    index): the same number as `COUNT(*)` of the list; a NIP search counts `*`."""
    for i in range(30):
        EmployeeFactory(unit=org.dinas, name=f"Rudi Siregar {i}")
    EmployeeFactory(unit=org.dinas, name="Siti Nasution")
    login(client, org.admin)
    expected = Employee.objects.filter(agency=org.admin.agency, name__icontains="siregar").count()
    with CaptureQueriesContext(connection) as ctx:
        page = client.get("/pegawai/", {"q": "sIREgar", "ordering": "-rank", "page": 2}).context["page_obj"]
    assert page.paginator.count == expected == 30 and page.number == 2 and len(page.object_list) == 5
    assert any("OVER ()" in q["sql"] for q in ctx.captured_queries)
    assert not any('COUNT("people_employee"' in q["sql"] and "OVER" not in q["sql"] for q in ctx.captured_queries)
    with CaptureQueriesContext(connection) as ctx:
        page = client.get("/pegawai/", {"q": "sIREgar", "page": 9}).context["page_obj"]  # past the last: page 2
    assert page.paginator.count == 30 and page.number == 2 and len(page.object_list) == 5
    assert any('COUNT("people_employee"."unit_id")' in q["sql"] for q in ctx.captured_queries)
    with CaptureQueriesContext(connection) as ctx:
        page = client.get("/pegawai/", {"q": org.staff2.nip_display}).context["page_obj"]
    assert page.paginator.count == 1
    assert not any('COUNT("people_employee"."unit_id")' in q["sql"] for q in ctx.captured_queries)


def test_csv_and_xlsx_exports_hold_the_filtered_list(client, org):
    login(client, org.admin)
    response = client.get("/pegawai/ekspor.csv", {"unit": org.bidang.pk})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][0] == "NIP" and {r[2] for r in rows[1:]} == {"Kabid Pelayanan", "Staf Bidang"}
    response = client.get("/pegawai/ekspor.xlsx", {"q": "Staf Dua"})
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in ws[2]][:3] == [org.staff2.nip, None, "Staf Dua"]
    assert ws.max_row == 2


def test_profile_shows_identity_histories_supervisor_and_nip_warnings(client, org):
    import datetime as dt

    from people.services import employee_change_rank

    employee_change_rank(employee=org.staff, rank=rank("III/c"), start_date=dt.date(2023, 4, 1), actor=None)
    Employee.objects.filter(pk=org.staff.pk).update(gender="P")  # NIP says laki-laki
    # seen by the BKD admin, so the supervisor's name can only come from the profile itself
    text = main_text(login(client, org.admin).get(f"/pegawai/{org.staff.pk}/"))
    assert "Kepala Dinkes" in text, text  # supervisor: holder of the post the staff post reports to
    assert "Penata (III/c)" in text
    assert "Kode jenis kelamin pada NIP (digit 15) berbeda dengan jenis kelamin pegawai." in text  # NIP warning


def test_sanctions_are_shown_to_admins_only(client, org):
    import datetime as dt

    DisciplinarySanction.objects.create(
        employee=org.staff, level="ringan", description="Teguran tertulis", start_date=dt.date(2025, 1, 1)
    )
    assert "Teguran tertulis" in login(client, org.admin).get(f"/pegawai/{org.staff.pk}/").content.decode()
    assert "Teguran tertulis" not in login(client, org.head).get(f"/pegawai/{org.staff.pk}/").content.decode()


def test_profile_query_count_is_constant(client, org):
    import datetime as dt

    from people.services import employee_change_rank

    login(client, org.admin)
    with CaptureQueriesContext(connection) as small:
        client.get(f"/pegawai/{org.staff.pk}/")
    for year in range(2000, 2012):
        employee_change_rank(employee=org.staff, rank=rank("II/a"), start_date=dt.date(year, 4, 1), actor=None)
    with CaptureQueriesContext(connection) as large:
        client.get(f"/pegawai/{org.staff.pk}/")
    # 1 session, 2 user, 3 scope (agency roles, own employee, headed units: one query), 4 the visible employee
    # with unit, position, rank and agency (precompiled statements, people.employee_rows); 5 position and rank
    # history, sanctions and the superior with post, rank and unit (one statement, the lists as JSON arrays; read
    # once: the career timeline panel reuses them, issue #13); 6 competencies (the post's requirements and the
    # latest levels in one round trip, `rows_together`), SKP (7 predikat, 8 the visible plans in one plain
    # statement), 9 JP (the year's JP and the last trainings, with the verified trainings the timeline lists: one
    # round trip); 10 the next-rank outlook (one statement: rank facts with exams, sanctions, predikat and the
    # superior's rank), 11-14 the rank ladder, caps, thresholds and rule set (promotions.reference, read once per
    # process); 15 the career timeline's own rows (assessments, sessions, plan actions done and open, talent
    # placements, which also give the panel's latest box, with the promotion proposals the promotion source
    # registered as a timeline read: one round trip, no second visibility check; the other sources' rows were read
    # with their panels); 16 the notification badge; 17 the access log's write. None grows with history.
    assert len(small.captured_queries) == len(large.captured_queries) == 17


def test_my_profile_shows_the_signed_in_employee(client, org):
    response = login(client, org.staff).get("/pegawai/saya/")
    assert response.status_code == 200 and response.context["emp"].pk == org.staff.pk
    # The same page as the profile by id (the signed-in employee's own read serves as the profile's).
    with CaptureQueriesContext(connection) as by_id:
        same = client.get(f"/pegawai/{org.staff.pk}/")
    with CaptureQueriesContext(connection) as own:
        mine = client.get("/pegawai/saya/")
    assert main_text(mine) == main_text(same)
    assert len(own.captured_queries) <= len(by_id.captured_queries)


def test_org_chart_counts_heads_and_subtrees(client, org):
    summaries.refresh_all([org.agency.pk], [headcount.KIND])  # the factories' staff counted, as the nightly job would
    org.other_dinas.acting_head = org.bidang_head
    org.other_dinas.acting_kind = "plt"
    org.other_dinas.head_position = None
    org.other_dinas.save()
    response = login(client, org.admin).get("/pegawai/organisasi/")
    rows = {r["name"]: r for r in response.context["rows"]}
    assert rows["Dinas Kesehatan"]["own_count"] == 3 and rows["Dinas Kesehatan"]["total_count"] == 5
    assert rows["Dinas Kesehatan"]["head_name"] == "Kepala Dinkes"
    assert rows["Dinas Pendidikan"]["acting_head_name"] == "Kabid Pelayanan"
    assert "Plt." in response.content.decode()


def test_org_chart_query_count_is_constant(client, org):
    login(client, org.admin)
    with CaptureQueriesContext(connection) as small:
        client.get("/pegawai/organisasi/")
    make_many(org.bidang, 30)
    with CaptureQueriesContext(connection) as large:
        client.get("/pegawai/organisasi/")
    # 1 session, 2 user, 3 scope (agency roles, own employee, headed units: one query), 4 agency, 5 units
    # with their head's post, active headcount per unit (the people.headcount summary rows) and heads (one
    # round trip: precompiled statements for the agency's admin), 6 when the summary was computed,
    # 7 notification badge (the agency list is the one agency administered: no query).
    assert len(small.captured_queries) == len(large.captured_queries) == 7


def test_head_sees_only_their_subtree_on_the_chart(client, org):
    rows = login(client, org.bidang_head).get("/pegawai/organisasi/").context["rows"]
    assert [r["name"] for r in rows] == ["Bidang Pelayanan"]


def test_unit_page_lists_its_people(client, org):
    response = login(client, org.head).get(f"/pegawai/unit/{org.bidang.pk}/")
    assert names(response) == {"Kabid Pelayanan", "Staf Bidang"}


def test_home_cards_per_role(client, org):
    assert 'data-testid="card-agency"' in login(client, org.admin).get("/").content.decode()
    head_home = login(client, org.head).get("/").content.decode()
    assert 'data-testid="card-team"' in head_home and 'data-testid="card-agency"' not in head_home
    staff_home = login(client, org.staff).get("/").content.decode()
    assert 'data-testid="card-me"' in staff_home and 'data-testid="card-team"' not in staff_home


def employee_post(unit, **over):
    data = {
        "nip": "19900203 201503 2 007",
        "name": "Rina Lubis",
        "gender": "P",
        "birth_date": "1990-02-03",
        "employment_type": "pns",
        "education_level": "s1",
        "unit": unit.pk,
        "status": "active",
        "cpns_date": "2015-03-01",
    }
    data.update(over)
    return data


def test_admin_adds_an_employee_and_sees_the_nip_warning(client, org):
    login(client, org.admin)
    response = client.post("/pegawai/baru/", employee_post(org.dinas, gender="L"), follow=True)
    emp = Employee.objects.get(name="Rina Lubis")
    assert response.redirect_chain[-1][0] == f"/pegawai/{emp.pk}/"
    assert emp.nip == "199002032015032007"
    assert "Kode jenis kelamin pada NIP (digit 15) berbeda dengan jenis kelamin pegawai." in main_text(response)


def test_a_bad_nip_is_shown_on_the_form_and_nothing_is_saved(client, org):
    login(client, org.admin)
    response = client.post("/pegawai/baru/", employee_post(org.dinas, nip="199002032015132007"))
    assert response.status_code == 200
    assert "digit 9–14" in response.content.decode()
    assert not Employee.objects.filter(name="Rina Lubis").exists()


def test_admin_edits_a_post_through_the_history(client, org):
    new_pos = PositionFactory(unit=org.other_dinas, title="Analis Baru")
    login(client, org.admin)
    data = employee_post(
        org.dinas,
        nip=org.staff.nip,
        name="Staf Satu",
        gender="L",
        birth_date="1985-05-17",
        cpns_date="2010-03-01",
        position=new_pos.pk,
        position_start_date="2024-01-02",
        rank=org.staff.rank_id,
        rank_start_date="2019-04-01",
    )
    response = client.post(f"/pegawai/{org.staff.pk}/ubah/", data)
    assert response.status_code == 302, response.context["form"].errors
    org.staff.refresh_from_db()
    assert org.staff.position_id == new_pos.pk
    assert org.staff.position_history.filter(position=new_pos).exists()


def test_heads_cannot_edit(client, org):
    assert login(client, org.head).get(f"/pegawai/{org.staff.pk}/ubah/").status_code == 403


@pytest.mark.parametrize("who", ["admin", "superuser"])
def test_org_chart_fast_path_equals_the_querysets(client, org, monkeypatch, who):
    """An agency's admin and a superuser read the chart through precompiled statements in one round trip: the
    same rows as the querysets filtered by `unit_q` (acting heads, a vacant head post, two holders of one head
    post, an inactive unit, counts of the subtree), for both agencies a superuser may pick."""
    from people import selectors
    from tests.people.factories import OrgUnitFactory, UserFactory

    org.other_dinas.acting_head = org.bidang_head
    org.other_dinas.acting_kind = "plt"
    org.other_dinas.save()
    vacant = OrgUnitFactory(agency=org.agency, parent=org.dinas, name="Seksi Kosong")
    vacant.head_position = PositionFactory(unit=vacant, title="Kepala Seksi")
    vacant.save()
    OrgUnitFactory(agency=org.agency, parent=org.dinas, name="Seksi Lama", is_active=False)
    EmployeeFactory(unit=org.dinas, position=org.dinas.head_position, name="Kepala Kedua")
    make_many(org.bidang, 3)
    summaries.refresh_all([org.agency.pk, org.other_agency.pk], [headcount.KIND])
    user = org.admin.user if who == "admin" else UserFactory(is_superuser=True)
    agencies = [org.agency] if who == "admin" else [org.agency, org.other_agency]
    for agency in agencies:
        assert selectors._sees_whole_agency(user, agency.pk)
        fast = selectors.org_chart(user=user, agency=agency)
        with monkeypatch.context() as m:
            m.setattr(selectors, "_sees_whole_agency", lambda user, agency_id: False)
            assert selectors.org_chart(user=user, agency=agency) == fast
        if agency == org.agency:
            rows = {r["name"]: r for r in fast}
            assert "Seksi Lama" not in rows and rows["Seksi Kosong"]["head_name"] is None
            assert rows["Dinas Pendidikan"]["acting_head_name"] == "Kabid Pelayanan"
            assert rows["Dinas Kesehatan"]["total_count"] > rows["Dinas Kesehatan"]["own_count"] > 0
