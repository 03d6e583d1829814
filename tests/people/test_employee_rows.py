"""The precompiled single-employee reads (people.employee_rows) give what the ORM reads gave (issue #13)."""

import datetime as dt

import pytest
from django.http import Http404

from people import employee_rows, selectors
from people.access import scope_for
from people.models import DisciplinarySanction, Employee
from people.services import employee_change_rank
from tests.people.factories import rank

pytestmark = pytest.mark.django_db


def superior(emp):
    emp.__dict__.pop("_portal_supervisor", None)
    sup = selectors.supervisor_of(emp)
    return sup.pk if sup else None


def test_superior_is_the_set_based_rule_for_everyone_with_post_rank_and_unit(org, django_assert_num_queries):
    everyone = list(Employee.objects.all())
    expected = selectors.supervisor_ids_for([e.pk for e in everyone])
    assert {e.pk: superior(e) for e in everyone} == expected
    assert expected[org.staff.pk] == org.head.pk and expected[org.head.pk] is None  # a head has no superior here
    with django_assert_num_queries(1):
        org.staff.__dict__.pop("_portal_supervisor", None)
        sup = selectors.supervisor_of(org.staff)
        assert (sup.position.title, sup.unit.name, sup.rank) == (
            org.head.position.title,
            "Dinas Kesehatan",
            org.head.rank,
        )


def _profile_superiors_equal_their_own_query():
    """The superior read with the histories (the profile's one statement) is `supervisor_with_relations`, field by
    field with post, rank and unit, for everyone."""
    for emp in Employee.objects.all():
        alone = employee_rows.supervisor_with_relations(emp.pk)
        with_histories = employee_rows.attach_histories(Employee.objects.get(pk=emp.pk), supervisor=True)
        if alone is None:
            assert with_histories is None, emp
            continue
        assert _fields(with_histories) == _fields(alone), emp
        for name in ("position", "rank", "unit"):
            a, b = getattr(with_histories, name), getattr(alone, name)
            assert (a and _fields(a)) == (b and _fields(b)), (emp, name)


def _read_together_equals_read_apart():
    """The home card's one statement for the employee and their superior (`employee_and_supervisor`) gives the
    two reads it replaces, field by field with the same related objects loaded, for everyone."""
    for emp in Employee.objects.all():
        together = employee_rows.employee_and_supervisor(emp.pk)
        apart = (employee_rows.employee_with_relations(emp.pk), employee_rows.supervisor_with_relations(emp.pk))
        for a, b in zip(together, apart, strict=True):
            if b is None:
                assert a is None, emp
                continue
            assert _fields(a) == _fields(b), emp
            assert set(a._state.fields_cache) == set(b._state.fields_cache), emp
            for name, related in b._state.fields_cache.items():
                mine = a._state.fields_cache[name]
                assert (related and _fields(related)) == (mine and _fields(mine)), (emp, name)


def test_superior_follows_the_override_then_the_acting_head_of_a_vacant_post(org):
    _profile_superiors_equal_their_own_query()
    _read_together_equals_read_apart()
    org.staff.supervisor_override = org.bidang_head
    org.staff.save()
    assert superior(org.staff) == org.bidang_head.pk
    _profile_superiors_equal_their_own_query()
    _read_together_equals_read_apart()
    # The head's post falls vacant and Staf Bidang acts (Plt.) for the unit it heads.
    Employee.objects.filter(pk=org.head.pk).update(status="retired")
    org.dinas.acting_head = org.bidang_staff
    org.dinas.save()
    assert superior(org.staff2) == org.bidang_staff.pk == selectors.supervisor_ids_for([org.staff2.pk])[org.staff2.pk]
    _profile_superiors_equal_their_own_query()
    _read_together_equals_read_apart()
    emp = selectors.employee_profile(user=org.admin.user, pk=org.staff2.pk)
    assert selectors.supervisor_of(emp).pk == org.bidang_staff.pk  # the profile's superior, read with it


