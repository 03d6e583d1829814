"""A double click on "Daftar" (or a retried API request) enrols the employee once."""

from __future__ import annotations

from typing import Any

import pytest

from asn_portal.errors import ApplicationError
from tests.concurrency import at_once
from tests.people.factories import EmployeeFactory, OrgUnitFactory
from training.enrolment import services as enrolment_services
from training.models import Enrollment

from .factories import OfferingFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_same_enrolment_requested_twice_at_once_is_one_row(org: Any) -> None:
    unit = OrgUnitFactory()
    offering = OfferingFactory(course__agency=unit.agency, capacity=10)
    employee = EmployeeFactory(unit=unit)
    results = at_once(
        lambda i: enrolment_services.enrollment_request(employee=employee, offering=offering, actor=employee.user), n=4
    )
    assert Enrollment.objects.filter(offering=offering, employee=employee).count() == 1
    losers = [r for r in results if isinstance(r, Exception)]
    assert len(losers) == 3
    assert all(isinstance(r, ApplicationError) for r in losers), losers


def test_a_questionnaire_submitted_twice_at_once_is_answered_once(org: Any) -> None:
    """A double click on "Kirim" for a reaction questionnaire: one set of answers, a clear refusal for the other."""
    from decimal import Decimal

    from training.defaults import ensure_defaults
    from training.models import QuestionnaireResponse
    from training.questionnaires import services as questionnaires_services

    from .factories import enrolled

    ensure_defaults()  # the questionnaire templates (seeded by a data migration, flushed by transactional tests)
    enrollment = enrolled(OfferingFactory(course__agency=org.agency, course__jp=Decimal("16")), org.staff)
    enrolment_services.enrollment_complete(enrollment=enrollment, actor=org.admin.user)
    response = QuestionnaireResponse.objects.get(enrollment=enrollment)
    questions = list(response.template.questions.all())
    answers = {
        str(q.pk): 4 if q.kind == "likert" else "ya" if q.kind == "yes_no" else "Diterapkan di bidang"
        for q in questions
    }

    def answer(i: int) -> Any:
        fresh = QuestionnaireResponse.objects.get(pk=response.pk)
        return questionnaires_services.questionnaire_answer(response=fresh, answers=answers, actor=org.staff.user)

    results = at_once(answer, n=3)
    assert response.answers.count() == len(questions)
    losers = [r for r in results if isinstance(r, Exception)]
    assert len(losers) == 2 and all(isinstance(r, ApplicationError) for r in losers), losers
