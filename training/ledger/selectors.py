"""Reads of the JP ledger: totals per employee and year, the 20 JP compliance report, team figures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    FilteredRelation,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from asn_portal.dbrouter import reading_connection
from asn_portal.precompiled import Param, Statement
from people.access import employee_q, team_q
from people.choices import ACTIVE_STATUSES
from people.models import Employee, OrgUnit
from training import rules
from training.choices import VerificationStatus
from training.common import STAND_IN_HEAD, StandInHead, WindowStatements, head_values
from training.models import CourseCompetency, JpComplianceSummary, LearningRecord

ZERO = Decimal("0")


DEC = DecimalField(max_digits=8, decimal_places=2)


def learning_record_list_visible_to(*, user: Any) -> QuerySet[LearningRecord]:
    return LearningRecord.objects.filter(employee_q(user, "employee__")).select_related("employee", "course")


def learning_record_get_visible(*, user: Any, pk: int) -> LearningRecord:
    record = learning_record_list_visible_to(user=user).filter(pk=pk).first()
    if record is None:
        raise Http404("Catatan pembelajaran tidak ditemukan.")
    return record


def jp_totals(employee_ids: Iterable[int], year: int) -> dict[int, Decimal]:
    """Verified JP per employee in `year` (employees without learning get 0). One query."""
    ids = list(employee_ids)
    out = dict.fromkeys(ids, ZERO)
    rows = (
        LearningRecord.objects.filter(employee_id__in=ids, year=year, status=VerificationStatus.VERIFIED)
        .values("employee_id")
        .annotate(total=Sum("jp"))
        .values_list("employee_id", "total")
    )
    for emp_id, total in rows:
        out[emp_id] = total or ZERO
    return out


def jp_in_competencies(
    employee_ids: Iterable[int], competency_ids: Iterable[int], since: dt.date
) -> dict[int, Decimal]:
    """Verified JP since `since` from courses developing any of `competency_ids` (each record once),
    for the promotions merit score. One query."""
    ids = list(employee_ids)
    out = dict.fromkeys(ids, ZERO)
    courses = CourseCompetency.objects.filter(competency_id__in=list(competency_ids)).values("course_id")
    rows = (
        LearningRecord.objects.filter(
            employee_id__in=ids, date__gte=since, status=VerificationStatus.VERIFIED, course_id__in=courses
        )
        .values("employee_id")
        .annotate(total=Sum("jp"))
        .values_list("employee_id", "total")
    )
    for emp_id, total in rows:
        out[emp_id] = total or ZERO
    return out


# An employee's verified JP and records per year and pending JP per year, in one statement compiled once per
# process (the JP summary API reads it on every request, issue #13).
_VERIFIED = Q(status=VerificationStatus.VERIFIED)
_PENDING = Q(status=VerificationStatus.PENDING)
_JP_BY_YEAR = Statement(
    lambda employee_id: (
        LearningRecord.objects.filter(
            employee_id=employee_id, status__in=[VerificationStatus.VERIFIED, VerificationStatus.PENDING]
        )
        .values("year")
        .annotate(
            total=Sum("jp", filter=_VERIFIED), count=Count("pk", filter=_VERIFIED), pending=Sum("jp", filter=_PENDING)
        )
        .order_by("-year")
        .values_list("year", "total", "count", "pending")
    ),
    employee_id=Param(-13_016_021),
)


def jp_summary(*, employee: Employee, year: int) -> dict[str, Any]:
    """This year's JP, progress toward 20 JP, this year's JP waiting for verification and the verified JP of
    every year (one query)."""
    rows = _JP_BY_YEAR.rows(employee_id=employee.pk)
    by_year = [(y, t, n) for y, t, n, _p in rows if n]  # the years with verified learning
    total = next((t for y, t, _n in by_year if y == year), ZERO) or ZERO
    pending = next((p for y, _t, _n, p in rows if y == year), None) or ZERO
    return {
        "employee_id": employee.pk,
        "year": year,
        "jp": total,
        "target": rules.JP_TARGET,
        "remaining": max(ZERO, rules.JP_TARGET - total),
        "percent": rules.jp_progress_percent(total),
        "met": rules.meets_target(total),
        "pending_jp": pending,
        "by_year": [{"year": y, "jp": t, "records": n} for y, t, n in by_year],
    }


def jp_subquery(year: int) -> Coalesce:
    total = (
        LearningRecord.objects.filter(employee_id=OuterRef("pk"), year=year, status=VerificationStatus.VERIFIED)
        .values("employee_id")
        .annotate(s=Sum("jp"))
        .values("s")
    )
    return Coalesce(Subquery(total, output_field=DEC), Value(ZERO), output_field=DEC)


class _WindowSum(Func):
    """`SUM(expression)` as a window function over an expression of the row's aggregates (`Window(...)`): Django's
    `Sum` refuses an aggregate inside its expression, PostgreSQL computes window functions after the GROUP BY."""

    function = "SUM"
    window_compatible = True
    output_field = IntegerField()


def team_jp(*, user: Any, year: int) -> QuerySet[Employee]:
    """The head's team with this year's JP, lowest first (one query per page): each row names the person and
    their unit, and carries the whole team's size and how many are below the target (`team_total`,
    `team_below`: the figures of `team_below_target_count`, counted in the same query over the whole team).

    The JP is the sum of the member's verified lines of the year joined once per member (`year_lines`: the
    (employee, year, status) index), so the target's count reads the same sum instead of a second subquery."""
    year_lines = FilteredRelation(
        "learning_records",
        condition=Q(learning_records__year=year, learning_records__status=VerificationStatus.VERIFIED),
    )
    below = Case(When(jp__lt=rules.JP_TARGET, then=Value(1)), default=Value(0))
    return (
        Employee.objects.filter(team_q(user), status__in=ACTIVE_STATUSES)
        .select_related("unit")
        .only("front_title", "name", "back_title", "unit_id", "unit__name")
        .annotate(year_lines=year_lines)
        .annotate(jp=Coalesce(Sum("year_lines__jp"), Value(ZERO), output_field=DEC))
        .annotate(team_total=Window(Count("pk")), team_below=Window(_WindowSum(below)))
        .order_by("jp", "name", "pk")
    )


