"""Reads for competencies: scoped, N+1-safe, set-based. Other apps use `profile_for` and `gap_rows`."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connection
from django.db.models import Avg, Case, Count, F, Min, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, Concat, StrIndex, Upper
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy

from asn_portal.models import SummaryState
from asn_portal.precompiled import FIRST_DAY, Param, Statement
from people.access import Scope, admin_agency_q, agency_q, employee_q, prefix_patterns, scope_for, team_q
from people.choices import ACTIVE_STATUSES
from people.models import Employee, OrgUnit, Position

from . import rules
from .choices import AssessmentPurpose, JpmCategory
from .models import (
    AssessmentImport,
    AssessmentResult,
    Competency,
    CompetencyAssessment,
    CompetencyRequirement,
    CompetencyUnitSummary,
    CurrentLevel,
    EmployeeJpm,
    JpmSnapshot,
)


@dataclass
class ProfileRow:
    competency: Competency
    required: int | None
    current: int | None  # None = "belum diases"
    assessed_on: dt.date | None = None

    @property
    def gap(self) -> int:
        return rules.gap(self.required or 0, self.current)

    @property
    def unassessed(self) -> bool:
        return self.current is None


@dataclass
class CompetencyProfile:
    """An employee's current levels against a post's standard, with JPM and both categories."""

    employee: Employee
    position: Position | None
    rows: list[ProfileRow] = field(default_factory=list)
    extra_rows: list[ProfileRow] = field(default_factory=list)  # assessed but not required by the post
    jpm: Decimal | None = None
    category: JpmCategory | None = None  # mapping scale (Optimal …)
    filling_category: JpmCategory | None = None  # filling scale (MS …)

    @property
    def gaps(self) -> list[ProfileRow]:
        return [r for r in self.rows if r.gap > 0]

    @property
    def required_sum(self) -> int:
        return sum(r.required or 0 for r in self.rows)

    @property
    def achieved_sum(self) -> int:
        return sum(r.current or 0 for r in self.rows)

    @property
    def unassessed_count(self) -> int:
        return sum(1 for r in self.rows if r.current is None)

    @property
    def gap_index(self) -> Decimal:
        return rules.gap_index(
            {r.competency.pk: r.required or 0 for r in self.rows}, {r.competency.pk: r.current for r in self.rows}
        )

    def category_colour(self) -> str:
        return rules.CATEGORY_COLOURS.get(self.category or "", "secondary")


def current_results(employee_ids: Iterable[int], on: dt.date | None = None) -> QuerySet[AssessmentResult]:
    """The latest valid result per (employee, competency): one query, PostgreSQL's DISTINCT ON over the
    newest first (a ROW_NUMBER() window filtered outside costs the ORM several times more to compile)."""
    on = on or timezone.localdate()
    return (
        AssessmentResult.objects.filter(employee_id__in=list(employee_ids), valid_until__gte=on, assessed_on__lte=on)
        .order_by("employee_id", "competency_id", "-assessed_on", "-pk")
        .distinct("employee_id", "competency_id")
    )


def current_levels(employee_ids: Iterable[int], on: dt.date | None = None) -> dict[tuple[int, int], int]:
    """{(employee_id, competency_id): latest valid level}."""
    return {
        (e, c): lvl
        for e, c, lvl in current_results(employee_ids, on).values_list("employee_id", "competency_id", "level")
    }


def profile_for(employee: Employee, position: Position | None = None, on: dt.date | None = None) -> CompetencyProfile:
    """The employee's profile against `position` (default: their current post). Two queries: the post's
    requirements and the current levels."""
    position = position if position is not None else employee.position
    reqs = _POST_REQUIREMENTS.instances(position_id=position.pk) if position is not None else []
    results = {
        r.competency_id: r for r in _CURRENT_RESULTS.instances(employee_id=employee.pk, on=on or timezone.localdate())
    }
    rows = [
        ProfileRow(
            competency=q.competency,
            required=q.level,
            current=results[q.competency_id].level if q.competency_id in results else None,
            assessed_on=results[q.competency_id].assessed_on if q.competency_id in results else None,
        )
        for q in reqs
    ]
    required_ids = {q.competency_id for q in reqs}
    extra = [
        ProfileRow(competency=r.competency, required=None, current=r.level, assessed_on=r.assessed_on)
        for cid, r in results.items()
        if cid not in required_ids
    ]
    extra.sort(key=lambda r: (r.competency.order, r.competency.name))
    value = rules.jpm({q.competency_id: q.level for q in reqs}, {cid: r.level for cid, r in results.items()})
    return CompetencyProfile(
        employee=employee,
        position=position,
        rows=rows,
        extra_rows=extra,
        jpm=value,
        category=rules.jpm_category(value, AssessmentPurpose.MAPPING),
        filling_category=rules.jpm_category(value, AssessmentPurpose.FILLING),
    )


# profile_for's two reads, compiled once per process (asn_portal.precompiled): the profile panel, the competency
# profile page and API read one employee's profile on every request (issue #13).
_POST_REQUIREMENTS = Statement(
    lambda position_id: (
        CompetencyRequirement.objects.filter(position_id=position_id)
        .select_related("competency")
        .order_by("competency__kind", "competency__order", "competency__name")
    ),
    position_id=Param(-13_000_401),
)
_CURRENT_RESULTS = Statement(
    lambda employee_id, on: current_results([employee_id], on).select_related("competency"),
    employee_id=Param(-13_000_402),
    on=Param(FIRST_DAY),
)


def gap_rows(
    employee_ids: Iterable[int], position_id: int | None = None, on: dt.date | None = None
) -> list[tuple[int, int, int, int | None, int]]:
    """Set-based gaps: (employee_id, competency_id, required_level, current_level or None, gap) for every
    required competency below standard, against each employee's current post or `position_id`.
    Three queries whatever the number of employees."""
    ids = list(employee_ids)
    if not ids:
        return []
    if len(ids) == 1:  # one person's gaps (recommendations): the same three reads, compiled once per process
        positions, reqs, levels = _gap_inputs_of(ids[0], position_id, on)
    else:
        positions, reqs, levels = _gap_inputs(ids, position_id, on)
    out: list[tuple[int, int, int, int | None, int]] = []
    for emp in ids:
        for comp, level in reqs.get(positions.get(emp) or 0, []):
            cur = levels.get((emp, comp))
            g = rules.gap(level, cur)
            if g > 0:
                out.append((emp, comp, level, cur, g))
    return out


GapInputs = tuple[dict[int, int | None], dict[int, list[tuple[int, int]]], dict[tuple[int, int], int]]


def _gap_inputs(ids: list[int], position_id: int | None, on: dt.date | None) -> GapInputs:
    """`gap_rows`' reads: each employee's post, the posts' requirements, the current levels."""
    if position_id is not None:
        positions: dict[int, int | None] = dict.fromkeys(ids, position_id)
    else:
        positions = dict(Employee.objects.filter(pk__in=ids).values_list("pk", "position_id"))
    wanted = {p for p in positions.values() if p}
    reqs: dict[int, list[tuple[int, int]]] = {}
    for pos, comp, level in CompetencyRequirement.objects.filter(position_id__in=wanted).values_list(
        "position_id", "competency_id", "level"
    ):
        reqs.setdefault(pos, []).append((comp, level))
    return positions, reqs, current_levels(ids, on)


