"""Reads for training: scoped, N+1-safe querysets and set-based aggregates (JP totals, compliance,
questionnaire results, training needs and gap-based recommendations, all computed in the database)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import (
    Avg,
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, Least
from django.http import Http404
from django.utils import timezone

from people.access import admin_agency_q, agency_q, employee_q, scope_for, team_q
from people.choices import ACTIVE_STATUSES
from people.models import Employee, OrgUnit

from . import rules
from .choices import EnrollmentStatus as S
from .choices import OfferingStatus, QuestionKind, VerificationStatus
from .models import (
    Answer,
    Course,
    CourseCompetency,
    CourseOffering,
    Enrollment,
    LearningRecord,
    Question,
    QuestionnaireResponse,
)

ZERO = Decimal("0")
DEC = DecimalField(max_digits=8, decimal_places=2)


def _today() -> dt.date:
    return timezone.localdate()


# --------------------------------------------------------------------------- catalogue


def _open_offering_q(prefix: str = "") -> Q:
    today = _today()
    return Q(
        **{
            f"{prefix}status": OfferingStatus.OPEN,
            f"{prefix}enrol_close__gte": today,
            f"{prefix}enrol_open__lte": today,
        }
    )


def course_list_visible_to(*, user: Any) -> QuerySet[Course]:
    """Catalogue entries of the user's agency, with the next open offering date and competencies."""
    next_open = (
        CourseOffering.objects.filter(_open_offering_q(), course=OuterRef("pk"))
        .order_by("start_date")
        .values("start_date")[:1]
    )
    return (
        Course.objects.filter(agency_q(user))
        .annotate(next_open_start=Subquery(next_open))
        .prefetch_related(
            Prefetch("course_competencies", queryset=CourseCompetency.objects.select_related("competency"))
        )
    )


def course_get_visible(*, user: Any, pk: int) -> Course:
    course = course_list_visible_to(user=user).select_related("min_rank", "max_rank").filter(pk=pk).first()
    if course is None:
        raise Http404("Pelatihan tidak ditemukan.")
    return course


def course_admin_get(*, user: Any, pk: Any) -> Course:
    """A course the user may edit (BKD admin of its agency); anything else is "not found"."""
    course = Course.objects.filter(admin_agency_q(user)).filter(pk=pk).first() if str(pk).isdigit() else None
    if course is None:
        raise Http404("Pelatihan tidak ditemukan.")
    return course


def offering_list_visible_to(*, user: Any) -> QuerySet[CourseOffering]:
    return CourseOffering.objects.filter(agency_q(user)).select_related("course")


def offering_get_visible(*, user: Any, pk: int) -> CourseOffering:
    offering = offering_list_visible_to(user=user).filter(pk=pk).first()
    if offering is None:
        raise Http404("Angkatan tidak ditemukan.")
    return offering


def offering_admin_get(*, user: Any, pk: Any) -> CourseOffering:
    offering = (
        CourseOffering.objects.filter(admin_agency_q(user)).select_related("course").filter(pk=pk).first()
        if str(pk).isdigit()
        else None
    )
    if offering is None:
        raise Http404("Angkatan tidak ditemukan.")
    return offering


def enrollment_list_visible_to(*, user: Any) -> QuerySet[Enrollment]:
    """Enrolments of people the user may see (self, team, agency for BKD)."""
    return Enrollment.objects.filter(employee_q(user, "employee__")).select_related(
        "employee", "employee__unit", "offering", "offering__course"
    )


def enrollment_get_visible(*, user: Any, pk: int) -> Enrollment:
    enrollment = enrollment_list_visible_to(user=user).filter(pk=pk).first()
    if enrollment is None:
        raise Http404("Pendaftaran tidak ditemukan.")
    return enrollment


def learning_record_list_visible_to(*, user: Any) -> QuerySet[LearningRecord]:
    return LearningRecord.objects.filter(employee_q(user, "employee__")).select_related("employee", "course")


def learning_record_get_visible(*, user: Any, pk: int) -> LearningRecord:
    record = learning_record_list_visible_to(user=user).filter(pk=pk).first()
    if record is None:
        raise Http404("Catatan pembelajaran tidak ditemukan.")
    return record


def my_enrollment_for(employee_id: int | None, offering: CourseOffering) -> Enrollment | None:
    if not employee_id:
        return None
    return Enrollment.objects.filter(employee_id=employee_id, offering=offering).order_by("-created_at").first()


# --------------------------------------------------------------------------- JP ledger (contracts)


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


def jp_summary(*, employee: Employee, year: int) -> dict[str, Any]:
    """This year's JP, progress toward 20 JP, and the total of every year (two queries)."""
    by_year = list(
        LearningRecord.objects.filter(employee=employee, status=VerificationStatus.VERIFIED)
        .values("year")
        .annotate(total=Sum("jp"), count=Count("pk"))
        .order_by("-year")
    )
    total = next((r["total"] for r in by_year if r["year"] == year), ZERO) or ZERO
    pending = (
        LearningRecord.objects.filter(employee=employee, year=year, status=VerificationStatus.PENDING).aggregate(
            s=Sum("jp")
        )["s"]
        or ZERO
    )
    return {
        "employee_id": employee.pk,
        "year": year,
        "jp": total,
        "target": rules.JP_TARGET,
        "remaining": max(ZERO, rules.JP_TARGET - total),
        "percent": rules.jp_progress_percent(total),
        "met": rules.meets_target(total),
        "pending_jp": pending,
        "by_year": [{"year": r["year"], "jp": r["total"], "records": r["count"]} for r in by_year],
    }