def test_profile_read_has_relations_histories_and_sanctions_newest_first(org, django_assert_num_queries):
    employee_change_rank(employee=org.staff, rank=rank("III/b"), start_date=dt.date(2019, 4, 1), actor=None)
    employee_change_rank(employee=org.staff, rank=rank("III/c"), start_date=dt.date(2023, 4, 1), actor=None)
    DisciplinarySanction.objects.create(
        employee=org.staff, level="ringan", description="Teguran", start_date=dt.date(2024, 1, 1)
    )
    scope_for(org.admin.user)  # the reader's scope: one query of its own, once per request
    # 1 the visible employee with unit, post, rank and agency; 2 posts, ranks with their rank, sanctions.
    with django_assert_num_queries(2):
        emp = selectors.employee_profile(user=org.admin.user, pk=org.staff.pk)
    with django_assert_num_queries(0):
        assert (emp.unit.name, emp.position.title, emp.rank.code, emp.agency.name) == (
            "Dinas Kesehatan",
            org.staff.position.title,
            "III/c",
            "Pemerintah Kota Medan",
        )
        assert [str(r.rank.code) for r in emp.rank_history.all()][:2] == ["III/c", "III/b"]
        assert [s.description for s in emp.sanctions.all()] == ["Teguran"]
        positions, ranks = selectors.employee_histories(emp)
        assert ranks[0].start_date == dt.date(2023, 4, 1)
    fresh = Employee.objects.get(pk=org.staff.pk)
    assert all(getattr(emp, f.attname) == getattr(fresh, f.attname) for f in Employee._meta.concrete_fields)


def _fields(obj):
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


def test_histories_read_in_one_statement_equal_the_orm_lists_field_by_field(org, django_assert_num_queries):
    """The three lists come back as JSON arrays in one statement: every field (dates, timestamps, booleans, ids,
    empty and null values) and the rank of each rank entry equal what the ORM reads, in the same order."""
    from people.models import PositionHistory, RankHistory

    employee_change_rank(employee=org.staff, rank=rank("III/b"), start_date=dt.date(2019, 4, 1), actor=None)
    employee_change_rank(employee=org.staff, rank=rank("III/c"), start_date=dt.date(2023, 4, 1), actor=None)
    PositionHistory.objects.create(
        employee=org.staff, position=None, position_title="Plt. Kepala <Seksi> & \"Bidang\"", unit_name="",
        start_date=dt.date(2020, 2, 29), end_date=dt.date(2021, 1, 1), decree_number="800/1", is_acting=True,
    )  # fmt: skip
    PositionHistory.objects.create(
        employee=org.staff, position=org.staff.position, position_title="Staf", unit_name="Dinas Kesehatan",
        start_date=dt.date(2021, 1, 2), decree_date=dt.date(2020, 12, 30),
    )  # fmt: skip
    DisciplinarySanction.objects.create(
        employee=org.staff, level="ringan", description="Teguran", start_date=dt.date(2024, 1, 1), end_date=None
    )
    emp = Employee.objects.get(pk=org.staff.pk)
    with django_assert_num_queries(1):
        employee_rows.attach_histories(emp)
    orm_positions = list(PositionHistory.objects.filter(employee=emp).order_by("-start_date", "-pk"))
    orm_ranks = list(RankHistory.objects.filter(employee=emp).select_related("rank").order_by("-start_date"))
    orm_sanctions = list(DisciplinarySanction.objects.filter(employee=emp).order_by("-start_date"))
    assert len(orm_positions) >= 2 and len(orm_ranks) >= 2
    with django_assert_num_queries(0):
        assert [_fields(p) for p in emp.position_history.all()] == [_fields(p) for p in orm_positions]
        assert [_fields(r) for r in emp.rank_history.all()] == [_fields(r) for r in orm_ranks]
        assert [_fields(r.rank) for r in emp.rank_history.all()] == [_fields(r.rank) for r in orm_ranks]
        assert [_fields(s) for s in emp.sanctions.all()] == [_fields(s) for s in orm_sanctions]
    bare = Employee.objects.get(pk=org.staff.pk)
    with django_assert_num_queries(1):
        employee_rows.attach_histories(bare, sanctions=False)
    assert "sanctions" not in bare._prefetched_objects_cache
    assert [_fields(p) for p in bare.position_history.all()] == [_fields(p) for p in orm_positions]