# The first pages of a head's team JP, each a statement compiled once per process (issue #13: the team condition,
# the join and the window counts cost more to compile than to run); later pages (rare) take the ORM's path.
_TEAM_JP_PAGES = WindowStatements(
    lambda patterns, head, year: team_jp(user=StandInHead(), year=year),
    max_rows=20 * 26,
    year=Param(32_011),  # in the field's range: the ORM drops an impossible comparison
    **STAND_IN_HEAD,
)


class TeamJp:
    """`team_jp(user=..., year=...)` read one window at a time (`[a:b]`, e.g. by `uncounted_page`): a head's
    first pages through statements compiled once per process (`training.common.StandInHead`), the same SQL
    with the head's values; anyone else, and later pages, through the ORM."""

    def __init__(self, *, user: Any, year: int) -> None:
        self.user, self.year = user, year

    def __getitem__(self, window: slice) -> list[Employee]:
        values = head_values(self.user)
        rows = None if values is None else _TEAM_JP_PAGES.instances(window, year=self.year, **values)
        return list(team_jp(user=self.user, year=self.year)[window]) if rows is None else rows


def team_below_target_count(*, user: Any, year: int) -> tuple[int, int]:
    qs = Employee.objects.filter(team_q(user), status__in=ACTIVE_STATUSES).annotate(jp=jp_subquery(year))
    agg = qs.aggregate(total=Count("pk"), below=Count("pk", filter=Q(jp__lt=rules.JP_TARGET)))
    return agg["below"] or 0, agg["total"] or 0


