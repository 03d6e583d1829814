"""Training needs: competency gaps, recommended courses for an employee, team and agency needs."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Prefetch, Q, Subquery, Sum, Value, When
from django.db.models.functions import Greatest, Least
from django.utils import timezone
from django.utils.translation import get_language

from asn_portal import summaries
from asn_portal.precompiled import Param, Statement, rows_together
from competencies.models import Competency
from competencies.summaries import KIND as GAPS_KIND
from people.access import scope_for, team_q
from people.choices import ACTIVE_STATUSES
from people.models import Employee, OrgUnit
from training import rules
from training.catalogue.selectors import open_offering_q
from training.choices import EnrollmentStatus as S
from training.choices import OfferingStatus, VerificationStatus
from training.common import AnyOf
from training.ledger.selectors import _unit_tree
from training.models import Course, CourseCompetency, CourseOffering, Enrollment, LearningRecord


def _gap_rows(employee_ids: list[int], position_id: int | None = None) -> list[tuple[int, int, int, int | None, int]]:
    from competencies.selectors import gap_rows  # lower layer

    return [tuple(r) for r in gap_rows(employee_ids, position_id=position_id)]  # type: ignore[misc]


def _position_id(position: Any) -> int | None:
    if position is None:
        return None
    return int(getattr(position, "pk", position))


# Recommendations are computed once per state of their inputs and kept in the cache: the key is a fingerprint
# of everything the ranking reads (see `_recommendation_key`), so any change to the employee's gaps, post,
# rank or completions, or to the agency's catalogue (courses, their competencies, offerings, seats, dates)
# gives a new key and a fresh computation; nothing has to remember to invalidate it.
RECOMMENDATION_DEPTH = 20  # computed once at the longest list shown (the "Disarankan" page) and sliced
RECOMMENDATION_CACHE_SECONDS = 6 * 3600

_FINGERPRINT_SQL = """
    SELECT
      (SELECT md5(string_agg(c::text || '|' || COALESCE(lo."order", -1) || '|' || COALESCE(hi."order", -1),
                             ';' ORDER BY c.id))
         FROM training_course c
         LEFT JOIN people_rank lo ON lo.id = c.min_rank_id
         LEFT JOIN people_rank hi ON hi.id = c.max_rank_id
        WHERE c.agency_id = %(agency)s),
      (SELECT md5(string_agg(cc::text || '|' || k.name, ';' ORDER BY cc.id))
         FROM training_coursecompetency cc
         JOIN training_course c ON c.id = cc.course_id
         JOIN competencies_competency k ON k.id = cc.competency_id
        WHERE c.agency_id = %(agency)s),
      (SELECT md5(string_agg(concat_ws(',', o.id, o.course_id, o.status, o.start_date, o.enrol_open,
                                       o.enrol_close, o.seats_taken, o.capacity), ';' ORDER BY o.id))
         FROM training_courseoffering o
         JOIN training_course c ON c.id = o.course_id
        WHERE c.agency_id = %(agency)s),
      (SELECT md5(string_agg(e.id || ':' || o.course_id, ',' ORDER BY e.id))
         FROM training_enrollment e
         JOIN training_courseoffering o ON o.id = e.offering_id
        WHERE e.employee_id = %(employee)s AND e.status = %(completed)s),
      (SELECT md5(string_agg(r.id || ':' || r.course_id, ',' ORDER BY r.id))
         FROM training_learningrecord r
        WHERE r.employee_id = %(employee)s AND r.status = %(verified)s AND r.course_id IS NOT NULL)