def test_profile_read_is_a_404_outside_the_readers_scope(org):
    with pytest.raises(Http404):
        selectors.employee_profile(user=org.admin.user, pk=org.foreign_staff.pk)  # another agency
    with pytest.raises(Http404):
        selectors.employee_profile(user=org.bidang_head.user, pk=org.staff.pk)  # outside the headed unit
    with pytest.raises(Http404):
        selectors.employee_profile(user=org.staff.user, pk=org.staff2.pk)  # a colleague
    assert selectors.employee_profile(user=org.bidang_head.user, pk=org.bidang_staff.pk).pk == org.bidang_staff.pk
    assert selectors.employee_profile(user=org.staff.user, pk=org.staff.pk).pk == org.staff.pk


def test_signed_in_employee_is_read_once_with_unit_post_rank_and_agency(org, django_assert_num_queries):
    user = org.staff.user
    selectors.current_employee(user)  # the scope is read first (its own query)
    user.__dict__.pop("_portal_employee", None)
    with django_assert_num_queries(1):
        emp = selectors.current_employee(user)
        assert selectors.current_employee(user) is emp
        assert (emp.pk, emp.unit.name, emp.agency.code) == (org.staff.pk, "Dinas Kesehatan", "medan")
        assert emp.position.title == org.staff.position.title


def test_visible_employee_reads_equal_the_scoped_queryset_and_refuse_the_rest(org, django_assert_num_queries):
    from django.test import Client

    for user in (org.admin.user, org.head.user, org.staff.user):
        for emp in (org.staff, org.staff2, org.bidang_staff, org.other_staff, org.foreign_staff, org.head):
            want = selectors.employee_list_visible_to(user=user).filter(pk=emp.pk).first()
            for pk in (emp.pk, str(emp.pk)):  # DRF hands ids over as text
                if want is None:
                    with pytest.raises(Http404):
                        selectors.employee_get_visible(user=user, pk=pk)
                    with pytest.raises(Http404):
                        selectors.employee_with_histories(user=user, pk=emp.pk)
                    continue
                with django_assert_num_queries(1):
                    got = selectors.employee_get_visible(user=user, pk=pk)
                with django_assert_num_queries(0):  # unit, post, rank and agency came with it
                    assert (got.unit.name, got.position_id and got.position.title, got.rank, got.agency) == (
                        want.unit.name,
                        want.position_id and want.position.title,
                        want.rank,
                        want.agency,
                    )
                with django_assert_num_queries(2):
                    full = selectors.employee_with_histories(user=user, pk=emp.pk)
                assert selectors.employee_histories(full) == selectors.employee_histories(
                    Employee.objects.get(pk=emp.pk)
                )
    c = Client()
    c.force_login(org.admin.user)
    beyond = 10**20  # no bigint holds it: nobody, not a server error
    for url in (f"/pegawai/{beyond}/", f"/api/v1/employees/{beyond}/", f"/api/v1/employees/{beyond}/timeline/"):
        assert c.get(url).status_code == 404, url


