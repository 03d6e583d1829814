"""Kirkpatrick questionnaires after training: issuing them and recording the answers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from asn_portal.errors import ApplicationError, ConflictError
from asn_portal.services import notify
from people import decisions
from people.models import Employee
from training import rules
from training.choices import QuestionKind, RespondentRole
from training.common import actor_employee_id, users_of
from training.models import Answer, Enrollment, Question, QuestionnaireResponse, QuestionnaireTemplate
from training.questionnaires import summary as questionnaire_summary


def _template_for(kind: str, role: str, agency_id: int) -> QuestionnaireTemplate | None:
    return (
        QuestionnaireTemplate.objects.filter(kind=kind, respondent_role=role, is_active=True)
        .filter(agency_id__in=[agency_id])
        .first()
        or QuestionnaireTemplate.objects.filter(kind=kind, respondent_role=role, is_active=True, agency=None).first()
    )


def questionnaire_issue(
    *, enrollment: Enrollment, kind: str, role: str, on: dt.date, respondent_id: int | None = None, actor: Any
) -> QuestionnaireResponse | None:
    """Issue a questionnaire about one enrolment to the participant or their supervisor (once). `actor` is who
    completed the enrolment (the issue is part of that audited decision), None when a job issues it."""
    template = _template_for(kind, role, enrollment.agency_id)
    if template is None:
        return None
    respondent_id = respondent_id or enrollment.employee_id
    response, created = QuestionnaireResponse.objects.get_or_create(
        enrollment=enrollment,
        kind=kind,
        respondent_role=role,
        defaults={
            "template": template,
            "offering_id": enrollment.offering_id,
            "respondent_id": respondent_id,
            "issued_on": on,
        },
    )
    if created:
        questionnaire_summary.touch(enrollment.agency_id)
    if created and role == RespondentRole.SUPERVISOR:
        notify(
            users=users_of([respondent_id]),
            title=_("Evaluasi pascapelatihan bawahan Anda"),
            url=reverse("training:questionnaire-answer", args=[response.pk]),
        )
    return response


@dataclass
class _Parsed:
    """The answers of one submission: the rows to store, each question's problem, and what they say."""

    rows: list[Answer] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    applied: bool | None = None
    comment: str = ""


def _parse_likert(q: Question, raw: Any, parsed: _Parsed) -> None:
    try:
        value = int(raw) if raw not in (None, "") else None
    except (TypeError, ValueError):
        value = 0
    if problem := rules.likert_problem(value, required=q.required):
        parsed.errors[str(q.pk)] = problem
    elif value is not None:
        parsed.rows.append(Answer(question=q, likert=value))


def _parse_yes_no(q: Question, raw: Any, parsed: _Parsed) -> None:
    if raw in (None, ""):
        if q.required:
            parsed.errors[str(q.pk)] = _("Pertanyaan ini wajib dijawab.")
        return
    yes = str(raw).lower() in ("1", "true", "ya", "yes", "on")
    parsed.rows.append(Answer(question=q, yes_no=yes))
    if q.confirms_application:
        parsed.applied = yes


def _parse_text(q: Question, raw: Any, parsed: _Parsed) -> None:
    text = str(raw or "").strip()
    if not text:
        if q.required:
            parsed.errors[str(q.pk)] = _("Pertanyaan ini wajib dijawab.")
        return
    parsed.rows.append(Answer(question=q, text=text[:5000]))
    parsed.comment = parsed.comment or text


_PARSERS: dict[str, Callable[[Question, Any, _Parsed], None]] = {
    QuestionKind.LIKERT: _parse_likert,
    QuestionKind.YES_NO: _parse_yes_no,
}


def _parse_answers(questions: list[Question], answers: Mapping[str, Any]) -> _Parsed:
    parsed = _Parsed()
    for q in questions:
        raw = answers.get(str(q.pk), answers.get(q.pk)) if isinstance(answers, Mapping) else None  # type: ignore[call-overload]
        _PARSERS.get(q.kind, _parse_text)(q, raw, parsed)
    return parsed


def _check_respondent(response: QuestionnaireResponse, actor: Any) -> None:
    if actor_employee_id(actor) != response.respondent_id:
        raise ApplicationError(_("Kuesioner ini tidak ditujukan kepada Anda."), status=403)
    if response.respondent_role == RespondentRole.SUPERVISOR:
        # The supervisor's follow-up confirms the participant applied the training (competency evidence):
        # the participant never confirms it for themselves (issue #11).
        decisions.ensure_may_decide(
            actor, Enrollment.objects.values_list("employee_id", flat=True).get(pk=response.enrollment_id)
        )
    if response.answered_at is not None:
        raise ConflictError(_("Kuesioner ini sudah dijawab."))


def questionnaire_answer(
    *, response: QuestionnaireResponse, answers: Mapping[str, Any], actor: Any
) -> QuestionnaireResponse:
    """Record the respondent's answers once. A supervisor's follow-up confirming application records
    competency evidence (method "penilaian atasan setelah pelatihan") for the course's competencies."""
    _check_respondent(response, actor)
    parsed = _parse_answers(list(response.template.questions.all()), answers)
    if parsed.errors:
        raise ApplicationError(_("Periksa kembali jawaban Anda."), {"fields": parsed.errors})
    with transaction.atomic():
        changed = QuestionnaireResponse.objects.filter(pk=response.pk, answered_at__isnull=True).update(
            answered_at=timezone.now(), applied=parsed.applied
        )
        if not changed:
            raise ConflictError(_("Kuesioner ini sudah dijawab."))
        for row in parsed.rows:
            row.response = response
        Answer.objects.bulk_create(parsed.rows)
        questionnaire_summary.touch(
            Enrollment.objects.filter(pk=response.enrollment_id).values_list("agency_id", flat=True).first()
        )
        response.refresh_from_db()
        if response.respondent_role == RespondentRole.SUPERVISOR and parsed.applied:
            _record_competency_evidence(response, parsed.comment, actor)
    return response


def _record_competency_evidence(response: QuestionnaireResponse, comment: str, actor: Any) -> None:
    from competencies import services as competency_services  # lower layer: allowed

    enrollment = Enrollment.objects.select_related("offering__course", "employee").get(pk=response.enrollment_id)
    course = enrollment.offering.course
    levels = {cc.competency_id: cc.target_level for cc in course.course_competencies.all()}
    if not levels:
        return
    assessor = Employee.objects.get(pk=response.respondent_id)
    assessment = competency_services.assessment_record(
        employee=enrollment.employee,
        assessed_on=timezone.localdate(),
        purpose="mapping",
        method="supervisor_after_training",
        assessor=assessor.full_name,
        levels=levels,
        evidence=_("Atasan menegaskan penerapan hasil pelatihan %(c)s. %(t)s") % {"c": course.title, "t": comment},
        actor=actor,
    )
    QuestionnaireResponse.objects.filter(pk=response.pk).update(assessment_id=assessment.pk)
    response.assessment_id = assessment.pk