def _unit_tree(agency_ids: Iterable[int]) -> dict[int, tuple[int, str, str]]:
    """unit id -> (OPD id, OPD name, OPD path): an OPD is a top-level unit (depth 0)."""
    units = list(OrgUnit.objects.filter(agency_id__in=list(agency_ids)).values_list("id", "path", "depth", "name"))
    tops = {path: (uid, name, path) for uid, path, depth, name in units if depth == 0}
    out: dict[int, tuple[int, str, str]] = {}
    for uid, path, _depth, name in units:
        parts = [p for p in path.split("/") if p]
        top_path = f"/{parts[0]}/" if parts else path
        out[uid] = tops.get(top_path, (uid, name, path))
    return out


def compliance_report(*, agency_id: int, year: int) -> dict[str, Any]:
    """JP compliance (who reached 20 JP) by OPD for one agency, read from its summary rows (one indexed query;
    `training.ledger.compliance` keeps them current). A year nobody earned JP in shows the headcount (year 0)."""
    rows = list(
        JpComplianceSummary.objects.filter(agency_id=agency_id, year__in=[year, 0])
        .values("year", "unit_id", "unit__name", "unit__path", "headcount", "met", "jp", "with_jp")
        .order_by("unit__path")
    )
    has_year = any(r["year"] == year for r in rows)
    opds = [
        {
            "unit_id": r["unit_id"],
            "name": r["unit__name"],
            "path": r["unit__path"],
            "headcount": r["headcount"],
            "met": r["met"],
            "jp": r["jp"],
            "none": r["headcount"] - r["with_jp"],
        }
        for r in rows
        if r["year"] == (year if has_year else 0)
    ]
    return _report(opds, year)


def compliance_report_live(*, agency_id: int, year: int, unit_paths: tuple[str, ...] = ()) -> dict[str, Any]:
    """JP compliance (who reached 20 JP) by OPD for one agency, computed now (the summary's oracle): one
    aggregate SQL query over the agency's active employees joined to their per-year JP total (verified lines
    wherever recorded: JP earned while seconded to another agency counts), then rolled up from units to OPDs."""
    statuses = sorted(str(s) for s in ACTIVE_STATUSES)
    marks = ", ".join(["%s"] * len(statuses))
    path_sql = ""
    path_params: list[Any] = []
    if unit_paths:
        path_sql = " AND (" + " OR ".join(["u.path LIKE %s"] * len(unit_paths)) + ")"
        path_params = [f"{p}%" for p in unit_paths]
    # Headcount per unit, then JP per unit from the per-employee totals joined back by primary key:
    # two plain aggregates whose worst plan is an index lookup per employee with JP (never a rescan).
    head_sql = f"""
        SELECT e.unit_id, COUNT(*) FROM people_employee e JOIN people_orgunit u ON u.id = e.unit_id
        WHERE e.agency_id = %s AND e.status IN ({marks}){path_sql} GROUP BY e.unit_id
    """
    jp_sql = f"""
        SELECT e.unit_id, SUM(CASE WHEN t.jp >= CAST(%s AS numeric) THEN 1 ELSE 0 END), SUM(t.jp), COUNT(*)
        FROM (
            SELECT r.employee_id, SUM(r.jp) AS jp FROM training_learningrecord r
            JOIN people_employee re ON re.id = r.employee_id
            WHERE re.agency_id = %s AND r.year = %s AND r.status = %s GROUP BY r.employee_id
        ) t
        JOIN people_employee e ON e.id = t.employee_id
        JOIN people_orgunit u ON u.id = e.unit_id
        WHERE e.agency_id = %s AND e.status IN ({marks}){path_sql}
        GROUP BY e.unit_id
    """
    # A report: on the read replica when the page opted in (asn_portal.dbrouter), else the primary.
    with reading_connection(LearningRecord).cursor() as cur:
        cur.execute(head_sql, [agency_id, *statuses, *path_params])
        heads = dict(cur.fetchall())
        cur.execute(
            jp_sql,
            # Numbers bound as numbers: the JP sum is compared with a numeric target, never with text.
            [
                Decimal(rules.JP_TARGET),
                int(agency_id),
                int(year),
                str(VerificationStatus.VERIFIED),
                int(agency_id),
                *statuses,
                *path_params,
            ],
        )
        jp_rows = {r[0]: r[1:] for r in cur.fetchall()}
    unit_rows = []
    for unit_id, headcount in heads.items():
        met, jp_sum, with_jp = jp_rows.get(unit_id, (0, 0, 0))
        unit_rows.append((unit_id, headcount, met, jp_sum, headcount - with_jp))
    tree = _unit_tree([agency_id])
    opds: dict[int, dict[str, Any]] = {}
    for unit_id, headcount, met, jp_sum, none in unit_rows:
        opd_id, opd_name, opd_path = tree.get(unit_id, (unit_id, "?", ""))
        row = opds.setdefault(
            opd_id,
            {"unit_id": opd_id, "name": opd_name, "path": opd_path, "headcount": 0, "met": 0, "jp": ZERO, "none": 0},
        )
        row["headcount"] += headcount
        row["met"] += int(met or 0)
        row["jp"] += Decimal(str(jp_sum or 0))
        row["none"] += int(none or 0)
    return _report(sorted(opds.values(), key=lambda r: r["path"]), year)


