"""Reads of questionnaires: the employee's due ones, results and the per-course summary."""

from __future__ import annotations

from typing import Any

from django.db.models import Avg, Count, F, Q, QuerySet, Sum
from django.http import Http404

from asn_portal.precompiled import Param, Statement
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
    scope = admin_agency_q(user)
    rates = [
        dict(r)
        for r in QuestionnaireRateSummary.objects.filter(scope)
        .values("kind", "respondent_role")
        .annotate(issued=Sum("issued"), answered=Sum("answered"))
        .order_by("kind", "respondent_role")
    ]
    per_q: list[dict[str, Any]] = []
    for r in (
        QuestionnaireQuestionSummary.objects.filter(scope, question__kind=QuestionKind.LIKERT)
        .values("question_id", "question__text", "question__dimension", "question__template__title", "question__order")
        .annotate(
            n=Sum("answers"),
            likert_n=Sum("likert_n"),
            likert_sum=Sum("likert_sum"),
            **{f"c{i}": Sum(f"c{i}") for i in range(1, 6)},
        )
        .order_by("question__template__title", "question__order", "question_id")
    ):
        row: dict[str, Any] = dict(r)
        row["avg"] = row.pop("likert_sum") / row["likert_n"] if row["likert_n"] else None
        del row["likert_n"]
        per_q.append(row)
    yes_no = [
        dict(r)
        for r in QuestionnaireQuestionSummary.objects.filter(scope, question__kind=QuestionKind.YES_NO)
        .values("question_id", "question__text")
        .annotate(yes=Sum("yes"), n=Sum("answers"))
        .order_by("question_id")
    ]
    base = QuestionnaireResponse.objects.filter(admin_agency_q(user, "enrollment__agency"))
    return _results(rates, per_q, yes_no, _comments(base))


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
    return [
        dict(row)
        for row in Answer.objects.filter(
            response__in=base.filter(answered_at__isnull=False),
            # implied by the line above, but said on the joined response too, so the walk down its answered_at
            # index skips the unanswered (NULL, first in a descending order) instead of reading every one
            response__answered_at__isnull=False,
            question__kind=QuestionKind.TEXT,
        )
        .exclude(text="")
        .order_by("-response__answered_at")
        .values("id", "text", course_title=F("response__offering__course__title"))[:50]
    ]


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
    rows: list[dict[str, Any]] = []
    for r in (
        QuestionnaireCourseSummary.objects.filter(admin_agency_q(user), year=year)
        .values("course_id", "course__title")
        .annotate(
            issued=Sum("issued"), answered=Sum("answered"), likert_n=Sum("likert_n"), likert_sum=Sum("likert_sum")
        )
        .order_by("course__title", "course_id")
    ):
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