def _gap_inputs_of(employee_id: int, position_id: int | None, on: dt.date | None) -> GapInputs:
    """`_gap_inputs` of one employee through the precompiled statements below: the same querysets."""
    if position_id is not None:
        positions: dict[int, int | None] = {employee_id: position_id}
    else:
        positions = dict(_GAP_POSITIONS.rows(employee_id=employee_id))
    reqs: dict[int, list[tuple[int, int]]] = {}
    pos = positions.get(employee_id)
    if pos:
        for _pos, comp, level in _GAP_REQUIREMENTS.rows(position_id=pos):
            reqs.setdefault(pos, []).append((comp, level))
    levels = {(e, c): lvl for e, c, lvl in _GAP_LEVELS.rows(employee_id=employee_id, on=on or timezone.localdate())}
    return positions, reqs, levels


# `_gap_inputs`' querysets for one employee, compiled once per process (asn_portal.precompiled): the
# recommendations API and the recommended-course cards read one person's gaps on every request (issue #13).
_GAP_POSITIONS = Statement(
    lambda employee_id: Employee.objects.filter(pk__in=[employee_id]).values_list("pk", "position_id"),
    employee_id=Param(-13_000_403),
)
_GAP_REQUIREMENTS = Statement(
    lambda position_id: CompetencyRequirement.objects.filter(position_id__in=[position_id]).values_list(
        "position_id", "competency_id", "level"
    ),
    position_id=Param(-13_000_404),
)
_GAP_LEVELS = Statement(
    lambda employee_id, on: current_results([employee_id], on).values_list("employee_id", "competency_id", "level"),
    employee_id=Param(-13_000_405),
    on=Param(FIRST_DAY),
)


# --- dictionary and standards -------------------------------------------------------------------------


def competency_list_visible_to(*, user: Any) -> QuerySet[Competency]:
    """National competencies plus the technical ones of the agencies the user may read."""
    return Competency.objects.filter(Q(agency__isnull=True) | agency_q(user)).select_related("agency")


def competency_list_admin(*, user: Any) -> QuerySet[Competency]:
    return Competency.objects.filter(Q(agency__isnull=True) | admin_agency_q(user)).select_related("agency")


def competency_get_visible(*, user: Any, pk: int) -> Competency:
    obj = competency_list_visible_to(user=user).filter(pk=pk).first()
    if obj is None:
        raise Http404("Kompetensi tidak ditemukan.")
    return obj


def requirement_list_visible_to(*, user: Any) -> QuerySet[CompetencyRequirement]:
    return CompetencyRequirement.objects.filter(agency_q(user, "position__agency")).select_related(
        "position", "position__unit", "competency"
    )


