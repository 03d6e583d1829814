"""Reads for promotions: set-based input loading for the rules, scoped lists, the employee's outlook."""

from __future__ import annotations

import contextvars
import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from django.contrib.postgres.expressions import ArraySubquery
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import BooleanField, Count, Exists, F, Lookup, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils import timezone

from asn_portal.precompiled import FIRST_DAY, Param, Shared, SqlRows, Statement, rows_together
from careers.talent.selectors import published_boxes
from competencies.models import CompetencyRequirement
from competencies.rules import jpm
from competencies.selectors import current_levels
from people.access import InArray, StartsWithAny, admin_agency_q, employee_q, scope_for
from people.choices import ACTIVE_STATUSES, EmploymentType
from people.models import DisciplinarySanction, Employee, OrgUnit, Position, Rank
from people.selectors import position_list_visible_to, supervisor_id_expression, supervisor_ids_for
from performance.evaluation.selectors import predikat_by_year
from performance.models import PredikatRecord
from promotions.vacancies import rules as merit_rules

from . import reference, rules
from .choices import OPEN_PROPOSAL_STATUSES, ProposalStatus, QueueStatus, VacancyStatus
from .data import RULE_VERSION
from .models import (
    CivilServiceExam,
    PositionVacancy,
    PromotionPeriod,
    PromotionProposal,
    ProposalBatch,
    QueueCountSummary,
    QueueEntry,
    VacancyCandidate,
)
from .templatetags.promotion_tables import QUEUE_ROW_FIELDS, failing_text

PREDIKAT_YEARS_BACK = 8
PARALLEL_MIN_EMPLOYEES = 5000  # below this, one connection is faster than two


# ---------------------------------------------------------------- rule inputs


def load_tables() -> rules.Tables:
    """Rank ladder, education caps and AK thresholds (promotions.reference: read once per process)."""
    return reference.ladder_and_tables()[1]


def active_rule_version() -> str:
    return reference.version()


@dataclass(frozen=True)
class QueueReference:
    """Everything a queue build looks up besides the people: the rule tables, the PNS rank ids by order and
    the active rule version, loaded once per build (promotions.reference)."""

    tables: rules.Tables
    rank_ids: dict[int, int]
    version: str


def load_queue_reference() -> QueueReference:
    ranks, tables = reference.ladder_and_tables()
    return QueueReference(
        tables=tables, rank_ids={order: r.pk for order, r in ranks.items()}, version=reference.version()
    )


@dataclass
class FactsBundle:
    facts: list[rules.RankFacts] = field(default_factory=list)
    meta: dict[int, dict[str, Any]] = field(default_factory=dict)  # employee id → unit_id, rank_id, agency_id


def kp_population(*, agency_id: int | None = None, employee_ids: list[int] | None = None) -> QuerySet[Employee]:
    """PNS in active service with a PNS rank: the people KP applies to (PPPK have their own scale, CPNS none)."""
    qs = Employee.objects.filter(status__in=ACTIVE_STATUSES, employment_type=EmploymentType.PNS, rank__scheme="pns")
    if agency_id is not None:
        qs = qs.filter(agency_id=agency_id)
    if employee_ids is not None:
        qs = qs.filter(pk__in=employee_ids)
    return qs


A = TypeVar("A")
B = TypeVar("B")


def _together(first: Callable[[], A], second: Callable[[], B], *, parallel: bool) -> tuple[A, B]:
    """Run two independent reads; for a large agency outside a transaction, the second in a thread with its
    own connection (the database works on both while the driver releases the GIL)."""
    if not parallel or connection.in_atomic_block:
        return first(), second()

    def run_second() -> B:
        try:
            return second()
        finally:
            connections.close_all()  # the thread's own connections (default, and the replica when routed)

    with ThreadPoolExecutor(max_workers=1) as pool:
        # In the caller's context: a report that reads from the replica (asn_portal.dbrouter) does so in both.
        future = pool.submit(contextvars.copy_context().run, run_second)
        a = first()
        return a, future.result()


SMALL_BATCH = 20  # up to this many people (an outlook, a proposal) exams and sanctions ride on the first query


