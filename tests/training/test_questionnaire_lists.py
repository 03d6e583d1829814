"""The "Kuesioner evaluasi" page's two lists are read by statements compiled once per process (issue #13): they
equal the ORM's `due_questionnaires` and `answered_by` for the participant, their supervisor (questionnaires about
someone else), someone with none and a user without an employee record."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from training.defaults import ensure_defaults
from training.models import QuestionnaireResponse
from training.questionnaires import selectors
from training.questionnaires import services as questionnaires_services

from .factories import OfferingFactory, enrolled

pytestmark = pytest.mark.django_db


def _shown(rows: list[QuestionnaireResponse]) -> list[tuple[Any, ...]]:
    return [
        (
            r.pk,
            r.template.title,
            r.offering.course.title,
            r.respondent_role,
            r.enrollment.employee.full_name,
            r.issued_on,
            r.answered_at,
        )
        for r in rows
    ]


def test_due_and_answered_equal_the_orm_for_every_kind_of_user(org: Any) -> None:
    ensure_defaults()
    today = timezone.localdate()
    now = timezone.now()
    for i in range(26):
        who = org.staff if i % 2 else org.staff2
        e = enrolled(OfferingFactory(course__agency=org.agency, course__title=f"Pelatihan {i}"), who, "completed")
        on = today - dt.timedelta(days=i % 5)
        for kind, role, respondent in (("reaction", "participant", None), ("followup", "supervisor", org.head.pk)):
            r = questionnaires_services.questionnaire_issue(
                enrollment=e, kind=kind, role=role, on=on, respondent_id=respondent, actor=None
            )
            assert r is not None
            if (i % 3 == 0) if respondent is None else (i < 22):  # the head answered more than the page shows
                at = now - dt.timedelta(minutes=(i * 7) % 26, seconds=len(role))
                QuestionnaireResponse.objects.filter(pk=r.pk).update(answered_at=at)
    for emp in (org.staff, org.staff2, org.head, org.other_staff, org.admin):
        employee_id = emp.pk
        due, answered = selectors.due_and_answered(employee_id=employee_id)
        assert _shown(due) == _shown(list(selectors.due_questionnaires(employee_id=employee_id))), emp.name
        assert _shown(answered) == _shown(selectors.answered_by(emp)), emp.name
    head_due, head_answered = selectors.due_and_answered(employee_id=org.head.pk)
    assert len(head_due) == 26 - 22 and len(head_answered) == selectors.ANSWERED_SHOWN
    assert selectors.due_and_answered(employee_id=None) == ([], [])