def position_get_visible(*, user: Any, pk: int) -> Position:
    obj = Position.objects.filter(agency_q(user), pk=pk).select_related("unit", "agency").first()
    if obj is None:
        raise Http404("Jabatan tidak ditemukan.")
    return obj


def position_get_admin(*, user: Any, pk: int) -> Position:
    obj = Position.objects.filter(admin_agency_q(user), pk=pk).select_related("unit", "agency").first()
    if obj is None:
        raise Http404("Jabatan tidak ditemukan.")
    return obj


# --- assessments ------------------------------------------------------------------------------------------


def assessment_list_visible_to(*, user: Any) -> QuerySet[CompetencyAssessment]:
    return CompetencyAssessment.objects.filter(employee_q(user, "employee__")).select_related(
        "employee", "employee__unit", "created_by"
    )


def assessment_get_visible(*, user: Any, pk: int) -> CompetencyAssessment:
    obj = assessment_list_visible_to(user=user).filter(pk=pk).prefetch_related("results__competency").first()
    if obj is None:
        raise Http404("Asesmen tidak ditemukan.")
    return obj


def assessment_history(employee: Employee) -> list[CompetencyAssessment]:
    """All assessments of one employee, newest first, each with `result_levels`: its results' (competency code,
    level) in the order recorded. Two precompiled queries (no per-result model objects)."""
    history: list[CompetencyAssessment] = _HISTORY.instances(employee_id=employee.pk)
    levels: dict[int, list[tuple[str, int]]] = {}
    for assessment_id, code, level in _HISTORY_RESULTS.rows(employee_id=employee.pk):
        levels.setdefault(assessment_id, []).append((code, level))
    for a in history:
        a.result_levels = levels.get(a.pk, [])  # type: ignore[attr-defined]
    return history


# The profile page's own reads, compiled once per process (asn_portal.precompiled, issue #13).
_HISTORY = Statement(
    lambda employee_id: CompetencyAssessment.objects.filter(employee_id=employee_id).order_by("-assessed_on", "-pk"),
    employee_id=Param(-13_000_406),
)
_HISTORY_RESULTS = Statement(
    lambda employee_id: (
        AssessmentResult.objects.filter(assessment__employee_id=employee_id)
        .order_by("pk")
        .values_list("assessment_id", "competency__code", "level")
    ),
    employee_id=Param(-13_000_407),
)
_JPM_TREND = Statement(
    lambda employee_id: JpmSnapshot.objects.filter(employee_id=employee_id).order_by("date"),
    employee_id=Param(-13_000_408),
)


def position_matches(*, user: Any, q: str) -> list[dict[str, Any]]:
    """The active posts of the agencies the user may read whose title contains `q` (case-insensitive, literal),
    by title, the first 20: {"pk", "title", "unit_name"} (the what-if search). Precompiled for a user of one
    agency."""
    scope = scope_for(user)
    if len(scope.agency_ids) == 1 and not scope.everything:
        rows = _POSITION_MATCHES.rows(agency_id=next(iter(scope.agency_ids)), q=q)
    else:
        rows = list(_position_matches_qs(agency_q(user), q))
    return [{"pk": pk, "title": title, "unit_name": unit_name} for pk, title, unit_name in rows]


def _position_matches_qs(where: Q, q: str) -> QuerySet[Any]:
    # STRPOS(UPPER(title), UPPER(q)) > 0 is `title__icontains=q` (a literal, case-insensitive substring) with q
    # passed as it is, so the statement can be compiled once with a stand-in for it
    return (
        Position.objects.filter(where, is_active=True)
        .alias(_at=StrIndex(Upper("title"), Upper(Value(q))))
        .filter(_at__gt=0)
        .order_by("title")
        .values_list("pk", "title", "unit__name")[:20]
    )


_POSITION_MATCHES = Statement(
    lambda agency_id, q: _position_matches_qs(Q(agency_id__in=[agency_id]), q),
    agency_id=Param(-13_000_409),
    q=Param("\x00 stand-in 13000410"),
)


def import_get_admin(*, user: Any, pk: int) -> AssessmentImport:
    obj = AssessmentImport.objects.filter(admin_agency_q(user), pk=pk).first()
    if obj is None:
        raise Http404("Impor tidak ditemukan.")
    return obj


def jpm_trend(employee: Employee) -> list[JpmSnapshot]:
    return _JPM_TREND.instances(employee_id=employee.pk)  # type: ignore[no-any-return]


def stored_jpm(employee_id: int) -> EmployeeJpm | None:
    return EmployeeJpm.objects.filter(employee_id=employee_id).first()


# --- team heatmap -----------------------------------------------------------------------------------------