# --------------------------------------------------------------------------- recommendations


def _gap_rows(employee_ids: list[int], position_id: int | None = None) -> list[tuple[int, int, int, int | None, int]]:
    from competencies.selectors import gap_rows  # lower layer

    return [tuple(r) for r in gap_rows(employee_ids, position_id=position_id)]  # type: ignore[misc]


def _position_id(position: Any) -> int | None:
    if position is None:
        return None
    return int(getattr(position, "pk", position))


def recommended_courses(*, employee: Employee, position: Any = None, limit: int = 10) -> list[Course]:
    """Courses that close the employee's competency gaps for their current post (or `position`, e.g.
    a career plan's target post), ranked by the size of the gap closed and then by availability. The
    ranking is one SQL query: per course, the sum over its competencies of
    max(0, min(target level, required level) − current level)."""
    gaps = {
        comp: (req, cur or 0)
        for _e, comp, req, cur, gap in _gap_rows([employee.pk], _position_id(position))
        if gap and gap > 0
    }
    if not gaps:
        return []
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
    today = _today()
    open_offerings = CourseOffering.objects.filter(_open_offering_q(), course=OuterRef("pk"))
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


# --------------------------------------------------------------------------- questionnaires


def due_questionnaires(*, employee_id: int | None) -> QuerySet[QuestionnaireResponse]:
    if not employee_id:
        return QuestionnaireResponse.objects.none()
    return (
        QuestionnaireResponse.objects.filter(respondent_id=employee_id, answered_at__isnull=True)
        .select_related("template", "offering", "offering__course", "enrollment__employee")
        .order_by("issued_on", "pk")
    )


def questionnaire_response_visible(*, user: Any, pk: int) -> QuestionnaireResponse:
    """The respondent sees their own questionnaire; BKD sees their agency's. Anything else is a 404."""
    scope = scope_for(user)
    q = Q(respondent_id=scope.employee_id) if scope.employee_id else Q(pk__in=[])
    q |= admin_agency_q(user, "enrollment__agency")
    resp = (
        QuestionnaireResponse.objects.filter(q, pk=pk)
        .select_related("template", "offering__course", "enrollment__employee", "respondent")
        .first()
    )
    if resp is None:
        raise Http404("Kuesioner tidak ditemukan.")
    return resp


def questionnaire_results(*, user: Any, course_id: int | None = None, offering_id: int | None = None) -> dict[str, Any]:
    """Averages and 1–5 distributions per question, comments and response rates (aggregated in SQL)."""
    base = QuestionnaireResponse.objects.filter(admin_agency_q(user, "enrollment__agency"))
    if course_id:
        base = base.filter(offering__course_id=course_id)
    if offering_id:
        base = base.filter(offering_id=offering_id)
    rates: list[dict[str, Any]] = [
        dict(r)
        for r in (
            base.values("kind", "respondent_role")
            .annotate(issued=Count("pk"), answered=Count("answered_at"))
            .order_by("kind")
        )
    ]
    answers = Answer.objects.filter(response__in=base.filter(answered_at__isnull=False))
    per_q: list[dict[str, Any]] = [
        dict(r)
        for r in (
            answers.filter(question__kind=QuestionKind.LIKERT)
            .values(
                "question_id", "question__text", "question__dimension", "question__template__title", "question__order"
            )
            .annotate(
                avg=Avg("likert"),
                n=Count("pk"),
                **{f"c{i}": Count("pk", filter=Q(likert=i)) for i in range(1, 6)},
            )
            .order_by("question__template__title", "question__order")
        )
    ]
    yes_no = list(
        answers.filter(question__kind=QuestionKind.YES_NO)
        .values("question_id", "question__text")
        .annotate(yes=Count("pk", filter=Q(yes_no=True)), n=Count("pk"))
    )
    comments = list(
        answers.filter(question__kind=QuestionKind.TEXT)
        .exclude(text="")
        .select_related("response__offering__course", "question")
        .order_by("-response__answered_at")[:50]
    )
    for row in per_q:
        row["distribution"] = [row[f"c{i}"] for i in range(1, 6)]
    for r in rates:
        r["rate"] = (r["answered"] * 100 / r["issued"]) if r["issued"] else 0
    return {"rates": rates, "questions": per_q, "yes_no": yes_no, "comments": comments}


def questionnaire_course_summary(*, user: Any, year: int) -> list[dict[str, Any]]:
    """Per course: reaction average, responses issued/answered (one query)."""
    rows: list[dict[str, Any]] = [
        dict(r)
        for r in (
            QuestionnaireResponse.objects.filter(admin_agency_q(user, "enrollment__agency"), issued_on__year=year)
            .values("offering__course_id", "offering__course__title")
            .annotate(
                issued=Count("pk", distinct=True),
                answered=Count("pk", distinct=True, filter=Q(answered_at__isnull=False)),
                avg=Avg("answers__likert"),
            )
            .order_by("-avg")
        )
    ]
    return rows