"""


def _recommendation_key(employee: Employee, position_id: int | None, gaps: dict[int, tuple[int, int]]) -> str:
    """A digest of every input of the ranking: the gaps, the employee's post kind, rank, employment type and
    agency, today's date (offerings open and close by date), and one query's digests of the agency's courses
    (whole rows, as the API shows every field, with their rank bounds), course competencies (with the
    competency's name shown on the card), offerings (what the ranking reads: status, dates, seats) and the
    employee's completed enrolments and credited ledger lines."""
    with connection.cursor() as cur:
        cur.execute(
            _FINGERPRINT_SQL,
            {
                "agency": employee.agency_id,
                "employee": employee.pk,
                "completed": str(S.COMPLETED),
                "verified": str(VerificationStatus.VERIFIED),
            },
        )
        digests = cur.fetchone()
    parts = (
        employee.pk,
        employee.agency_id,
        position_id,
        employee.position.kind if employee.position_id and employee.position else None,
        employee.rank.order if employee.rank_id and employee.rank else None,
        employee.employment_type,
        timezone.localdate().isoformat(),
        sorted(gaps.items()),
        digests,
    )
    return "training:rec:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def recommended_courses(*, employee: Employee, position: Any = None, limit: int = 10) -> list[Course]:
    """`rank_recommended_courses`, read from the cache while none of its inputs changed (the cache key is a
    fingerprint of all of them: `_recommendation_key`)."""
    position_id = _position_id(position)
    gaps = _gaps_of(employee, position_id)
    if not gaps:
        return []
    if limit > RECOMMENDATION_DEPTH:
        return _rank(employee, gaps, limit)
    key = _recommendation_key(employee, position_id, gaps)
    courses: list[Course] | None = cache.get(key)
    if courses is None:
        courses = _rank(employee, gaps, RECOMMENDATION_DEPTH)
        cache.set(key, courses, RECOMMENDATION_CACHE_SECONDS)
    return courses[:limit]


def recommended_courses_rendered(
    *, employee: Employee, render: Callable[[list[Course]], Any], name: str, position: Any = None, limit: int = 10
) -> Any:
    """`render(recommended_courses(...))` (e.g. the API's serialised rows), kept in the cache under the ranking's
    fingerprint (`_recommendation_key`: every input of the ranking and every column the rows show) with `name`,
    the language and `limit`: while nothing changed, neither the courses nor their rendering are rebuilt."""
    position_id = _position_id(position)
    gaps = _gaps_of(employee, position_id)
    if not gaps:
        return render([])
    key = f"{_recommendation_key(employee, position_id, gaps)}:{name}:{get_language()}:{limit}"
    data = cache.get(key)
    if data is None:
        data = render(recommended_courses(employee=employee, position=position, limit=limit))
        cache.set(key, data, RECOMMENDATION_CACHE_SECONDS)
    return data


def _gaps_of(employee: Employee, position_id: int | None) -> dict[int, tuple[int, int]]:
    return {
        comp: (req, cur or 0) for _e, comp, req, cur, gap in _gap_rows([employee.pk], position_id) if gap and gap > 0
    }


def rank_recommended_courses(*, employee: Employee, position: Any = None, limit: int = 10) -> list[Course]:
    """Courses that close the employee's competency gaps for their current post (or `position`, e.g.
    a career plan's target post), ranked by the size of the gap closed and then by availability. The
    ranking is one SQL query: per course, the sum over its competencies of
    max(0, min(target level, required level) − current level). Computed now (the cache's oracle)."""
    gaps = _gaps_of(employee, _position_id(position))
    return _rank(employee, gaps, limit) if gaps else []


def _rank(employee: Employee, gaps: dict[int, tuple[int, int]], limit: int) -> list[Course]:
    closed = Sum(
        Case(
            *[
                When(
                    course_competencies__competency_id=comp,
                    then=Greatest(Least(F("course_competencies__target_level"), Value(req)) - Value(cur), Value(0)),
                )
                for comp, (req, cur) in gaps.items()
            ],
            default=Value(0),
            output_field=IntegerField(),
        )
    )
    today = timezone.localdate()
    open_offerings = CourseOffering.objects.filter(open_offering_q(), course=OuterRef("pk"))
    # "Already completed" means a completed enrolment or a ledger line credited for the course (a
    # completion imported from history or verified from a certificate), whichever the employee has.
    completed = Enrollment.objects.filter(employee=employee, status=S.COMPLETED, offering__course=OuterRef("pk"))
    credited = LearningRecord.objects.filter(
        employee=employee, course=OuterRef("pk"), status=VerificationStatus.VERIFIED
    )
    qs = (
        Course.objects.filter(
            agency_id=employee.agency_id, is_active=True, course_competencies__competency_id__in=list(gaps)
        )
        .annotate(
            gap_closed=closed,
            available=Exists(open_offerings.filter(seats_taken__lt=F("capacity"))),
            has_open=Exists(open_offerings),
            next_start=Subquery(
                CourseOffering.objects.filter(course=OuterRef("pk"), start_date__gte=today)
                .exclude(status__in=[OfferingStatus.CANCELLED, OfferingStatus.DRAFT])
                .order_by("start_date")
                .values("start_date")[:1]
            ),
        )
        .filter(gap_closed__gt=0)
        .exclude(Exists(completed))
        .exclude(Exists(credited))
        .select_related("min_rank", "max_rank")
        .prefetch_related(
            Prefetch("course_competencies", queryset=CourseCompetency.objects.select_related("competency"))
        )
        .order_by("-gap_closed", "-available", "-has_open", F("next_start").asc(nulls_last=True), "title")
    )
    kind = employee.position.kind if employee.position_id and employee.position else None
    rank_order = employee.rank.order if employee.rank_id and employee.rank else None
    out: list[Course] = []
    for course in qs[: limit * 3]:
        problems = rules.eligibility_problems(
            position_kind=kind,
            rank_order=rank_order,
            allowed_kinds=course.eligible_position_kinds or [],
            min_rank_order=course.min_rank.order if course.min_rank else None,
            max_rank_order=course.max_rank.order if course.max_rank else None,
        )
        if rules.employment_problem(fmt=course.format, employment_type=employee.employment_type):
            continue
        if not problems:
            course.gap_competencies = [  # type: ignore[attr-defined]
                cc for cc in course.course_competencies.all() if cc.competency_id in gaps
            ]
            out.append(course)
        if len(out) >= limit:
            break
    return out


# The gap tables' competency names and closing courses, compiled once per process (asn_portal.precompiled): the
# head's "Pelatihan tim" reads them on every request (issue #13).
_COMPETENCY_NAMES = Statement(
    lambda ids: Competency.objects.filter(AnyOf(F("pk"), ids)).values_list("pk", "name"),
    ids=Param([-13_016_011]),
)
_COURSE_COLUMNS = ("competency_id", "course_id", "course__title", "target_level", "course__jp")
_CLOSING_COURSES = Statement(
    lambda ids, agency_id: (
        CourseCompetency.objects.filter(
            AnyOf(F("competency_id"), ids), course__agency_id=agency_id, course__is_active=True
        )
        .order_by("competency_id", "-target_level", "course__title")
        .values_list(*_COURSE_COLUMNS)
    ),
    ids=Param([-13_016_012]),
    agency_id=Param(-13_016_013),
)


def _courses_for_competencies(agency_id: int, competency_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    return _closing_courses(_CLOSING_COURSES.rows(ids=list(competency_ids), agency_id=agency_id))


def _closing_courses(rows: list[tuple[Any, ...]]) -> dict[int, list[dict[str, Any]]]:
    """The first three closing courses per competency of `_CLOSING_COURSES`' rows."""
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if len(out[row[0]]) < 3:
            out[row[0]].append(dict(zip(_COURSE_COLUMNS, row, strict=True)))
    return out


def gap_aggregate(*, employee_ids: list[int], agency_id: int) -> list[dict[str, Any]]:
    """Per competency: how many people have a gap, the average and total gap, and courses closing it (computed
    now from the employees' live gaps; `team_gaps` reads the same figures from summary rows)."""
    acc: dict[int, dict[str, Any]] = {}
    for _emp, comp, _req, _cur, gap in _gap_rows(employee_ids):
        if not gap or gap <= 0:
            continue
        row = acc.setdefault(comp, {"competency_id": comp, "people": 0, "gap_sum": 0})
        row["people"] += 1
        row["gap_sum"] += gap
    return _gap_table(acc, agency_id)


def _gap_table(acc: dict[int, dict[str, Any]], agency_id: int) -> list[dict[str, Any]]:
    """Names, average gap and closing courses for per-competency counts, largest total gap first."""
    acc = {comp: row for comp, row in acc.items() if row["people"] > 0}
    if not acc:
        return []
    ids = list(acc)
    # The names and the closing courses in one round trip (asn_portal.precompiled.rows_together).
    name_rows, course_rows = rows_together(
        (_COMPETENCY_NAMES, {"ids": ids}), (_CLOSING_COURSES, {"ids": ids, "agency_id": agency_id})
    )
    names = dict(name_rows)
    courses = _closing_courses(course_rows)
    rows = []
    for comp, row in acc.items():
        row["name"] = names.get(comp, str(comp))
        row["avg_gap"] = row["gap_sum"] / row["people"]
        row["courses"] = courses.get(comp, [])
        rows.append(row)
    rows.sort(key=lambda r: (-r["gap_sum"], r["name"]))
    return rows


def _headed_units(user: Any) -> Any:
    """The ids of the units under the ones the user heads (the units `team_q` selects people from)."""
    paths = scope_for(user).head_unit_paths
    cond = Q(pk__in=[])
    for path in paths:
        cond |= Q(path__startswith=path)
    return OrgUnit.objects.filter(cond).values("pk")


TEAM_GAPS_CACHE_SECONDS = 6 * 3600


def team_gaps(*, user: Any, agency_id: int) -> list[dict[str, Any]]:
    """The head's team gaps per competency (as `gap_aggregate` over the team): `team_gaps_computed`'s rows."""
    return team_gaps_computed(user=user, agency_id=agency_id)[0]


def team_gaps_computed(*, user: Any, agency_id: int) -> tuple[list[dict[str, Any]], dt.datetime | None]:
    """The head's team gaps per competency and when their summary rows were computed (None: never), from the
    competencies' per-unit gap summary rows (`CompetencyGapSummary`, kind "competencies.analytics", kept current
    on change) of the headed units, less the head's own stored gaps (the head is not in their team).

    The per-competency counts are kept in the cache keyed on the summary's `computed_at` for the agency, the
    headed paths and the head: every input of theirs (a gap, a standard, an assessment, a move, a unit, the
    head's own gaps) is written by a service that touches the summary kind, whose refresh sets a new
    `computed_at`, so a change gives a new key; the names and closing courses are read live (`_gap_table`)."""
    scope = scope_for(user)
    if not scope.head_unit_paths:
        return [], None
    computed_at = summaries.computed_at(GAPS_KIND, agency_id)
    key = None
    if computed_at is not None:
        digest = hashlib.sha256(repr((scope.head_unit_paths, scope.employee_id)).encode()).hexdigest()
        key = f"training:team-gaps:{agency_id}:{computed_at.isoformat()}:{digest}"
    counts: dict[int, tuple[int, int]] | None = cache.get(key) if key else None
    if counts is None:
        counts = _team_gap_counts(user)
        if key:
            cache.set(key, counts, TEAM_GAPS_CACHE_SECONDS)
    acc = {comp: {"competency_id": comp, "people": n, "gap_sum": g} for comp, (n, g) in counts.items()}
    return _gap_table(acc, agency_id), computed_at


def _team_gap_counts(user: Any) -> dict[int, tuple[int, int]]:
    """competency -> (people with a gap, total gap) over the head's team, from the summary rows (two grouped
    queries over summary rows, whatever the team's size)."""
    from competencies.models import CompetencyGapSummary, CurrentLevel

    units = _headed_units(user)
    acc: dict[int, list[int]] = {}
    for comp, people, gap_sum in (
        CompetencyGapSummary.objects.filter(unit_id__in=units)
        .values("competency_id")
        .annotate(n=Sum("employees"), g=Sum("gap_sum"))
        .values_list("competency_id", "n", "g")
    ):
        acc[comp] = [int(people), int(gap_sum)]
    employee_id = scope_for(user).employee_id
    if employee_id and acc:
        own = CurrentLevel.objects.filter(
            employee_id=employee_id, employee__unit_id__in=units, employee__status__in=ACTIVE_STATUSES, gap__gt=0
        ).values_list("competency_id", "gap")
        for comp, gap in own:
            if comp in acc:
                acc[comp][0] -= 1
                acc[comp][1] -= gap
    return {comp: (n, g) for comp, (n, g) in acc.items()}


def team_gaps_live(*, user: Any, agency_id: int) -> list[dict[str, Any]]:
    """`team_gaps` computed now from the team's live gaps (the summary's oracle in the tests)."""
    ids = list(Employee.objects.filter(team_q(user), status__in=ACTIVE_STATUSES).values_list("pk", flat=True))
    return gap_aggregate(employee_ids=ids, agency_id=agency_id) if ids else []


def training_needs(*, agency_id: int, on: dt.date | None = None) -> list[dict[str, Any]]:
    """Training needs by OPD for next year's plan: competency gaps of every active employee against their
    post's standard (latest valid assessed level, not assessed = 0), counted and summed per
    (unit, competency) in one SQL query, rolled up to OPDs, with the catalogue courses that close them."""
    on = on or timezone.localdate()
    statuses = sorted(str(s) for s in ACTIVE_STATUSES)
    marks = ", ".join(["%s"] * len(statuses))
    sql = f"""
        WITH cur AS (
            SELECT employee_id, competency_id, level FROM (
                SELECT r.employee_id, r.competency_id, r.level,
                       ROW_NUMBER() OVER (PARTITION BY r.employee_id, r.competency_id
                                          ORDER BY r.assessed_on DESC, r.id DESC) AS rn
                FROM competencies_assessmentresult r
                JOIN people_employee re ON re.id = r.employee_id AND re.agency_id = %s
                WHERE r.valid_until >= %s AND r.assessed_on <= %s
            ) x WHERE rn = 1
        )
        SELECT e.unit_id, q.competency_id, COUNT(*), SUM(q.level - COALESCE(c.level, 0))
        FROM people_employee e
        JOIN competencies_competencyrequirement q ON q.position_id = e.position_id
        LEFT JOIN cur c ON c.employee_id = e.id AND c.competency_id = q.competency_id
        WHERE e.agency_id = %s AND e.status IN ({marks}) AND COALESCE(c.level, 0) < q.level
        GROUP BY e.unit_id, q.competency_id
    """
    with connection.cursor() as cur:
        cur.execute(sql, [agency_id, on, on, agency_id, *statuses])
        unit_rows = cur.fetchall()
    if not unit_rows:
        return []
    tree = _unit_tree([agency_id])
    acc: dict[tuple[int, int], dict[str, Any]] = {}
    for unit_id, comp, people, gap_sum in unit_rows:
        opd_id, opd_name, _p = tree.get(unit_id, (unit_id, "?", ""))
        row = acc.setdefault(
            (opd_id, comp), {"unit_id": opd_id, "unit": opd_name, "competency_id": comp, "people": 0, "gap_sum": 0}
        )
        row["people"] += int(people)
        row["gap_sum"] += int(gap_sum or 0)
    comp_ids = sorted({c for _u, c in acc})
    names = dict(Competency.objects.filter(pk__in=comp_ids).values_list("pk", "name"))
    courses = _courses_for_competencies(agency_id, comp_ids)
    rows = []
    for row in acc.values():
        row["competency"] = names.get(row["competency_id"], "?")
        row["courses"] = courses.get(row["competency_id"], [])
        row["avg_gap"] = row["gap_sum"] / row["people"]
        rows.append(row)
    rows.sort(key=lambda r: (r["unit"], -r["gap_sum"]))
    return rows