def test_visibility_compiled_once_per_scope_selects_what_employee_q_selects(org, django_assert_num_queries):
    """`access.visible_employee_ids_sql` (the profile's, the API detail's and the timeline's check) is the ORM's
    `employee_q` compiled once per scope: the same rows for admins, heads (with several headed units), staff, a
    superuser and a user who sees nobody, and a changed scope (a new headed unit) gets its own compiled SQL."""
    from django.contrib.auth import get_user_model

    from people.access import _visible_ids_sql, visible_employee_ids_sql

    superuser = get_user_model().objects.create_superuser("root-visible", "root@example.com", "x")
    nobody = get_user_model().objects.create_user("nobody-visible")
    everyone = list(Employee.objects.order_by("pk").values_list("pk", flat=True))
    readers = [org.admin.user, org.foreign_admin.user, org.head.user, org.bidang_head.user, org.staff.user, superuser]
    for user in [*readers, nobody]:
        orm = set(selectors.employee_list_visible_to(user=user).values_list("pk", flat=True))
        got = {pk for pk in everyone if selectors._visible_with_relations(user, pk) is not None}
        assert got == orm, user
    assert visible_employee_ids_sql(superuser) is True and visible_employee_ids_sql(nobody) is None
    scope = scope_for(org.head.user)
    assert _visible_ids_sql(scope) is _visible_ids_sql(scope)  # one compiled statement per scope
    # The head takes over the other dinas as acting head: a new scope, a new statement, their new team visible.
    org.other_dinas.acting_head = org.head
    org.other_dinas.save()
    head = get_user_model().objects.get(pk=org.head.user.pk)
    assert scope_for(head) != scope
    assert selectors._visible_with_relations(head, org.other_staff.pk) is not None
    assert selectors._visible_with_relations(org.head.user, org.other_staff.pk) is None  # the old scope: not
    with django_assert_num_queries(1):  # the check is part of the employee's own read
        selectors._visible_with_relations(head, org.staff.pk)


def test_home_card_reads_the_employee_and_the_superior_in_one_query(org, django_assert_num_queries):
    from django.test import RequestFactory

    from people import cards

    request = RequestFactory().get("/")
    request.user = type(org.staff.user).objects.get(pk=org.staff.user_id)
    scope_for(request.user)
    with django_assert_num_queries(1):
        card = cards.staff_card(request)
    assert card["emp"].pk == org.staff.pk and card["supervisor"].pk == org.head.pk
    with django_assert_num_queries(0):  # kept where current_employee and supervisor_of keep them
        assert selectors.current_employee(request.user) is card["emp"]
        assert selectors.supervisor_of(card["emp"]) is card["supervisor"]


def test_visible_by_id_equals_employee_get_visible_for_every_kind_of_reader(org, django_assert_num_queries):
    """`employee_get_visible_by_id` (an admin's own-agency employee or anyone for a superuser read without the
    visibility subquery) gives the object `employee_get_visible` gives, or the same 404, for an admin, a foreign
    admin, a head, staff and a superuser, for people of every unit and agency, missing ids and ids beyond bigint."""
    from tests.people.factories import UserFactory

    root = UserFactory(is_superuser=True)
    people = (org.staff, org.staff2, org.bidang_staff, org.other_staff, org.foreign_staff, org.head, org.admin)
    for user in (org.admin.user, org.foreign_admin.user, org.head.user, org.staff.user, root):
        for pk in [e.pk for e in people] + [10**9, 10**20]:
            try:
                want = selectors.employee_get_visible(user=user, pk=pk)
            except Http404:
                with pytest.raises(Http404):
                    selectors.employee_get_visible_by_id(user=user, pk=pk)
                continue
            got = selectors.employee_get_visible_by_id(user=user, pk=pk)
            assert got.pk == want.pk and got.__dict__.keys() == want.__dict__.keys()
            assert {k: v for k, v in got.__dict__.items() if k != "_state"} == {
                k: v for k, v in want.__dict__.items() if k != "_state"
            }
            assert (got.unit, got.position, got.rank, got.agency) == (want.unit, want.position, want.rank, want.agency)
    with django_assert_num_queries(1):  # the admin's own-agency employee: one read, no visibility subquery
        selectors.employee_get_visible_by_id(user=org.admin.user, pk=org.staff.pk)
