"""Who sees what: the one scoping mechanism for every page, export and endpoint (issue #3).

A user's scope is computed once per request (cached on the user object):
- superuser: everything;
- BKD admin (AgencyRole hr_admin): every employee of their agencies;
- head: everyone in the units they head (head_position held or acting head), down the tree;
- staff: themselves.
Other apps scope their per-employee rows with `employee_q(user, "employee__")`."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Literal

from django.db.models import F, Lookup, Q

from asn_portal import registry

from .choices import AgencyRoleKind


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    admin_agency_ids: frozenset[int] = frozenset()
    committee_agency_ids: frozenset[int] = frozenset()
    head_unit_paths: tuple[str, ...] = ()
    head_unit_ids: frozenset[int] = frozenset()
    employee_id: int | None = None
    agency_id: int | None = None  # the agency the user works in

    @property
    def agency_ids(self) -> frozenset[int]:
        """Agencies whose shared catalogues (competencies, courses, positions) the user may read."""
        ids = set(self.admin_agency_ids) | set(self.committee_agency_ids)
        if self.agency_id:
            ids.add(self.agency_id)
        return frozenset(ids)


EMPTY = Scope()


def scope_for(user: Any) -> Scope:
    if user is None or not getattr(user, "is_authenticated", False):
        return EMPTY
    cached = getattr(user, "_portal_scope", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        scope = Scope(everything=True)
    else:
        scope = _scope_from_database(user.pk)
    user._portal_scope = scope
    return scope


_SCOPE_SQL = """
SELECT
    (SELECT coalesce(array_agg(r.agency_id ORDER BY r.id), '{{}}') FROM {role} r WHERE r.user_id = %(user)s),
    (SELECT coalesce(array_agg(r.role ORDER BY r.id), '{{}}') FROM {role} r WHERE r.user_id = %(user)s),
    e.id,
    e.agency_id,
    (SELECT coalesce(array_agg(u.id ORDER BY u.path), '{{}}') FROM {unit} u
      WHERE u.is_active AND (u.acting_head_id = e.id OR u.head_position_id = e.position_id)),
    (SELECT coalesce(array_agg(u.path ORDER BY u.path), '{{}}') FROM {unit} u
      WHERE u.is_active AND (u.acting_head_id = e.id OR u.head_position_id = e.position_id))
FROM (SELECT 1) AS one
LEFT JOIN LATERAL (
    SELECT id, agency_id, position_id FROM {employee} WHERE user_id = %(user)s ORDER BY id LIMIT 1
) AS e ON true
"""


def _scope_from_database(user_id: int) -> Scope:
    """The user's agency roles, own employee record and headed units in ONE round trip: every page's shell
    needs them, so three queries here were a tenth of a bare page's cost (issue #13)."""
    from django.db import connection

    from .models import AgencyRole, Employee, OrgUnit

    sql = _SCOPE_SQL.format(
        role=AgencyRole._meta.db_table, unit=OrgUnit._meta.db_table, employee=Employee._meta.db_table
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, {"user": user_id})
        role_agencies, role_kinds, employee_id, agency_id, unit_ids, unit_paths = cursor.fetchone()
    roles = list(zip(role_agencies, role_kinds, strict=True))
    paths = tuple(sorted(set(unit_paths)))
    # Drop paths already covered by a shorter one (a head of a unit and of its bidang).
    paths = tuple(p for p in paths if not any(p != q and p.startswith(q) for q in paths))
    return Scope(
        admin_agency_ids=frozenset(a for a, r in roles if r == AgencyRoleKind.HR_ADMIN),
        committee_agency_ids=frozenset(a for a, r in roles if r == AgencyRoleKind.COMMITTEE),
        head_unit_paths=paths,
        head_unit_ids=frozenset(unit_ids),
        employee_id=employee_id,
        agency_id=agency_id,
    )


def _headed_units(paths: tuple[str, ...]) -> Any:
    """Subquery of the unit ids under the given paths: `unit_id IN (…)` lets PostgreSQL use the unit
    foreign-key index instead of joining every employee row to its unit and testing a LIKE."""
    from .models import OrgUnit

    cond = Q(pk__in=[])
    for path in paths:
        cond |= Q(path__startswith=path)
    return OrgUnit.objects.filter(cond).order_by().values("pk")