def _sanctions_in_force_q(as_of: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": as_of - dt.timedelta(days=366)})


def load_rank_facts(
    *, agency_id: int | None = None, employee_ids: list[int] | None = None, as_of: dt.date
) -> FactsBundle:
    """Every KP input for many employees in a fixed number of queries: employees (1), superiors (1-2),
    predikat (1), exams (1), sanctions (1). For a few named people (an outlook) the exams and sanctions are
    arrays on the employee query: four queries in all."""
    small = employee_ids is not None and len(employee_ids) <= SMALL_BATCH
    population = kp_population(agency_id=agency_id, employee_ids=employee_ids)
    extra: tuple[str, ...] = ()
    if small:
        own_sanctions = DisciplinarySanction.objects.filter(_sanctions_in_force_q(as_of), employee=OuterRef("pk"))
        population = population.annotate(
            exam_levels=ArraySubquery(CivilServiceExam.objects.filter(employee=OuterRef("pk")).values("level")),
            sanction_starts=ArraySubquery(own_sanctions.order_by("pk").values("start_date")),
            sanction_ends=ArraySubquery(own_sanctions.order_by("pk").values("end_date")),
        )
        extra = ("exam_levels", "sanction_starts", "sanction_ends")
    full_rows = list(
        population.values_list(
            "pk",
            "agency_id",
            "unit_id",
            "rank_id",
            "rank__order",
            "rank__code",
            "rank_start_date",
            "education_level",
            "position__kind",
            "position__functional_level",
            *extra,
        )
    )
    rows = [r[:10] for r in full_rows]
    ids = [r[0] for r in rows]
    bundle = FactsBundle()
    if not ids:
        return bundle
    related = Q(employee__agency_id=agency_id) if employee_ids is None else Q(employee_id__in=ids)
    years = range(as_of.year - PREDIKAT_YEARS_BACK, as_of.year + 1)
    sup_of, predikat_rows = _together(
        lambda: supervisor_ids_for(ids),
        lambda: predikat_by_year(ids, years),
        parallel=len(ids) >= PARALLEL_MIN_EMPLOYEES,
    )
    rank_order = {r[0]: r[4] for r in rows}
    missing = {s for s in sup_of.values() if s and s not in rank_order}
    if missing:
        rank_order.update(Employee.objects.filter(pk__in=missing, rank__scheme="pns").values_list("pk", "rank__order"))
    predikat: dict[int, dict[int, str]] = defaultdict(dict)
    for (emp, year), value in predikat_rows.items():
        predikat[emp][year] = value
    exams: dict[int, set[str]] = defaultdict(set)
    sanctions: dict[int, list[rules.Sanction]] = defaultdict(list)
    if small:
        for r in full_rows:
            exams[r[0]].update(r[10])
            sanctions[r[0]].extend(rules.Sanction(start, end) for start, end in zip(r[11], r[12], strict=True))
    else:
        for emp, level in CivilServiceExam.objects.filter(related).values_list("employee_id", "level"):
            exams[emp].add(level)
        for emp, start, end in (
            DisciplinarySanction.objects.filter(related)
            .filter(_sanctions_in_force_q(as_of))
            .values_list("employee_id", "start_date", "end_date")
        ):
            sanctions[emp].append(rules.Sanction(start, end))
    for pk, agency, unit, rank_id, order, code, rank_start, edu, kind, level in rows:
        sup = sup_of.get(pk)
        bundle.facts.append(
            rules.RankFacts(
                employee_id=pk,
                rank_order=order,
                rank_code=code,
                rank_start=rank_start,
                education_level=edu,
                position_kind=kind or "pelaksana",
                functional_level=level or "",
                supervisor_rank_order=rank_order.get(sup) if sup else None,
                predikat=predikat.get(pk, {}),
                exams=frozenset(exams.get(pk, ())),
                sanctions=tuple(sanctions.get(pk, ())),
            )
        )
        bundle.meta[pk] = {"agency_id": agency, "unit_id": unit, "rank_id": rank_id}
    return bundle


# ---------------------------------------------------------------- outlook (contract for careers)


def _one_persons_facts_qs(employee_id: int, sanctions_from: dt.date, first_year: int, last_year: int) -> QuerySet[Any]:
    """`load_rank_facts` for one person as ONE statement: the employee row with their exams, sanctions in force,
    the predikat of the years read and their superior's PNS rank as columns."""
    own_sanctions = DisciplinarySanction.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=sanctions_from), employee=OuterRef("pk")
    )
    predikat = PredikatRecord.objects.filter(
        employee=OuterRef("pk"), year__gte=first_year, year__lte=last_year
    ).order_by("year")
    superior_rank = (
        Employee.objects.filter(pk=OuterRef("_sup"), rank__scheme="pns")
        .exclude(pk=OuterRef("pk"))
        .order_by()
        .values("rank__order")[:1]
    )
    return (
        kp_population(employee_ids=[employee_id])
        .annotate(_sup=supervisor_id_expression())
        .annotate(
            exam_levels=ArraySubquery(
                CivilServiceExam.objects.filter(employee=OuterRef("pk")).order_by().values("level")
            ),
            sanction_starts=ArraySubquery(own_sanctions.order_by("pk").values("start_date")),
            sanction_ends=ArraySubquery(own_sanctions.order_by("pk").values("end_date")),
            predikat_years=ArraySubquery(predikat.values("year")),
            predikat_values=ArraySubquery(predikat.values("predikat")),
            superior_rank_order=Subquery(superior_rank),
        )
        .values_list(
            "pk",
            "rank__order",
            "rank__code",
            "rank_start_date",
            "education_level",
            "position__kind",
            "position__functional_level",
            "exam_levels",
            "sanction_starts",
            "sanction_ends",
            "predikat_years",
            "predikat_values",
            "superior_rank_order",
        )
    )


_ONE_PERSONS_FACTS = Statement(
    _one_persons_facts_qs,
    employee_id=Param(-13_000_001),
    sanctions_from=Param(FIRST_DAY),
    first_year=Param(32_001),  # in the smallint range: the ORM drops an impossible bound
    last_year=Param(32_002),
)


def one_persons_facts(employee_id: int, *, as_of: dt.date) -> rules.RankFacts | None:
    """The KP facts of one employee (what `load_rank_facts(employee_ids=[id])` gives) in one precompiled query,
    or None when KP does not apply to them: the outlook every per-employee page shows."""
    rows = _ONE_PERSONS_FACTS.rows(
        employee_id=employee_id,
        sanctions_from=as_of - dt.timedelta(days=366),
        first_year=as_of.year - PREDIKAT_YEARS_BACK,
        last_year=as_of.year,
    )
    if not rows:
        return None
    pk, order, code, rank_start, edu, kind, level, exams, starts, ends, years, values, sup_order = rows[0]
    return rules.RankFacts(
        employee_id=pk,
        rank_order=order,
        rank_code=code,
        rank_start=rank_start,
        education_level=edu,
        position_kind=kind or "pelaksana",
        functional_level=level or "",
        supervisor_rank_order=sup_order,
        predikat=dict(zip(years, values, strict=True)),
        exams=frozenset(exams),
        sanctions=tuple(rules.Sanction(s, e) for s, e in zip(starts, ends, strict=True)),
    )