HEATMAP_PAGE_SIZE = 50
TEAM_FIGURES_SECONDS = 600  # a safety limit: the key already changes with the summary rows' state
_UNKNOWN: Any = object()
_COLUMN_ORDER = ("kind", "order", "name")
_COLUMN_FIELDS = ("code", "name", "kind", "order")  # what a heatmap column shows (and its order)
HEATMAP_SORTS = ("name", "jpm", "-jpm", "gap")
# what a heatmap row shows (name with titles, post, stored JPM) and what the read log needs (agency)
_HEATMAP_FIELDS = (
    "id",
    "agency_id",
    "front_title",
    "name",
    "back_title",
    "position__title",
    "jpm__jpm",
    "jpm__category",
    "jpm__assessed_count",
)
_CELLS_SQL = (
    f"SELECT employee_id, competency_id, required_level, current_level FROM {CurrentLevel._meta.db_table}"
    " WHERE employee_id = ANY(%s)"
)


@dataclass(frozen=True)
class TeamMember:
    """A heatmap row's person: what the row shows and what the read log needs (`pk`, `agency_id`)."""

    pk: int
    agency_id: int
    name: str
    full_name: str
    position_title: str  # "" without a post
    jpm: Decimal | None  # the stored JPM row's fields (None without one)
    category: str | None
    assessed_count: int | None

    @classmethod
    def from_row(cls, row: tuple[Any, ...]) -> TeamMember:
        pk, agency_id, front_title, name, back_title, position_title, jpm, category, assessed_count = row
        # the name with titles exactly as Employee.full_name writes it
        full_name = Employee.full_name.fget(  # type: ignore[attr-defined]
            SimpleNamespace(front_title=front_title, name=name, back_title=back_title)
        )
        return cls(pk, agency_id, name, full_name, position_title or "", jpm, category, assessed_count)


@dataclass
class Heatmap:
    competencies: list[Competency]
    people: list[dict[str, Any]]
    average_jpm: Decimal | None
    unit_averages: list[dict[str, Any]]
    assessed: int = 0
    total: int = 0
    page: int = 1
    has_next: bool = False
    computed_at: dt.datetime | None = None

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def _team_people(user: Any, unit_id: int | None) -> QuerySet[Employee]:
    qs = Employee.objects.filter(team_q(user), status__in=ACTIVE_STATUSES)
    if unit_id:
        qs = qs.filter(Q(unit_id=unit_id) | Q(unit__path__contains=f"/{unit_id}/"))
    return qs


def _sorted_team(people: QuerySet[Employee], sort: str, *, choose_page: bool = False) -> QuerySet[Employee]:
    """The team in the page's order, sorted in the database (never the whole team in Python): by name, by the
    stored JPM (the unassessed last) or by the sum of the stored gaps; the primary key breaks ties.
    `choose_page`: the statement picks a page among the team's rows, so a sort by name sorts the team's few
    hundred rows (the same order: `name || ''` is the name) rather than walk the agency's name index."""
    if sort == "name" and choose_page:
        return people.order_by(Concat("name", Value("")), "pk")
    if sort in ("jpm", "-jpm"):
        # A correlated read of the person's stored JPM (one index probe each): a join would make PostgreSQL hash
        # every employee's JPM row of the agency for a team of a few hundred (issue #13).
        assessed_jpm = Subquery(
            EmployeeJpm.objects.filter(employee_id=OuterRef("pk")).values(
                _v=Case(When(assessed_count__gt=0, then=F("jpm")), default=None)
            )
        )
        people = people.annotate(_jpm=assessed_jpm)
        key = F("_jpm").asc(nulls_last=True) if sort == "jpm" else F("_jpm").desc(nulls_last=True)
        return people.order_by(key, "name", "pk")
    if sort == "gap":
        gap_sum = (
            CurrentLevel.objects.filter(employee_id=OuterRef("pk"))
            .order_by()
            .values("employee_id")
            .annotate(s=Sum("gap"))
            .values("s")
        )
        people = people.annotate(_gap=Coalesce(Subquery(gap_sum), 0))
        return people.order_by("-_gap", "name", "pk")
    return people.order_by("name", "pk")


def _heat_cell(required: int | None, current: int | None, labels: dict[str, str]) -> dict[str, Any]:
    """One cell: the level text and the screen-reader label, resolved here once per page, not per cell in
    the template (a page of 50 people has several hundred cells)."""
    css = _cell_css(required, current)
    if not required:
        return {"required": None, "current": current, "gap": None, "css": css, "text": "", "label": labels["na"]}
    return {
        "required": required,
        "current": current,
        "gap": rules.gap(required, current),
        "css": css,
        "text": f"{'–' if current is None else current}/{required}",
        "label": labels["none"] if current is None else labels[css],
    }


