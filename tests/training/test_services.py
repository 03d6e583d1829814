"""Services against PostgreSQL: the JP ledger, the enrolment state machine, questionnaires, jobs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from asn_portal.errors import ApplicationError
from asn_portal.models import AuditEntry, JobRun, Notification
from training import jobs
from training.choices import EnrollmentStatus as S
from training.defaults import ensure_defaults
from training.enrolment import services as enrolment_services
from training.external import services as external_services
from training.ledger import selectors as ledger_selectors
from training.ledger import services as ledger_services
from training.models import CourseOffering, Enrollment, LearningRecord, QuestionnaireResponse, YearlyJpSummary
from training.needs import selectors as needs_selectors
from training.questionnaires import services as questionnaires_services

from .factories import CourseFactory, OfferingFactory, develops, enrolled

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _defaults(db: Any) -> None:
    ensure_defaults()


def test_learning_credit_is_idempotent(org: Any) -> None:
    kwargs: dict[str, Any] = {
        "employee": org.staff,
        "jp": Decimal("8"),
        "on_date": dt.date(2026, 3, 1),
        "title": "Mentoring",
        "source_type": "careers.mentoring",
        "source_id": 7,
        "actor": org.head.user,
    }
    first = ledger_services.learning_credit(**kwargs)
    second = ledger_services.learning_credit(**kwargs)
    assert first.pk == second.pk
    assert LearningRecord.objects.filter(employee=org.staff).count() == 1
    assert ledger_selectors.jp_totals([org.staff.pk, org.staff2.pk], 2026) == {
        org.staff.pk: Decimal("8"),
        org.staff2.pk: 0,
    }
    assert first.kind == "mentoring"


@pytest.mark.parametrize("jp", ["-5", "0", "9999", "abc"])
def test_absurd_jp_is_refused_and_nothing_written(org: Any, jp: str) -> None:
    with pytest.raises(ApplicationError):
        ledger_services.learning_credit(
            employee=org.staff, jp=jp, on_date=dt.date(2026, 3, 1), title="X", source_type="x", source_id=1, actor=None
        )
    assert not LearningRecord.objects.exists()


def test_jp_in_competencies_counts_each_record_once(org: Any) -> None:
    from tests.competencies.factories import national

    m = national()
    course = CourseFactory(agency=org.agency, jp=Decimal("24"))
    develops(course, m[0], 3)
    develops(course, m[1], 3)  # two matching competencies must not double the JP
    other = CourseFactory(agency=org.agency, jp=Decimal("10"))
    ledger_services.learning_credit(
        employee=org.staff,
        jp=course.jp,
        on_date=dt.date(2026, 2, 1),
        title="a",
        source_type="t",
        source_id=1,
        actor=None,
        course=course,
    )
    ledger_services.learning_credit(
        employee=org.staff,
        jp=other.jp,
        on_date=dt.date(2026, 2, 1),
        title="b",
        source_type="t",
        source_id=2,
        actor=None,
        course=other,
    )
    got = ledger_selectors.jp_in_competencies([org.staff.pk], [m[0].pk, m[1].pk], dt.date(2025, 1, 1))
    assert got == {org.staff.pk: Decimal("24")}


def test_self_enrolment_takes_a_seat_then_the_waiting_list(org: Any) -> None:
    offering = OfferingFactory(course__agency=org.agency, capacity=1)
    first = enrolment_services.enrollment_request(employee=org.staff, offering=offering, actor=org.staff.user)
    second = enrolment_services.enrollment_request(employee=org.staff2, offering=offering, actor=org.staff2.user)
    assert (first.status, second.status) == (S.ENROLLED, S.WAITLISTED)
    offering.refresh_from_db()
    assert offering.seats_taken == 1
    assert AuditEntry.objects.filter(action="training.enrollment_request").count() == 2


def test_enrolling_twice_is_refused(org: Any) -> None:
    offering = OfferingFactory(course__agency=org.agency)
    enrolment_services.enrollment_request(employee=org.staff, offering=offering, actor=org.staff.user)
    with pytest.raises(ApplicationError, match="sudah terdaftar"):
        enrolment_services.enrollment_request(employee=org.staff, offering=offering, actor=org.staff.user)
    assert Enrollment.objects.count() == 1


def test_enrolling_outside_the_window_is_refused(org: Any) -> None:
    today = timezone.localdate()
    offering = OfferingFactory(
        course__agency=org.agency, enrol_open=today - dt.timedelta(days=30), enrol_close=today - dt.timedelta(days=1)
    )
    with pytest.raises(ApplicationError, match="ditutup"):
        enrolment_services.enrollment_request(employee=org.staff, offering=offering, actor=org.staff.user)
    assert not Enrollment.objects.exists()


def test_enrolling_without_eligibility_is_refused(org: Any) -> None:
    offering = OfferingFactory(course__agency=org.agency, course__eligible_position_kinds=["administrator"])
    with pytest.raises(ApplicationError, match="Jenis jabatan"):
        enrolment_services.enrollment_request(employee=org.staff, offering=offering, actor=org.staff.user)
    assert not Enrollment.objects.exists()


def test_missing_prerequisite_is_refused(org: Any) -> None:
    pkp = CourseFactory(agency=org.agency, title="PKP")
    offering = OfferingFactory(course__agency=org.agency)
    offering.course.prerequisites.add(pkp)
    with pytest.raises(ApplicationError, match="Prasyarat"):
        enrolment_services.enrollment_request(employee=org.staff, offering=offering, actor=org.staff.user)


def test_another_agency_cannot_enrol(org: Any) -> None:
    offering = OfferingFactory(course__agency=org.agency)
    with pytest.raises(ApplicationError):
        enrolment_services.enrollment_request(
            employee=org.foreign_staff, offering=offering, actor=org.foreign_staff.user
        )


def test_request_is_approved_by_the_supervisor(org: Any) -> None:
    offering = OfferingFactory(course__agency=org.agency, requires_approval=True)
    e = enrolment_services.enrollment_request(employee=org.staff, offering=offering, actor=org.staff.user)
    assert e.status == S.REQUESTED
    assert Notification.objects.filter(user=org.head.user, title__contains="Permohonan pelatihan").exists()
    with pytest.raises(ApplicationError):
        enrolment_services.enrollment_approve(enrollment=e, actor=org.other_head.user)  # not their team
    enrolment_services.enrollment_approve(enrollment=e, actor=org.head.user)
    e.refresh_from_db()
    assert e.status == S.ENROLLED


def test_decline_needs_a_reason(org: Any) -> None:
    offering = OfferingFactory(course__agency=org.agency, requires_approval=True)
    e = enrolment_services.enrollment_request(employee=org.staff, offering=offering, actor=org.staff.user)
    with pytest.raises(ApplicationError, match="Alasan"):
        enrolment_services.enrollment_decline(enrollment=e, reason=" ", actor=org.head.user)
    enrolment_services.enrollment_decline(enrollment=e, reason="Beban kerja akhir tahun", actor=org.head.user)
    assert Enrollment.objects.get(pk=e.pk).status == S.DECLINED


def test_head_nomination_skips_approval(org: Any) -> None:
    offering = OfferingFactory(course__agency=org.agency, requires_approval=True)
    e = enrolment_services.enrollment_request(
        employee=org.staff, offering=offering, actor=org.head.user, nominated_by=org.head
    )
    assert e.status == S.ENROLLED
    with pytest.raises(ApplicationError):
        enrolment_services.enrollment_request(employee=org.other_staff, offering=offering, actor=org.head.user)


def test_cancellation_promotes_the_first_on_the_waiting_list(org: Any) -> None:
    offering = OfferingFactory(course__agency=org.agency, capacity=1)
    a = enrolment_services.enrollment_request(employee=org.staff, offering=offering, actor=org.staff.user)
    b = enrolment_services.enrollment_request(employee=org.staff2, offering=offering, actor=org.staff2.user)
    c = enrolment_services.enrollment_request(employee=org.bidang_staff, offering=offering, actor=org.bidang_staff.user)
    enrolment_services.enrollment_cancel(enrollment=a, reason="Sakit", actor=org.staff.user)
    statuses = dict(Enrollment.objects.values_list("pk", "status"))
    assert statuses == {a.pk: S.CANCELLED, b.pk: S.ENROLLED, c.pk: S.WAITLISTED}
    assert CourseOffering.objects.get(pk=offering.pk).seats_taken == 1
    assert Notification.objects.filter(user=org.staff2.user, title__contains="Kursi tersedia").exists()


def test_completion_credits_jp_exactly_once_and_issues_the_reaction_questionnaire(org: Any) -> None:
    offering = OfferingFactory(course__agency=org.agency, course__jp=Decimal("24"))
    e = enrolled(offering, org.staff)
    enrolment_services.enrollment_mark_attended(enrollment=e, actor=org.admin.user)
    enrolment_services.enrollment_complete(enrollment=e, actor=org.admin.user, certificate_number="BKD/001")
    with pytest.raises(ApplicationError):
        enrolment_services.enrollment_complete(enrollment=Enrollment.objects.get(pk=e.pk), actor=org.admin.user)
    year = timezone.localdate().year
    assert ledger_selectors.jp_totals([org.staff.pk], year)[org.staff.pk] == Decimal("24")
    assert LearningRecord.objects.filter(employee=org.staff).count() == 1
    q = QuestionnaireResponse.objects.get(enrollment=e)
    assert (q.kind, q.respondent_id, q.answered_at) == ("reaction", org.staff.pk, None)


def test_only_bkd_marks_completion(org: Any) -> None:
    e = enrolled(OfferingFactory(course__agency=org.agency), org.staff)
    with pytest.raises(ApplicationError):
        enrolment_services.enrollment_complete(enrollment=e, actor=org.head.user)
    with pytest.raises(ApplicationError):
        enrolment_services.enrollment_complete(enrollment=e, actor=org.foreign_admin.user)
    assert not LearningRecord.objects.exists()


def test_attendance_for_someone_not_enrolled_is_refused(org: Any) -> None:
    offering = OfferingFactory(course__agency=org.agency)
    e = enrolled(offering, org.staff, status="waitlisted")
    with pytest.raises(ApplicationError, match="terdaftar"):
        enrolment_services.enrollment_mark_attended(enrollment=e, actor=org.admin.user)
    assert Enrollment.objects.get(pk=e.pk).status == S.WAITLISTED


def _completed(org: Any, jp: str = "16") -> Enrollment:
    e = enrolled(OfferingFactory(course__agency=org.agency, course__jp=Decimal(jp)), org.staff)
    enrolment_services.enrollment_complete(enrollment=e, actor=org.admin.user)
    return e


def _answers(resp: QuestionnaireResponse, likert: int = 4, yes: str = "ya") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for q in resp.template.questions.all():
        out[str(q.pk)] = likert if q.kind == "likert" else yes if q.kind == "yes_no" else "Diterapkan di bidang"
    return out


def test_questionnaire_answered_once_and_only_by_its_respondent(org: Any) -> None:
    e = _completed(org)
    resp = QuestionnaireResponse.objects.get(enrollment=e)
    with pytest.raises(ApplicationError, match="tidak ditujukan"):
        questionnaires_services.questionnaire_answer(response=resp, answers=_answers(resp), actor=org.staff2.user)
    bad = _answers(resp, likert=7)
    with pytest.raises(ApplicationError):
        questionnaires_services.questionnaire_answer(response=resp, answers=bad, actor=org.staff.user)
    questionnaires_services.questionnaire_answer(response=resp, answers=_answers(resp), actor=org.staff.user)
    resp.refresh_from_db()
    with pytest.raises(ApplicationError, match="sudah dijawab"):
        questionnaires_services.questionnaire_answer(response=resp, answers=_answers(resp), actor=org.staff.user)
    assert resp.answers.count() == resp.template.questions.count()


def test_followup_after_90_days_to_participant_and_supervisor_and_evidence_recorded(org: Any) -> None:
    from competencies.models import CompetencyAssessment
    from tests.competencies.factories import national

    e = _completed(org)
    develops(e.offering.course, national()[0], 3)
    completed_on = Enrollment.objects.get(pk=e.pk).completed_on
    assert completed_on is not None
    assert jobs.issue_due_followups(completed_on + dt.timedelta(days=89)) == 0
    with time_machine.travel(completed_on + dt.timedelta(days=91)):
        counts = jobs.daily()
    assert counts["followups_issued"] == 2
    sup = QuestionnaireResponse.objects.get(enrollment=e, kind="followup", respondent_role="supervisor")
    assert sup.respondent_id == org.head.pk
    assert JobRun.objects.filter(job="training.daily", status="success").exists()
    assert jobs.issue_due_followups(completed_on + dt.timedelta(days=92)) == 0  # idempotent
    questionnaires_services.questionnaire_answer(response=sup, answers=_answers(sup, yes="ya"), actor=org.head.user)
    sup.refresh_from_db()
    assert sup.applied is True and sup.assessment_id
    a = CompetencyAssessment.objects.get(pk=sup.assessment_id)
    assert a.method == "supervisor_after_training" and a.employee_id == org.staff.pk


def test_reminder_after_seven_days_is_sent_once(org: Any) -> None:
    e = _completed(org)
    resp = QuestionnaireResponse.objects.get(enrollment=e)
    issued = resp.issued_on
    assert jobs.remind_non_respondents(issued + dt.timedelta(days=6)) == 0
    assert jobs.remind_non_respondents(issued + dt.timedelta(days=7)) == 1
    assert jobs.remind_non_respondents(issued + dt.timedelta(days=8)) == 0


def test_daily_job_closes_windows_and_promotes_waiting_lists(org: Any) -> None:
    today = timezone.localdate()
    stale = OfferingFactory(
        course__agency=org.agency, enrol_open=today - dt.timedelta(days=20), enrol_close=today - dt.timedelta(days=1)
    )
    roomy = OfferingFactory(course__agency=org.agency, capacity=2)
    w = enrolled(roomy, org.staff, status="waitlisted")
    counts = jobs.daily(today)
    assert counts["windows_closed"] == 1 and counts["promoted"] == 1
    assert CourseOffering.objects.get(pk=stale.pk).status == "closed"
    assert Enrollment.objects.get(pk=w.pk).status == S.ENROLLED


def test_external_learning_counts_after_verification(org: Any) -> None:
    record = external_services.external_learning_record(
        employee=org.staff,
        title="Webinar USU",
        fmt="e_learning",
        provider="USU",
        on_date=timezone.localdate(),
        hours=Decimal("6"),
        certificate_number="USU/1",
        actor=org.staff.user,
    )
    assert record.jp == Decimal("6.00") and record.status == "pending"  # e-learning: 1 JP per hour (default)
    year = timezone.localdate().year
    assert ledger_selectors.jp_totals([org.staff.pk], year)[org.staff.pk] == 0
    with pytest.raises(ApplicationError):
        external_services.learning_verify(record=record, approve=True, actor=org.foreign_admin.user)
    external_services.learning_verify(record=record, approve=True, actor=org.admin.user)
    assert ledger_selectors.jp_totals([org.staff.pk], year)[org.staff.pk] == Decimal("6.00")


def test_external_learning_without_certificate_is_refused(org: Any) -> None:
    with pytest.raises(ApplicationError, match="sertifikat"):
        external_services.external_learning_record(
            employee=org.staff,
            title="X",
            fmt="seminar",
            provider="Y",
            on_date=timezone.localdate(),
            jp=Decimal("4"),
            actor=org.staff.user,
        )
    assert not LearningRecord.objects.exists()


def test_monthly_reminder_only_from_july(org: Any) -> None:
    assert jobs.monthly_jp_reminder(dt.date(2026, 3, 1)) == {"skipped": 1}
    counts = jobs.monthly_jp_reminder(dt.date(2026, 8, 1))
    assert counts["staff_reminded"] >= 5 and counts["heads_reminded"] >= 1
    assert Notification.objects.filter(user=org.staff.user, title__contains="20 JP").exists()


def test_yearly_summary_is_an_upsert(org: Any) -> None:
    ledger_services.learning_credit(
        employee=org.staff,
        jp=Decimal("22"),
        on_date=dt.date(2025, 5, 1),
        title="a",
        source_type="t",
        source_id=1,
        actor=None,
    )
    jobs.yearly_summary(2025)
    jobs.yearly_summary(2025)
    row = YearlyJpSummary.objects.get(employee=org.staff, year=2025)
    assert row.jp_total == Decimal("22") and row.met_target
    assert YearlyJpSummary.objects.filter(year=2025, employee=org.staff2, met_target=False).exists()


def test_recommendations_rank_by_gap_closed_then_availability(org: Any) -> None:
    from tests.competencies.factories import national, record, set_standard

    m = national()
    set_standard(org.staff.position, [4, 3], m[:2])
    record(org.staff, {m[0].pk: 1, m[1].pk: 2})  # gaps: 3 and 1
    big = CourseFactory(agency=org.agency, title="Besar")
    develops(big, m[0], 4)  # closes 3
    small = CourseFactory(agency=org.agency, title="Kecil")
    develops(small, m[1], 5)  # closes 1 (capped at the standard)
    partial = CourseFactory(agency=org.agency, title="Sebagian")
    develops(partial, m[0], 2)  # closes 1, and has an open offering
    OfferingFactory(course=partial)
    unrelated = CourseFactory(agency=org.agency, title="Lain")
    develops(unrelated, m[2], 5)
    foreign = CourseFactory(agency=org.other_agency)
    develops(foreign, m[0], 5)
    got = needs_selectors.recommended_courses(employee=org.staff)
    assert [(c.title, c.gap_closed) for c in got] == [("Besar", 3), ("Sebagian", 1), ("Kecil", 1)]


def test_recommendations_cost_the_same_queries_for_2_and_40_courses(org: Any, django_assert_num_queries: Any) -> None:
    from tests.competencies.factories import national, record, set_standard

    m = national()
    set_standard(org.staff.position, [4, 4], m[:2])
    record(org.staff, {m[0].pk: 1, m[1].pk: 1})
    for i in range(2):
        develops(CourseFactory(agency=org.agency), m[i % 2], 3)
    # gap rows (position, requirements, current levels), ranking query, prefetch of competencies
    with django_assert_num_queries(5) as small:
        assert len(needs_selectors.rank_recommended_courses(employee=org.staff)) == 2
    for i in range(38):
        develops(CourseFactory(agency=org.agency), m[i % 2], 3)
    with django_assert_num_queries(len(small.captured_queries)):
        assert len(needs_selectors.rank_recommended_courses(employee=org.staff)) == 10
    # Through the cache: the first read ranks (gap rows, inputs' digest, ranking, prefetch), the next ones
    # only read the gaps and the digest of the other inputs.
    with django_assert_num_queries(6):
        assert len(needs_selectors.recommended_courses(employee=org.staff)) == 10
    with django_assert_num_queries(4):
        assert len(needs_selectors.recommended_courses(employee=org.staff)) == 10
