"""Reads for the people app: scoped, N+1-safe querysets. Every page, export and endpoint uses these."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import BigIntegerField, Count, F, OuterRef, QuerySet, Subquery, Value, Window
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext

from asn_portal.precompiled import Param, Statement, rows_together

from . import employee_rows, headcount
from .access import (
    InArray,
    RuleShape,
    agency_q,
    employee_q,
    employee_rule,
    employee_rule_q,
    prefix_patterns,
    rule_params,
    scope_for,
    unit_rule,
    unit_rule_q,
    visible_employee_ids_sql,
)
from .choices import ACTIVE_STATUSES, ActingKind, UnitKind
from .models import Employee, OrgUnit, Position, PositionHistory, RankHistory


def employee_list_visible_to(*, user: Any) -> QuerySet[Employee]:
    """Employees the user may see, with the joins every list needs."""
    return Employee.objects.filter(employee_q(user)).select_related("unit", "position", "rank", "agency")


def employee_get_visible(*, user: Any, pk: int) -> Employee:
    """One employee the user may see, with unit, post, rank and agency; anything else (another agency, another unit)
    is a 404. An id is read through the precompiled statement (people.employee_rows: the same object the queryset
    gives, without compiling the joins per request)."""
    if isinstance(pk, int) or (isinstance(pk, str) and pk.isdecimal() and len(pk) <= 18):
        emp = _visible_with_relations(user, int(pk))
    else:
        emp = employee_list_visible_to(user=user).filter(pk=pk).first()
    if emp is None:
        raise Http404("Pegawai tidak ditemukan.")
    return emp


_MAX_ID = 2**63 - 1


def employee_get_visible_by_id(*, user: Any, pk: int) -> Employee:
    """`employee_get_visible` of an id, the same object and the same 404s: for a superuser, or the BKD admin of
    the employee's agency (for whom `employee_q` holds whatever else it says), the employee is read without the
    visibility subquery the ORM compiles anew on every request; anyone else through `employee_get_visible`."""
    scope = scope_for(user)
    if 0 < pk < 2**31 and (scope.everything or scope.admin_agency_ids):
        emp = employee_rows.employee_with_relations(pk)
        if emp is not None and (scope.everything or emp.agency_id in scope.admin_agency_ids):
            return emp
    return employee_get_visible(user=user, pk=pk)


def _visible_with_relations(user: Any, pk: int) -> Employee | None:
    """Employee `pk` with its relations if `employee_q(user)` selects them (its SQL compiled once per scope,
    `access.visible_employee_ids_sql`), else None."""
    if not 0 < pk <= _MAX_ID:  # an id beyond the column's range: nobody to show
        return None
    visible = visible_employee_ids_sql(user)
    if visible is None:  # a rule that can match nobody
        return None
    return employee_rows.employee_with_relations(pk, visible=None if visible is True else visible)


def current_employee(user: Any) -> Employee | None:
    """The employee record linked to the signed-in user (None for pure admin accounts)."""
    scope = scope_for(user)
    if not scope.employee_id:
        return None
    cached = getattr(user, "_portal_employee", None)
    if cached is None:
        cached = employee_rows.employee_with_relations(scope.employee_id)  # unit, position, rank, agency
        if cached is None:
            raise Employee.DoesNotExist
        user._portal_employee = cached
    return cached


def current_employee_and_supervisor(user: Any) -> tuple[Employee | None, Employee | None]:
    """`current_employee(user)` and its `supervisor_of`, both read in one round trip when neither was read yet
    on this request (the home page's "Data saya" card), then kept where those two keep them."""
    scope = scope_for(user)
    if not scope.employee_id:
        return None, None
    if getattr(user, "_portal_employee", None) is None:
        employee, supervisor = employee_rows.employee_and_supervisor(scope.employee_id)
        if employee is None:
            raise Employee.DoesNotExist
        employee.__dict__["_portal_supervisor"] = supervisor
        user._portal_employee = employee
    employee = current_employee(user)
    return employee, (supervisor_of(employee) if employee is not None else None)


def position_list_visible_to(*, user: Any) -> QuerySet[Position]:
    return Position.objects.filter(agency_q(user)).select_related("unit", "agency")


def unit_list_visible_to(*, user: Any) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(agency_q(user)).select_related("agency", "head_position")


def _holder_subquery(position_ref: str) -> Subquery:
    return Subquery(
        Employee.objects.filter(position_id=OuterRef(position_ref), status__in=ACTIVE_STATUSES)
        .order_by("position_start_date", "pk")
        .values("pk")[:1]
    )


def _supervisor_expr() -> Coalesce:
    """The direct superior's id (Plt./Plh. override, else the holder of the post one's post reports to, else
    the acting head of the unit that post heads); may be the employee themself (callers drop that)."""
    return Coalesce(
        "supervisor_override_id",
        _holder_subquery("position__reports_to_id"),
        Subquery(
            OrgUnit.objects.filter(head_position_id=OuterRef("position__reports_to_id"))
            .exclude(acting_head_id=None)
            .values("acting_head_id")[:1]
        ),
        output_field=BigIntegerField(),
    )


def supervisor_id_expression() -> Coalesce:
    """The direct superior's id as an expression on an employee queryset (the rule of `supervisor_ids_for`;
    may be the employee themself, callers drop that), for reads that need it inside a larger statement."""
    return _supervisor_expr()


def supervisor_ids_for(employee_ids: Iterable[int]) -> dict[int, int | None]:
    """Direct superior (atasan langsung) of each employee, set-based: the Plt./Plh. override when set,
    otherwise the holder of the post their post reports to; when that post is vacant, the acting head
    (Plt.) of the unit that post heads."""
    rows = Employee.objects.filter(pk__in=list(employee_ids)).annotate(_sup=_supervisor_expr())
    return {pk: sup if sup != pk else None for pk, sup in rows.values_list("pk", "_sup")}


_NO_SUPERVISOR = object()


def supervisor_of(employee: Employee) -> Employee | None:
    """The employee's direct superior with post, rank and unit, in one precompiled query (the rule of
    `supervisor_ids_for`); kept on the employee object, so the profile and the home cards that show it read it
    once per request."""
    cached = employee.__dict__.get("_portal_supervisor", _NO_SUPERVISOR)
    if cached is _NO_SUPERVISOR:
        cached = employee_rows.supervisor_with_relations(employee.pk)
        employee.__dict__["_portal_supervisor"] = cached
    return cached  # type: ignore[return-value]


def employee_histories(employee: Employee) -> tuple[list[PositionHistory], list[RankHistory]]:
    """Posts and ranks held, newest first: the lists `employee_profile` prefetched when the employee came from
    it (the profile and its career panel read them once), otherwise two queries."""
    cache = getattr(employee, "_prefetched_objects_cache", {})
    if "position_history" in cache:
        positions = list(employee.position_history.all())
    else:
        positions = list(PositionHistory.objects.filter(employee=employee).order_by("-start_date", "-pk"))
    if "rank_history" in cache:
        ranks = list(employee.rank_history.all())
    else:
        ranks = list(RankHistory.objects.filter(employee=employee).select_related("rank").order_by("-start_date"))
    return positions, ranks


def subordinate_ids_of(employee: Employee) -> list[int]:
    """Direct reports: holders of posts reporting to the employee's post, plus explicit overrides."""
    qs = Employee.objects.filter(status__in=ACTIVE_STATUSES)
    ids = set(qs.filter(supervisor_override=employee).values_list("pk", flat=True))
    if employee.position_id:
        ids |= set(
            qs.filter(position__reports_to_id=employee.position_id, supervisor_override__isnull=True).values_list(
                "pk", flat=True
            )
        )
    ids.discard(employee.pk)
    return sorted(ids)


# --- Directory, profile, organisation chart and home-card reads ---


def employee_directory(*, user: Any) -> QuerySet[Employee]:
    """The directory's base list: visible employees with the joins its columns need (no agency join)."""
    return (
        Employee.objects.filter(employee_q(user))
        .select_related("unit", "position", "rank")
        .only(
            "id",
            "agency_id",  # the access log records each listed person's agency without another query
            "nip",
            "front_title",
            "name",
            "back_title",
            "status",
            "employment_type",
            "rank_start_date",
            "position_start_date",
            "unit__id",
            "unit__name",
            "unit__path",
            "position__id",
            "position__title",
            "position__kind",
            "rank__id",
            "rank__code",
            "rank__name",
            "rank__order",
        )
    )


# The directory's and the unit page's table row (people_tables.employee_table_rows): plain values, no model
# instances (issue #13); `agency_id` for the access log.
DIRECTORY_ROW_FIELDS = (
    "id", "agency_id", "nip", "front_title", "name", "back_title", "status", "unit__name", "position_id",
    "position__title", "position__kind", "rank_id", "rank__code", "rank__name",
)  # fmt: skip


def _page_window(paginator: Paginator, number: Any) -> tuple[int, int, int]:  # type: ignore[type-arg]
    """What Django's `Paginator.page` shows for `number`: the checked number and the rows [bottom, top)."""
    number = paginator.validate_number(number)
    bottom = (number - 1) * paginator.per_page
    top = bottom + paginator.per_page
    if top + paginator.orphans >= paginator.count:
        top = paginator.count
    return number, bottom, top


class DirectoryPaginator(Paginator):
    """Pages of a filtered and ordered `employee_directory` list as the table's `values()` rows; the total is
    counted on the list itself (a count of the `values()` rows would keep their unit, post and rank joins).

    With `name_search` (the list is narrowed by a name fragment, `EmployeeFilterSet.searches_name`) the total
    counts `unit_id` (never null, so the same number) instead of `*`: a `COUNT(*)` can be answered by an
    index-only scan of a btree index holding the agency and the name, which PostgreSQL costs as cheaper than
    the trigram index but which upper-cases and matches every name of the agency (16-40 ms at 35,000
    employees against 2-6 ms through the trigram index, issue #13); no btree index holds `unit_id` with the
    agency and the name, so the trigram index is the cheap path left.

    A page is read in two steps of one statement (`_page_rows`): the page's ids in the list's order (with only
    the joins the order needs), then their table columns; the id is the last sort key, so equal names, ranks or
    units keep one order from page to page. The unit, post and rank of the whole list were joined before
    sorting it (a name search's ~1,000 matches, 20 ms of a 25 ms query). A short list that is not a name
    search (at most `COLLECT_LIMIT` people: a head's units, one unit's subtree) is first collected as an id
    array: left to itself, PostgreSQL walks the name index through every employee of every agency to find the
    first 25 of a head's ~500 people (2,800 rows, 10-25 ms against 1-2 ms, issue #13)."""

    COLLECT_LIMIT = 1000

    def __init__(self, qs: QuerySet[Employee], per_page: int, *, name_search: bool = False) -> None:
        super().__init__(qs.values(*DIRECTORY_ROW_FIELDS), per_page)
        self._counted = qs
        self._name_search = name_search

    @cached_property
    def count(self) -> int:
        if self._name_search:
            return int(self._counted.aggregate(n=Count("unit_id"))["n"])
        return self._counted.count()

    def get_page(self, number: Any) -> Any:
        if self._name_search and "count" not in self.__dict__:
            try:
                wanted = int(number)
            except (TypeError, ValueError):
                wanted = 1  # `get_page` shows the first page for a missing or unusable number
            if wanted >= 1:
                self._read_ids_with_total(wanted)
        return super().get_page(number)

    def page(self, number: Any) -> Page:  # type: ignore[type-arg]
        """`Paginator.page` with the rows of `_page_rows` (a list)."""
        number, bottom, top = _page_window(self, number)
        return Page(self._page_rows(bottom, top), number, self)

    def _ordering(self) -> list[Any]:
        return [*self._counted.query.order_by, "pk"]

    def _read_ids_with_total(self, number: int) -> None:
        """A name search's page ids and total in one statement (`COUNT(*) OVER ()`): its matches are read once
        (through the trigram index), not once to count them and again for the page. Nothing is kept when the
        page is empty (no total read): `count` and `_page_rows` then read as usual."""
        bottom = (number - 1) * self.per_page
        rows = list(
            self._counted.order_by(*self._ordering()).values_list("pk", Window(Count("pk")))[
                bottom : bottom + self.per_page
            ]
        )
        if rows:
            self.__dict__["count"] = int(rows[0][1])
            self._page_ids = (bottom, [pk for pk, _total in rows])

    def _page_rows(self, bottom: int, top: int) -> list[dict[str, Any]]:
        if top <= bottom:
            return []
        ordering = self._ordering()
        read = getattr(self, "_page_ids", None)
        if read is not None and read[0] == bottom:
            ids: Any = read[1][: top - bottom]
        else:
            matching: QuerySet[Employee, Any] = self._counted.order_by().values("pk")
            if not self._name_search and self.count <= self.COLLECT_LIMIT:
                matching = Employee.objects.filter(InArray(F("pk"), matching)).values("pk")
            ids = matching.order_by(*ordering)[bottom:top]
        return list(Employee.objects.filter(pk__in=ids).order_by(*ordering).values(*DIRECTORY_ROW_FIELDS))


# The employees API list row: plain values (no model instances), the joined names under their API keys, the
# agency for the access log, and `unit__path` for a keyset page ordered by unit.
EMPLOYEE_ROW_FIELDS = (
    "id", "agency_id", "nip", "front_title", "name", "back_title", "unit", "position", "rank", "rank_start_date",
    "employment_type", "status", "unit__path",
)  # fmt: skip


def employee_rows_visible_to(*, user: Any) -> QuerySet[Employee, dict[str, Any]]:
    """The employees API list: visible employees as `values()` rows, in directory order (name, id), one
    query per page with the unit, post and rank names joined."""
    return (
        Employee.objects.filter(employee_q(user))
        .values(
            *EMPLOYEE_ROW_FIELDS,
            unit_name=F("unit__name"),
            position_title=F("position__title"),
            position_kind=F("position__kind"),
            rank_code=F("rank__code"),
            rank_name=F("rank__name"),
        )
        .order_by("name", "pk")
    )


def employee_profile(*, user: Any, pk: int) -> Employee:
    """One visible employee (the `employee_q` rule) with post, rank, unit and agency, and histories, sanctions and
    the direct superior read (404 otherwise): two precompiled queries (people.employee_rows)."""
    emp = _visible_with_relations(user, pk)
    if emp is None:
        raise Http404("Pegawai tidak ditemukan.")
    _attach_profile_reads(emp)
    return emp


def _attach_profile_reads(emp: Employee) -> None:
    """Histories, sanctions and the direct superior (what `supervisor_of` then returns) in one query."""
    emp.__dict__["_portal_supervisor"] = employee_rows.attach_histories(emp, supervisor=True)


def own_profile(*, user: Any) -> Employee | None:
    """The signed-in employee as `employee_profile` gives them (None for an account without an employee record):
    the record `current_employee` read (everyone may see their own record, `employee_q`), with the histories
    and sanctions, without reading the employee a second time."""
    emp = current_employee(user)
    if emp is not None:
        _attach_profile_reads(emp)
    return emp


def employee_with_histories(*, user: Any, pk: int) -> Employee:
    """`employee_get_visible` with the post and rank histories (`employee_histories` reads them): `employee_profile`
    without the sanctions, for the employees API detail and the career timeline. Three precompiled queries."""
    emp = _visible_with_relations(user, pk)
    if emp is None:
        raise Http404("Pegawai tidak ditemukan.")
    employee_rows.attach_histories(emp, sanctions=False)
    return emp


def agency_for_chart(*, user: Any, agency_id: int | None = None) -> Any:
    """The agency whose chart the user sees: the requested one if allowed, else their own/first admin one."""
    from .models import Agency

    scope = scope_for(user)
    qs = Agency.objects.all() if scope.everything else Agency.objects.filter(pk__in=scope.agency_ids)
    if agency_id:
        agency = qs.filter(pk=agency_id).first()
        if agency is None:
            raise Http404("Instansi tidak ditemukan.")
        return agency
    preferred = scope.agency_id or next(iter(sorted(scope.admin_agency_ids)), None)
    return (qs.filter(pk=preferred).first() if preferred else None) or qs.order_by("name").first()


def _chart_units(units: QuerySet[OrgUnit]) -> QuerySet[OrgUnit]:
    return units.filter(is_active=True)


def _chart_unit_rows(visible: QuerySet[OrgUnit]) -> QuerySet[Any]:
    """The chart's units in tree order, with their head post and acting head."""
    return visible.order_by("path").values_list(
        "pk",
        "name",
        "kind",
        "path",
        "depth",
        "head_position_id",
        "head_position__title",
        "acting_head_id",
        "acting_kind",
        "acting_head__front_title",
        "acting_head__name",
        "acting_head__back_title",
    )


def _chart_holder_rows(visible: QuerySet[OrgUnit]) -> QuerySet[Any]:
    """The active holders of the units' head posts, the longest in post first. The head posts as
    ARRAY(subquery): PostgreSQL reads the post index (a plain IN (subquery) read every employee), and no ~200
    ids to bind."""
    head_posts = visible.exclude(head_position_id=None).order_by().values("head_position_id")
    return (
        Employee.objects.filter(InArray(F("position_id"), head_posts), status__in=ACTIVE_STATUSES)
        .order_by("position_start_date", "pk")
        .values_list("position_id", "front_title", "name", "back_title")
    )


def _sees_whole_agency(user: Any, agency_id: int) -> bool:
    """Whether the user sees every unit of the agency (`unit_q` adds nothing to `agency=` for its admin or a
    superuser)."""
    scope = scope_for(user)
    return scope.everything or agency_id in scope.admin_agency_ids


_AGENCY_STAND_IN = -13_000_501  # an agency id no row holds
_CHART_UNITS = Statement(
    lambda agency: _chart_unit_rows(_chart_units(OrgUnit.objects.filter(agency_id=agency))),
    agency=Param(_AGENCY_STAND_IN),
)
_CHART_HOLDERS = Statement(
    lambda agency: _chart_holder_rows(_chart_units(OrgUnit.objects.filter(agency_id=agency))),
    agency=Param(_AGENCY_STAND_IN),
)


def org_chart(*, user: Any, agency: Any) -> list[dict[str, Any]]:
    """The unit tree of an agency (the part the user may see) as plain rows: unit, head post, head (holder of
    the head post) or acting head, head count of the unit itself and of its whole subtree. Three queries: units
    with their head post and acting head, per-unit counts (the `people.headcount` summary rows), heads. Plain
    `values()` rows, not model instances: an agency has ~200 units (issue #13)."""
    if _sees_whole_agency(user, agency.pk):
        # The three reads compiled once per process, in one round trip.
        units, holder_rows, count_rows = rows_together(
            (_CHART_UNITS, {"agency": agency.pk}),
            (_CHART_HOLDERS, {"agency": agency.pk}),
            (headcount.ACTIVE_BY_UNIT, {"agency_id": agency.pk}),
        )
        counts = {unit_id: int(total) for unit_id, total in count_rows}
    else:
        from .access import unit_q

        visible = _chart_units(OrgUnit.objects.filter(unit_q(user), agency=agency))
        units = list(_chart_unit_rows(visible))
        holder_rows = list(_chart_holder_rows(visible))
        counts = headcount.active_by_unit(agency.pk)  # summary rows kept current on change (issue #13)
    holders: dict[int, str] = {}
    for position_id, front, name, back in holder_rows:
        if position_id not in holders:
            holders[position_id] = _full_name(front, name, back)
    totals: dict[str, int] = {}
    for u in units:
        n = counts.get(u[0], 0)
        if not n:
            continue
        prefix = "/"
        for part in u[3].strip("/").split("/"):  # the unit and each of its ancestors (materialised path)
            prefix = f"{prefix}{part}/"
            totals[prefix] = totals.get(prefix, 0) + n
    min_depth = min((u[4] for u in units), default=0)
    # Labels and links resolved once per page, not per row: `get_kind_display` hashes every (lazy) choice label
    # and `{% url %}` resolves the pattern again for each of an agency's ~200 units (issue #13).
    kinds = {value: str(label) for value, label in UnitKind.choices}
    acting_kinds = {value: str(label) for value, label in ActingKind.choices}
    plt = gettext("Plt.")
    url = reverse("people:unit-detail", args=[0])
    url_prefix, url_suffix = url[: url.rindex("/0/") + 1], url[url.rindex("/0/") + 2 :]
    return [
        {
            "id": pk,
            "name": name,
            "url": f"{url_prefix}{pk}{url_suffix}",
            "kind_label": kinds.get(kind, kind),
            "acting_label": acting_kinds.get(acting_kind) or plt,
            "level": depth - min_depth,
            "head_position_id": head_position_id,
            "head_position_title": head_position_title,
            "head_name": holders.get(head_position_id) if head_position_id else None,
            "acting_head_id": acting_head_id,
            "acting_head_name": _full_name(a_front, a_name, a_back) if acting_head_id else None,
            "own_count": counts.get(pk, 0),
            "total_count": totals.get(path, 0),
        }
        for (
            pk,
            name,
            kind,
            path,
            depth,
            head_position_id,
            head_position_title,
            acting_head_id,
            acting_kind,
            a_front,
            a_name,
            a_back,
        ) in units
    ]


def _full_name(front_title: str, name: str, back_title: str) -> str:
    """`Employee.full_name` of plain values."""
    text = f"{front_title} {name}".strip()
    return f"{text}, {back_title}" if back_title else text


_UNIT_STAND_IN = -13_000_701
_UNIT_VISIBLE: dict[RuleShape, Statement] = {}


def _unit_visible_statement(shape: RuleShape) -> Statement:
    statement = _UNIT_VISIBLE.get(shape)
    if statement is None:
        statement = _UNIT_VISIBLE.setdefault(
            shape,
            Statement(
                lambda **v: OrgUnit.objects.filter(unit_rule_q(shape, v), pk=v["pk"]).select_related(
                    "agency", "head_position", "parent"
                ),
                pk=Param(_UNIT_STAND_IN),
                **rule_params(shape, "u"),
            ),
        )
    return statement


def unit_get_visible(*, user: Any, pk: int) -> OrgUnit:
    """One unit the user may see in detail (`unit_q`), with its agency, head post and parent (404 otherwise): one
    statement compiled once per shape of the rule (issue #13)."""
    rule = unit_rule(user)
    if rule is None:
        raise Http404("Unit tidak ditemukan.")
    shape, values = rule
    units = _unit_visible_statement(shape).instances(pk=pk, **values)
    if not units:
        raise Http404("Unit tidak ditemukan.")
    unit: OrgUnit = units[0]
    return unit


# The unit page's list (`UnitMembersPaginator`): the people of a unit's subtree the user may see, in unit path, post
# kind (structural first) and name order, read like `DirectoryPaginator` reads the directory (the total, then the
# page's ids and their table columns in one statement), by statements compiled once per shape of the access rule
# and page slice (issue #13: the ORM compiled these two queries on every request, ~2 ms of CPU).
UNIT_MEMBERS_ORDER = ("unit__path", "-position__kind", "name", "pk")
_PATTERN_STAND_IN = "\x00unit-path-stand-in%"


def _unit_members(shape: RuleShape, v: dict[str, Any]) -> QuerySet[Employee]:
    # `subtree` is the LIKE pattern `path__startswith` sends (`prefix_patterns`: the escaped path and a `%`): the
    # lookup is given it without the `%` it adds back, so the stand-in is found in the compiled parameters
    subtree = OrgUnit.objects.filter(path__startswith=v["subtree"][:-1]).values("pk")
    return Employee.objects.filter(employee_rule_q(shape, v)).filter(unit_id__in=subtree)


def _unit_members_params(shape: RuleShape) -> dict[str, Param]:
    return {"subtree": Param(_PATTERN_STAND_IN), **rule_params(shape, "e")}


@functools.lru_cache(maxsize=64)
def _unit_members_count(shape: RuleShape) -> Statement:
    return Statement(
        # `SELECT COUNT(*) … WHERE …`, the SQL of `.count()` (the constant is not grouped by)
        lambda **v: _unit_members(shape, v).order_by().values(one=Value(1)).annotate(n=Count("*")).values_list("n"),
        **_unit_members_params(shape),
    )


@functools.lru_cache(maxsize=512)
def _unit_members_rows(shape: RuleShape, collect: bool, bottom: int, top: int) -> Statement:
    def build(**v: Any) -> QuerySet[Any]:
        matching: QuerySet[Any] = _unit_members(shape, v).order_by().values("pk")
        if collect:
            matching = Employee.objects.filter(InArray(F("pk"), matching)).values("pk")
        ids = matching.order_by(*UNIT_MEMBERS_ORDER)[bottom:top]
        return Employee.objects.filter(pk__in=ids).order_by(*UNIT_MEMBERS_ORDER).values_list(*DIRECTORY_ROW_FIELDS)

    return Statement(build, **_unit_members_params(shape))


class UnitMembersPaginator(Paginator):
    """`DirectoryPaginator` of `employee_directory(user).filter(unit_id__in=<the unit's subtree>)` in
    `UNIT_MEMBERS_ORDER`, by precompiled statements: the same total and rows."""

    def __init__(self, *, user: Any, unit: OrgUnit, per_page: int) -> None:
        super().__init__([], per_page)
        self._rule = employee_rule(user)
        if self._rule is not None:
            self._values = {"subtree": prefix_patterns((unit.path,))[0], **self._rule[1]}

    @cached_property
    def count(self) -> int:
        if self._rule is None:
            return 0
        return int(_unit_members_count(self._rule[0]).rows(**self._values)[0][0])

    def page(self, number: Any) -> Page:  # type: ignore[type-arg]
        number, bottom, top = _page_window(self, number)
        rows: list[dict[str, Any]] = []
        if top > bottom and self._rule is not None:
            collect = self.count <= DirectoryPaginator.COLLECT_LIMIT
            statement = _unit_members_rows(self._rule[0], collect, bottom, top)
            rows = [dict(zip(DIRECTORY_ROW_FIELDS, row, strict=True)) for row in statement.rows(**self._values)]
        return Page(rows, number, self)


def agency_stats(*, agency_id: int) -> dict[str, int]:
    """Counts for the BKD admin's home card: employees by type, units, positions and vacant posts, from the
    headcount summary (`headcount.agency_figures`: one indexed query, kept current by the people services)."""
    return headcount.agency_figures(agency_id)