@dataclass(frozen=True)
class Outlook:
    """An employee's next rank promotion: the period they can be proposed in and what is still missing."""

    applicable: bool
    period_date: dt.date | None = None  # the upcoming KP period
    next_eligible_date: dt.date | None = None  # first period at which all rules pass, if nothing changes
    eligible_now: bool = False
    kind: str = ""
    current_rank: Rank | None = None
    target_rank: Rank | None = None
    failing: list[dict[str, str]] = field(default_factory=list)
    credit_points: Decimal | None = None
    note: str = ""
    rule_version: str = RULE_VERSION

    def as_dict(self) -> dict[str, Any]:
        return {
            "applicable": self.applicable,
            "period_date": self.period_date,
            "next_eligible_date": self.next_eligible_date,
            "eligible_now": self.eligible_now,
            "kind": self.kind,
            "current_rank": str(self.current_rank) if self.current_rank else None,
            "target_rank": str(self.target_rank) if self.target_rank else None,
            "target_rank_code": self.target_rank.code if self.target_rank else None,
            "failing": self.failing,
            "credit_points": str(self.credit_points) if self.credit_points is not None else None,
            "note": self.note,
            "rule_version": self.rule_version,
        }


def promotion_outlook(employee: Employee, today: dt.date | None = None) -> Outlook:
    """Next eligible KP period, target rank and failing rules (with Indonesian reasons) for one employee.
    Used by the staff card/panel, the careers timeline and the API. About eight queries, paid once per
    employee object: the profile's panels and timeline share the result."""
    day = today or timezone.localdate()
    memo: dict[dt.date, Outlook] = employee.__dict__.setdefault("_promotion_outlook", {})
    if day not in memo:
        memo[day] = _compute_outlook(employee, day)
    return memo[day]


def _compute_outlook(employee: Employee, today: dt.date) -> Outlook:
    period_date = rules.first_period_on_or_after(today)
    facts = one_persons_facts(employee.pk, as_of=period_date)
    if facts is None:
        return Outlook(
            applicable=False,
            note="Kenaikan pangkat dalam portal ini berlaku untuk PNS aktif (PPPK dan CPNS tidak diproses).",
        )
    ranks, tables = reference.ladder_and_tables()
    ev = rules.evaluate(facts, period_date, tables)
    next_date = period_date if ev.eligible else rules.next_eligible_period(facts, period_date, tables)
    return Outlook(
        applicable=True,
        period_date=period_date,
        next_eligible_date=next_date,
        eligible_now=ev.eligible,
        kind=ev.kind,
        current_rank=ranks.get(facts.rank_order),
        target_rank=ranks.get(ev.target_order) if ev.target_order else None,
        failing=[r.as_dict() for r in ev.failing],
        credit_points=ev.credit_points,
        rule_version=reference.version(),
    )


# ---------------------------------------------------------------- periods and queue


# A period by its id, compiled once per process (asn_portal.precompiled): every queue page and API list reads it.
_PERIOD = Statement(lambda pk: PromotionPeriod.objects.filter(pk=pk), pk=Param(-13_000_401))
_MAX_ID = 2**63 - 1


def period_get(pk: int) -> PromotionPeriod:
    """The period with this id (`get_object_or_404(PromotionPeriod, pk=pk)`), or Http404."""
    found = _PERIOD.instances(pk=pk) if 0 < pk <= _MAX_ID else []
    if not found:
        raise Http404("Periode tidak ditemukan.")
    return found[0]  # type: ignore[no-any-return]


def period_list() -> QuerySet[PromotionPeriod]:
    return PromotionPeriod.objects.all()


def current_period(today: dt.date | None = None) -> PromotionPeriod | None:
    day = today or timezone.localdate()
    return PromotionPeriod.objects.filter(period_date__gte=day).order_by("period_date").first()


def queue_visible_to(*, user: Any, period: PromotionPeriod) -> QuerySet[QueueEntry]:
    """A period's queue for the rows the user may see (BKD: agency; head: their units; staff: themselves)."""
    visible = employee_q(user, "employee__")
    scope = scope_for(user)
    if scope.head_unit_paths and not scope.everything:
        # A head: the ids of the people they may see (people.access.employee_q: their own record and the employees
        # of their units, by the unit index), then their queue rows by the (period, employee) index. For a head
        # alone the ids are an array computed once inside the statement (`= ANY(ARRAY(...))`, a few hundred index
        # probes: 5-12 ms); `employee_id IN (subquery)` let PostgreSQL read and hash the period's ~45,000 queue
        # rows (70 ms a query at 50,000 people, three queries a page), which stays the plan for a head who is also
        # a BKD admin (tens of thousands of ids). The same condition over the queue joined to employees ORs a
        # column of each table and hashes the whole period too.
        memo = user.__dict__.setdefault("_promotions_head_employees", {})
        if scope.head_unit_paths not in memo:
            ids = Employee.objects.filter(employee_q(user)).values("pk")
            memo[scope.head_unit_paths] = (
                Q(employee_id__in=ids) if scope.admin_agency_ids else Q(InArray(F("employee_id"), ids))
            )
        visible = memo[scope.head_unit_paths]
    return (
        QueueEntry.objects.filter(period=period)
        .filter(visible)
        .select_related("employee", "unit", "current_rank", "target_rank", "period")
        .order_by("employee__name", "pk")
    )


def queue_counts(qs: QuerySet[QueueEntry]) -> dict[str, int]:
    counts = dict(qs.order_by().values_list("status").annotate(n=Count("pk")))
    return {s: counts.get(s, 0) for s in QueueStatus.values}