class InArray(Lookup):  # type: ignore[type-arg]
    """`lhs = ANY(ARRAY(subquery))`: the same rows as `lhs IN (subquery)`, but PostgreSQL computes the ids once
    (an init plan) and can OR it with another indexed condition (a bitmap OR). `pk = me OR unit_id IN (…)` was a
    hashed subplan tested on every employee of every agency: a head's directory count read all 50,000 rows
    (46-80 ms) instead of their few hundred (1 ms)."""

    lookup_name = "in_array"

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY(ARRAY{rhs})", [*lhs_params, *rhs_params]


def _in_headed_units(field: str, paths: tuple[str, ...]) -> Q:
    return Q(InArray(F(field), _headed_units(paths)))


def employee_q(user: Any, prefix: str = "") -> Q:
    """Q selecting the employees (or rows of `prefix`-related employees) the user may see."""
    return _employee_q_for(scope_for(user), prefix)


def _employee_q_for(scope: Scope, prefix: str = "") -> Q:
    """`employee_q` of a scope (the rule depends on nothing else)."""
    if scope.everything:
        return Q()
    q = Q(pk__in=[]) if not prefix else Q(**{f"{prefix}pk__in": []})
    # The user's own record, unless their admin agencies already cover it: a lone `agency_id IN (…)` lets
    # PostgreSQL walk the (agency, name) index for a sorted page instead of sorting the whole agency.
    if scope.employee_id and scope.agency_id not in scope.admin_agency_ids:
        q |= Q(**{f"{prefix}pk": scope.employee_id})
    if scope.admin_agency_ids:
        q |= Q(**{f"{prefix}agency_id__in": scope.admin_agency_ids})
    if scope.head_unit_paths:
        q |= _in_headed_units(f"{prefix}unit_id", scope.head_unit_paths)
    return q


def visible_employee_ids_sql(user: Any) -> tuple[str, tuple[Any, ...]] | None | Literal[True]:
    """`Employee.objects.filter(employee_q(user)).values("pk")` as compiled SQL and parameters, for a statement
    that checks one id against it (`t.id IN (…)`); True when the user sees everyone (no condition), None when
    the rule matches nobody. Compiled by the ORM once per process and scope (issue #13: the profile, the employees
    API detail and the timeline API compiled it on every request, 0.5-1 ms): the condition is a function of the
    scope alone, whose value is the cache's key, and the rows it selects are read when the statement runs."""
    scope = scope_for(user)
    if scope.everything:
        return True
    return _visible_ids_sql(scope)


@functools.lru_cache(maxsize=4096)
def _visible_ids_sql(scope: Scope) -> tuple[str, tuple[Any, ...]] | None:
    from django.core.exceptions import EmptyResultSet

    from .models import Employee

    try:
        sql, params = Employee.objects.filter(_employee_q_for(scope)).order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # a rule that can match nobody
        return None
    return sql, tuple(params)


class StartsWithAny(Lookup):  # type: ignore[type-arg]
    """`lhs::text LIKE ANY(%s)` with one array parameter of LIKE patterns (`prefix_patterns`): the rows of
    `Q(path__startswith=p1) | Q(path__startswith=p2) | …`, in SQL whose text does not depend on how many
    prefixes there are, so it can be compiled once per process (`team_sql`)."""

    lookup_name = "startswith_any"
    prepare_rhs = False  # the right-hand side is a list of patterns, not one path

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs}::text LIKE ANY({rhs})", [*lhs_params, *rhs_params]


def prefix_patterns(paths: tuple[str, ...]) -> list[str]:
    from django.db import connection

    return [connection.ops.prep_for_like_query(path) + "%" for path in paths]


def team_condition(prefix: str, patterns: list[str], employee_id: int | None) -> Q:
    """The head's team, the one definition of the rule (`team_q`, and compiled once `team_sql`): employees in
    the units whose path starts with a headed path (the LIKE `patterns`), without the head themself."""
    from .models import OrgUnit

    units = OrgUnit.objects.filter(StartsWithAny(F("path"), patterns)).order_by().values("pk")
    q = Q(InArray(F(f"{prefix}unit_id"), units))
    if employee_id is not None:
        q &= ~Q(**{f"{prefix}pk": employee_id})
    return q


def team_q(user: Any, prefix: str = "") -> Q:
    """Q selecting the people in the units the user heads (excluding the user), for head pages."""
    scope = scope_for(user)
    if not scope.head_unit_paths:
        return Q(**{f"{prefix}pk__in": []})
    return team_condition(prefix, prefix_patterns(scope.head_unit_paths), scope.employee_id or None)


