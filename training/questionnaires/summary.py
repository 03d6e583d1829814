"""Summary rows of the questionnaire results (kind "training.questionnaires"), kept current on change.

The inputs are the questionnaires issued (`services.questionnaire_issue`, the daily follow-up job) and answered
(`services.questionnaire_answer`): each calls `touch(agency_id)` for the enrolment's agency. The refresh rewrites
the agency's rows from three grouped queries: response rates per kind and role, answers per question, and per
course and year issued the responses and their 1–5 scores. `selectors.questionnaire_results` and
`selectors.questionnaire_course_summary` read them for the unfiltered report; the `_live` versions stay the oracle.
"""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear

from asn_portal import summaries
from training.choices import QuestionKind
from training.models import (
    Answer,
    QuestionnaireCourseSummary,
    QuestionnaireQuestionSummary,
    QuestionnaireRateSummary,
    QuestionnaireResponse,
)

KIND = "training.questionnaires"


def touch(*agency_ids: int | None) -> None:
    summaries.touch_all([KIND], agency_ids)


def refresh(agency_id: int) -> None:
    """Replace the agency's rows (runs inside `summaries.refresh`'s transaction)."""
    responses = QuestionnaireResponse.objects.filter(enrollment__agency_id=agency_id)
    rates = [
        QuestionnaireRateSummary(agency_id=agency_id, **r)
        for r in responses.values("kind", "respondent_role")
        .annotate(issued=Count("pk"), answered=Count("answered_at"))
        .order_by()
    ]
    answers = Answer.objects.filter(response__enrollment__agency_id=agency_id, response__answered_at__isnull=False)
    questions = [
        QuestionnaireQuestionSummary(agency_id=agency_id, **r)
        for r in answers.filter(question__kind__in=[QuestionKind.LIKERT, QuestionKind.YES_NO])
        .values("question_id")
        .annotate(
            answers=Count("pk"),
            likert_n=Count("likert"),
            likert_sum=Sum("likert", default=0),
            yes=Count("pk", filter=Q(yes_no=True)),
            **{f"c{i}": Count("pk", filter=Q(likert=i)) for i in range(1, 6)},
        )
        .order_by()
    ]
    courses = [
        QuestionnaireCourseSummary(
            agency_id=agency_id,
            course_id=r["offering__course_id"],
            year=r["year"],
            issued=r["issued"],
            answered=r["answered"],
            likert_n=r["likert_n"],
            likert_sum=r["likert_sum"],
        )
        for r in responses.annotate(year=ExtractYear("issued_on"))
        .values("offering__course_id", "year")
        .annotate(
            issued=Count("pk", distinct=True),
            answered=Count("pk", distinct=True, filter=Q(answered_at__isnull=False)),
            likert_n=Count("answers__likert"),
            likert_sum=Sum("answers__likert", default=0),
        )
        .order_by()
    ]
    for model in (QuestionnaireRateSummary, QuestionnaireQuestionSummary, QuestionnaireCourseSummary):
        model.objects.filter(agency_id=agency_id).delete()
    QuestionnaireRateSummary.objects.bulk_create(rates)
    QuestionnaireQuestionSummary.objects.bulk_create(questions, batch_size=2000)
    QuestionnaireCourseSummary.objects.bulk_create(courses, batch_size=2000)


def register() -> None:
    summaries.register(KIND, refresh)
