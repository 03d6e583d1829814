"""The subjects of the separation-of-duties walk (test_separation_of_duties.py): for each decision, a record
owned by the actor, and how to read the state that must not change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from careers.choices import FollowUpKind, FollowUpStatus
from careers.choices import PlanStatus as CareerPlanStatus
from careers.models import AppraisalFollowUp
from people.models import AgencyRole
from performance.choices import PlanStatus
from performance.models import Evaluation, Objection, PerformancePlan, UnitCalibration, UnitPerformance
from promotions.choices import VacancyStatus
from promotions.models import PositionVacancy, PromotionProposal, VacancyCandidate
from tests.careers import factories as cf
from tests.conftest import Org
from tests.people.factories import EmployeeFactory, PositionFactory, rank
from tests.performance import factories as pf
from tests.promotions.factories import period as promotion_period
from tests.training.factories import OfferingFactory, enrolled
from training.choices import QuestionnaireKind, RespondentRole, VerificationStatus
from training.defaults import ensure_defaults
from training.models import Enrollment, LearningRecord, QuestionnaireResponse, QuestionnaireTemplate

SELF = "Anda tidak dapat memutuskan atas data Anda sendiri."
CANDIDATE = "Anda tidak dapat memutuskan karena Anda termasuk kandidat pada lowongan ini."
OWN_UNIT = "Anda tidak dapat memutuskan atas unit kerja Anda sendiri; predikat Anda ikut ditentukan olehnya."
OWN_SESSION = "Anda tidak dapat mengonfirmasi sesi bimbingan yang Anda bimbing sendiri."

Ctx = dict[str, Any]
Door = Callable[[Ctx], tuple[str, dict[str, Any]]]


@dataclass
class Case:
    """One decision: how to build a subject owned by the actor, each door's request, and what must not change."""

    make: Callable[[Org], Ctx]
    state: Callable[[Ctx], Any]
    api: Door | None = None
    page: Door | None = None
    message: str = SELF


# --- subjects ---------------------------------------------------------------------------------------


def _skp(status: str, **kw: Any) -> Callable[[Org], Ctx]:
    def make(org: Org) -> Ctx:
        plan = pf.plan(org.admin, status=status, **kw)
        periods = pf.periods(org.agency)
        return {"actor": org.admin, "plan": plan, "quarter": periods[0], "annual": periods[-1]}

    return make


def _skp_state(ctx: Ctx) -> Any:
    plan = PerformancePlan.objects.get(pk=ctx["plan"].pk)
    return plan.status, plan.predikat, Evaluation.objects.filter(plan=plan).exclude(predikat="").count()


def _objection(org: Org) -> Ctx:
    ctx = _skp(PlanStatus.OBJECTED, predikat="baik")(org)
    ctx["objection"] = Objection.objects.create(plan=ctx["plan"], reason="Nilai terlalu rendah")
    return ctx


def _unit(org: Org) -> Ctx:
    periods = pf.periods(org.agency)
    return {"actor": org.admin, "unit": org.admin.unit, "period": periods[0]}


def _unit_rated(org: Org) -> Ctx:
    ctx = _unit(org)
    UnitPerformance.objects.create(unit=ctx["unit"], period=ctx["period"], rating="baik")
    return ctx


def _unit_state(ctx: Ctx) -> Any:
    return (
        list(UnitPerformance.objects.filter(unit=ctx["unit"]).values_list("rating", flat=True)),
        UnitCalibration.objects.filter(unit=ctx["unit"], status="final").exists(),
    )


def _enrolment(status: str, requires_approval: bool = False) -> Callable[[Org], Ctx]:
    def make(org: Org) -> Ctx:
        offering = OfferingFactory(course__agency=org.agency, requires_approval=requires_approval)
        return {"actor": org.admin, "enrollment": enrolled(offering, org.admin, status=status)}

    return make


def _enrolment_state(ctx: Ctx) -> Any:
    e = Enrollment.objects.get(pk=ctx["enrollment"].pk)
    return e.status, e.decided_by_id, LearningRecord.objects.filter(employee_id=e.employee_id).count()


def _learning_record(org: Org) -> Ctx:
    record = LearningRecord.objects.create(
        employee=org.admin,
        agency=org.agency,
        year=timezone.localdate().year,
        date=timezone.localdate(),
        jp=Decimal("40"),
        title="Seminar daring",
        kind="external",
        source_type="external",
        source_id="sod-1",
        status=VerificationStatus.PENDING,
        certificate_number="SERT-1",
    )
    return {"actor": org.admin, "record": record}