def _report(rows: list[dict[str, Any]], year: int) -> dict[str, Any]:
    total: dict[str, Any] = {"headcount": 0, "met": 0, "jp": ZERO, "none": 0}
    for r in rows:
        r["below"] = r["headcount"] - r["met"]
        r["percent"] = (r["met"] * 100 / r["headcount"]) if r["headcount"] else 0
        r["avg_jp"] = (r["jp"] / r["headcount"]) if r["headcount"] else ZERO
        for k in ("headcount", "met", "jp", "none"):
            total[k] += r[k]
    total["below"] = total["headcount"] - total["met"]
    total["percent"] = (total["met"] * 100 / total["headcount"]) if total["headcount"] else 0
    total["avg_jp"] = (total["jp"] / total["headcount"]) if total["headcount"] else ZERO
    return {"rows": rows, "total": total, "year": year}


def last_trainings(*, employee_id: int, limit: int = 5) -> list[LearningRecord]:
    return list(
        LearningRecord.objects.filter(employee_id=employee_id, status=VerificationStatus.VERIFIED).order_by("-date")[
            :limit
        ]
    )


def jp_and_last_trainings(*, employee_id: int, year: int, limit: int = 5) -> tuple[Decimal, list[LearningRecord]]:
    """Verified JP in `year` (as `jp_totals`) and the last `limit` verified trainings (as `last_trainings`),
    read together in one query: the year's total is a window sum over all the employee's verified lines,
    computed before the limit. The profile panel's five are a statement compiled once per process."""
    if limit == _LAST_TRAININGS_LIMIT:
        rows: list[LearningRecord] = _JP_AND_LAST_TRAININGS.instances(employee_id=employee_id, year=year)
    else:
        rows = list(_jp_and_last_trainings_qs(employee_id, year)[:limit])
    total: Decimal = (getattr(rows[0], "year_jp", None) or ZERO) if rows else ZERO
    return total, rows


def _jp_and_last_trainings_qs(employee_id: int, year: int) -> QuerySet[LearningRecord]:
    return (
        LearningRecord.objects.filter(employee_id=employee_id, status=VerificationStatus.VERIFIED)
        .annotate(
            year_jp=Window(
                Sum(Case(When(year=year, then=F("jp")), default=Value(ZERO), output_field=DEC)),
                partition_by=[F("employee_id")],
            )
        )
        .order_by("-date")
    )


_LAST_TRAININGS_LIMIT = 5
_JP_AND_LAST_TRAININGS = Statement(
    lambda employee_id, year: _jp_and_last_trainings_qs(employee_id, year)[:_LAST_TRAININGS_LIMIT],
    employee_id=Param(-13_000_501),
    year=Param(32_003),  # in the field's range: the ORM drops an impossible comparison
)


def learning_records_of(employee: Employee) -> QuerySet[LearningRecord]:
    """An employee's JP ledger, newest first."""
    return LearningRecord.objects.filter(employee=employee).select_related("course").order_by("-date", "-pk")