@dataclass(frozen=True)
class QueueCounts:
    """A period's queue figures per status and when they were computed (None: counted live, or never built)."""

    counts: dict[str, int]
    computed_at: dt.datetime | None = None
    live: bool = False  # counted from the very rows the page lists (a head's units), so their sum is its total

    @property
    def exact(self) -> bool:
        """The figures count the queue the page lists: summary rows (kept current by every write) or live."""
        return self.live or self.computed_at is not None


# One period's summary rows of one agency (the queue page of a BKD admin, the BKD home card), compiled once.
_SUMMARY_OF_ONE = Statement(
    lambda period, agency: QueueCountSummary.objects.filter(period_id__in=[period], agency_id__in=[agency]).values_list(
        "period_id", "status", "n", "computed_at"
    ),
    period=Param(-13_000_402),
    agency=Param(-13_000_403),
)


def queue_summary(*, period_ids: list[int], agency_ids: list[int] | None) -> dict[int, QueueCounts]:
    """The periods' queue figures from the summary rows (`QueueCountSummary`) of the agencies (None: all), in
    one indexed query: the pages of a BKD admin never count an agency's queue rows per request."""
    if len(period_ids) == 1 and agency_ids is not None and len(agency_ids) == 1:
        found: Any = _SUMMARY_OF_ONE.rows(period=period_ids[0], agency=agency_ids[0])
    else:
        rows = QueueCountSummary.objects.filter(period_id__in=period_ids)
        if agency_ids is not None:
            rows = rows.filter(agency_id__in=agency_ids)
        found = rows.values_list("period_id", "status", "n", "computed_at")
    counts: dict[int, dict[str, int]] = {pid: dict.fromkeys(QueueStatus.values, 0) for pid in period_ids}
    stamps: dict[int, dt.datetime] = {}
    for pid, status, n, at in found:
        counts[pid][status] = counts[pid].get(status, 0) + n
        stamps[pid] = min(stamps.get(pid, at), at)  # the oldest agency's figures date the total
    return {pid: QueueCounts(counts[pid], stamps.get(pid)) for pid in period_ids}


def queue_counts_for(*, user: Any, period: PromotionPeriod, visible: QuerySet[QueueEntry] | None = None) -> QueueCounts:
    """The figures of the queue the user sees (`queue_visible_to`, or `visible`: the caller's copy of it): a BKD
    admin's whole agencies from the summary rows; a head's units (a few hundred rows at most) counted live."""
    scope = scope_for(user)
    whole_agencies = scope.admin_agency_ids and not scope.head_unit_paths
    own_row_inside = not scope.employee_id or scope.agency_id in scope.admin_agency_ids
    if scope.everything:
        return queue_summary(period_ids=[period.pk], agency_ids=None)[period.pk]
    if whole_agencies and own_row_inside:
        return queue_summary(period_ids=[period.pk], agency_ids=sorted(scope.admin_agency_ids))[period.pk]
    found = precompiled_scope(user)
    if found is not None and found.agency_id is None:
        return QueueCounts(head_queue_counts(found, period), live=True)
    rows = visible if visible is not None else queue_visible_to(user=user, period=period)
    return QueueCounts(queue_counts(rows), live=True)


@dataclass(frozen=True)
class PrecompiledScope:
    """Whose queue the precompiled statements below read: a BKD admin of exactly one agency who heads no unit and
    whose own record (if any) is in that agency (`queue_visible_to` is then `employee__agency_id IN (agency)`),
    or a head who administers no agency (their own record and the people of the units under their headed paths,
    `people.access.employee_q`). Everyone else takes the ORM's path."""

    agency_id: int | None = None
    employee_id: int | None = None
    patterns: tuple[str, ...] = ()  # LIKE patterns of the headed paths (`path__startswith` each)


def precompiled_scope(user: Any) -> PrecompiledScope | None:
    scope = scope_for(user)
    if scope.everything:
        return None
    if not scope.head_unit_paths and len(scope.admin_agency_ids) == 1:
        (agency,) = scope.admin_agency_ids
        if scope.employee_id and scope.agency_id != agency:
            return None
        return PrecompiledScope(agency_id=int(agency))
    if scope.head_unit_paths and not scope.admin_agency_ids and scope.employee_id:
        patterns = tuple(connection.ops.prep_for_like_query(p) + "%" for p in scope.head_unit_paths)
        return PrecompiledScope(employee_id=int(scope.employee_id), patterns=patterns)
    return None


class _PagedStatement(Statement):
    """A `values_list` Statement read one page at a time (`LIMIT %s OFFSET %s` after the compiled SQL; no OFFSET
    for the first page, which is what the API's keyset list reads)."""

    def page_rows(self, *, limit: int, offset: int, **values: Any) -> list[tuple[Any, ...]]:
        c = self._compile()
        params = [v if name is None else values[name] for name, v in c.slots]
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            if offset:
                cursor.execute(f"{c.sql} LIMIT %s OFFSET %s", [*params, limit, offset])
            else:
                cursor.execute(f"{c.sql} LIMIT %s", [*params, limit])
            fetched = cursor.fetchall()
        return list(c.compiler.results_iter([fetched], tuple_expected=True))  # type: ignore[arg-type]


QUEUE_TABLE_KEYS = (*QUEUE_ROW_FIELDS, "failing_json")


def _agency_queue(period: int, agency: int) -> QuerySet[QueueEntry]:
    """`queue_visible_to` for a one-agency BKD admin (`employee_q`: their agency's people)."""
    return QueueEntry.objects.filter(period_id=period).filter(employee__agency_id__in=[agency])


