"""Reads of SKP plans: who may see which plan (plan_q), the plan page's parts, inboxes, team progress, cascading."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.http import Http404

from asn_portal.precompiled import Param, Statement, rows_together
from people.access import InArray, scope_for, team_patterns, team_q, team_q_of
from people.choices import ACTIVE_STATUSES
from people.models import Employee, Position
from performance.choices import EvaluationStatus, PeriodStatus, PlanStatus, ResultKind
from performance.lookups import any_of
from performance.models import (
    BehaviourExpectation,
    CoreValue,
    Evaluation,
    EvaluationPeriod,
    Feedback,
    Indicator,
    Objection,
    PerformancePlan,
    PlannedResult,
    Progress,
)


def plan_q_parts(user: Any, *, team_ids: bool = False) -> list[Q] | None:
    """`plan_q` as the conditions it ORs (None: every SKP), each answered by an index of its own: the BKD
    admin's agencies (the SKP's agency: an SKP belongs to its employee's agency, `plan_create` copies it and no
    service moves an employee between agencies), the user's own SKP, their team's (units they head), those they
    appraise and those they sign above. The API list pages each part on its index and merges them: ORed in one
    query, PostgreSQL could only walk every agency's SKPs newest first and test each one. `team_ids`: the team
    part on the SKP's own column (`employee_id = ANY(ARRAY(the team's employee ids))`), not on the joined employee."""
    scope = scope_for(user)
    if scope.everything:
        return None
    parts: list[Q] = []
    if scope.admin_agency_ids:
        parts.append(Q(agency_id__in=sorted(scope.admin_agency_ids)))
    # As `employee_q`: the own SKP unless the admin agencies already cover it.
    if scope.employee_id and scope.agency_id not in scope.admin_agency_ids:
        parts.append(Q(employee_id=scope.employee_id))
    if scope.head_unit_paths:
        if team_ids:
            parts.append(Q(InArray(F("employee_id"), Employee.objects.filter(team_q(user)).order_by().values("pk"))))
        else:
            parts.append(team_q(user, "employee__"))
    if scope.employee_id:
        parts += [Q(appraiser_id=scope.employee_id), Q(appraiser_superior_id=scope.employee_id)]
    return parts


def plan_q(user: Any) -> Q:
    """SKPs the user may read: those of people in their scope, plus those they appraise or sign above."""
    parts = plan_q_parts(user)
    if parts is None:
        return Q()
    q = Q(pk__in=[])
    for part in parts:
        q |= part
    return q


def plan_list_visible_to(*, user: Any) -> QuerySet[PerformancePlan]:
    return (
        PerformancePlan.objects.filter(plan_q(user))
        .select_related("employee", "unit", "appraiser", "agency")
        .order_by("-year", "employee__name")
    )


def _head_visible_ids(user: Any, year: int) -> Q | None:
    """For a user who administers no agency (a head, an appraiser): the year's SKPs they may read as
    `pk = ANY(ARRAY(part UNION part …))`, each part of `plan_q_parts` read on its own index (the team by the unit
    index and then the (employee, year) key). ORed on the page's name order, PostgreSQL walked every employee of
    the database by name and probed each one's SKP (2,900 probes, 100 ms for a head's first page); from the few
    hundred ids it sorts what it found. None: the plain rule (an admin's agency part is best walked by name)."""
    scope = scope_for(user)
    if scope.everything or scope.admin_agency_ids:
        return None
    parts = plan_q_parts(user, team_ids=True) or []
    if len(parts) < 2:
        return None
    base = PerformancePlan.objects.filter(year=year).order_by()
    pages = [base.filter(part).values("pk") for part in parts]
    return Q(InArray(F("pk"), pages[0].union(*pages[1:])))


def plan_page_rows_visible_to(*, user: Any, year: int) -> QuerySet[PerformancePlan]:
    """`plan_list_visible_to` of one year for the "Daftar SKP" page: the employee and appraiser joined for their
    names only (two wide employee rows per SKP otherwise), the unit; no agency. By name, then id (namesakes in a
    stable order from one page to the next)."""
    visible = _head_visible_ids(user, year)
    return (
        _with_names(
            PerformancePlan.objects.filter(plan_q(user) if visible is None else visible), "employee", "appraiser"
        )
        .filter(year=year)
        .select_related("unit")
        .order_by("-year", "employee__name", "pk")
    )


class _PagedInstances(Statement):
    """An `instances()` Statement read one window at a time: `instances(limit=…, offset=…, **values)` runs the
    compiled SQL followed by `LIMIT %s OFFSET %s` (what slicing the queryset adds)."""

    def _fetch(self, values: dict[str, Any]) -> tuple[Any, list[Any]]:
        c = self._compile()
        params = [v if name is None else values[name] for name, v in c.slots]
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute(f"{c.sql} LIMIT %s OFFSET %s", [*params, values["limit"], values["offset"]])
            return c, cursor.fetchall()


def _head_plan_page(me: int, patterns: list[str], year: int, status: str | None) -> QuerySet[PerformancePlan]:
    """`plan_page_rows_visible_to` (with `status`: one status) of a head who administers no agency, with the
    values of their scope given: `plan_q_parts(user, team_ids=True)` of such a user is their own SKP, their
    team's (`team_q`), those they appraise and those they sign above (tests/performance compare the two)."""
    team = Employee.objects.filter(team_q_of(patterns, me)).order_by().values("pk")
    parts = [Q(employee_id=me), Q(InArray(F("employee_id"), team)), Q(appraiser_id=me), Q(appraiser_superior_id=me)]
    base = PerformancePlan.objects.filter(year=year).order_by()
    pages = [base.filter(part).values("pk") for part in parts]
    qs = _with_names(
        PerformancePlan.objects.filter(InArray(F("pk"), pages[0].union(*pages[1:]))), "employee", "appraiser"
    ).filter(year=year)
    if status is not None:
        qs = qs.filter(status=status)
    return qs.select_related("unit").order_by("-year", "employee__name", "pk")


_HEAD_PLAN_STAND_INS = {
    "me": Param(-13_160_101),
    "patterns": Param(["\x00plan-list-head-stand-in%"]),
    "year": Param(32_003),  # a year no SKP has (the field is a positive small integer)
}
# The "Daftar SKP" page of a head (issue #13), without and with a status filter, compiled once per process:
# building and compiling the four-part rule cost a third of the page's Python.
_HEAD_PLAN_PAGES = {
    False: _PagedInstances(
        lambda me, patterns, year: _head_plan_page(me, patterns, year, None), **_HEAD_PLAN_STAND_INS
    ),
    True: _PagedInstances(
        lambda me, patterns, year, status: _head_plan_page(me, patterns, year, status),
        **_HEAD_PLAN_STAND_INS,
        status=Param("\x00plan-status-stand-in"),
    ),
}


class HeadPlanPage:
    """The rows of `plan_page_rows_visible_to(user=…, year=…)` (one status, or all) for `uncounted_page`, read
    by a statement compiled once per process."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values

    def __getitem__(self, window: slice) -> list[PerformancePlan]:
        start = window.start or 0
        statement = _HEAD_PLAN_PAGES["status" in self.values]
        plans: list[PerformancePlan] = statement.instances(
            limit=max(window.stop - start, 0), offset=start, **self.values
        )
        return plans


def head_plan_page(*, user: Any, year: int, status: str | None) -> HeadPlanPage | None:
    """The precompiled "Daftar SKP" rows of a head who administers no agency (None for anyone else: the
    queryset of `plan_page_rows_visible_to` then)."""
    scope = scope_for(user)
    if scope.everything or scope.admin_agency_ids or not scope.head_unit_paths or not scope.employee_id:
        return None
    values: dict[str, Any] = {"me": scope.employee_id, "patterns": team_patterns(user), "year": year}
    if status is not None:
        values["status"] = status
    return HeadPlanPage(values)


def plan_rows_visible_to(*, user: Any) -> QuerySet[PerformancePlan]:
    """The API list's SKPs, newest year first and newest SKP first within a year: the (-year, -id) index walks
    them in that order, so a keyset page reads its 50 rows without sorting the agency's plans (the name order
    of the pages would sort every visible plan joined to its employee). Employee joined for the name only."""
    return PerformancePlan.objects.filter(plan_q(user)).select_related("employee").order_by("-year", "-pk")


# The API list's row columns read as `values()`; the API's PLAN_ROW_FIELDS are built from them (the name parts joined).
PLAN_ROW_VALUES = (
    "id",
    "employee",
    "year",
    "unit",
    "position_title",
    "is_jpt",
    "is_unit_head",
    "appraiser",
    "appraiser_superior",
    "approach",
    "status",
    "expectations",
    "return_comment",
    "result_rating",
    "behaviour_rating",
    "predikat",
    "submitted_at",
    "approved_at",
    "evaluated_at",
    "finalised_at",
    "employee__front_title",
    "employee__name",
    "employee__back_title",
)


def plan_row_values_visible_to(*, user: Any) -> QuerySet[PerformancePlan, dict[str, Any]]:
    """`plan_rows_visible_to` as plain `values()` rows (the lean API list: no model instance per SKP), in the
    same (-year, -id) order."""
    return PerformancePlan.objects.filter(plan_q(user)).values(*PLAN_ROW_VALUES).order_by("-year", "-pk")


def plan_get_visible(*, user: Any, pk: int) -> PerformancePlan:
    plan = (
        PerformancePlan.objects.filter(plan_q(user), pk=pk)
        .select_related(
            "employee",
            "employee__rank",
            "employee__position",
            "unit",
            "agency",
            "appraiser",
            "appraiser__rank",
            "appraiser__position",
            "appraiser_superior",
            "appraiser_superior__position",
            "appraiser_superior__rank",
        )
        .first()
    )
    if plan is None:
        raise Http404("SKP tidak ditemukan.")
    return plan


_NAME_FIELDS = ("front_title", "name", "back_title")  # what `Employee.full_name` reads


def _with_names(qs: QuerySet[Any], *relations: str) -> QuerySet[Any]:
    """`qs` with the employees of `relations` joined for their `full_name` only (the employee row is wide: its
    other columns cost a join's worth of model building per row and the page shows only the name)."""
    own = [f.name for f in qs.model._meta.concrete_fields]
    return qs.select_related(*relations).only(*own, *(f"{r}__{n}" for r in relations for n in _NAME_FIELDS))


def _cached_related(model: type[Any], rows: list[Any]) -> QuerySet[Any]:
    """What a prefetch leaves on an object for a reverse relation: `.all()` answers these rows without a query
    (built from `none()`: a `.filter()` on it stays empty rather than reading outside the relation)."""
    qs = model._default_manager.none()
    qs._result_cache = rows
    qs._prefetch_done = True
    return qs


# The SKP page's reads compiled once per process (asn_portal.precompiled): building and compiling these
# querysets cost more CPU than their rows (issue #13). Same querysets as before, the plan (and the agency and
# year of its periods) as stand-ins.
_PLAN = Param(-13_160_001)
# Every read of one plan's rows orders by what follows "plan" in its Meta ordering: ordering by the plan itself
# (the plan's own Meta ordering: year, then the employee's name) is one value here, and its two joins cost
# PostgreSQL more to plan than the read takes to run.
_RESULTS = Statement(
    lambda p: PlannedResult.objects.filter(plan_id=p).select_related("parent_result").order_by("kind", "order", "pk"),
    p=_PLAN,
)
# Per RHK: its Meta order.
_INDICATORS = Statement(lambda p: Indicator.objects.filter(result__plan_id=p).order_by("order", "pk"), p=_PLAN)
# Per IKI in its Meta order (by period: the plan's agency's periods, by year, kind, number), without the
# Meta ordering's joins up through the IKI, RHK and plan to the employee's name.
_PROGRESS = Statement(
    lambda p: (
        Progress.objects.filter(indicator__result__plan_id=p)
        .select_related("period")
        .order_by("period__year", "period__kind", "period__number", "pk")
    ),
    p=_PLAN,
)
_PERIODS = Statement(
    lambda a, y: EvaluationPeriod.objects.filter(agency_id=a, year=y).order_by("kind", "number"),
    a=Param(-13_160_002),
    y=Param(32_001),  # a year no period has (the field is a positive small integer)
)
_EVALUATIONS = Statement(
    lambda p: Evaluation.objects.filter(plan_id=p).select_related("period").order_by("period__number"), p=_PLAN
)
_FEEDBACK = Statement(
    lambda p: (
        _with_names(Feedback.objects.filter(plan_id=p), "given_by")
        .select_related("result", "core_value", "period")
        .order_by("-created_at")
    ),
    p=_PLAN,
)
_BEHAVIOUR = Statement(
    lambda p: BehaviourExpectation.objects.filter(plan_id=p).select_related("core_value").order_by("core_value__order"),
    p=_PLAN,
)


def plan_results_tree(plan: PerformancePlan) -> list[PlannedResult]:
    """The plan's RHK (with the RHK above they cascade from) and, under `r.indicators.all()`, their IKI with,
    under `i.progress.all()`, the progress per period: three flat queries, attached as a prefetch would (the
    nested Prefetch machinery cost more than the queries on a plan of a few RHK)."""
    results: list[PlannedResult] = _RESULTS.instances(p=plan.pk)
    indicators: list[Indicator] = _INDICATORS.instances(p=plan.pk)
    progress: list[Progress] = _PROGRESS.instances(p=plan.pk)
    progress_of: dict[int, list[Progress]] = {}
    for pr in progress:
        progress_of.setdefault(pr.indicator_id, []).append(pr)
    indicators_of: dict[int, list[Indicator]] = {}
    for i in indicators:
        i._prefetched_objects_cache = {"progress": _cached_related(Progress, progress_of.get(i.pk, []))}  # type: ignore[attr-defined]
        indicators_of.setdefault(i.result_id, []).append(i)
    for r in results:
        r._prefetched_objects_cache = {"indicators": _cached_related(Indicator, indicators_of.get(r.pk, []))}  # type: ignore[attr-defined]
    return results


def open_periods_of(periods: Iterable[EvaluationPeriod]) -> list[EvaluationPeriod]:
    """`periods_selectors.open_periods` taken from the plan's periods already read (open and opened, by number)."""
    return sorted(
        (p for p in periods if p.status == PeriodStatus.OPEN and p.opened_at is not None), key=lambda p: p.number
    )


def plan_detail_parts(plan: PerformancePlan, *, objections: bool = True) -> dict[str, Any]:
    """Everything the SKP page shows, in a fixed number of queries (`objections=False`: a page that does not
    show them, "SKP Saya", skips their query)."""
    results = plan_results_tree(plan)
    periods: list[EvaluationPeriod] = _PERIODS.instances(a=plan.agency_id, y=plan.year)
    evaluations = {e.period_id: e for e in _EVALUATIONS.instances(p=plan.pk)}
    feedback: list[Feedback] = _FEEDBACK.instances(p=plan.pk)
    behaviour: list[BehaviourExpectation] = _BEHAVIOUR.instances(p=plan.pk)
    return {
        "main_results": [r for r in results if r.kind == "main"],
        "additional_results": [r for r in results if r.kind == "additional"],
        "results": results,
        "periods": periods,
        "evaluations": evaluations,
        "evaluation_rows": [(p, evaluations.get(p.pk)) for p in periods],
        "feedback": feedback,
        "behaviour": behaviour,
        "objections": (list(_with_names(Objection.objects.filter(plan=plan), "decided_by")) if objections else []),
    }


INBOX_SECTIONS = ("approve", "evaluate", "finalise", "objections")
# Each inbox status belongs to one section (an objection is the superior's, the others the appraiser's).
_SECTION_OF: dict[str, str] = {
    PlanStatus.SUBMITTED.value: "approve",
    PlanStatus.APPROVED.value: "evaluate",
    PlanStatus.EVALUATED.value: "finalise",
    PlanStatus.OBJECTED.value: "objections",
}
SECTION_OF = _SECTION_OF  # for the home card's inbox count (performance.cards)


def _inbox_of(me: int) -> QuerySet[PerformancePlan]:
    return PerformancePlan.objects.filter(
        Q(appraiser_id=me, status__in=[PlanStatus.SUBMITTED, PlanStatus.APPROVED, PlanStatus.EVALUATED])
        | Q(appraiser_superior_id=me, status=PlanStatus.OBJECTED)
    ).exclude(employee_id=me)


def _inbox(user: Any) -> QuerySet[PerformancePlan] | None:
    me = scope_for(user).employee_id
    if not me:
        return None
    return _inbox_of(me)


# The inbox page's three reads, compiled once per process (asn_portal.precompiled): the same querysets, without
# their compilation on every request (issue #13).
_INBOX_IDS = Statement(
    lambda me: _inbox_of(me).order_by("employee__name", "pk").values_list("pk", "status"), me=Param(-13_170_001)
)
_INBOX_ROWS = Statement(
    lambda ids: (
        PerformancePlan.objects.filter(any_of("pk", ids))
        .select_related("employee", "unit")
        .only(
            "pk",
            "status",
            "year",
            "position_title",
            "employee_id",
            "employee__front_title",
            "employee__name",
            "employee__back_title",
            "unit__name",
        )
    ),
    ids=Param([-13_170_002]),
)
_PENDING_EVALUATION = Statement(
    lambda ids: Evaluation.objects.filter(
        any_of("plan_id", ids), status=EvaluationStatus.PENDING, period__opened_at__isnull=False
    ).values_list("plan_id"),
    ids=Param([-13_170_003]),
)


def inbox_ids(*, user: Any) -> dict[str, list[int]]:
    """The appraiser's inbox as plan ids per section (SKPs to approve, to evaluate, to finalise, objections to
    decide), by employee name (one query of ids: a page loads its rows with `inbox_rows`)."""
    out: dict[str, list[int]] = {key: [] for key in INBOX_SECTIONS}
    me = scope_for(user).employee_id
    if me:
        for pk, status in _INBOX_IDS.rows(me=me):
            out[_SECTION_OF[status]].append(pk)
    return out


def inbox_counts(*, user: Any) -> dict[str, int]:
    """How many SKPs wait in each section of the appraiser's inbox (one grouped count)."""
    out = dict.fromkeys(INBOX_SECTIONS, 0)
    qs = _inbox(user)
    if qs is not None:
        for status, n in qs.order_by().values_list("status").annotate(n=Count("pk")):
            out[_SECTION_OF[status]] += n
    return out


def inbox_rows(plan_ids: Iterable[int]) -> dict[int, PerformancePlan]:
    """The inbox rows shown (a page per section) with employee, post and unit, by id (one query; none for no
    ids)."""
    ids = list(plan_ids)
    return {p.pk: p for p in _INBOX_ROWS.instances(ids=ids)} if ids else {}


def plans_with_pending_evaluation(plan_ids: Iterable[int]) -> set[int]:
    """Which of these SKPs have an opened period not yet evaluated (one query on the (plan, period) index, none
    for no ids; as an EXISTS over the whole inbox PostgreSQL hashed every pending evaluation of the database
    instead)."""
    ids = list(plan_ids)
    return {plan_id for (plan_id,) in _PENDING_EVALUATION.rows(ids=ids)} if ids else set()


def team_progress(*, user: Any, year: int, period: EvaluationPeriod | None) -> QuerySet[Employee]:
    """The head's team with their SKP status this year and whether they reported this period (1 query). The
    year's SKP is one LEFT JOIN on the (employee, year) key; "reported" and the period's predikat are looked up
    from that SKP row by row (its RHK, their IKI, one (IKI, period) key each): an EXISTS there was hashed over
    every progress report of the period joined to every IKI of the database (90 ms at 50,000 employees)."""
    return _team_progress_of(team_q(user), year, period.pk if period is not None else None)


def _team_progress_of(team: Q, year: int, period: int | None) -> QuerySet[Employee]:
    """`team_progress` of the team `team` (a `team_q`), the year and the period's id (or none)."""
    qs = (
        Employee.objects.filter(team, status__in=ACTIVE_STATUSES)
        .select_related("position", "unit")
        # What the page shows (name, post, unit) and the access log reads (agency): not the wide employee row.
        .only("pk", "agency", *_NAME_FIELDS, "position", "unit", "position__title", "unit__name")
        .annotate(
            year_plan=FilteredRelation("performance_plans", condition=Q(performance_plans__year=year)),
            plan_id=F("year_plan__id"),
            plan_status=F("year_plan__status"),
        )
        .order_by("unit__path", "name", "pk")  # the id last: namesakes in one unit keep their place across pages
    )
    if period is not None:
        # Scalar subqueries (LIMIT 1) run for the rows that need them: PostgreSQL never hashes those.
        one_report = Progress.objects.filter(period_id=period, indicator__result__plan_id=OuterRef("plan_id"))
        qs = qs.alias(first_report=Subquery(one_report.order_by().values("pk")[:1])).annotate(
            reported=ExpressionWrapper(Q(first_report__isnull=False), output_field=BooleanField()),
            period_predikat=Subquery(
                Evaluation.objects.filter(period_id=period, plan_id=OuterRef("plan_id"))
                .order_by()
                .values("predikat")[:1]
            ),
        )
    return qs


def team_progress_shown(qs: QuerySet[Employee], show: str, with_period: bool) -> QuerySet[Employee]:
    """The "Kinerja tim" filter: who has not planned, or (in a running period) who has not reported on an
    approved SKP; anything else: everyone."""
    if show == "unplanned":
        return qs.filter(**{"plan_id": None})
    if show == "unreported" and with_period:
        return qs.filter(**{"reported": False, "plan_status": PlanStatus.APPROVED})
    return qs


class _CountedPages(_PagedInstances):
    """A `_PagedInstances` whose rows can also be counted (`SELECT COUNT(*)` around a `values_list("pk")` form of
    the same queryset, compiled once as well: what `QuerySet.count()` counts)."""

    def __init__(self, build: Any, counted: tuple[str, ...], **params: Param) -> None:
        super().__init__(build, **params)
        # `counted`: the parameters the count reads (a column shown but not filtered on is not counted)
        self._ids = Statement(lambda **v: build(**v).order_by().values_list("pk"), **{k: params[k] for k in counted})

    def count(self, **values: Any) -> int:
        c = self._ids._compile()
        params = [v if name is None else values[name] for name, v in c.slots]
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({c.sql}) AS counted", params)
            return int(cursor.fetchone()[0])


_TEAM_STAND_INS = {
    "me": Param(-13_160_201),
    "patterns": Param(["\x00team-progress-stand-in%"]),
    "year": Param(32_004),  # a year no SKP has (the field is a positive small integer)
}


def _team_statement(show: str, with_period: bool) -> _CountedPages:
    params = dict(_TEAM_STAND_INS)
    if with_period:
        params["period"] = Param(-13_160_202)
    counted = tuple(params) if show == "unreported" and with_period else tuple(_TEAM_STAND_INS)
    return _CountedPages(
        lambda **v: team_progress_shown(
            _team_progress_of(team_q_of(v["patterns"], v["me"]), v["year"], v.get("period")), show, with_period
        ),
        counted,
        **params,
    )


# "Kinerja tim" of a head (issue #13), per filter and whether a period runs, compiled once per process: the
# count and the page's rows were built and compiled by the ORM on every request.
_TEAM_PAGES = {
    (show, with_period): _team_statement(show, with_period)
    for show in ("", "unplanned", "unreported")
    for with_period in (False, True)
}


class TeamProgressRows:
    """`team_progress_shown(team_progress(...), show, ...)` for a Paginator: `count()` and `[a:b]` by statements
    compiled once per process (the same rows, objects and order as the queryset's)."""

    ordered = True

    def __init__(self, statement: _CountedPages, values: dict[str, Any]) -> None:
        self.statement, self.values = statement, values

    def count(self) -> int:
        return self.statement.count(**self.values)

    def __getitem__(self, window: slice) -> list[Employee]:
        start = window.start or 0
        rows: list[Employee] = self.statement.instances(limit=max(window.stop - start, 0), offset=start, **self.values)
        return rows


def team_progress_rows(
    *, user: Any, year: int, period: EvaluationPeriod | None, show: str
) -> TeamProgressRows | QuerySet[Employee]:
    """The "Kinerja tim" rows (`team_progress` with the page's filter): precompiled for a head with an employee
    record, the queryset otherwise."""
    scope = scope_for(user)
    if not scope.head_unit_paths or not scope.employee_id:
        return team_progress_shown(team_progress(user=user, year=year, period=period), show, period is not None)
    key = (show if show in ("unplanned", "unreported") else "", period is not None)
    values: dict[str, Any] = {"me": scope.employee_id, "patterns": team_patterns(user), "year": year}
    if period is not None:
        values["period"] = period.pk
    return TeamProgressRows(_TEAM_PAGES[key], values)


def parent_result_choices(plan: PerformancePlan) -> list[tuple[int, str]]:
    """The appraiser's RHK of the same year that the plan's RHK may cascade from (one query)."""
    rows = PlannedResult.objects.filter(plan__employee_id=plan.appraiser_id or 0, plan__year=plan.year).order_by(
        "kind", "order"
    )
    return [(r.pk, r.text[:120]) for r in rows.only("pk", "text")]


def plan_results(plan: PerformancePlan) -> list[PlannedResult]:
    """The plan's RHK with their IKI (two queries), in the editor's order."""
    return list(PlannedResult.objects.filter(plan=plan).prefetch_related("indicators"))


@dataclass(frozen=True)
class CascadeNode:
    """One RHK in the cascade tree: its text, whose plan it is on, and (for the head's own RHK) what it supports."""

    pk: int
    kind: str
    text: str
    owner: str
    parent_text: str = ""
    parent_owner: str = ""
    children: list[CascadeNode] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return str(ResultKind(self.kind).label)


_OWNER = ("plan__employee__front_title", "plan__employee__name", "plan__employee__back_title")


def _owner_name(row: Mapping[str, Any], prefix: str = "plan__employee__") -> str:
    """`Employee.full_name` from a values() row (the tree reads plain rows: hundreds of RHK per head)."""
    name = f"{row[prefix + 'front_title'] or ''} {row[prefix + 'name']}".strip()
    back = row[prefix + "back_title"]
    return f"{name}, {back}" if back else name


_PARENT = "parent_result__plan__employee__"
# The cascade tree's three reads compiled once per process (asn_portal.precompiled), as plain rows in the RHK
# order (plan, kind, order): the head's RHK (with the RHK above they cascade from), the RHK cascaded from them,
# and those cascaded from these.
_CASCADE_HEADS = Statement(
    lambda p: (
        PlannedResult.objects.filter(plan_id=p)
        .order_by("kind", "order", "pk")  # (one plan: see _RESULTS)
        .values_list(
            "pk",
            "kind",
            "text",
            "parent_result__text",
            _PARENT + "front_title",
            _PARENT + "name",
            _PARENT + "back_title",
        )
    ),
    p=_PLAN,
)
_CASCADE_CHILDREN = Statement(
    lambda p: PlannedResult.objects.filter(parent_result__plan_id=p).values_list(
        "pk", "kind", "text", "parent_result_id", *_OWNER
    ),
    p=_PLAN,
)
_CASCADE_GRANDCHILDREN = Statement(
    lambda p: PlannedResult.objects.filter(parent_result__parent_result__plan_id=p).values_list(
        "pk", "kind", "text", "parent_result_id", *_OWNER
    ),
    p=_PLAN,
)


def _name(front: str | None, name: str, back: str | None) -> str:
    """`Employee.full_name` from a row's columns."""
    full = f"{front or ''} {name}".strip()
    return f"{full}, {back}" if back else full


def cascade_tree(plan: PerformancePlan) -> list[CascadeNode]:
    """The head's results with the subordinates' results that support them, two levels down (three precompiled
    queries of plain rows, in the RHK order: plan, kind, order)."""
    return _cascade_tree_of(
        _CASCADE_HEADS.rows(p=plan.pk), _CASCADE_CHILDREN.rows(p=plan.pk), _CASCADE_GRANDCHILDREN.rows(p=plan.pk)
    )


def _cascade_tree_of(
    heads: Iterable[tuple[Any, ...]], children: Iterable[tuple[Any, ...]], grandchildren: Iterable[tuple[Any, ...]]
) -> list[CascadeNode]:
    """The cascade tree from the rows of `_CASCADE_HEADS`, `_CASCADE_CHILDREN` and `_CASCADE_GRANDCHILDREN`."""
    tree = [
        CascadeNode(
            pk=pk,
            kind=kind,
            text=text,
            owner="",
            parent_text=parent_text or "",
            parent_owner=_name(front, name, back) if parent_text is not None else "",
        )
        for pk, kind, text, parent_text, front, name, back in heads
    ]
    by_pk = {n.pk: n for n in tree}
    for pk, kind, text, parent_id, front, name, back in children:
        node = CascadeNode(pk=pk, kind=kind, text=text, owner=_name(front, name, back))
        by_pk[parent_id].children.append(node)
        by_pk[node.pk] = node
    for pk, kind, text, parent_id, front, name, back in grandchildren:
        by_pk[parent_id].children.append(CascadeNode(pk=pk, kind=kind, text=text, owner=_name(front, name, back)))
    return tree


def plans_of_employee(employee: Employee) -> list[PerformancePlan]:
    """An employee's own SKPs, newest year first, with their appraiser and superior (names) and unit ("SKP Saya";
    a statement compiled once per process)."""
    return _PLANS_OF_EMPLOYEE.instances(e=employee.pk)


_PLANS_OF_EMPLOYEE = Statement(
    lambda e: (
        _with_names(PerformancePlan.objects.filter(employee_id=e), "appraiser", "appraiser_superior")
        .select_related("unit")
        .order_by("-year")
    ),
    e=Param(-13_170_003),
)


def own_result(employee: Employee, pk: int | None) -> PlannedResult | None:
    """One of the employee's own RHK (what a head may cascade); None when it is not theirs."""
    return PlannedResult.objects.filter(pk=pk or 0, plan__employee=employee).first()


def plan_result(plan: PerformancePlan, pk: int) -> PlannedResult | None:
    return PlannedResult.objects.filter(plan=plan, pk=pk).first()


def core_values() -> list[CoreValue]:
    """The BerAKHLAK core values, in their order."""
    return list(CoreValue.objects.all())


def core_value(pk: int) -> CoreValue | None:
    return CoreValue.objects.filter(pk=pk).first()


# The cascade page's reads (issue #13), precompiled and sent two at a time (`rows_together`): the head's SKP of
# the year with the direct reports they may cascade to, then (when there is an SKP) the tree's three reads.
_EMPLOYEE, _POSITION = Param(-13_170_001), Param(-13_170_002)
_OWN_PLAN = Statement(
    lambda e, y: PerformancePlan.objects.filter(employee_id=e, year=y).order_by("pk").values_list("pk")[:1],
    e=_EMPLOYEE,
    y=Param(32_002),  # a year no SKP has (the field is a positive small integer)
)
# `people.selectors.subordinate_ids_of` (the posts reporting to the employee's post, unless overridden, and the
# explicit overrides; active employees; never the employee) with `cascade_targets`' columns, by name (then id,
# so that two subordinates of the same name keep one order).
_CASCADE_TARGETS = Statement(
    lambda e, pos: (
        Employee.objects.filter(status__in=sorted(ACTIVE_STATUSES))
        .filter(
            Q(supervisor_override_id=e)
            | Q(
                InArray(F("position_id"), Position.objects.filter(reports_to_id=pos).order_by().values("pk")),
                supervisor_override__isnull=True,
            )
        )
        .exclude(pk=e)
        .order_by("name", "pk")
        .values_list("pk", "front_title", "name", "back_title")
    ),
    e=_EMPLOYEE,
    pos=_POSITION,
)


@dataclass(frozen=True)
class CascadePage:
    """What the cascade page shows: whether the head has an SKP of the year, its tree, the cascade targets."""

    has_plan: bool
    tree: list[CascadeNode]
    targets: list[tuple[int, str]]


def cascade_page(employee: Employee, year: int) -> CascadePage:
    """`own_plan`, `cascade_tree` and `cascade_targets(subordinate_ids_of(employee))` in two round trips."""
    own, targets = rows_together(
        (_OWN_PLAN, {"e": employee.pk, "y": year}),
        (_CASCADE_TARGETS, {"e": employee.pk, "pos": employee.position_id}),
    )
    names = [(pk, _name(front, name, back)) for pk, front, name, back in targets]
    if not own:
        return CascadePage(False, [], names)
    p = {"p": own[0][0]}
    heads, children, grandchildren = rows_together(
        (_CASCADE_HEADS, p), (_CASCADE_CHILDREN, p), (_CASCADE_GRANDCHILDREN, p)
    )
    return CascadePage(True, _cascade_tree_of(heads, children, grandchildren), names)
