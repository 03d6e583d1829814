"""Reads of questionnaires: the employee's due ones, results and the per-course summary."""

from __future__ import annotations

from typing import Any

from django.db.models import Avg, Count, F, Q, QuerySet, Sum
from django.http import Http404

from asn_portal.precompiled import Param, Statement, rows_together
from people.access import admin_agency_q, scope_for
from people.models import Employee
from training.choices import QuestionKind
from training.models import (
    Answer,
    Question,
    QuestionnaireCourseSummary,
    QuestionnaireQuestionSummary,
    QuestionnaireRateSummary,
    QuestionnaireResponse,
)


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
    """Averages and 1–5 distributions per question, comments and response rates. The agency-wide report reads
    the summary rows (`training.questionnaires.summary`, kept current on change: three small grouped queries);
    one course's or offering's results are aggregated now (a few hundred responses at most)."""
    if course_id or offering_id:
        return questionnaire_results_live(user=user, course_id=course_id, offering_id=offering_id)
    return questionnaire_report(user=user, year=None)[0]


# The agency-wide report's reads, as (names, values_list queryset): each row is `dict(zip(names, row))`, what the
# queryset's `values(...).annotate(...)` gives.
_RATE_NAMES = ("kind", "respondent_role", "issued", "answered")
_QUESTION_NAMES = (
    "question_id",
    "question__text",
    "question__dimension",
    "question__template__title",
    "question__order",
    "n",
    "likert_n",
    "likert_sum",
    *(f"c{i}" for i in range(1, 6)),
)
_YES_NO_NAMES = ("question_id", "question__text", "yes", "n")
_COMMENT_NAMES = ("id", "text", "course_title")
_COURSE_NAMES = ("course_id", "course__title", "issued", "answered", "likert_n", "likert_sum")


def _report_reads(scope: Q, response_scope: Q, year: Any) -> list[QuerySet[Any]]:
    """The agency-wide report's five reads (rates, Likert questions, yes/no questions, comments and, for `year`,
    the per-course summary) of the summary rows in `scope` (the responses in `response_scope` for the comments)."""
    reads: list[QuerySet[Any]] = [
        QuestionnaireRateSummary.objects.filter(scope)
        .values("kind", "respondent_role")
        .annotate(issued=Sum("issued"), answered=Sum("answered"))
        .order_by("kind", "respondent_role")
        .values_list(*_RATE_NAMES),
        QuestionnaireQuestionSummary.objects.filter(scope, question__kind=QuestionKind.LIKERT)
        .values("question_id", "question__text", "question__dimension", "question__template__title", "question__order")
        .annotate(
            n=Sum("answers"),
            likert_n=Sum("likert_n"),
            likert_sum=Sum("likert_sum"),
            **{f"c{i}": Sum(f"c{i}") for i in range(1, 6)},
        )
        .order_by("question__template__title", "question__order", "question_id")
        .values_list(*_QUESTION_NAMES),
        QuestionnaireQuestionSummary.objects.filter(scope, question__kind=QuestionKind.YES_NO)
        .values("question_id", "question__text")
        .annotate(yes=Sum("yes"), n=Sum("answers"))
        .order_by("question_id")
        .values_list(*_YES_NO_NAMES),
        _comments_qs(QuestionnaireResponse.objects.filter(response_scope)).values_list(*_COMMENT_NAMES),
    ]
    if year is not None:
        reads.append(_course_summary_qs(scope, year).values_list(*_COURSE_NAMES))
    return reads


_AGENCY_STAND_IN = -13_000_701  # an agency id no row holds
_YEAR_STAND_IN = 1  # a year no summary row holds (filtered as `year = %s`)