def _head_queue(period: int, me: int, patterns: list[str]) -> QuerySet[QueueEntry]:
    """`queue_visible_to` for a head (`employee_q`: their own record and the people of the units under their
    headed paths, as ids computed once inside the statement)."""
    units = OrgUnit.objects.filter(StartsWithAny(F("path"), patterns)).order_by().values("pk")
    ids = Employee.objects.filter(Q(pk=me) | Q(InArray(F("unit_id"), units))).values("pk")
    return QueueEntry.objects.filter(period_id=period).filter(InArray(F("employee_id"), ids))


class _LikePattern(Lookup):  # type: ignore[type-arg]
    """`lhs::text LIKE %s` with the LIKE pattern as the parameter: the SQL of `path__startswith=path` (whose
    parameter is the pattern `path` becomes), so a statement can be compiled once with a stand-in pattern."""

    lookup_name = "like_pattern"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs}::text LIKE {rhs}", [*lhs_params, *rhs_params]


def unit_pattern(path: str) -> str:
    """The LIKE pattern of `unit__path__startswith=path` (the queue's unit filter, promotions.filters)."""
    return str(connection.ops.prep_for_like_query(path)) + "%"


def _narrowed(qs: QuerySet[QueueEntry], status: str | None, unit: str | None) -> QuerySet[QueueEntry]:
    """One status tab and/or one unit's subtree (`unit`: the LIKE pattern of its path), as QueueFilter narrows."""
    if status is not None:
        qs = qs.filter(status=status)
    if unit is not None:
        qs = qs.filter(_LikePattern(F("unit__path"), unit))
    return qs


def _table(qs: QuerySet[QueueEntry], status: str | None, unit: str | None = None) -> QuerySet[Any]:
    """The queue page's rows in its order (one status tab, or all; one unit's subtree, or all), as
    `queue_table_values` reads them."""
    qs = _narrowed(qs.order_by("employee__name", "pk"), status, unit)
    return qs.values_list(*QUEUE_ROW_FIELDS, failing_text())  # the reasons' text for the page's rows only


_PERIOD_STAND_IN, _AGENCY_STAND_IN, _ME_STAND_IN = Param(-13_000_404), Param(-13_000_405), Param(-13_000_409)
_PATTERNS_STAND_IN, _STATUS_STAND_IN = Param(["\x00queue-head-stand-in%"]), Param("\x00status")
_UNIT_STAND_IN = Param("\x00queue-unit-stand-in%")


def _scoped(kind: str, values: dict[str, Any]) -> QuerySet[QueueEntry]:
    if kind == "agency":
        return _agency_queue(values["period"], values["agency"])
    return _head_queue(values["period"], values["me"], values["patterns"])


def _scope_params(kind: str) -> dict[str, Param]:
    if kind == "agency":
        return {"period": _PERIOD_STAND_IN, "agency": _AGENCY_STAND_IN}
    return {"period": _PERIOD_STAND_IN, "me": _ME_STAND_IN, "patterns": _PATTERNS_STAND_IN}


def _rows_statement(kind: str, with_status: bool, with_unit: bool) -> _PagedStatement:
    params = _scope_params(kind)
    if with_status:
        params["status"] = _STATUS_STAND_IN
    if with_unit:
        params["unit"] = _UNIT_STAND_IN
    return _PagedStatement(
        lambda **v: _table(_scoped(kind, v), v.get("status"), v.get("unit")),
        **params,
    )


# (scope kind, one status tab?, one unit's subtree?) → the page's rows, compiled on first use.
_QUEUE_ROWS = {
    (kind, with_status, with_unit): _rows_statement(kind, with_status, with_unit)
    for kind in ("agency", "head")
    for with_status in (False, True)
    for with_unit in (False, True)
}
_HEAD_QUEUE_COUNTS = Statement(
    lambda period, me, patterns: (
        _head_queue(period, me, patterns).order_by().values_list("status").annotate(n=Count("pk"))
    ),
    period=_PERIOD_STAND_IN,
    me=_ME_STAND_IN,
    patterns=_PATTERNS_STAND_IN,
)
# The rows of one unit's subtree per status (the pager's total of a unit filter, with or without a status tab).
_UNIT_QUEUE_COUNTS = {
    kind: Statement(
        lambda kind=kind, **v: (
            _narrowed(_scoped(kind, v), None, v["unit"]).order_by().values_list("status").annotate(n=Count("pk"))
        ),
        **_scope_params(kind),
        unit=_UNIT_STAND_IN,
    )
    for kind in ("agency", "head")
}


def _statement_values(found: PrecompiledScope) -> tuple[str, dict[str, Any]]:
    if found.agency_id is not None:
        return "agency", {"agency": found.agency_id}
    return "head", {"me": found.employee_id, "patterns": list(found.patterns)}


def head_queue_counts(found: PrecompiledScope, period: PromotionPeriod) -> dict[str, int]:
    """`queue_counts(queue_visible_to(...))` of a head (`precompiled_scope`) by a statement compiled once."""
    _kind, values = _statement_values(found)
    counts = dict(_HEAD_QUEUE_COUNTS.rows(period=period.pk, **values))
    return {s: counts.get(s, 0) for s in QueueStatus.values}


