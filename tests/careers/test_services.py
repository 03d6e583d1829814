"""Career services on a real database: refusals write nothing; decisions are audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from asn_portal import summaries
from asn_portal.errors import ApplicationError, ConflictError
from asn_portal.models import AuditEntry, JobRun, Notification
from careers.choices import ActionSource, FollowUpStatus, ItemStatus, PlanStatus, ReviewStatus
from careers.followups import selectors as followup_selectors
from careers.followups import services as followup_services
from careers.mentoring import selectors as mentoring_selectors
from careers.mentoring import services as mentoring_services
from careers.models import (
    ActionItem,
    AppraisalFollowUp,
    CareerPlan,
    DevelopmentAction,
    MentoringSession,
    SessionMentee,
    TalentPlacement,
)
from careers.plans import services as plan_services
from careers.talent import selectors as talent_selectors
from careers.talent import services as talent_services
from careers.talent import summaries as talent_summaries
from tests.careers import factories as f

TODAY = dt.date(2026, 6, 15)
SOON = dt.date.today() + dt.timedelta(days=90)  # a development action's target lies ahead of the real today
pytestmark = pytest.mark.django_db


def _log(org, **kw):
    args = {
        "actor": org.head.user,
        "mentee_ids": [org.staff.pk],
        "held_on": dt.date(2026, 6, 10),
        "duration_minutes": 90,
        "mode": "in_person",
        "kind": "coaching",
        "topics": "Capaian RHK triwulan II",
        "action_items": [{"title": "Susun SOP", "owner_id": org.staff.pk, "due_date": dt.date(2026, 7, 1)}],
        "today": TODAY,
    }
    args.update(kw)
    return mentoring_services.session_log(**args)


# --- Career plans ----------------------------------------------------------------------------


def test_plan_for_another_person_is_refused(org) -> None:
    with pytest.raises(ApplicationError) as err:
        plan_services.plan_create(employee=org.staff, target_family="Analis", actor=org.head.user)
    assert err.value.status == 403
    assert not CareerPlan.objects.exists()


def test_plan_needs_a_target(org) -> None:
    with pytest.raises(ApplicationError):
        plan_services.plan_create(employee=org.staff, actor=org.staff.user)
    assert not CareerPlan.objects.exists()


def test_plan_is_agreed_by_the_head_with_comment_and_date(org) -> None:
    plan = plan_services.plan_create(employee=org.staff, target_family="Analis SDM", actor=org.staff.user)
    plan_services.action_add(
        plan=plan, kind="training", title="Diklat analis", due_date=TODAY, actor=org.staff.user, today=TODAY
    )
    plan_services.plan_submit(plan=plan, actor=org.staff.user)
    with pytest.raises(ApplicationError):  # a head of another unit may not agree it
        plan_services.plan_review(plan=plan, agree=True, comment="", actor=org.other_head.user, today=TODAY)
    plan_services.plan_review(plan=plan, agree=True, comment="Sepakat", actor=org.head.user, today=TODAY)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.AGREED
    assert plan.agreed_by == org.head
    assert plan.agreed_on == TODAY
    assert plan.head_comment == "Sepakat"
    assert plan.next_review_on == TODAY + dt.timedelta(days=365)
    assert AuditEntry.objects.filter(action="career_plan.agree", object_id=str(plan.pk)).exists()
    with pytest.raises(ConflictError):
        plan_services.plan_review(plan=plan, agree=True, comment="", actor=org.head.user, today=TODAY)


def test_sending_back_needs_a_comment(org) -> None:
    plan = f.plan(org.staff, status=PlanStatus.SUBMITTED)
    with pytest.raises(ApplicationError):
        plan_services.plan_review(plan=plan, agree=False, comment=" ", actor=org.head.user)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED


def test_draft_from_gaps_creates_one_action_per_gap(org) -> None:
    from competencies.models import Competency, CompetencyRequirement

    comp = Competency.objects.create(kind="managerial", code="INT", name="Integritas")
    CompetencyRequirement.objects.create(position=org.head.position, competency=comp, level=3)
    plan = f.plan(org.staff, target_position=org.head.position)
    created = plan_services.plan_draft_from_gaps(plan=plan, actor=org.staff.user, today=TODAY)
    assert len(created) == 1
    action = DevelopmentAction.objects.get(plan=plan)
    assert action.source == ActionSource.GAP and action.competency == comp
    assert "Integritas" in action.title and action.required_level == 3 and not action.current_level
    with pytest.raises(ApplicationError):  # only the owner drafts
        plan_services.plan_draft_from_gaps(plan=plan, actor=org.head.user, today=TODAY)
    assert plan_services.plan_draft_from_gaps(plan=plan, actor=org.staff.user, today=TODAY) == []


def test_action_status_transitions_are_compare_and_set(org) -> None:
    plan = f.plan(org.staff)
    action = plan_services.action_add(
        plan=plan, kind="self_study", title="Baca", due_date=TODAY, actor=org.staff.user, today=TODAY
    )
    plan_services.action_set_status(action=action, status="done", actor=org.staff.user, on=TODAY)
    stale = DevelopmentAction.objects.get(pk=action.pk)
    stale.status = "planned"
    with pytest.raises(ConflictError):
        plan_services.action_set_status(action=stale, status="in_progress", actor=org.staff.user)
    with pytest.raises(ApplicationError):
        plan_services.action_set_status(action=action, status="cancelled", actor=org.other_staff.user)


# --- Mentoring --------------------------------------------------------------------------------


def test_head_logs_a_session_with_an_action_item(org) -> None:
    session = _log(org, private_notes="hanya saya")
    assert list(session.participants.values_list("employee_id", flat=True)) == [org.staff.pk]
    item = ActionItem.objects.get(session=session)
    assert item.owner == org.staff and item.status == ItemStatus.OPEN
    assert Notification.objects.filter(user=org.staff.user).exists()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"held_on": TODAY + dt.timedelta(days=1)}, "masa depan"),
        ({"mentee_ids": []}, "minimal satu"),
        ({"action_items": [{"title": "Tanpa pemilik", "owner_id": None, "due_date": TODAY}]}, "penanggung jawab"),
        ({"action_items": [{"title": "Tanpa tanggal", "owner_id": 0, "due_date": None}]}, "penanggung jawab"),
    ],
)
def test_bad_session_input_is_refused_and_nothing_written(org, kwargs, message) -> None:
    with pytest.raises(ApplicationError) as err:
        _log(org, **kwargs)
    assert message in err.value.message
    assert not MentoringSession.objects.exists() and not ActionItem.objects.exists()


def test_mentee_outside_the_heads_units_is_refused(org) -> None:
    with pytest.raises(ApplicationError) as err:
        _log(org, mentee_ids=[org.staff.pk, org.other_staff.pk])
    assert err.value.status == 403
    assert err.value.extra["employee_ids"] == [org.other_staff.pk]
    assert not MentoringSession.objects.exists()
    with pytest.raises(ApplicationError):
        _log(org, mentee_ids=[org.foreign_staff.pk])


def test_assigned_mentor_may_log_with_their_mentee(org) -> None:
    from careers.models import MentorAssignment

    MentorAssignment.objects.create(mentor=org.staff2, mentee=org.other_staff, start_date=dt.date(2026, 1, 1))
    session = _log(org, actor=org.staff2.user, mentee_ids=[org.other_staff.pk], action_items=[])
    assert session.coach == org.staff2


def test_confirmation_credits_jp_once(org) -> None:
    from training.models import LearningRecord

    session = _log(org)
    part = mentoring_services.session_confirm(session=session, actor=org.staff.user)
    assert part.jp_credited == Decimal("1.5")
    record = LearningRecord.objects.get(employee=org.staff, source_type="careers.mentoring")
    assert record.jp == Decimal("1.5")
    with pytest.raises(ConflictError):
        mentoring_services.session_confirm(session=session, actor=org.staff.user)
    with pytest.raises(ApplicationError):
        mentoring_services.session_confirm(session=session, actor=org.staff2.user)
    assert LearningRecord.objects.filter(employee=org.staff).count() == 1


def test_feedback_needs_all_nine_items(org) -> None:
    session = _log(org)
    with pytest.raises(ApplicationError):
        mentoring_services.session_feedback(session=session, answers={"1": 4}, comment="", actor=org.staff.user)
    part = mentoring_services.session_feedback(
        session=session, answers={str(i): 4 for i in range(1, 10)}, comment="Bermanfaat", actor=org.staff.user
    )
    assert part.feedback["9"] == 4 and part.feedback_at is not None


def test_b19_observation_becomes_competency_evidence(org) -> None:
    from competencies.models import AssessmentResult, Competency

    comp = Competency.objects.create(kind="managerial", code="X1", name="Kerja sama")
    session = _log(org)
    with pytest.raises(ApplicationError):  # a reason is required
        mentoring_services.session_observe(
            session=session, employee_id=org.staff.pk, levels={comp.pk: (3, "")}, actor=org.head.user
        )
    rows = mentoring_services.session_observe(
        session=session, employee_id=org.staff.pk, levels={comp.pk: (4, "Aktif dalam tim")}, actor=org.head.user
    )
    assert rows[0].assessment_id is not None
    assert AssessmentResult.objects.filter(employee=org.staff, competency=comp, level=4).exists()
    with pytest.raises(ApplicationError):  # only the coach
        mentoring_services.session_observe(
            session=session, employee_id=org.staff.pk, levels={comp.pk: (4, "x")}, actor=org.staff.user
        )


def test_overdue_items_are_reminded_once_a_day(org) -> None:
    _log(org, action_items=[{"title": "Lapor", "owner_id": org.staff.pk, "due_date": dt.date(2026, 6, 11)}])
    counts = mentoring_services.remind_overdue_action_items(today=TODAY)
    assert counts == {"items": 1, "users": 1}
    assert mentoring_services.remind_overdue_action_items(today=TODAY)["items"] == 0
    assert JobRun.objects.filter(job="careers.remind_overdue_action_items").count() == 2


def test_cadence_counts_who_was_met(org, django_capture_on_commit_callbacks) -> None:
    summaries.refresh_all([org.agency.pk])
    with django_capture_on_commit_callbacks(execute=True):  # the session's refresh runs after its commit
        _log(org)
    rows = {r["unit"].pk: r for r in mentoring_selectors.cadence_by_unit(agency_id=org.agency.pk, today=TODAY, days=90)}
    assert rows[org.dinas.pk]["met"] == 1
    assert rows[org.dinas.pk]["not_met"] == rows[org.dinas.pk]["staff"] - 1


def test_cadence_reminder_sends_one_notification_per_head(org) -> None:
    from asn_portal.models import Notification

    _log(org)
    counts = mentoring_services.remind_cadence(today=TODAY)
    per_user = Notification.objects.filter(url="/karier/tim/").values_list("user_id", flat=True)
    assert sorted(per_user) == sorted(set(per_user))  # nobody notified twice
    assert counts["heads"] == len(per_user) >= 1
    assert org.head.user_id in per_user


# --- Talent -----------------------------------------------------------------------------------


def test_review_compute_places_people_from_predikat_and_jpm(org) -> None:
    f.predikat(org.staff, 2024, "sangat_baik")
    f.predikat(org.staff, 2025, "sangat_baik")
    f.jpm(org.staff, "93")
    f.predikat(org.staff2, 2025, "baik")
    f.jpm(org.staff2, "80")
    f.predikat(org.bidang_staff, 2025, "kurang")  # no JPM: not placed
    review = f.review(org.agency.pk, 2025, status=ReviewStatus.COMPUTING)
    counts = talent_services.review_compute(review.pk, chunk_size=2)
    boxes = dict(TalentPlacement.objects.filter(review=review).values_list("employee_id", "box"))
    assert boxes == {org.staff.pk: 9, org.staff2.pk: 5}
    assert counts["placed"] == 2 and counts["not_placed"] == counts["employees"] - 2
    review.refresh_from_db()
    assert review.status == ReviewStatus.COMPUTED and review.scheme["years"] == [2024, 2025]
    assert JobRun.objects.get(pk=review.job_run_id).status == "success"


def test_override_needs_a_reason_and_survives_recompute(org) -> None:
    f.predikat(org.staff, 2025, "baik")
    f.jpm(org.staff, "80")
    review = f.review(org.agency.pk, 2025, status=ReviewStatus.COMPUTING)
    talent_services.review_compute(review.pk)
    placement = TalentPlacement.objects.get(review=review, employee=org.staff)
    with pytest.raises(ApplicationError):
        talent_services.placement_override(placement=placement, box=8, reason="  ", actor=org.admin.user)
    with pytest.raises(ApplicationError):
        talent_services.placement_override(placement=placement, box=8, reason="Komite", actor=org.head.user)
    assert TalentPlacement.objects.get(pk=placement.pk).box == 5
    talent_services.placement_override(
        placement=placement, box=8, reason="Keputusan Komite Talenta", actor=org.admin.user
    )
    assert AuditEntry.objects.filter(action="talent_placement.override", reason="Keputusan Komite Talenta").exists()
    review.status = ReviewStatus.COMPUTING
    review.save()
    talent_services.review_compute(review.pk)
    again = TalentPlacement.objects.get(review=review, employee=org.staff)
    assert (again.box, again.computed_box, again.override_reason) == (8, 5, "Keputusan Komite Talenta")


def test_published_boxes_only_counts_published_reviews(org) -> None:
    old = f.review(org.agency.pk, 2024, status=ReviewStatus.COMPUTED)
    f.placement(old, org.staff, 7)
    assert talent_selectors.published_boxes([org.staff.pk]) == {}
    talent_services.review_publish(review=old, actor=org.admin.user)
    new = f.review(org.agency.pk, 2025)
    f.placement(new, org.staff, 9)
    assert talent_selectors.published_boxes([org.staff.pk, org.staff2.pk]) == {org.staff.pk: 7}
    talent_services.review_publish(review=new, actor=org.admin.user)
    assert talent_selectors.published_boxes([org.staff.pk]) == {org.staff.pk: 9}
    with pytest.raises(ConflictError):
        talent_services.review_publish(review=new, actor=org.admin.user)


def test_foreign_admin_cannot_publish(org) -> None:
    review = f.review(org.agency.pk)
    with pytest.raises(ApplicationError):
        talent_services.review_publish(review=review, actor=org.foreign_admin.user)


# --- Follow-up ----------------------------------------------------------------------------------


def test_follow_up_list_is_drafted_from_final_predikat(org) -> None:
    f.predikat(org.staff, 2025, "sangat_baik")
    f.predikat(org.staff2, 2025, "butuh_perbaikan")
    f.predikat(org.bidang_staff, 2025, "baik")
    counts = followup_services.follow_ups_draft(agency_id=org.agency.pk, year=2025)
    kinds = sorted(AppraisalFollowUp.objects.values_list("employee_id", "kind"))
    assert kinds == sorted([(org.staff.pk, "recognition"), (org.staff.pk, "development"), (org.staff2.pk, "coaching")])
    assert counts["drafted"] == 3
    assert followup_services.follow_ups_draft(agency_id=org.agency.pk, year=2025)["drafted"] == 0  # idempotent


def test_confirmed_coaching_plan_is_written_into_the_career_plan(org, django_capture_on_commit_callbacks) -> None:
    f.predikat(org.staff2, 2025, "kurang")
    with django_capture_on_commit_callbacks(execute=True):  # each change's summary refresh runs after commit
        followup_services.follow_ups_draft(agency_id=org.agency.pk, year=2025)
    item = AppraisalFollowUp.objects.get(employee=org.staff2)
    with pytest.raises(ApplicationError):  # adjusting needs a reason
        followup_services.follow_up_decide(item=item, decision=FollowUpStatus.ADJUSTED, reason="", actor=org.head.user)
    with pytest.raises(ApplicationError):  # not the head of this unit
        followup_services.follow_up_decide(
            item=item, decision=FollowUpStatus.CONFIRMED, reason="", actor=org.other_head.user
        )
    with django_capture_on_commit_callbacks(execute=True):
        followup_services.follow_up_decide(
            item=item,
            decision=FollowUpStatus.ADJUSTED,
            reason="Dua sesi cukup",
            sessions_planned=2,
            actor=org.head.user,
            today=TODAY,
        )
    plan = CareerPlan.objects.get(employee=org.staff2)
    actions = list(plan.actions.order_by("due_date"))
    assert [a.source for a in actions] == [ActionSource.FOLLOW_UP] * 2
    assert actions[0].kind == "mentoring"
    with django_capture_on_commit_callbacks(execute=True):  # the summary refresh runs after commit
        followup_services.follow_up_mark_done(item=item, actor=org.admin.user)
    item.refresh_from_db()
    assert item.status == FollowUpStatus.DONE
    progress = followup_selectors.follow_up_progress_by_unit(agency_id=org.agency.pk, year=2025)
    assert progress[0]["done"] == 1 and progress[0]["percent"] == 100


def test_yearly_plan_review_reminder(org) -> None:
    f.plan(org.staff, status=PlanStatus.AGREED, next_review_on=TODAY - dt.timedelta(days=1))
    assert plan_services.remind_plan_reviews(today=TODAY)["plans"] == 1
    assert plan_services.remind_plan_reviews(today=TODAY)["plans"] == 0


def test_session_participation_visible_to_mentee_only_with_private_notes_hidden(org) -> None:
    session = _log(org, private_notes="RAHASIA")
    assert mentoring_selectors.session_get_visible(user=org.staff.user, pk=session.pk)
    assert mentoring_selectors.private_notes_for(org.staff.user, session) == ""
    assert mentoring_selectors.private_notes_for(org.head.user, session) == "RAHASIA"
    with pytest.raises(Exception):  # noqa: B017 - Http404
        mentoring_selectors.session_get_visible(user=org.other_staff.user, pk=session.pk)
    assert SessionMentee.objects.count() == 1


def test_movement_between_reviews_and_pool_by_family(org) -> None:
    old = f.review(org.agency.pk, 2024, status=ReviewStatus.PUBLISHED)
    new = f.review(org.agency.pk, 2025, status=ReviewStatus.PUBLISHED)
    f.placement(old, org.staff, 7)
    f.placement(new, org.staff, 9)
    f.placement(old, org.staff2, 5)
    f.placement(new, org.staff2, 5)
    f.placement(new, org.bidang_staff, 8)  # new in this review: no movement row
    summaries.refresh(talent_summaries.KIND, org.agency.pk)  # factories write no summary rows
    assert talent_selectors.previous_review(new) == old
    for movement in (talent_selectors.movement, talent_selectors.movement_live):
        assert movement(user=org.admin.user, review=new, previous=old) == {(7, 9): 1, (5, 5): 1}
        assert movement(user=org.bidang_head.user, review=new, previous=old) == {}
    pool = talent_selectors.talent_pool_live(user=org.admin.user, review=new)
    assert sum(g["count"] for g in pool) == 2