def _report_statements(with_year: bool) -> list[Statement]:
    """`_report_reads` of one agency, compiled once per process (the scopes `admin_agency_q` gives the admin of
    one agency, with a stand-in agency and year)."""

    def read(i: int) -> Statement:
        def build(agency: int, year: int = _YEAR_STAND_IN) -> QuerySet[Any]:
            return _report_reads(
                Q(agency_id__in=[agency]), Q(enrollment__agency_id__in=[agency]), year if with_year else None
            )[i]

        params = {"agency": Param(_AGENCY_STAND_IN)}
        if i == 4:
            params["year"] = Param(_YEAR_STAND_IN)
        return Statement(build, **params)

    return [read(i) for i in range(5 if with_year else 4)]


_REPORT_STATEMENTS: dict[bool, list[Statement]] = {}


def _one_agency(user: Any) -> int | None:
    """The agency of an admin of exactly one agency (`admin_agency_q` is then `agency_id IN (it)`), else None."""
    scope = scope_for(user)
    if scope.everything or len(scope.admin_agency_ids) != 1:
        return None
    return next(iter(scope.admin_agency_ids))


def questionnaire_report(*, user: Any, year: int | None) -> tuple[dict[str, Any], list[dict[str, Any]] | None]:
    """The agency-wide report (`questionnaire_results` without a course or offering) and, for `year`, the
    per-course summary (`questionnaire_course_summary`): for the admin of one agency through statements compiled
    once per process, in one round trip; otherwise the same querysets one by one."""
    agency = _one_agency(user)
    if agency is not None:
        with_year = year is not None
        statements = _REPORT_STATEMENTS.get(with_year)
        if statements is None:
            statements = _REPORT_STATEMENTS.setdefault(with_year, _report_statements(with_year))
        values: list[dict[str, Any]] = [{"agency": agency}] * 4 + (
            [{"agency": agency, "year": year}] if with_year else []
        )
        fetched = rows_together(*zip(statements, values, strict=True))
    else:
        fetched = [
            list(qs) for qs in _report_reads(admin_agency_q(user), admin_agency_q(user, "enrollment__agency"), year)
        ]
    names = (_RATE_NAMES, _QUESTION_NAMES, _YES_NO_NAMES, _COMMENT_NAMES, _COURSE_NAMES)
    rates, questions, yes_no, comments, *courses = (
        [dict(zip(n, row, strict=True)) for row in rows] for n, rows in zip(names, fetched, strict=False)
    )
    per_q: list[dict[str, Any]] = []
    for row in questions:
        row["avg"] = row.pop("likert_sum") / row["likert_n"] if row["likert_n"] else None
        del row["likert_n"]
        per_q.append(row)
    summary = _course_rows(courses[0]) if courses else None
    return _results(rates, per_q, yes_no, comments), summary


def questionnaire_results_live(
    *, user: Any, course_id: int | None = None, offering_id: int | None = None
) -> dict[str, Any]:
    """`questionnaire_results` aggregated now in SQL (also the summary's oracle in the tests)."""
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
            .order_by("kind", "respondent_role")
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
            .order_by("question__template__title", "question__order", "question_id")
        )
    ]
    yes_no = [
        dict(r)
        for r in answers.filter(question__kind=QuestionKind.YES_NO)
        .values("question_id", "question__text")
        .annotate(yes=Count("pk", filter=Q(yes_no=True)), n=Count("pk"))
        .order_by("question_id")
    ]
    return _results(rates, per_q, yes_no, _comments(base))


def _comments(base: QuerySet[QuestionnaireResponse]) -> list[dict[str, Any]]:
    """The 50 newest written comments (read live: a list, not a figure): each answer's id, its text and its
    course's title, what the report shows of it."""
    return [dict(row) for row in _comments_qs(base)]


def _comments_qs(base: QuerySet[QuestionnaireResponse]) -> QuerySet[Any]:
    return (
        Answer.objects.filter(
            response__in=base.filter(answered_at__isnull=False),
            # implied by the line above, but said on the joined response too, so the walk down its answered_at
            # index skips the unanswered (NULL, first in a descending order) instead of reading every one
            response__answered_at__isnull=False,
            question__kind=QuestionKind.TEXT,
        )
        .exclude(text="")
        .order_by("-response__answered_at")
        .values("id", "text", course_title=F("response__offering__course__title"))[:50]
    )


