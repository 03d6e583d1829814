"""The one scoping mechanism: staff see themselves, heads their subtree, admins their agency."""

import pytest

from asn_portal import registry
from people.selectors import employee_list_visible_to

pytestmark = pytest.mark.django_db


def visible(emp_or_user):
    user = getattr(emp_or_user, "user", emp_or_user)
    return set(employee_list_visible_to(user=user).values_list("name", flat=True))


def test_staff_sees_only_themselves(org):
    assert visible(org.staff) == {"Staf Satu"}


def test_head_sees_their_units_down_the_tree(org):
    assert visible(org.head) == {"Kepala Dinkes", "Staf Satu", "Staf Dua", "Kabid Pelayanan", "Staf Bidang"}


def test_bidang_head_sees_only_the_bidang(org):
    assert visible(org.bidang_head) == {"Kabid Pelayanan", "Staf Bidang"}


def test_admin_sees_the_whole_agency_and_nothing_else(org):
    names = visible(org.admin)
    assert "Staf Disdik" in names and "Staf Bidang" in names
    assert "Staf Pontianak" not in names and "Admin Pontianak" not in names


def test_acting_head_sees_the_unit_they_act_for(org):
    org.other_dinas.acting_head = org.bidang_head
    org.other_dinas.acting_kind = "plt"
    org.other_dinas.save()
    assert "Staf Disdik" in visible(org.bidang_head)


def test_roles_are_derived(org):
    assert registry.roles_of(org.staff.user) == {registry.STAFF}
    assert registry.roles_of(org.head.user) == {registry.STAFF, registry.HEAD}
    assert registry.HR_ADMIN in registry.roles_of(org.admin.user)


def test_admin_agency_ids_are_resolved_per_admin(org):
    assert registry.admin_agency_ids(org.admin.user) == {org.agency.pk}
    assert registry.admin_agency_ids(org.foreign_admin.user) == {org.other_agency.pk}
    assert registry.admin_agency_ids(org.staff.user) == frozenset()