def _supervisor_questionnaire(org: Org) -> Ctx:
    ensure_defaults()
    offering = OfferingFactory(course__agency=org.agency)
    enrollment = enrolled(offering, org.admin, status="completed")
    template = QuestionnaireTemplate.objects.filter(
        kind=QuestionnaireKind.FOLLOWUP, respondent_role=RespondentRole.SUPERVISOR
    ).first()
    response = QuestionnaireResponse.objects.create(
        template=template,
        enrollment=enrollment,
        offering=offering,
        respondent=org.admin,
        kind=QuestionnaireKind.FOLLOWUP,
        respondent_role=RespondentRole.SUPERVISOR,
        issued_on=timezone.localdate(),
    )
    answers = {
        str(q.pk): ("ya" if q.kind == "yes_no" else "4" if q.kind == "likert" else "Diterapkan")
        for q in template.questions.all()
    }
    return {"actor": org.admin, "response": response, "answers": answers}


def _career_plan(org: Org) -> Ctx:
    return {"actor": org.head, "plan": cf.plan(org.head, status=CareerPlanStatus.SUBMITTED)}


def _mentoring(org: Org) -> Ctx:
    return {"actor": org.head, "session": cf.session(org.head, [org.head, org.staff])}


def _placement(org: Org) -> Ctx:
    review = cf.review(org.agency.pk)
    return {"actor": org.admin, "review": review, "placement": cf.placement(review, org.admin, 5)}


def _follow_up(org: Org) -> Ctx:
    item = AppraisalFollowUp.objects.create(
        agency=org.agency,
        unit=org.admin.unit,
        employee=org.admin,
        year=timezone.localdate().year - 1,
        predikat="sangat_baik",
        kind=FollowUpKind.DEVELOPMENT,
        status=FollowUpStatus.PROPOSED,
    )
    return {"actor": org.admin, "item": item}


def _proposal(status: str) -> Callable[[Org], Ctx]:
    def make(org: Org) -> Ctx:
        period = promotion_period(dt.date(timezone.localdate().year + 1, 4, 1))
        proposal = PromotionProposal.objects.create(
            period=period,
            agency=org.agency,
            employee=org.admin,
            kind="reguler",
            status=status,
            current_rank=rank("III/a"),
            target_rank=rank("III/b"),
            rule_version="uji",
        )
        return {"actor": org.admin, "proposal": proposal, "period": period}

    return make


def _proposal_state(ctx: Ctx) -> Any:
    p = PromotionProposal.objects.get(pk=ctx["proposal"].pk)
    return p.status, p.decree_number, ctx["actor"].rank_history.count()


def _vacancy(*, committee: bool = False, chosen_self: bool = False) -> Callable[[Org], Ctx]:
    """A vacancy whose candidates include the actor: a BKD admin, or a Tim Penilai Kinerja member."""

    def make(org: Org) -> Ctx:
        actor = org.admin
        if committee:
            actor = EmployeeFactory(unit=org.other_dinas, name="Anggota Tim Penilai")
            AgencyRole.objects.create(user=actor.user, agency=org.agency, role="committee")
        vacancy = PositionVacancy.objects.create(
            agency=org.agency,
            position=PositionFactory(unit=org.dinas, title="Kepala Bidang Baru"),
            status=VacancyStatus.DECIDED if chosen_self else VacancyStatus.OPEN,
            chosen=actor if chosen_self else None,
            chosen_rank=1 if chosen_self else None,
        )
        VacancyCandidate.objects.create(
            vacancy=vacancy, employee=org.staff, rank=1, merit_score=Decimal("80"), seniority_rank=1
        )
        VacancyCandidate.objects.create(
            vacancy=vacancy, employee=actor, rank=20, merit_score=Decimal("61"), seniority_rank=2
        )
        return {"actor": actor, "vacancy": vacancy, "other": org.staff}

    return make


def _vacancy_state(ctx: Ctx) -> Any:
    v = PositionVacancy.objects.get(pk=ctx["vacancy"].pk)
    candidates = list(VacancyCandidate.objects.filter(vacancy=v).order_by("rank").values_list("employee_id", "rank"))
    return v.status, v.chosen_id, v.decree_number, candidates, ctx["actor"].position_history.count()


def _competency(org: Org) -> Ctx:
    from tests.competencies.factories import national

    return {"actor": org.admin, "competency": national()[0]}


def _assessment(org: Org) -> Ctx:
    from tests.competencies.factories import record

    ctx = _competency(org)
    ctx["assessment"] = record(org.admin, {ctx["competency"].pk: 2})
    return ctx


def _assessments_of(ctx: Ctx) -> Any:
    from competencies.models import CompetencyAssessment

    return list(CompetencyAssessment.objects.filter(employee=ctx["actor"]).values_list("pk", flat=True))