def team_heatmap(
    *, user: Any, unit_id: int | None = None, sort: str = "name", page: int = 1, page_size: int = HEATMAP_PAGE_SIZE
) -> Heatmap:
    """People × competencies in the units the user heads, each cell the stored current level against their
    post's standard (`CurrentLevel`), one page of people at a time in the database's order. The team and
    per-unit averages come from the analytics summary rows (`team_averages`), not from the team's rows.
    Queries whatever the team size: the page of people (+ stored JPM), their cells, the columns, the averages."""
    page = min(max(page, 1), 10**6)  # an absurd ?page= is an empty page, not an OFFSET overflow
    sort = sort if sort in HEATMAP_SORTS else "name"
    offset = (page - 1) * page_size
    # plain rows (no model objects): a page is 50 employees with their post and stored JPM
    people = [TeamMember.from_row(row) for row in _page_rows(user, unit_id, sort, offset, page_size)]
    has_next = len(people) > page_size
    people = people[:page_size]
    with connection.cursor() as cursor:  # plain SQL: the ORM compiles a 50-id IN list anew on every request
        cursor.execute(_CELLS_SQL, [[p.pk for p in people]])
        cells: dict[tuple[int, int], tuple[int, int | None]] = {
            (e, c): (req, cur) for e, c, req, cur in cursor.fetchall()
        }
    # the columns: every competency some team member's post requires (the same on every page); with the
    # averages, read once per state of the summary rows (`_team_figures`)
    comps, averages = _team_figures(user, unit_id, lambda: _team_people(user, unit_id))
    labels = {"na": str(_NOT_REQUIRED), "none": str(_UNASSESSED)} | {k: str(v) for k, v in _CELL_LABELS.items()}
    # a handful of distinct (standard, level) pairs fill the page: each cell dict is built once and shared
    made: dict[tuple[int, int | None] | tuple[None, None], dict[str, Any]] = {}
    rows: list[dict[str, Any]] = []
    comp_ids = [c.pk for c in comps]
    no_pair = (None, None)
    for p in people:
        emp_id = p.pk
        row_cells = []
        for comp_id in comp_ids:
            pair = cells.get((emp_id, comp_id), no_pair)
            cell = made.get(pair)
            if cell is None:
                cell = made[pair] = _heat_cell(pair[0], pair[1], labels)
            row_cells.append(cell)
        # never assessed against the standard: "belum diases", no JPM (not 0%)
        assessed = p.jpm is not None and (p.assessed_count or 0) > 0
        rows.append(
            {
                "employee": p,
                "cells": row_cells,
                "assessed": assessed,
                "jpm": p.jpm if assessed else None,
                "category": p.category if assessed else "",
                "gap_total": sum(c["gap"] or 0 for c in row_cells),
            }
        )
    return Heatmap(
        competencies=comps,
        people=rows,
        average_jpm=averages.average,
        unit_averages=averages.units,
        assessed=averages.assessed,
        total=averages.total,
        page=page,
        has_next=has_next,
        computed_at=averages.computed_at,
    )


def _page_rows_qs(user: Any, unit_id: int | None, sort: str, offset: int, page_size: int) -> QuerySet[Any]:
    """The page's people are chosen on the team's own rows (the order key read per person), then only they are
    joined to their post and stored JPM, in the same order (the primary key makes it total): one statement,
    one `_HEATMAP_FIELDS` row per person (and one more when a next page exists)."""
    page_ids = _sorted_team(_team_people(user, unit_id), sort, choose_page=True).values("pk")[
        offset : offset + page_size + 1
    ]
    return _sorted_team(Employee.objects.filter(pk__in=page_ids), sort).values_list(*_HEATMAP_FIELDS)


class _StandInHead:
    """A user heading a stand-in unit path (people.access.scope_for reads the cached `_portal_scope`): the
    page statement is compiled once per process with `team_q` of this user, then run with the head's values."""

    is_authenticated = True
    is_superuser = False
    _portal_scope = Scope(head_unit_paths=("/-13000411/",), employee_id=-13_000_412)


_PAGE_STATEMENTS: dict[tuple[str, int, int], Statement] = {}
_PRECOMPILED_PAGES = 20  # pages further on (rare) are compiled per request: the statement cache stays small


def _page_rows(user: Any, unit_id: int | None, sort: str, offset: int, page_size: int) -> list[tuple[Any, ...]]:
    """`_page_rows_qs`' rows; for the whole team (no unit filter) through a statement compiled once per
    process per sort and page (the team condition and the page's subquery cost more to compile than to run)."""
    scope = scope_for(user)
    if unit_id or not scope.employee_id or not scope.head_unit_paths or offset >= _PRECOMPILED_PAGES * page_size:
        return list(_page_rows_qs(user, unit_id, sort, offset, page_size))
    key = (sort, offset, page_size)
    statement = _PAGE_STATEMENTS.get(key)
    if statement is None:
        stand_in = _StandInHead._portal_scope
        statement = _PAGE_STATEMENTS.setdefault(
            key,
            Statement(
                lambda patterns, head: _page_rows_qs(_StandInHead(), None, sort, offset, page_size),
                patterns=Param(prefix_patterns(stand_in.head_unit_paths)),
                head=Param(stand_in.employee_id),
            ),
        )
    return statement.rows(patterns=prefix_patterns(scope.head_unit_paths), head=scope.employee_id)


