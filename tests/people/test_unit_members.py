"""The unit page's reads compiled once per shape of the access rule (people.selectors.unit_get_visible and
UnitMembersPaginator, issue #13): for every kind of user (superuser, BKD admin, another agency's admin, heads,
a head who also administers another agency, staff) and unit, the unit found and every page's rows equal the
ORM querysets they replace (`unit_q`, `employee_directory` of the unit's subtree in the page's order), read
as a short list collected first or as a long one."""

from types import SimpleNamespace

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from people import selectors
from people.access import unit_q
from people.models import AgencyRole, OrgUnit
from tests.people.factories import EmployeeFactory, OrgUnitFactory, UserFactory, rank

pytestmark = pytest.mark.django_db


@pytest.fixture
def crowd(org):
    """Namesakes (ties on the unit, post kind and name) in a sub-unit and its parent; a unit with a `_` and a `%`
    in reach of a LIKE; a head who also administers the other agency; a superuser."""
    for i in range(7):
        EmployeeFactory(
            unit=org.bidang if i % 2 else org.dinas, name="Rudi Siregar", rank=rank("III/a") if i % 3 else None
        )
        EmployeeFactory(unit=org.dinas, name=f"Ani Lubis {i % 3}", rank=rank("III/b"))
    AgencyRole.objects.create(user=org.bidang_head.user, agency=org.foreign_staff.agency, role="hr_admin")
    odd = OrgUnitFactory(agency=org.dinas.agency, parent=org.dinas, name="Seksi 100%_x")
    EmployeeFactory(unit=odd, name="Staf Seksi")
    users = {
        "superuser": UserFactory(is_superuser=True),
        **{role: getattr(org, role).user for role in ("admin", "foreign_admin", "head", "bidang_head", "staff")},
    }
    units = [org.dinas, org.bidang, org.other_dinas, odd, org.foreign_staff.unit]
    return SimpleNamespace(org=org, users=users, units=units)


def _fresh(user):
    user = type(user).objects.get(pk=user.pk)  # no scope kept from another read
    return user


def _expected(user, unit):
    subtree = OrgUnit.objects.filter(path__startswith=unit.path).values("pk")
    qs = selectors.employee_directory(user=user).filter(unit_id__in=subtree)
    return list(qs.order_by(*selectors.UNIT_MEMBERS_ORDER).values(*selectors.DIRECTORY_ROW_FIELDS))


def _pages(user, unit, per_page=3):
    got: list[dict] = []
    n = 1
    while True:
        page = selectors.UnitMembersPaginator(user=user, unit=unit, per_page=per_page).get_page(n)
        got.extend(page.object_list)
        if not page.has_next():
            return got, page.paginator.count
        n += 1


@pytest.mark.parametrize("collect_limit", [1000, 2])
def test_every_page_of_every_unit_equals_the_orm_list_for_every_kind_of_user(crowd, collect_limit, monkeypatch):
    monkeypatch.setattr(selectors.DirectoryPaginator, "COLLECT_LIMIT", collect_limit)
    seen_rows = 0
    for who, user in crowd.users.items():
        for unit in crowd.units:
            expected = _expected(_fresh(user), unit)
            got, count = _pages(_fresh(user), unit)
            assert (got, count) == (expected, len(expected)), (who, unit.name)
            seen_rows += len(got)
    assert seen_rows > 50  # the lists are not all empty


def test_the_visible_unit_equals_the_orm_rule_with_its_relations(crowd):
    found = 0
    for who, user in crowd.users.items():
        for unit in crowd.units:
            orm = OrgUnit.objects.filter(unit_q(_fresh(user)), pk=unit.pk).select_related("agency", "parent").first()
            if orm is None:
                with pytest.raises(Http404):
                    selectors.unit_get_visible(user=_fresh(user), pk=unit.pk)
                continue
            got = selectors.unit_get_visible(user=_fresh(user), pk=unit.pk)
            assert (got.pk, got.name, got.path, got.agency.name) == (orm.pk, orm.name, orm.path, orm.agency.name), who
            assert (got.parent and got.parent.name) == (orm.parent and orm.parent.name)
            assert got.head_position_id == orm.head_position_id
            assert (got.head_position and got.head_position.title) == (orm.head_position and orm.head_position.title)
            found += 1
    assert found >= 10
    with pytest.raises(Http404):
        selectors.unit_get_visible(user=crowd.users["superuser"], pk=10**9)


def test_the_unit_page_reads_in_constant_queries(client, crowd):
    org = crowd.org
    client.force_login(org.admin.user)
    with CaptureQueriesContext(connection) as small:
        assert client.get(f"/pegawai/unit/{org.bidang.pk}/").status_code == 200
    for i in range(30):
        EmployeeFactory(unit=org.bidang, name=f"Tambahan {i}")
    with CaptureQueriesContext(connection) as large:
        response = client.get(f"/pegawai/unit/{org.bidang.pk}/?page=2")
    assert response.status_code == 200 and len(response.context["page_obj"].object_list) > 0
    assert len(small.captured_queries) == len(large.captured_queries)
    # the unit (with its agency, head post and parent), the total and the page, and the layout's reads: as many
    # as the ORM querysets took (8)
    assert len(large.captured_queries) <= 8
