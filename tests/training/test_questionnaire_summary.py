"""The questionnaire report reads summary rows kept current by the services that issue and answer questionnaires;
after every kind of change they equal the live computation (`questionnaire_results_live`,
`questionnaire_course_summary_live`), the page shows them and says when, and a course's own results stay live."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from tests.people.factories import UserFactory
from training import jobs
from training.defaults import ensure_defaults
from training.enrolment import services as enrolment_services
from training.models import Enrollment, QuestionnaireResponse
from training.questionnaires import selectors
from training.questionnaires import services as questionnaires_services

from .factories import OfferingFactory, enrolled
from .test_services import _answers
from .test_views import client_for

pytestmark = pytest.mark.django_db(transaction=False)


def _results(data: dict[str, Any]) -> dict[str, Any]:
    def avg(v: Any) -> Any:
        return None if v is None else round(float(v), 6)

    return {
        "rates": [(r["kind"], r["respondent_role"], r["issued"], r["answered"], r["rate"]) for r in data["rates"]],
        "questions": [
            (q["question_id"], q["question__text"], q["question__template__title"], q["n"], avg(q["avg"]))
            + tuple(q["distribution"])
            for q in data["questions"]
        ],
        "yes_no": [(r["question_id"], r["yes"], r["n"]) for r in data["yes_no"]],
        "comments": [c["id"] for c in data["comments"]],
    }


def _courses(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [
        (
            r["offering__course_id"],
            r["offering__course__title"],
            r["issued"],
            r["answered"],
            None if r["avg"] is None else round(float(r["avg"]), 6),
        )
        for r in rows
    ]


def _assert_summary_equals_live(org: Any, year: int) -> dict[str, Any]:
    user = org.admin.user
    live = _results(selectors.questionnaire_results_live(user=user))
    assert _results(selectors.questionnaire_results(user=user)) == live
    courses = _courses(selectors.questionnaire_course_summary_live(user=user, year=year))
    assert _courses(selectors.questionnaire_course_summary(user=user, year=year)) == courses
    # the page's one round trip (statements compiled once per process for the admin of one agency) gives what
    # the querysets give, to the last key, with and without the year's per-course summary
    assert selectors._one_agency(user) == org.agency.pk
    for y in (year, None):
        report = selectors.questionnaire_report(user=user, year=y)
        with pytest.MonkeyPatch.context() as m:
            m.setattr(selectors, "_one_agency", lambda user: None)
            assert selectors.questionnaire_report(user=user, year=y) == report
        assert report[0] == selectors.questionnaire_results(user=user)
        if y is not None:
            assert report[1] == selectors.questionnaire_course_summary(user=user, year=y)
            assert _courses(report[1]) == courses
    return {**live, "courses": courses}


def _complete(org: Any, employee: Any, jp: str = "16") -> Enrollment:
    e = enrolled(OfferingFactory(course__agency=org.agency, course__jp=Decimal(jp)), employee)
    enrolment_services.enrollment_complete(enrollment=e, actor=org.admin.user)
    return Enrollment.objects.get(pk=e.pk)


def test_summary_equals_live_after_every_kind_of_change(org: Any, django_capture_on_commit_callbacks: Any) -> None:
    ensure_defaults()
    year = timezone.localdate().year
    run = django_capture_on_commit_callbacks
    with run(execute=True):  # completions issue the reaction questionnaire (questionnaire_issue)
        first = _complete(org, org.staff)
        second = _complete(org, org.staff2)
    live = _assert_summary_equals_live(org, year)
    assert live["rates"] and live["rates"][0][2:4] == (2, 0) and len(live["courses"]) == 2
    with run(execute=True):  # answered, with different scores
        for e, score in ((first, 5), (second, 2)):
            resp = QuestionnaireResponse.objects.get(enrollment=e)
            questionnaires_services.questionnaire_answer(
                response=resp, answers=_answers(resp, likert=score), actor=e.employee.user
            )
    live = _assert_summary_equals_live(org, year)
    assert live["questions"] and live["comments"] and live["rates"][0][2:4] == (2, 2)
    assert first.completed_on is not None
    with run(execute=True), time_machine.travel(first.completed_on + dt.timedelta(days=91)):
        assert jobs.issue_due_followups(timezone.localdate()) == 4  # the daily job: participants and supervisor
    live = _assert_summary_equals_live(org, year)
    assert ("followup", "supervisor", 2, 0, 0) in live["rates"]
    sup = QuestionnaireResponse.objects.get(enrollment=first, kind="followup", respondent_role="supervisor")
    with run(execute=True):  # the supervisor's follow-up (yes/no: applied at work)
        questionnaires_services.questionnaire_answer(response=sup, answers=_answers(sup, yes="ya"), actor=org.head.user)
    live = _assert_summary_equals_live(org, year)
    assert live["yes_no"] and live["yes_no"][-1][1:] == (1, 1)
    # another agency's admin sees none of it; a superuser (every agency: the querysets) sees it all
    foreign = selectors.questionnaire_results(user=org.foreign_admin.user)
    assert not foreign["rates"] and not foreign["questions"]
    root = UserFactory(is_superuser=True)
    assert selectors._one_agency(root) is None
    everything = selectors.questionnaire_results(user=root)
    assert _results(everything) == _results(selectors.questionnaire_results_live(user=root)) and everything["rates"]


def test_report_page_reads_the_summary_and_a_course_stays_live(
    org: Any, django_capture_on_commit_callbacks: Any
) -> None:
    ensure_defaults()
    with django_capture_on_commit_callbacks(execute=True):
        e = _complete(org, org.staff)
        resp = QuestionnaireResponse.objects.get(enrollment=e)
        answers = _answers(resp, likert=4)
        questionnaires_services.questionnaire_answer(response=resp, answers=answers, actor=org.staff.user)
    c = client_for(org.admin)
    html = c.get("/pelatihan/laporan/kuesioner/").content.decode()
    assert "Data dihitung pada" in html and "1/1" in html
    # the comment with its course's title (read live, shown in the report's cached tables)
    assert f'Diterapkan di bidang <span class="text-body-secondary">— {e.offering.course.title}</span>' in html
    # a questionnaire answered after the last refresh (its refresh not yet run): the course's own page sees it
    other = _complete(org, org.staff2)
    other_resp = QuestionnaireResponse.objects.get(enrollment=other)
    questionnaires_services.questionnaire_answer(
        response=other_resp, answers=_answers(other_resp, likert=2), actor=org.staff2.user
    )
    course_page = c.get(f"/pelatihan/laporan/kuesioner/?course={other.offering.course_id}").content.decode()
    assert "1/1" in course_page and "Data dihitung pada" not in course_page


def test_report_page_query_count_does_not_grow(org: Any, django_capture_on_commit_callbacks: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ensure_defaults()
    c = client_for(org.admin)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert c.get("/pelatihan/laporan/kuesioner/").status_code == 200
        return len(ctx.captured_queries)

    with django_capture_on_commit_callbacks(execute=True):
        _complete(org, org.staff)
    small = count()
    with django_capture_on_commit_callbacks(execute=True):
        for e in (_complete(org, org.staff2), _complete(org, org.bidang_staff)):
            resp = QuestionnaireResponse.objects.get(enrollment=e)
            questionnaires_services.questionnaire_answer(
                response=resp, answers=_answers(resp, likert=3), actor=e.employee.user
            )
    # 1 session, 2 user, 3 scope, 4 rates, questions, yes/no, comments and the year's courses (one round trip of
    # precompiled statements), 5 the course filter's agency, 6 when the summary was computed, 7 notification badge
    assert count() == small == 7
