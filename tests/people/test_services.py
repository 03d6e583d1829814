"""Employee create/update (NIP rule, histories) and org-unit create/move (materialised paths)."""

import datetime as dt

import pytest

from asn_portal.errors import ApplicationError
from people import services
from people.models import Employee, OrgUnit, RankHistory
from people.rules import build_nip
from tests.people.factories import OrgUnitFactory, PositionFactory, rank

pytestmark = pytest.mark.django_db


def base_data(unit, **over):
    data = {
        "nip": build_nip(dt.date(1990, 2, 3), 2015, 3, "P", 7),
        "name": "Rina Lubis",
        "gender": "P",
        "birth_date": dt.date(1990, 2, 3),
        "cpns_date": dt.date(2015, 3, 1),
        "education_level": "s1",
        "unit": unit,
    }
    data.update(over)
    return data


def test_create_records_position_and_rank_as_first_history_entries(org):
    pos = PositionFactory(unit=org.dinas)
    emp, warnings = services.employee_create(
        agency=org.agency,
        data=base_data(
            org.dinas,
            position=pos,
            position_start_date=dt.date(2020, 1, 2),
            rank=rank("III/a"),
            rank_start_date=dt.date(2015, 3, 1),
        ),
        actor=org.admin.user,
    )
    assert warnings == []
    assert emp.position_id == pos.pk and emp.position_start_date == dt.date(2020, 1, 2)
    assert emp.rank.code == "III/a" and emp.rank_start_date == dt.date(2015, 3, 1)
    assert emp.position_history.count() == 1 and emp.rank_history.count() == 1


@pytest.mark.parametrize(
    ("nip", "part"),
    [
        ("19900203201503200", "18 digit"),
        ("199002302015032007", "digit 1–8"),
        ("199002032015132007", "digit 9–14"),
        ("199002032015033007", "digit 15"),
    ],
)
def test_create_refuses_a_malformed_nip_naming_the_part(org, nip, part):
    with pytest.raises(ApplicationError) as exc:
        services.employee_create(agency=org.agency, data=base_data(org.dinas, nip=nip), actor=org.admin.user)
    assert part in exc.value.message
    assert not Employee.objects.filter(name="Rina Lubis").exists()


def test_create_returns_warnings_when_nip_disagrees_with_the_person(org):
    emp, warnings = services.employee_create(
        agency=org.agency, data=base_data(org.dinas, gender="L", birth_date=dt.date(1990, 2, 4)), actor=org.admin.user
    )
    assert emp.pk
    assert any("Tanggal lahir" in w for w in warnings)
    assert any("jenis kelamin" in w for w in warnings)


def test_create_refuses_a_duplicate_nip(org):
    with pytest.raises(ApplicationError, match="sudah terdaftar"):
        services.employee_create(agency=org.agency, data=base_data(org.dinas, nip=org.staff.nip), actor=org.admin.user)


def test_create_refuses_a_unit_of_another_agency(org):
    with pytest.raises(ApplicationError, match="instansi lain"):
        services.employee_create(agency=org.agency, data=base_data(org.foreign_staff.unit), actor=org.admin.user)


def test_update_of_post_and_rank_goes_through_the_histories(org):
    new_pos = PositionFactory(unit=org.other_dinas)
    emp, _ = services.employee_update(
        employee=org.staff,
        data={
            "name": "Staf Satu Baru",
            "position": new_pos,
            "position_start_date": dt.date(2024, 1, 2),
            "rank": rank("III/c"),
            "rank_start_date": dt.date(2024, 4, 1),
        },
        actor=org.admin.user,
    )
    assert emp.name == "Staf Satu Baru"
    assert emp.position_id == new_pos.pk and emp.unit_id == org.other_dinas.pk
    assert emp.rank.code == "III/c"
    assert RankHistory.objects.filter(employee=emp, rank__code="III/c").exists()
    assert emp.position_history.filter(position=new_pos, start_date=dt.date(2024, 1, 2)).exists()


def test_moving_a_unit_rewrites_the_whole_subtree(org):
    leaf = OrgUnitFactory(agency=org.agency, parent=org.bidang)
    moved = services.org_unit_move(unit=org.bidang, new_parent=org.other_dinas, actor=org.admin.user)
    leaf.refresh_from_db()
    assert moved.path == f"{org.other_dinas.path}{org.bidang.pk}/"
    assert leaf.path == f"{moved.path}{leaf.pk}/" and leaf.depth == 2
    # Scoping follows the tree: the other dinas' head now sees the bidang's staff.
    from people.selectors import employee_list_visible_to as visible

    assert visible(user=org.other_head.user).filter(pk=org.bidang_staff.pk).exists()
    assert not visible(user=org.head.user).filter(pk=org.bidang_staff.pk).exists()


def test_a_unit_cannot_move_under_its_own_subtree(org):
    with pytest.raises(ApplicationError):
        services.org_unit_move(unit=org.dinas, new_parent=org.bidang, actor=org.admin.user)


def test_unit_create_sets_the_path_and_refuses_duplicate_codes(org):
    unit = services.org_unit_create(
        agency=org.agency, code="NEW-1", name="Bidang Baru", kind="bidang", parent=org.dinas, actor=org.admin.user
    )
    assert unit.path == f"{org.dinas.path}{unit.pk}/"
    with pytest.raises(ApplicationError):
        services.org_unit_create(agency=org.agency, code="NEW-1", name="X", kind="bidang", actor=org.admin.user)
    assert OrgUnit.objects.filter(code="NEW-1").count() == 1


def test_changing_the_parent_in_django_admin_moves_the_subtree(client, org):
    from people.models import User

    leaf = OrgUnitFactory(agency=org.agency, parent=org.bidang)
    su = User.objects.create_superuser("root", "root@contoh.go.id", "rahasia-123")
    client.force_login(su)
    data = {
        "agency": org.agency.pk,
        "parent": org.other_dinas.pk,
        "code": org.bidang.code,
        "name": org.bidang.name,
        "kind": "bidang",
        "head_position": org.bidang.head_position_id,
        "acting_head": "",
        "acting_kind": "",
        "is_active": "on",
    }
    response = client.post(f"/admin/people/orgunit/{org.bidang.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    leaf.refresh_from_db()
    assert leaf.path == f"{org.other_dinas.path}{org.bidang.pk}/{leaf.pk}/"