# --------------------------------------------------------------------------- team and reports


def jp_subquery(year: int) -> Coalesce:
    total = (
        LearningRecord.objects.filter(employee_id=OuterRef("pk"), year=year, status=VerificationStatus.VERIFIED)
        .values("employee_id")
        .annotate(s=Sum("jp"))
        .values("s")
    )
    return Coalesce(Subquery(total, output_field=DEC), Value(ZERO), output_field=DEC)


def team_jp(*, user: Any, year: int) -> QuerySet[Employee]:
    """The head's team with this year's JP, lowest first (one query per page)."""
    return (
        Employee.objects.filter(team_q(user), status__in=ACTIVE_STATUSES)
        .select_related("unit", "position")
        .annotate(jp=jp_subquery(year))
        .order_by("jp", "name")
    )


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


def compliance_report(*, agency_id: int, year: int, unit_paths: tuple[str, ...] = ()) -> dict[str, Any]:
    """JP compliance (who reached 20 JP) by OPD for one agency: one aggregate SQL query over employees
    joined to their per-year JP total, then rolled up from units to OPDs."""
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
            SELECT employee_id, SUM(jp) AS jp FROM training_learningrecord
            WHERE agency_id = %s AND year = %s AND status = %s GROUP BY employee_id
        ) t
        JOIN people_employee e ON e.id = t.employee_id
        JOIN people_orgunit u ON u.id = e.unit_id
        WHERE e.agency_id = %s AND e.status IN ({marks}){path_sql}
        GROUP BY e.unit_id
    """
    with connection.cursor() as cur:
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
    rows = sorted(opds.values(), key=lambda r: r["path"])
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


def _courses_for_competencies(agency_id: int, competency_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    rows = (
        CourseCompetency.objects.filter(
            competency_id__in=competency_ids, course__agency_id=agency_id, course__is_active=True
        )
        .values("competency_id", "course_id", "course__title", "target_level", "course__jp")
        .order_by("competency_id", "-target_level", "course__title")
    )
    for r in rows:
        if len(out[r["competency_id"]]) < 3:
            out[r["competency_id"]].append(dict(r))
    return out


def gap_aggregate(*, employee_ids: list[int], agency_id: int) -> list[dict[str, Any]]:
    """Per competency: how many people have a gap, the average and total gap, and courses closing it."""
    from competencies.models import Competency

    acc: dict[int, dict[str, Any]] = {}
    for _emp, comp, _req, _cur, gap in _gap_rows(employee_ids):
        if not gap or gap <= 0:
            continue
        row = acc.setdefault(comp, {"competency_id": comp, "people": 0, "gap_sum": 0})
        row["people"] += 1
        row["gap_sum"] += gap
    if not acc:
        return []
    names = dict(Competency.objects.filter(pk__in=list(acc)).values_list("pk", "name"))
    courses = _courses_for_competencies(agency_id, list(acc))
    rows = []
    for comp, row in acc.items():
        row["name"] = names.get(comp, str(comp))
        row["avg_gap"] = row["gap_sum"] / row["people"]
        row["courses"] = courses.get(comp, [])
        rows.append(row)
    rows.sort(key=lambda r: (-r["gap_sum"], r["name"]))
    return rows


def team_gaps(*, user: Any, agency_id: int) -> list[dict[str, Any]]:
    ids = list(Employee.objects.filter(team_q(user), status__in=ACTIVE_STATUSES).values_list("pk", flat=True))
    return gap_aggregate(employee_ids=ids, agency_id=agency_id) if ids else []


def training_needs(*, agency_id: int, on: dt.date | None = None) -> list[dict[str, Any]]:
    """Training needs by OPD for next year's plan: competency gaps of every active employee against their
    post's standard (latest valid assessed level, not assessed = 0), counted and summed per
    (unit, competency) in one SQL query, rolled up to OPDs, with the catalogue courses that close them."""
    from competencies.models import Competency

    on = on or _today()
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


def pending_external(*, user: Any) -> QuerySet[LearningRecord]:
    return (
        LearningRecord.objects.filter(admin_agency_q(user), status=VerificationStatus.PENDING)
        .select_related("employee", "employee__unit")
        .order_by("date", "pk")
    )


def requests_for_head(*, user: Any) -> QuerySet[Enrollment]:
    return (
        Enrollment.objects.filter(team_q(user, "employee__"), status=S.REQUESTED)
        .select_related("employee", "employee__unit", "offering", "offering__course")
        .order_by("created_at")
    )


def last_trainings(*, employee_id: int, limit: int = 5) -> list[LearningRecord]:
    return list(
        LearningRecord.objects.filter(employee_id=employee_id, status=VerificationStatus.VERIFIED).order_by("-date")[
            :limit
        ]
    )


def questions_for(response: QuestionnaireResponse) -> list[Question]:
    return list(response.template.questions.all())