def _plain_read(model: Any, fields: Iterable[str], where: str, order: Iterable[str]) -> tuple[str, list[str]]:
    """A SELECT of `fields` (and the primary key) of `model` in the model's field order (the order
    `Model.from_db` takes its values in), and those field names."""
    wanted = {"id", *fields}
    names = [f.attname for f in model._meta.concrete_fields if f.attname in wanted]
    columns = ", ".join(f'"{model._meta.get_field(n).column}"' for n in names)
    ordering = ", ".join(f'"{model._meta.get_field(n).column}"' for n in order)
    return f"SELECT {columns} FROM {model._meta.db_table} WHERE {where} ORDER BY {ordering}", names


_COLUMNS_SQL, _COLUMNS_NAMES = _plain_read(Competency, _COLUMN_FIELDS, "id = ANY(%s)", _COLUMN_ORDER)


def _columns(column_ids: list[int]) -> list[Competency]:
    """The heatmap's columns by id, in the columns' order: `Competency.objects.filter(pk__in=column_ids)
    .only(*_COLUMN_FIELDS).order_by(*_COLUMN_ORDER)` in plain SQL (the ORM compiled it anew on every request)."""
    with connection.cursor() as cursor:
        cursor.execute(_COLUMNS_SQL, [list(column_ids)])
        rows = cursor.fetchall()
    return [Competency.from_db(DEFAULT_DB_ALIAS, _COLUMNS_NAMES, row) for row in rows]


_UNIT_OPTIONS_SQL, _UNIT_OPTIONS_NAMES = _plain_read(
    OrgUnit, ["name"], "(id = ANY(%s) OR parent_id = ANY(%s)) AND is_active", ["path"]
)


def team_unit_options(*, user: Any) -> list[OrgUnit]:
    """The heatmap's unit filter: the active units the user heads and their direct children, by path (id and
    name only). `OrgUnit.objects.filter(Q(pk__in=heads) | Q(parent_id__in=heads), is_active=True).only("name")
    .order_by("path")` in plain SQL (the ORM compiled it anew on every request)."""
    heads = sorted(scope_for(user).head_unit_ids)
    with connection.cursor() as cursor:
        cursor.execute(_UNIT_OPTIONS_SQL, [heads, heads])
        rows = cursor.fetchall()
    return [OrgUnit.from_db(DEFAULT_DB_ALIAS, _UNIT_OPTIONS_NAMES, row) for row in rows]


def _team_figures(
    user: Any, unit_id: int | None, team: Callable[[], QuerySet[Employee]]
) -> tuple[list[Competency], TeamAverages]:
    """The heatmap's column ids and the team averages, cached per head, unit filter and state of the agency's
    summary rows: both only change through `services.jpm_refresh` or an employee's move, which mark the rows
    dirty (`dirty_since`) and then refresh them (`computed_at`), so either stamp changing reads them anew.
    Never cached before the first computation (no stamp to tell one state from another). `team` builds the
    team's queryset, only when the figures are not cached."""
    computed, key = _team_cache_key("team", user, unit_id)
    if key is not None:
        cached = cache.get(key)
        if cached is not None:
            column_ids, averages = cached
            # the columns' names and codes read fresh (a dictionary edit does not touch the summary rows)
            return _columns(column_ids), averages
    comps = list(
        Competency.objects.filter(
            pk__in=CurrentLevel.objects.filter(employee__in=team().values("pk")).values("competency_id")
        )
        .only(*_COLUMN_FIELDS)
        .order_by(*_COLUMN_ORDER)
    )
    averages = team_averages(user=user, unit_id=unit_id, computed_at=computed)
    if key is not None:
        cache.set(key, ([c.pk for c in comps], averages), TEAM_FIGURES_SECONDS)
    return comps, averages


_STATE_SQL = (
    "SELECT min(computed_at), max(computed_at), count(computed_at), min(dirty_since), max(dirty_since), count(*)"
    f" FROM {SummaryState._meta.db_table} WHERE kind = %s AND agency_id = ANY(%s)"
)


def _team_cache_key(what: str, user: Any, unit_id: int | None) -> tuple[dt.datetime | None, str | None]:
    """When the head's agency summary rows were computed, and a cache key for figures read from them that
    changes with the rows' state (a change marks them dirty, a refresh rewrites them) and the units headed.
    No key before the first computation (nothing tells one state from another then). One query."""
    from .summaries import KIND

    scope = scope_for(user)
    # The rows' state in plain SQL (the home card asks on every request: no query compilation).
    with connection.cursor() as cursor:
        cursor.execute(_STATE_SQL, [KIND, sorted(scope.agency_ids)])
        stamp = dict(zip(("computed", "latest", "done", "oldest", "newest", "n"), cursor.fetchone(), strict=True))
    if stamp["computed"] is None:
        return None, None
    # Hashed: the timestamps hold spaces and the headed paths can be long, and a cache key (memcached's rule,
    # which Django warns about on every call) must be short and without spaces.
    state = repr(
        (sorted(scope.head_unit_paths), [stamp[k] for k in ("computed", "latest", "done", "oldest", "newest", "n")])
    )
    digest = hashlib.sha256(state.encode()).hexdigest()
    return stamp["computed"], f"competencies:{what}:{user.pk}:{scope.employee_id}:{unit_id}:{digest}"