def team_q_of(patterns: list[str], employee_id: int | None, prefix: str = "") -> Q:
    """`team_q`'s condition with its two values given (the LIKE patterns of `team_patterns` and the head's own
    record to leave out): for a statement compiled once per process with stand-ins for both."""
    return team_condition(prefix, patterns, employee_id)


def team_patterns(user: Any) -> list[str]:
    """The LIKE patterns of the units the user heads, as `team_q` matches them (empty: heads nothing)."""
    return prefix_patterns(scope_for(user).head_unit_paths)


# Stand-ins for the compiled team condition's two parameters (values no real pattern or row holds).
_PATTERNS_STAND_IN = ["\x00team-stand-in%"]
_EMPLOYEE_STAND_IN = -13_000_401
_team_compiled: dict[bool, tuple[str, list[str]]] = {}


def _team_where(with_employee: bool) -> tuple[str, list[str]]:
    """`team_condition` compiled by the ORM once per process (per variant: with or without the head's own
    record to leave out): the WHERE clause on the employee table, its outer columns as `{alias}."col"`, and
    which request value each parameter takes ("patterns" or "employee")."""
    compiled = _team_compiled.get(with_employee)
    if compiled is not None:
        return compiled
    from django.db import DEFAULT_DB_ALIAS, connections

    from .models import Employee

    qs = Employee.objects.filter(team_condition("", _PATTERNS_STAND_IN, _EMPLOYEE_STAND_IN if with_employee else None))
    compiler = qs.query.get_compiler(using=DEFAULT_DB_ALIAS)
    sql, params = compiler.compile(qs.query.where)
    slots = []
    for value in params:
        if value == _PATTERNS_STAND_IN:
            slots.append("patterns")
        elif value == _EMPLOYEE_STAND_IN:
            slots.append("employee")
        else:  # the condition holds no other parameter; a change to it that adds one must name it here
            raise ValueError(f"unexpected parameter in the team condition: {value!r}")
    table = connections[DEFAULT_DB_ALIAS].ops.quote_name(Employee._meta.db_table)
    compiled = (sql.replace(f"{table}.", "{alias}."), slots)
    _team_compiled[with_employee] = compiled
    return compiled


def team_sql(user: Any, alias: str) -> tuple[str, list[Any]]:
    """`team_q(user)` as a raw-SQL condition on the employee table aliased `alias`, with its parameters: the
    home cards read their team figures in one plain statement each (issue #13). Not a second spelling of the
    rule: the SQL is what the ORM compiles for `team_q`'s own condition (`team_condition`), once per process,
    with the request's values in place of the stand-ins. "false" when the user heads nothing."""
    scope = scope_for(user)
    if not scope.head_unit_paths:
        return "false", []
    employee_id = scope.employee_id or None
    sql, slots = _team_where(employee_id is not None)
    values = {"patterns": prefix_patterns(scope.head_unit_paths), "employee": employee_id}
    return "(" + sql.replace("{alias}", alias) + ")", [values[slot] for slot in slots]


@dataclass(frozen=True)
class TeamMembers:
    """The head's team (`team_q`) read once per request for every home card that counts it (issue #13): the
    ids as PostgreSQL array literals ("{1,2,3}", ascending) that a card's plain SQL takes as one parameter
    (`t.id = ANY(%s::bigint[])`), so the team's units and rows are looked up once, not once per card."""

    everyone: str  # every team member, whatever their status
    active: str  # the members with an active status (`ACTIVE_STATUSES`)
    active_count: int
    on_leave_count: int  # active members on leave or study leave (`headcount.ON_LEAVE`)
    units: str = "{}"  # the units the members are in (ascending): where a per-unit summary row of the team lies


_NO_TEAM = TeamMembers(everyone="{}", active="{}", active_count=0, on_leave_count=0)


def team_members(user: Any) -> TeamMembers:
    """`TeamMembers` of the user (nobody when they head nothing), in one plain statement, once per user object
    (per request, `registry.shared`)."""
    return registry.shared(user, "people.team_members", lambda: _read_team_members(user))