class QueuePage:
    """The rows of the queue the user sees (one status tab, or all; one unit's subtree, or all) for a Paginator
    whose count is preset (summary rows, the live figures per status, or `count()`): `[a:b]` reads them by a
    statement compiled once per process, as `queue_table_values(...)` dicts (the same rows as the ORM's, without
    compiling the query per request)."""

    ordered = True

    def __init__(self, *, found: PrecompiledScope, period_id: int, status: str | None, unit: str | None) -> None:
        self.kind, self.values = _statement_values(found)
        self.statement = _QUEUE_ROWS[(self.kind, status is not None, unit is not None)]
        self.values["period"] = period_id
        self.status = status
        if status is not None:
            self.values["status"] = status
        if unit is not None:
            self.values["unit"] = unit

    def __getitem__(self, window: slice) -> list[dict[str, Any]]:
        start = window.start or 0
        rows = self.statement.page_rows(limit=max(window.stop - start, 0), offset=start, **self.values)
        return [dict(zip(QUEUE_TABLE_KEYS, r, strict=True)) for r in rows]

    def count(self) -> int:
        """How many rows the page lists, for a unit filter (the other pages' totals are the figures per status):
        one grouped count by a statement compiled once."""
        values = {k: v for k, v in self.values.items() if k != "status"}
        counts = dict(_UNIT_QUEUE_COUNTS[self.kind].rows(**values))
        return int(counts.get(self.status, 0) if self.status is not None else sum(counts.values()))


# A head's queue read once per page (`head_queue_read`): their rows' id, status and employee name as the common
# table `v` (the few hundred probes into the (period, employee) index that the rows and the figures each made),
# the figures per status counted from it, and the page's rows found by the ids of its window in `v`.
_HEAD_VISIBLE = Statement(
    lambda period, me, patterns: (
        _head_queue(period, me, patterns).order_by().values_list("pk", "status", "employee__name")
    ),
    period=_PERIOD_STAND_IN,
    me=_ME_STAND_IN,
    patterns=_PATTERNS_STAND_IN,
)
_LIMIT_STAND_IN, _OFFSET_STAND_IN = Param(-13_000_410), Param(-13_000_411)
_HEAD_WINDOW_SQL = "SELECT v.c0 FROM v {where}ORDER BY v.c2, v.c0 LIMIT %s OFFSET %s"  # the page's order
_HEAD_WINDOWS = {
    with_status: Statement(
        lambda with_status=with_status, **v: _table(
            QueueEntry.objects.filter(
                InArray(
                    F("pk"),
                    RawSQL(
                        _HEAD_WINDOW_SQL.format(where="WHERE v.c1 = %s " if with_status else ""),
                        (v["status"], v["limit"], v["offset"]) if with_status else (v["limit"], v["offset"]),
                    ),
                )
            ),
            None,
        ),
        limit=_LIMIT_STAND_IN,
        offset=_OFFSET_STAND_IN,
        **({"status": _STATUS_STAND_IN} if with_status else {}),
    )
    for with_status in (False, True)
}
_HEAD_FIGURES = SqlRows("SELECT v.c1, count(*) FROM v GROUP BY v.c1", columns=2)


