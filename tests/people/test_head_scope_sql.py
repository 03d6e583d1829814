"""A head's scope is `unit_id = ANY(ARRAY(subtree))` (people.access.InArray, issue #13): the same rows as the plain
`unit_id IN (subtree)` it replaced, with and without a relation prefix and negated, and a statement PostgreSQL
answers from the unit index instead of testing every employee."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Q

from people.access import _headed_units, employee_q, scope_for, team_q
from people.models import Employee, PositionHistory
from tests.people.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def _old_employee_q(user: Any, prefix: str = "") -> Q:
    scope = scope_for(user)
    q = Q(**{f"{prefix}pk__in": []})
    if scope.employee_id and scope.agency_id not in scope.admin_agency_ids:
        q |= Q(**{f"{prefix}pk": scope.employee_id})
    if scope.admin_agency_ids:
        q |= Q(**{f"{prefix}agency_id__in": scope.admin_agency_ids})
    if scope.head_unit_paths:
        q |= Q(**{f"{prefix}unit_id__in": _headed_units(scope.head_unit_paths)})
    return q


def _ids(qs: Any) -> set[int]:
    return set(qs.values_list("pk", flat=True))


def test_head_scope_rows_equal_the_in_subquery(org: Any) -> None:
    EmployeeFactory(unit=org.bidang, name="Staf Tambahan")
    for person in (org.head, org.bidang_head, org.staff, org.admin):
        user = person.user
        assert _ids(Employee.objects.filter(employee_q(user))) == _ids(Employee.objects.filter(_old_employee_q(user)))
        assert _ids(PositionHistory.objects.filter(employee_q(user, "employee__"))) == _ids(
            PositionHistory.objects.filter(_old_employee_q(user, "employee__"))
        )
        everyone = _ids(Employee.objects.all())
        team = _ids(Employee.objects.filter(team_q(user)))
        assert _ids(Employee.objects.exclude(team_q(user))) == everyone - team
    team = _ids(Employee.objects.filter(team_q(org.head.user)))
    assert org.staff.pk in team and org.bidang_head.pk in team and org.head.pk not in team
    assert org.foreign_staff.pk not in _ids(Employee.objects.filter(employee_q(org.head.user)))


def test_head_scope_sql_reads_the_subtree_once(org: Any) -> None:
    sql = str(Employee.objects.filter(employee_q(org.bidang_head.user)).query)
    assert '"unit_id" = ANY(ARRAY(SELECT' in sql and "IN (SELECT" not in sql


def test_team_sql_is_team_q_compiled_once(org: Any, django_assert_num_queries: Any) -> None:
    """`team_sql` is not a second spelling of the rule: its text is the ORM's compilation of `team_q`'s own
    condition (for any alias), built once per process, and it selects the same people for every kind of user."""
    from django.db import connection

    from people import access

    EmployeeFactory(unit=org.bidang, name="Staf Tambahan")
    for person in (org.head, org.bidang_head, org.staff, org.admin):
        user = person.user
        sql, params = access.team_sql(user, "t")
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT t.id FROM {Employee._meta.db_table} t WHERE {sql}", params)
            assert {r[0] for r in cursor.fetchall()} == _ids(Employee.objects.filter(team_q(user))), person.name
        if scope_for(user).head_unit_paths:
            compiled = Employee.objects.filter(team_q(user)).query
            where, where_params = compiled.get_compiler("default").compile(compiled.where)
            assert sql == "(" + where.replace('"people_employee".', "t.") + ")"
            assert params == list(where_params)
        else:
            assert (sql, params) == ("false", [])
    # once per process: a further call compiles nothing and reads nothing
    before = dict(access._team_compiled)
    with django_assert_num_queries(0):
        access.team_sql(org.head.user, "x")
    assert access._team_compiled == before and before