def _read_team_members(user: Any) -> TeamMembers:
    from django.db import connection

    from .choices import ACTIVE_STATUSES
    from .headcount import ON_LEAVE
    from .models import Employee

    team, params = team_sql(user, "t")
    if team == "false":
        return _NO_TEAM
    active = sorted(str(s) for s in ACTIVE_STATUSES)
    on_leave = sorted(str(s) for s in ON_LEAVE)
    sql = (
        "SELECT coalesce(array_agg(t.id ORDER BY t.id), '{}')::text,"
        " coalesce(array_agg(t.id ORDER BY t.id) FILTER (WHERE t.status = ANY(%s)), '{}')::text,"
        " count(*) FILTER (WHERE t.status = ANY(%s)), count(*) FILTER (WHERE t.status = ANY(%s)),"
        " coalesce(array_agg(DISTINCT t.unit_id) FILTER (WHERE t.unit_id IS NOT NULL), '{}')::text"
        f" FROM {Employee._meta.db_table} t WHERE {team}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [active, active, on_leave, *params])
        everyone, active_ids, active_count, on_leave_count, units = cursor.fetchone()
    return TeamMembers(everyone, active_ids, active_count, on_leave_count, units)


def agency_q(user: Any, field: str = "agency") -> Q:
    """Q selecting agency-owned rows (units, positions, catalogues) the user may read."""
    scope = scope_for(user)
    if scope.everything:
        return Q()
    return Q(**{f"{field}_id__in": scope.agency_ids})


def admin_agency_q(user: Any, field: str = "agency") -> Q:
    """Q selecting agency-owned rows the user may administer (BKD admins, superusers)."""
    scope = scope_for(user)
    if scope.everything:
        return Q()
    return Q(**{f"{field}_id__in": scope.admin_agency_ids})


def unit_q(user: Any, field: str = "") -> Q:
    """Q selecting org units the user may see in detail: admins their agencies, heads their subtrees."""
    scope = scope_for(user)
    prefix = f"{field}__" if field else ""
    if scope.everything:
        return Q()
    q = Q(**{f"{prefix}agency_id__in": scope.admin_agency_ids})
    for path in scope.head_unit_paths:
        q |= Q(**{f"{prefix}path__startswith": path})
    return q


# `OrgUnit.objects.filter(unit_q(user))` compiled once per process per shape of scope (everything; else how many
# agencies administered and whether any units are headed): the directory's unit filter lists these units on
# every page (issue #13), read in the same round trip as the rank options (people.filters.FilterOptions).
_UNIT_OPTIONS: dict[tuple[bool, int, bool], Any] = {}
_AGENCY_STAND_IN = -13_000_501


def _unit_options_statement(everything: bool, agencies: int, headed: bool) -> Any:
    from asn_portal.precompiled import Param, Statement

    from .models import OrgUnit

    key = (everything, agencies, headed)
    statement = _UNIT_OPTIONS.get(key)
    if statement is not None:
        return statement
    params = {f"a{i}": Param(_AGENCY_STAND_IN - i) for i in range(agencies)}
    if headed:
        params["patterns"] = Param(_PATTERNS_STAND_IN)

    def build(**values: Any) -> Any:
        cond = Q()
        if not everything:
            # `unit_q`'s condition: the agencies administered, or a path under a headed one (LIKE ANY of the
            # same prefix patterns as the ORs of `path__startswith`, in SQL that does not depend on their number)
            cond = Q(agency_id__in=[values[f"a{i}"] for i in range(agencies)])
            if headed:
                cond |= Q(StartsWithAny(F("path"), values["patterns"]))
        return OrgUnit.objects.filter(cond).order_by("path").values_list("pk", "name", "depth", "path")

    statement = _UNIT_OPTIONS.setdefault(key, Statement(build, **params))
    return statement


def unit_options_read(user: Any) -> tuple[Any, dict[str, Any]] | None:
    """The units `unit_q(user)` selects as (pk, name, depth, path) rows in path order, as a precompiled statement and
    its values (for `asn_portal.precompiled.rows_together`); None when the user may see no unit."""
    scope = scope_for(user)
    agencies = sorted(scope.admin_agency_ids)
    if not scope.everything and not agencies and not scope.head_unit_paths:
        return None
    if scope.everything:
        return _unit_options_statement(True, 0, False), {}
    values: dict[str, Any] = {f"a{i}": a for i, a in enumerate(agencies)}
    if scope.head_unit_paths:
        values["patterns"] = prefix_patterns(scope.head_unit_paths)
    return _unit_options_statement(False, len(agencies), bool(scope.head_unit_paths)), values


def is_hr_admin(user: Any, agency_id: int | None = None) -> bool:
    scope = scope_for(user)
    if scope.everything:
        return True
    return bool(scope.admin_agency_ids) if agency_id is None else agency_id in scope.admin_agency_ids


def admin_agency_ids(user: Any) -> frozenset[int] | None:
    """Agencies the user administers; None means every agency (superuser)."""
    scope = scope_for(user)
    return None if scope.everything else scope.admin_agency_ids


def is_head(user: Any) -> bool:
    return bool(scope_for(user).head_unit_paths)


def resolve_roles(user: Any) -> frozenset[str]:
    scope = scope_for(user)
    roles = set()
    if scope.employee_id:
        roles.add(registry.STAFF)
    if scope.head_unit_paths:
        roles.add(registry.HEAD)
    if scope.admin_agency_ids:
        roles.add(registry.HR_ADMIN)
    if scope.committee_agency_ids:
        roles.add(registry.COMMITTEE)
    return frozenset(roles)


AGENCY_PARAM = "agency"


def requested_agency(request: Any) -> str | None:
    """The agency a request asks to work on: `?agency=` on pages and the API (or an `agency` field in a
    posted form or JSON body). One name everywhere; absent means "my default agency"."""
    raw = request.GET.get(AGENCY_PARAM) if hasattr(request, "GET") else None
    if raw in (None, "") and getattr(request, "method", "GET") not in ("GET", "HEAD", "OPTIONS"):
        body = getattr(request, "data", None)
        if body is None:
            body = request.POST
        raw = body.get(AGENCY_PARAM) if hasattr(body, "get") else None
    if raw in (None, ""):
        return None
    return str(raw)


def agency_for_request(user: Any, requested: Any = None) -> Any:
    """The one answer to "which agency is this admin working on?" (issue #11).

    - A requested agency (`?agency=`) is honoured when the user may administer it: a superuser any existing
      agency, a BKD admin only the agencies they administer. Anything else (another agency, a malformed
      or unknown id) is a 404, never a silent fallback, so a foreign agency is indistinguishable from a
      missing one.
    - Nothing requested: a BKD admin works on their own agency when they administer it, else the lowest
      id they administer; a superuser on their own employee record's agency, else the lowest id.
    - A user who administers nothing gets a 404 (pages check the role first and answer 403)."""
    from django.http import Http404

    from .models import Agency, Employee

    scope = scope_for(user)
    if requested not in (None, ""):
        raw = str(requested).strip()
        pk = int(raw) if raw.isdecimal() and raw.isascii() and len(raw) < 19 else None
        if pk is not None and (scope.everything or pk in scope.admin_agency_ids):
            agency = Agency.objects.filter(pk=pk).first()
            if agency is not None:
                return agency
        raise Http404("Instansi tidak ditemukan.")
    # The default agency, read once per user object (per request): the BKD admin's home cards all ask for it.
    agency = getattr(user, "_portal_default_agency", None)
    if agency is not None:
        return agency
    if scope.everything:
        own = Employee.objects.filter(user=user).values_list("agency_id", flat=True).first()
        agency = (Agency.objects.filter(pk=own).first() if own else None) or Agency.objects.order_by("pk").first()
    elif scope.admin_agency_ids:
        pk = scope.agency_id if scope.agency_id in scope.admin_agency_ids else min(scope.admin_agency_ids)
        found = _agency_statement().instances(pk=pk)
        agency = found[0] if found else None
    else:
        agency = None
    if agency is None:
        raise Http404("Instansi tidak ditemukan.")
    user._portal_default_agency = agency
    return agency


_AGENCY_BY_PK: list[Any] = []


def _agency_statement() -> Any:
    """`Agency.objects.filter(pk=pk).first()` compiled once per process (asn_portal.precompiled): a BKD admin's
    every page asks for their agency (issue #13)."""
    if not _AGENCY_BY_PK:
        from asn_portal.precompiled import Param, Statement

        from .models import Agency

        _AGENCY_BY_PK.append(
            Statement(lambda pk: Agency.objects.filter(pk=pk).order_by("name", "pk")[:1], pk=Param(-13_000_511))
        )
    return _AGENCY_BY_PK[0]


def agency_for(request: Any) -> Any:
    """`agency_for_request` for the request's user and its `?agency=` (or posted `agency`)."""
    return agency_for_request(request.user, requested_agency(request))


# The access rules as statements compiled once per process per shape of scope (issue #13): a page's query written
# with the ORM around `employee_rule_q` / `unit_rule_q` (built from stand-ins, `rule_params`) is compiled once per
# shape, and runs with the request's values (`employee_rule` / `unit_rule`). The shape is everything the SQL text
# depends on: a superuser's "everything"; else whether the user's own record is added, how many agencies are
# administered and whether any units are headed (their prefixes are one LIKE ANY array, `StartsWithAny`).
RuleShape = tuple[bool, bool, int, bool]  # everything, own record, agencies administered, units headed
_OWN_STAND_IN = -13_000_601
_RULE_AGENCY_STAND_IN = -13_000_611
_RULE_PATTERNS_STAND_IN = ["\x00rule-stand-in%"]


def rule_params(shape: RuleShape, prefix: str) -> dict[str, Any]:
    """The stand-ins (`asn_portal.precompiled.Param`) of a rule of this shape, named `prefix`…"""
    from asn_portal.precompiled import Param

    everything, own, agencies, headed = shape
    params: dict[str, Any] = {f"{prefix}a{i}": Param(_RULE_AGENCY_STAND_IN - i) for i in range(agencies)}
    if own:
        params[f"{prefix}own"] = Param(_OWN_STAND_IN)
    if headed:
        params[f"{prefix}patterns"] = Param(_RULE_PATTERNS_STAND_IN)
    return params


def _rule_values(scope: Scope, prefix: str, *, own: bool) -> tuple[RuleShape, dict[str, Any]]:
    agencies = sorted(scope.admin_agency_ids)
    values: dict[str, Any] = {f"{prefix}a{i}": a for i, a in enumerate(agencies)}
    if own:
        values[f"{prefix}own"] = scope.employee_id
    if scope.head_unit_paths:
        values[f"{prefix}patterns"] = prefix_patterns(scope.head_unit_paths)
    return (False, own, len(agencies), bool(scope.head_unit_paths)), values


def employee_rule(user: Any, prefix: str = "e") -> tuple[RuleShape, dict[str, Any]] | None:
    """`employee_q(user)` as a shape and the values of its stand-ins; None when it matches nobody."""
    scope = scope_for(user)
    if scope.everything:
        return (True, False, 0, False), {}
    own = bool(scope.employee_id and scope.agency_id not in scope.admin_agency_ids)
    if not (own or scope.admin_agency_ids or scope.head_unit_paths):
        return None
    return _rule_values(scope, prefix, own=own)


def employee_rule_q(shape: RuleShape, values: dict[str, Any], prefix: str = "e") -> Q:
    """`employee_q` of a scope of this shape with these values (the same conditions in the same order; the headed
    units' prefixes as one LIKE ANY, which selects the same units as `_headed_units`' ORs)."""
    from .models import OrgUnit

    everything, own, agencies, headed = shape
    if everything:
        return Q()
    q = Q(pk__in=[])
    if own:
        q |= Q(pk=values[f"{prefix}own"])
    if agencies:
        q |= Q(agency_id__in=[values[f"{prefix}a{i}"] for i in range(agencies)])
    if headed:
        units = OrgUnit.objects.filter(StartsWithAny(F("path"), values[f"{prefix}patterns"])).order_by().values("pk")
        q |= Q(InArray(F("unit_id"), units))
    return q


def unit_rule(user: Any, prefix: str = "u") -> tuple[RuleShape, dict[str, Any]] | None:
    """`unit_q(user)` as a shape and the values of its stand-ins; None when it matches no unit."""
    scope = scope_for(user)
    if scope.everything:
        return (True, False, 0, False), {}
    if not (scope.admin_agency_ids or scope.head_unit_paths):
        return None
    return _rule_values(scope, prefix, own=False)


def unit_rule_q(shape: RuleShape, values: dict[str, Any], prefix: str = "u") -> Q:
    """`unit_q` of a scope of this shape with these values (the headed prefixes as one LIKE ANY)."""
    everything, _own, agencies, headed = shape
    if everything:
        return Q()
    q = Q(agency_id__in=[values[f"{prefix}a{i}"] for i in range(agencies)])
    if headed:
        q |= Q(StartsWithAny(F("path"), values[f"{prefix}patterns"]))
    return q