def team_averages_cached(*, user: Any) -> TeamAverages:
    """`team_averages` of the whole team, read once per state of the summary rows (the head's home card)."""
    computed, key = _team_cache_key("team-averages", user, None)
    if key is not None:
        cached = cache.get(key)
        if cached is not None:
            return cached  # type: ignore[no-any-return]
    averages = team_averages(user=user, computed_at=computed)
    if key is not None:
        cache.set(key, averages, TEAM_FIGURES_SECONDS)
    return averages


@dataclass
class TeamAverages:
    average: Decimal | None
    assessed: int
    total: int
    units: list[dict[str, Any]]
    computed_at: dt.datetime | None = None
    kurang: int = 0  # assessed and "Kurang Optimal" (mapping scale)


def _headed_units(user: Any, unit_id: int | None) -> QuerySet[OrgUnit]:
    """The units under the ones the user heads (people.access.team_q's units), narrowed to `unit_id`'s subtree."""
    cond = Q(pk__in=[])
    for path in scope_for(user).head_unit_paths:
        cond |= Q(path__startswith=path)
    units = OrgUnit.objects.filter(cond)
    if unit_id:
        units = units.filter(Q(pk=unit_id) | Q(path__contains=f"/{unit_id}/"))
    return units


def team_averages(*, user: Any, unit_id: int | None = None, computed_at: Any = _UNKNOWN) -> TeamAverages:
    """The team's and each unit's average JPM over the assessed staff, with the coverage, read from the
    analytics summary rows of the units the user heads (kind "competencies.analytics"; 3 queries). The rows
    count the head too; the heatmap does not, so their own stored JPM is taken out of their unit's row."""
    from .summaries import KIND

    rows = list(
        CompetencyUnitSummary.objects.filter(unit__in=_headed_units(user, unit_id))
        .select_related("unit")
        .order_by("unit__path")
    )
    scope = scope_for(user)
    own_id = scope.employee_id
    own = (
        EmployeeJpm.objects.filter(employee_id=own_id, employee__status__in=ACTIVE_STATUSES)
        .values("employee__unit_id", "jpm", "assessed_count", "category")
        .first()
        if own_id
        else None
    )
    units: list[dict[str, Any]] = []
    team_sum, team_assessed, team_total, team_kurang = Decimal(0), 0, 0, 0
    for r in rows:
        total, assessed, jpm_sum, kurang = r.employees, r.assessed, Decimal(r.jpm_sum), r.kurang_optimal
        if own and own["employee__unit_id"] == r.unit_id:
            total -= 1
            if own["jpm"] is not None and own["assessed_count"] > 0:
                assessed -= 1
                jpm_sum -= own["jpm"]
                kurang -= own["category"] == JpmCategory.KURANG_OPTIMAL
        if total <= 0:
            continue
        units.append({"unit": r.unit, "count": assessed, "total": total, "average": _mean(jpm_sum, assessed)})
        team_sum += jpm_sum
        team_assessed += assessed
        team_total += total
        team_kurang += kurang
    computed: dt.datetime | None = (
        SummaryState.objects.filter(kind=KIND, agency_id__in=scope.agency_ids).aggregate(m=Min("computed_at"))["m"]
        if computed_at is _UNKNOWN
        else computed_at
    )
    return TeamAverages(
        average=_mean(team_sum, team_assessed),
        assessed=team_assessed,
        total=team_total,
        units=units,
        computed_at=computed,
        kurang=team_kurang,
    )


def _mean(total: Decimal, count: int) -> Decimal | None:
    return (total / count).quantize(rules.CENT) if count else None


_NOT_REQUIRED = gettext_lazy("tidak dipersyaratkan")
_UNASSESSED = gettext_lazy("belum diases")
_CELL_LABELS = {
    "heat-0": gettext_lazy("memenuhi"),
    "heat-1": gettext_lazy("kurang 1 level"),
    "heat-2": gettext_lazy("kurang 2 level"),
    "heat-3": gettext_lazy("kurang 3 level atau lebih"),
}


def _cell_css(required: int | None, current: int | None) -> str:
    if not required:
        return "heat-na"
    if current is None:
        return "heat-3"
    g = required - current
    if g <= 0:
        return "heat-0"
    return "heat-1" if g == 1 else ("heat-2" if g == 2 else "heat-3")


# --- agency analytics (aggregated in the database) -------------------------------------------------------


