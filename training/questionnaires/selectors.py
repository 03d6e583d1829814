"""Reads of questionnaires: the employee's due ones, results and the per-course summary."""

from __future__ import annotations

from typing import Any

from django.db.models import Avg, Count, Q, QuerySet
from django.http import Http404

from people.access import admin_agency_q, scope_for
from people.models import Employee
from training.choices import QuestionKind
from training.models import Answer, Question, QuestionnaireResponse


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


def questions_for(response: QuestionnaireResponse) -> list[Question]:
    return list(response.template.questions.all())


def answered_by(employee: Employee, limit: int = 20) -> list[QuestionnaireResponse]:
    """The questionnaires an employee answered, newest first."""
    return list(
        QuestionnaireResponse.objects.filter(respondent=employee, answered_at__isnull=False)
        .select_related("template", "offering__course", "enrollment__employee")
        .order_by("-answered_at")[:limit]
    )