class _PrefetchedPage(QueuePage):
    """A `QueuePage` whose window `[offset:offset + limit]` was read already (`head_queue_read`); another window
    is read by the page's statement as before."""

    def __init__(self, rows: list[dict[str, Any]], offset: int, limit: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.prefetched, self.offset, self.limit = rows, offset, limit

    def __getitem__(self, window: slice) -> list[dict[str, Any]]:
        start = window.start or 0
        if start == self.offset and window.stop - start <= self.limit:
            return self.prefetched[: max(window.stop - start, 0)]
        return super().__getitem__(window)


@dataclass(frozen=True)
class HeadQueueRead:
    figures: QueueCounts
    rows: QueuePage


def head_queue_read(
    *, user: Any, period: PromotionPeriod, status: str | None, page: str | None, per_page: int
) -> HeadQueueRead | None:
    """For a head (`precompiled_scope` without an agency): `queue_counts_for(user, period)` and `queue_page(user,
    period, status)` with the rows of the page numbered `page` (as `Paginator.get_page` reads it: 1 when it is
    not a number) read already, in one statement that finds the head's queue rows once; None for everyone else
    or an unknown status."""
    found = precompiled_scope(user)
    if found is None or found.agency_id is not None or (status is not None and status not in QueueStatus.values):
        return None
    try:
        number = min(max(int(page or 1), 1), 10**9)  # beyond that: the pager's last page, read apart
    except ValueError:
        number = 1
    offset = (number - 1) * per_page
    window: dict[str, Any] = {"limit": per_page, "offset": offset}
    if status is not None:
        window["status"] = status
    _kind, values = _statement_values(found)
    figure_rows, page_rows = rows_together(
        _HEAD_FIGURES,
        (_HEAD_WINDOWS[status is not None], window),
        shared=Shared("v", _HEAD_VISIBLE, {"period": period.pk, **values}),
    )
    counts = dict(figure_rows)
    figures = QueueCounts({s: counts.get(s, 0) for s in QueueStatus.values}, live=True)
    rows = _PrefetchedPage(
        [dict(zip(QUEUE_TABLE_KEYS, r, strict=True)) for r in page_rows],
        offset,
        per_page,
        found=found,
        period_id=period.pk,
        status=status,
        unit=None,
    )
    return HeadQueueRead(figures, rows)


def queue_page(
    *, user: Any, period: PromotionPeriod, status: str | None, unit_path: str | None = None
) -> QueuePage | None:
    """The precompiled rows of `queue_visible_to(user, period)` (one status, or all; with `unit_path`, the rows of
    that unit's subtree: QueueFilter's unit filter) for a `precompiled_scope` user; None otherwise."""
    found = precompiled_scope(user)
    if found is None or (status is not None and status not in QueueStatus.values):
        return None
    unit = unit_pattern(unit_path) if unit_path is not None else None
    return QueuePage(found=found, period_id=period.pk, status=status, unit=unit)


# The API list's first page (`QueueViewSet`: the queue in its keyset order, one row more than a page), per scope
# kind and the fields the list writes, compiled on first use.
_API_FIRST_PAGES: dict[tuple[str, tuple[str, ...]], _PagedStatement] = {}
QUEUE_API_ORDERING = ("employee__name", "pk")  # `queue_visible_to`'s order, as KeysetPagination keys it


def queue_first_rows(
    *, user: Any, period: PromotionPeriod, fields: tuple[str, ...], limit: int
) -> list[dict[str, Any]] | None:
    """The first `limit` rows of `queue_visible_to(user, period).values(*fields)` in its order, by a statement
    compiled once, for a `precompiled_scope` user (None otherwise): the API list's first page."""
    found = precompiled_scope(user)
    if found is None:
        return None
    kind, values = _statement_values(found)
    statement = _API_FIRST_PAGES.get((kind, fields))
    if statement is None:
        statement = _API_FIRST_PAGES.setdefault(
            (kind, fields),
            _PagedStatement(
                lambda **v: _scoped(kind, v).order_by(*QUEUE_API_ORDERING).values_list(*fields),
                **_scope_params(kind),
            ),
        )
    rows = statement.page_rows(limit=limit, offset=0, period=period.pk, **values)
    return [dict(zip(fields, r, strict=True)) for r in rows]


_BATCHES_OF_ONE = Statement(
    lambda period, agency: ProposalBatch.objects.filter(period_id=period, agency_id__in=[agency]).annotate(
        n=Count("proposals")
    ),
    period=Param(-13_000_406),
    agency=Param(-13_000_407),
)


def batches_visible_to(*, user: Any, period: PromotionPeriod) -> Any:
    """The period's BKN batches the user sees (BKD admins: their agencies'; nobody else any), each with `n`, its
    number of proposals; a one-agency admin's through a statement compiled once."""
    scope = scope_for(user)
    if scope.everything:
        return ProposalBatch.objects.filter(period=period).annotate(n=Count("proposals"))
    if not scope.admin_agency_ids:
        return ProposalBatch.objects.none()  # nobody else sees the BKN batches: no query
    if len(scope.admin_agency_ids) == 1:
        (agency,) = scope.admin_agency_ids
        return _BATCHES_OF_ONE.instances(period=period.pk, agency=agency)
    return ProposalBatch.objects.filter(period=period, agency_id__in=scope.admin_agency_ids).annotate(
        n=Count("proposals")
    )


def proposal_list_visible_to(*, user: Any) -> QuerySet[PromotionProposal]:
    return (
        PromotionProposal.objects.filter(employee_q(user, "employee__"))
        .select_related("employee", "employee__unit", "period", "current_rank", "target_rank", "batch")
        .order_by("-created_at", "-pk")
    )


def proposal_get_visible(*, user: Any, pk: int) -> PromotionProposal:
    obj = proposal_list_visible_to(user=user).filter(pk=pk).first()
    if obj is None:
        raise Http404("Usulan tidak ditemukan.")
    return obj


def open_proposal_ids(period: PromotionPeriod, agency_id: int) -> set[int]:
    return set(
        PromotionProposal.objects.filter(
            period=period, agency_id=agency_id, status__in=[*OPEN_PROPOSAL_STATUSES, ProposalStatus.APPROVED]
        ).values_list("employee_id", flat=True)
    )


def vacancy_list_visible_to(*, user: Any) -> QuerySet[PositionVacancy]:
    """BKD admins and committee members see their agencies' vacancies."""
    scope = scope_for(user)
    q = admin_agency_q(user)
    if not scope.everything and scope.committee_agency_ids:
        q |= Q(agency_id__in=scope.committee_agency_ids)
    return (
        PositionVacancy.objects.filter(q)
        .select_related("position", "position__unit", "chosen", "agency")
        .annotate(candidate_count=Count("candidates"))
        .order_by("-created_at", "-pk")
    )


VACANCY_ROW_FIELDS = (
    "id", "status", "chosen_rank", "created_at", "position__title", "position__unit__name", "chosen__front_title",
    "chosen__name", "chosen__back_title",
)  # fmt: skip
VACANCY_PAGE_SIZE = 25


def vacancy_rows(qs: QuerySet[PositionVacancy]) -> QuerySet[PositionVacancy]:
    """The columns the vacancy list shows (no agency, no posts' and people's other columns to read and group by)."""
    return qs.select_related(None).select_related("position__unit", "chosen").only(*VACANCY_ROW_FIELDS)


# The first page of a one-agency list (`vacancy_rows(vacancy_list_visible_to(...))[:26]`), compiled once.
_VACANCIES_FIRST_PAGE = Statement(
    lambda agency: vacancy_rows(
        PositionVacancy.objects.filter(agency_id__in=[agency])
        .select_related("position", "position__unit", "chosen", "agency")
        .annotate(candidate_count=Count("candidates"))
        .order_by("-created_at", "-pk")
    )[: VACANCY_PAGE_SIZE + 1],
    agency=Param(-13_000_410),
)


def vacancy_first_page(*, user: Any) -> list[PositionVacancy] | None:
    """The vacancy list's first page plus one row (`vacancy_rows(vacancy_list_visible_to(user))[:26]`) by a
    statement compiled once, for a user who sees exactly one agency's vacancies as its BKD admin (and perhaps its
    committee member); None for everyone else (the queryset's path)."""
    scope = scope_for(user)
    if scope.everything or len(scope.admin_agency_ids) != 1:
        return None
    (agency,) = scope.admin_agency_ids
    if scope.committee_agency_ids - {agency}:
        return None
    return _VACANCIES_FIRST_PAGE.instances(agency=agency)


def vacancy_open_positions(*, user: Any) -> QuerySet[Position]:
    """The posts a BKD admin may open a vacancy for: active posts of their agencies with a free place in the
    formasi (fewer active holders than the headcount) and no open or decided vacancy (`vacancy_open`'s rules;
    the service checks them again). An agency has ~1,100 posts but only a handful of free ones: the picker
    lists those, not every post."""
    # "Every place taken": the post's `headcount`-th active holder exists. The probe stops at that row (OFFSET
    # headcount - 1 on the position index), so the cost grows with the posts, not with the ~35,000 holders a
    # correlated COUNT per post walked (~95 ms for Medan's 1,127 posts).
    full = RawSQL(
        'EXISTS (SELECT 1 FROM "people_employee" h WHERE h."position_id" = "people_position"."id"'
        ' AND h."status" = ANY(%s) OFFSET "people_position"."headcount" - 1)',
        (list(ACTIVE_STATUSES),),
        output_field=BooleanField(),
    )
    running = PositionVacancy.objects.filter(
        position=OuterRef("pk"), status__in=[VacancyStatus.OPEN, VacancyStatus.DECIDED]
    )
    return (
        position_list_visible_to(user=user)
        .filter(admin_agency_q(user), is_active=True)
        .filter(headcount__gt=0)
        .alias(full=full)
        .filter(full=False)
        .exclude(Exists(running))
        .order_by("unit__path", "title")
    )


def vacancy_get_visible(*, user: Any, pk: int) -> PositionVacancy:
    obj = vacancy_list_visible_to(user=user).filter(pk=pk).first()
    if obj is None:
        raise Http404("Lowongan tidak ditemukan.")
    return obj


def candidates_of(vacancy: PositionVacancy) -> QuerySet[VacancyCandidate]:
    return (
        VacancyCandidate.objects.filter(vacancy=vacancy)
        .select_related("employee", "employee__unit", "employee__position", "employee__rank")
        .order_by("rank")
    )


def vacancy_ranking_status(vacancy: PositionVacancy) -> merit_rules.RankingCompleteness:
    """Is the vacancy's candidate list a merit ranking, and what is missing (three queries)."""
    ids = list(VacancyCandidate.objects.filter(vacancy=vacancy).values_list("employee_id", flat=True))
    required = post_requirements(vacancy.position_id)
    assessed = assessed_against(ids, required)
    boxes = published_boxes(ids)
    return merit_rules.ranking_completeness(
        has_standard=bool(required),
        candidates=len(ids),
        unassessed=len([i for i in ids if i not in assessed]),
        without_review=len([i for i in ids if not boxes.get(i)]),
    )


# ---------------------------------------------------------------- merit report


def merit_report(*, agency_ids: list[int] | None, year: int) -> dict[str, Any]:
    """For the year's decided vacancies: how often the top-ranked was chosen, and Spearman correlations of
    being chosen with merit score and with seniority across all candidates considered."""
    vacancies = PositionVacancy.objects.filter(decided_at__year=year, chosen__isnull=False)
    if agency_ids is not None:
        vacancies = vacancies.filter(agency_id__in=agency_ids)
    vacancy_rows = list(vacancies.values_list("pk", "chosen_id", "chosen_rank"))
    decisions = len(vacancy_rows)
    top = sum(1 for _, _, r in vacancy_rows if r == 1)
    chosen_of = {pk: c for pk, c, _ in vacancy_rows}
    picked, merit, seniority = [], [], []
    chosen_merit_ranks, chosen_seniority_ranks = [], []
    for vac, emp, score, sen_rank, merit_rank in VacancyCandidate.objects.filter(
        vacancy_id__in=list(chosen_of)
    ).values_list("vacancy_id", "employee_id", "merit_score", "seniority_rank", "rank"):
        is_chosen = 1.0 if chosen_of.get(vac) == emp else 0.0
        picked.append(is_chosen)
        merit.append(float(score))
        seniority.append(-float(sen_rank))  # higher = more senior
        if is_chosen:
            chosen_merit_ranks.append(merit_rank)
            chosen_seniority_ranks.append(sen_rank)
    rho_merit = merit_rules.spearman(picked, merit)
    rho_seniority = merit_rules.spearman(picked, seniority)
    return {
        "year": year,
        "decisions": decisions,
        "top_chosen": top,
        "top_chosen_rate": (top / decisions) if decisions else None,
        "rho_merit": rho_merit,
        "rho_seniority": rho_seniority,
        "mean_chosen_merit_rank": (sum(chosen_merit_ranks) / len(chosen_merit_ranks)) if chosen_merit_ranks else None,
        "mean_chosen_seniority_rank": (sum(chosen_seniority_ranks) / len(chosen_seniority_ranks))
        if chosen_seniority_ranks
        else None,
    }


# ---------------------------------------------------------------- merit inputs (competencies)


def post_requirements(position_id: int) -> dict[int, int]:
    """competency_id → required level of a post (Standar kompetensi jabatan)."""
    return dict(CompetencyRequirement.objects.filter(position_id=position_id).values_list("competency_id", "level"))


def jpm_against(employee_ids: list[int], required: dict[int, int]) -> dict[int, Decimal | None]:
    """JPM of each employee against a post's standard (competencies.rules.jpm), set-based: one query."""
    if not required:
        return {}
    by_emp: dict[int, dict[int, int | None]] = {}
    for (emp, comp), level in current_levels(employee_ids).items():
        by_emp.setdefault(emp, {})[comp] = level
    return {emp: jpm(required, by_emp.get(emp, {})) for emp in employee_ids}


def assessed_against(employee_ids: list[int], required: dict[int, int]) -> set[int]:
    """The employees with an assessed level in at least one competency of a post's standard."""
    if not required or not employee_ids:
        return set()
    return {emp for (emp, comp) in current_levels(employee_ids) if comp in required}