def analytics_live(*, user: Any, agency_id: int | None = None, on: dt.date | None = None) -> dict[str, Any]:
    """Agency-wide figures, each a GROUP BY in the database over the stored JPM and current profile: JPM
    distribution per category (both scales) and per unit, and the most common gaps by competency and unit.
    The pages read the same figures from the summary rows (`analytics`); this stays the tests' oracle."""
    emp_filter = admin_agency_q(user, "employee__agency")
    if agency_id:
        emp_filter &= Q(employee__agency_id=agency_id)
    jpm_qs = EmployeeJpm.objects.filter(emp_filter, employee__status__in=ACTIVE_STATUSES)
    cats = [c.value for c in JpmCategory]
    # people never assessed have no JPM: out of the averages and categories, counted in the coverage
    done = Q(assessed_count__gt=0, jpm__isnull=False)
    totals = jpm_qs.aggregate(
        avg=Avg("jpm", filter=done),
        n=Count("pk"),
        assessed=Count("pk", filter=done),
        **{f"m_{c}": Count("pk", filter=done & Q(category=c)) for c in cats},
        **{f"f_{c}": Count("pk", filter=done & Q(filling_category=c)) for c in cats},
    )
    by_category = {c: totals.pop(f"m_{c}") for c in cats}
    by_filling = {c: totals.pop(f"f_{c}") for c in cats}
    unit_rows: list[dict[str, Any]] = [
        dict(r)
        for r in jpm_qs.values("employee__unit_id")
        .annotate(
            n=Count("pk"),
            assessed=Count("pk", filter=done),
            avg=Avg("jpm", filter=done),
            optimal=Count("pk", filter=done & Q(category=JpmCategory.OPTIMAL)),
            cukup=Count("pk", filter=done & Q(category=JpmCategory.CUKUP_OPTIMAL)),
            kurang=Count("pk", filter=done & Q(category=JpmCategory.KURANG_OPTIMAL)),
            gaps=Count("pk", filter=Q(gap_count__gt=0)),
        )
        .order_by()
    ]
    units_by_id = {u.pk: u for u in OrgUnit.objects.filter(pk__in=[r["employee__unit_id"] for r in unit_rows])}
    for r in unit_rows:
        unit = units_by_id.get(r["employee__unit_id"])
        r["employee__unit__name"] = unit.name if unit else ""
        r["path"] = unit.path if unit else ""
    unit_rows.sort(key=lambda r: r["path"])
    gap_by_comp, gap_by_unit = _gap_aggregates(user=user, agency_id=agency_id, units=units_by_id)
    return {
        "by_category": by_category,
        "by_filling": by_filling,
        "totals": totals,
        "units": unit_rows,
        "gap_by_competency": gap_by_comp,
        "gap_by_unit": gap_by_unit,
    }


def competency_names(*row_lists: Iterable[Any]) -> dict[int, Competency]:
    """The competencies named by `competency_id` in grouped rows, in one query."""
    ids = {r["competency_id"] for rows in row_lists for r in rows}
    return {c.pk: c for c in Competency.objects.filter(pk__in=ids)}


def gap_rows_by_competency(
    rows: Iterable[Any], names: dict[int, Competency], avg_gap: Callable[[Any], Decimal]
) -> list[dict[str, Any]]:
    """The analytics' "most common gaps" rows from rows grouped by competency (`n` people each)."""
    return [
        {
            "id": r["competency_id"],
            "name": names[r["competency_id"]].name,
            "kind": names[r["competency_id"]].kind,
            "count": r["n"],
            "avg_gap": avg_gap(r),
        }
        for r in rows
    ]


def _gap_aggregates(
    *, user: Any, agency_id: int | None, units: dict[int, OrgUnit]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Gaps counted in the database from the stored current profile (CurrentLevel, refreshed with the JPM):
    per competency, and the three most common per unit (loops run over grouped rows, never employees)."""
    qs = CurrentLevel.objects.filter(
        admin_agency_q(user, "employee__agency"), gap__gt=0, employee__status__in=ACTIVE_STATUSES
    )
    if agency_id:
        qs = qs.filter(employee__agency_id=agency_id)
    comp_rows = list(
        qs.values("competency_id").annotate(n=Count("pk"), avg_gap=Avg("gap")).order_by("-n", "competency_id")[:20]
    )
    pair_rows: list[dict[str, Any]] = [
        dict(r) for r in qs.values("employee__unit_id", "competency_id").annotate(n=Count("pk")).order_by()
    ]
    names = competency_names(comp_rows, pair_rows)
    by_comp = gap_rows_by_competency(comp_rows, names, lambda r: Decimal(str(round(r["avg_gap"] or 0, 2))))
    per_unit: dict[int, list[dict[str, Any]]] = {}
    for r in pair_rows:
        per_unit.setdefault(r["employee__unit_id"], []).append(r)
    by_unit = []
    for unit_id, rows in sorted(per_unit.items(), key=lambda kv: units[kv[0]].path if kv[0] in units else ""):
        rows.sort(key=lambda r: (-r["n"], names[r["competency_id"]].name))
        by_unit.append(
            {
                "unit_id": unit_id,
                "unit": units[unit_id].name if unit_id in units else "",
                "gaps": [{"competency": names[r["competency_id"]].name, "count": r["n"]} for r in rows[:3]],
            }
        )
    return by_comp, by_unit