def _results(
    rates: list[dict[str, Any]],
    per_q: list[dict[str, Any]],
    yes_no: list[dict[str, Any]],
    comments: list[dict[str, Any]],
) -> dict[str, Any]:
    for row in per_q:
        row["distribution"] = [row[f"c{i}"] for i in range(1, 6)]
    for r in rates:
        r["rate"] = (r["answered"] * 100 / r["issued"]) if r["issued"] else 0
    return {"rates": rates, "questions": per_q, "yes_no": yes_no, "comments": comments}


def questionnaire_course_summary(*, user: Any, year: int) -> list[dict[str, Any]]:
    """Per course: reaction average, responses issued/answered, read from the summary rows (one query)."""
    return _course_rows(list(_course_summary_qs(admin_agency_q(user), year)))


def _course_summary_qs(scope: Q, year: Any) -> QuerySet[Any]:
    return (
        QuestionnaireCourseSummary.objects.filter(scope, year=year)
        .values("course_id", "course__title")
        .annotate(
            issued=Sum("issued"), answered=Sum("answered"), likert_n=Sum("likert_n"), likert_sum=Sum("likert_sum")
        )
        .order_by("course__title", "course_id")
    )


def _course_rows(summary_rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for r in summary_rows:
        avg = r["likert_sum"] / r["likert_n"] if r["likert_n"] else None
        rows.append(
            {
                "offering__course_id": r["course_id"],
                "offering__course__title": r["course__title"],
                "issued": r["issued"],
                "answered": r["answered"],
                "avg": avg,
            }
        )
    # Best reaction first; courses without any score first, as the live query orders them (NULLs first).
    rows.sort(key=lambda row: (row["avg"] is not None, -(row["avg"] or 0)))
    return rows


def questionnaire_course_summary_live(*, user: Any, year: int) -> list[dict[str, Any]]:
    """`questionnaire_course_summary` computed now (one query; the summary's oracle in the tests)."""
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
            .order_by(F("avg").desc(nulls_first=True), "offering__course__title", "offering__course_id")
        )
    ]
    return rows


def questions_for(response: QuestionnaireResponse) -> list[Question]:
    return list(response.template.questions.all())


def answered_by(employee: Employee, limit: int = 20) -> list[QuestionnaireResponse]:
    """The questionnaires an employee answered, newest first."""
    return list(_answered_by(employee.pk)[:limit])


def _answered_by(employee_id: int) -> QuerySet[QuestionnaireResponse]:
    return (
        QuestionnaireResponse.objects.filter(respondent_id=employee_id, answered_at__isnull=False)
        .select_related("template", "offering__course", "enrollment__employee")
        .order_by("-answered_at")
    )


ANSWERED_SHOWN = 20
# The "Kuesioner evaluasi" page's two lists, compiled once per process (issue #13).
_DUE = Statement(lambda employee_id: due_questionnaires(employee_id=employee_id), employee_id=Param(-13_016_061))
_ANSWERED = Statement(lambda employee_id: _answered_by(employee_id)[:ANSWERED_SHOWN], employee_id=Param(-13_016_061))


def due_and_answered(*, employee_id: int | None) -> tuple[list[QuestionnaireResponse], list[QuestionnaireResponse]]:
    """`due_questionnaires(employee_id=...)` and the `ANSWERED_SHOWN` newest of `answered_by` (none without an
    employee record), by statements compiled once per process."""
    if not employee_id:
        return [], []
    due: list[QuestionnaireResponse] = _DUE.instances(employee_id=employee_id)
    answered: list[QuestionnaireResponse] = _ANSWERED.instances(employee_id=employee_id)
    return due, answered
