"""The demo tells one coherent story (issue #12): `manage.py seed_demo` at the size `make run` uses, then every
invariant checked set-wise on what was seeded: a realistic OPD structure whose reports roll up by OPD; every
supervisor derivation matches the unit head; the demo staff member's superior is the head who mentors her and
appraises her SKP; every confirmed mentoring session has its JP credit (once); every career plan's and SKP's
status matches its history; promotion proposals only for people the rules allow."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q
from django.db.models.functions import Lower
from django.utils import timezone

from asn_portal.models import AuditEntry
from careers.choices import ActionStatus
from careers.choices import PlanStatus as CareerStatus
from careers.credits import SOURCE_MENTORING, ledger_source_id
from careers.models import (
    AppraisalFollowUp,
    CareerPlan,
    CareerPlanVersion,
    DevelopmentAction,
    MentoringSession,
    SessionMentee,
)
from people.choices import ACTIVE_STATUSES, UnitKind
from people.models import Agency, Employee, OrgUnit, Position
from people.selectors import supervisor_ids_for
from performance.choices import EvaluationStatus
from performance.choices import PlanStatus as SkpStatus
from performance.models import Evaluation, Objection, PerformancePlan, PredikatRecord
from tests.asn_portal.fuzz_world import _Null, _reload_reference_data
from training.ledger.selectors import compliance_report
from training.models import LearningRecord

pytestmark = [pytest.mark.django_db]

EMPLOYEES = 300  # what `make run` seeds (DEMO_EMPLOYEES)


@pytest.fixture
def demo(db: Any) -> dict[str, Any]:
    _reload_reference_data()
    call_command("seed_demo", employees=EMPLOYEES, seed=1, verbosity=0, stdout=_Null(), stderr=_Null())
    from django.contrib.auth import get_user_model

    User = get_user_model()
    out = {}
    for code in ("medan", "pontianak"):
        out[code] = {
            "staff": Employee.objects.get(user=User.objects.get(username=f"demo.pegawai.{code}")),
            "head": Employee.objects.get(user=User.objects.get(username=f"demo.kepala.{code}")),
        }
    return out


def test_demo_tells_one_coherent_story(demo: dict[str, Any]) -> None:
    """One seed, every invariant: each check names what is wrong in the demo data."""
    _opd_structure()
    _supervisors_match_unit_heads()
    for code, story in demo.items():
        _staff_superior_is_her_mentor_and_appraiser(code, story["staff"], story["head"])
    _confirmed_sessions_are_credited_once()
    _career_plan_status_matches_history(demo)
    _skp_status_matches_history(demo)
    _promotion_proposals_match_eligibility()
    _predikat_imports_are_written_and_audited(demo)


def _predikat_imports_are_written_and_audited(demo: dict[str, Any]) -> None:
    """The admin's import page shows a confirmed batch per agency; its rows are the imported history."""
    from performance.models import PredikatImport

    for batch in PredikatImport.objects.all():
        assert batch.status == "confirmed" and batch.created_count == len(batch.rows) > 0, batch.file_name
        assert AuditEntry.objects.filter(action="performance.predikat.import", object_id=str(batch.pk)).count() == 1
        imported = {(r["employee_id"], r["year"], r["predikat"]) for r in batch.rows}
        stored = set(
            PredikatRecord.objects.filter(source="import", year__in={y for _e, y, _p in imported}).values_list(
                "employee_id", "year", "predikat"
            )
        )
        assert imported <= stored, batch.file_name
    assert {story["staff"].agency_id for story in demo.values()} <= set(
        PredikatImport.objects.values_list("agency_id", flat=True)
    )


def _opd_structure() -> None:
    for agency in Agency.objects.all():
        opds = OrgUnit.objects.filter(agency=agency, parent=None)
        kinds = set(opds.values_list("kind", flat=True))
        assert {UnitKind.SECRETARIAT, UnitKind.DINAS, UnitKind.BADAN, UnitKind.KECAMATAN} <= kinds, kinds
        assert not opds.filter(head_position=None).exists(), "every OPD has its own head post"
        sekda = opds.get(kind=UnitKind.SECRETARIAT).head_position_id
        heads_report_to = set(
            Position.objects.filter(headed_units__in=opds).exclude(pk=sekda).values_list("reports_to_id", flat=True)
        )
        assert heads_report_to == {sekda}, "every OPD head reports to the Sekretaris Daerah"
        # kecamatan hold seksi and kelurahan; dinas and badan hold bidang
        assert OrgUnit.objects.filter(agency=agency, parent__kind=UnitKind.KECAMATAN, kind=UnitKind.KELURAHAN).exists()
        assert OrgUnit.objects.filter(agency=agency, parent__kind=UnitKind.DINAS, kind=UnitKind.BIDANG).exists()
        assert Employee.objects.filter(agency=agency, unit__kind=UnitKind.KELURAHAN).exists()
        # a report rolled up by OPD shows each OPD, not one "Sekretariat Daerah"
        report = compliance_report(agency_id=agency.pk, year=timezone.localdate().year)
        names = {r["name"] for r in report["rows"]}
        assert len(names) == opds.count() >= 6, names
        assert any(n.startswith("Kecamatan ") for n in names) and "Dinas Pendidikan" in names


def _supervisors_match_unit_heads() -> None:
    """Without a Plt./Plh. override, a staff member's superior is the head of her unit (or its acting head);
    a unit head's superior is the head of the unit above; an OPD head's is the Sekretaris Daerah."""
    units = {u.pk: u for u in OrgUnit.objects.all()}
    active = Employee.objects.filter(status__in=ACTIVE_STATUSES)
    holder = dict(active.values_list("position_id", "pk"))
    assert (
        active.values("position_id")
        .filter(position__headed_units__isnull=False)
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
        == 0
    ), "a head post has one holder"
    sekda_holder = {
        u.agency_id: holder.get(u.head_position_id) for u in units.values() if u.kind == UnitKind.SECRETARIAT
    }
    rows = list(active.filter(supervisor_override=None).values_list("pk", "agency_id", "unit_id", "position_id"))
    derived = supervisor_ids_for([r[0] for r in rows])
    wrong = []
    for pk, agency_id, unit_id, position_id in rows:
        unit = units[unit_id]
        if position_id != unit.head_position_id:
            expected = holder.get(unit.head_position_id) or unit.acting_head_id
        elif unit.parent_id:
            parent = units[unit.parent_id]
            expected = holder.get(parent.head_position_id) or parent.acting_head_id
        else:
            expected = sekda_holder[agency_id]
        if expected == pk:
            expected = None
        if derived[pk] != expected:
            wrong.append((pk, unit.name, derived[pk], expected))
    assert not wrong, wrong[:10]


def _staff_superior_is_her_mentor_and_appraiser(code: str, staff: Employee, head: Employee) -> None:
    assert supervisor_ids_for([staff.pk])[staff.pk] == head.pk, f"{code}: the staff's superior is the demo head"
    assert staff.unit.head_position_id == head.position_id and staff.supervisor_override_id is None
    sessions = MentoringSession.objects.filter(participants__employee=staff)
    assert sessions.count() >= 6 and not sessions.exclude(coach=head).exists(), f"{code}: the head mentors her"
    assert SessionMentee.objects.filter(employee=staff, jp_credited__gt=0).count() >= 3
    skp = PerformancePlan.objects.get(employee=staff, year=timezone.localdate().year)
    assert skp.appraiser_id == head.pk and skp.status == SkpStatus.APPROVED
    plan = CareerPlan.objects.get(employee=staff)
    assert plan.status == CareerStatus.AGREED and plan.agreed_by_id == head.pk, plan.status


def _confirmed_sessions_are_credited_once() -> None:
    parts = SessionMentee.objects.all()
    assert parts.filter(jp_credited__gt=0).count() >= 20, "the demo has confirmed sessions"
    assert not parts.filter(confirmed_at=None).exclude(jp_credited=None).exists(), "JP only once confirmed"
    assert not parts.exclude(confirmed_at=None).filter(jp_credited=None).exists(), "a confirmation fixes the JP"
    credited = {
        (p.employee_id, ledger_source_id(p.session_id, p.employee_id)): p.jp_credited
        for p in parts.filter(jp_credited__gt=0)
    }
    ledger = {
        (r.employee_id, r.source_id): r.jp
        for r in LearningRecord.objects.filter(source_type=SOURCE_MENTORING).only("employee_id", "source_id", "jp")
    }
    assert credited == ledger, {
        "confirmed without JP in the ledger": len(set(credited) - set(ledger)),
        "ledger JP without a confirmation": len(set(ledger) - set(credited)),
        "different JP": sum(1 for k in set(credited) & set(ledger) if credited[k] != ledger[k]),
    }
    assert not LearningRecord.objects.filter(source_type=SOURCE_MENTORING).exclude(kind="mentoring").exists()
    twice = (
        parts.filter(jp_credited__gt=0)
        .values("employee_id", "session__coach_id", "session__held_on", topic=Lower("session__topics"))
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    assert not twice.exists(), "one meeting earns JP once"


def _career_plan_status_matches_history(demo: dict[str, Any]) -> None:
    plans = CareerPlan.objects.all()
    assert set(plans.values_list("status", flat=True)) >= {
        CareerStatus.DRAFT,
        CareerStatus.SUBMITTED,
        CareerStatus.AGREED,
        CareerStatus.REVISION,
    }
    agreed = plans.filter(status=CareerStatus.AGREED)
    assert not agreed.filter(Q(agreed_by=None) | Q(agreed_on=None) | Q(submitted_at=None)).exists()
    assert not plans.exclude(status=CareerStatus.AGREED).exclude(agreed_by=None, agreed_on=None).exists()
    assert not plans.filter(status=CareerStatus.DRAFT).exclude(submitted_at=None).exists()
    assert not plans.filter(status=CareerStatus.SUBMITTED, submitted_at=None).exists()
    assert not plans.filter(status=CareerStatus.REVISION, head_comment="").exists()
    sup = supervisor_ids_for(agreed.values_list("employee_id", flat=True))
    wrong = [(p, a) for p, e, a in agreed.values_list("pk", "employee_id", "agreed_by_id") if sup.get(e) != a]
    assert not wrong, f"agreed by someone other than the owner's superior: {wrong[:5]}"
    versions = dict(CareerPlanVersion.objects.values("plan_id").annotate(n=Count("pk")).values_list("plan_id", "n"))
    assert all(v == 1 + versions.get(pk, 0) for pk, v in plans.values_list("pk", "version"))
    actions = DevelopmentAction.objects.all()
    assert not actions.filter(status=ActionStatus.DONE, completed_on=None).exists()
    assert not actions.exclude(status=ActionStatus.DONE).exclude(completed_on=None).exists()
    # the plans a person clicking through sees were written and decided through the services: their audit
    # trail ends in the transition that gave them their status
    last_action = {
        CareerStatus.DRAFT: "career_plan.create",
        CareerStatus.SUBMITTED: "career_plan.submit",
        CareerStatus.AGREED: "career_plan.agree",
        CareerStatus.REVISION: "career_plan.revise",
    }
    trail_actions = [*last_action.values(), "career_plan.new_version"]  # a change to an agreed plan reopens it
    story_owners = set()
    for story in demo.values():
        story_owners |= {
            story["staff"].pk,
            *Employee.objects.filter(unit=story["head"].unit).values_list("pk", flat=True),
        }
    story_plans = plans.filter(employee_id__in=story_owners)
    assert story_plans.count() >= 4
    for plan in story_plans:
        trail = AuditEntry.objects.filter(
            object_type="careers.careerplan", object_id=str(plan.pk), action__in=trail_actions
        ).order_by("-created_at", "-pk")
        if not trail:  # drafted by the head's follow-up decision on last year's SKP (audited on the follow-up)
            assert plan.status == CareerStatus.DRAFT
            assert AppraisalFollowUp.objects.filter(plan_action__plan=plan).exists(), plan.pk
            continue
        last = trail[0].action
        assert last == last_action[plan.status] or (last, plan.status) == (trail_actions[-1], "draft"), (plan.pk, last)


def _skp_status_matches_history(demo: dict[str, Any]) -> None:
    year = timezone.localdate().year
    plans = PerformancePlan.objects.all()
    assert set(plans.filter(year=year).values_list("status", flat=True)) >= {
        SkpStatus.DRAFT,
        SkpStatus.SUBMITTED,
        SkpStatus.RETURNED,
        SkpStatus.APPROVED,
    }
    ids = list(plans.values_list("employee_id", flat=True).distinct())
    sup = supervisor_ids_for(ids)
    # the person appointed to a vacancy today moved after her SKPs were set (so did her old and new teams)
    from promotions.models import PositionVacancy

    moved = set(PositionVacancy.objects.exclude(appointed_on=None).values_list("chosen_id", flat=True))
    assert len(moved) >= 1, "the demo fills a vacancy"
    wrong = [
        (p, e)
        for p, e, a in plans.values_list("pk", "employee_id", "appraiser_id")
        if sup.get(e) != a and not {e, a, sup.get(e)} & moved
    ]
    assert not wrong, f"appraiser is not the direct superior: {wrong[:5]}"
    approved_or_later = [SkpStatus.APPROVED, SkpStatus.EVALUATED, SkpStatus.FINAL, SkpStatus.OBJECTED]
    assert not plans.filter(status__in=approved_or_later).filter(Q(submitted_at=None) | Q(approved_at=None)).exists()
    assert not plans.filter(status=SkpStatus.SUBMITTED).filter(Q(submitted_at=None) | ~Q(approved_at=None)).exists()
    assert not plans.filter(status=SkpStatus.DRAFT).exclude(submitted_at=None).exists()
    assert not plans.filter(status=SkpStatus.RETURNED, return_comment="").exists()
    final = plans.filter(status__in=[SkpStatus.FINAL, SkpStatus.OBJECTED])
    assert not final.filter(Q(predikat="") | Q(finalised_at=None)).exists()
    records = {
        (e, y): (p, pr)
        for e, y, p, pr in PredikatRecord.objects.values_list("employee_id", "year", "plan_id", "predikat")
    }
    missing = [
        pk
        for pk, e, y, pr in final.values_list("pk", "employee_id", "year", "predikat")
        if records.get((e, y)) != (pk, pr)
    ]
    assert not missing, f"final SKP without its predikat in the history: {missing[:5]}"
    assert not plans.filter(status=SkpStatus.OBJECTED).exclude(objections__isnull=False).exists()
    assert not Objection.objects.exclude(plan__status__in=[SkpStatus.OBJECTED, SkpStatus.RESOLVED]).exists()
    # the demo team's SKPs of this year were drafted, submitted and decided through the services: the last
    # transition in each audit trail gave the SKP its status
    last_action = {
        SkpStatus.DRAFT: "performance.plan.create",
        SkpStatus.SUBMITTED: "performance.plan.submit",
        SkpStatus.RETURNED: "performance.plan.return",
        SkpStatus.APPROVED: "performance.plan.approve",
    }
    for story in demo.values():
        written = AuditEntry.objects.filter(object_type="performance.performanceplan", action=last_action["draft"])
        team = plans.filter(
            year=year, appraiser=story["head"], pk__in=[int(i) for i in written.values_list("object_id", flat=True)]
        )
        assert set(team.values_list("status", flat=True)) == set(last_action), "one of each in the head's inbox"
        assert team.filter(employee=story["staff"]).exists()
        for plan in team:
            trail = AuditEntry.objects.filter(
                object_type="performance.performanceplan", object_id=str(plan.pk), action__in=list(last_action.values())
            ).order_by("-created_at", "-pk")
            assert trail.exists() and trail[0].action == last_action[plan.status], (plan.pk, plan.status)
    rated = Evaluation.objects.filter(status=EvaluationStatus.EVALUATED)
    # rated by the appraiser (the Sekretaris Daerah's appraiser, the regional head, has no employee record)
    by_appraiser = Q(evaluated_by_id=F("plan__appraiser_id")) | Q(evaluated_by=None, plan__appraiser=None)
    assert rated.exists() and not rated.exclude(by_appraiser).exists()
    assert not rated.exclude(plan__status__in=approved_or_later).exists()


def _promotion_proposals_match_eligibility() -> None:
    """Each open proposal is for someone the KP rules find eligible at its period, or records the exception;
    an approved one has moved its employee to the target rank."""
    from promotions import rules as kp
    from promotions import selectors as promo
    from promotions.models import PromotionProposal

    proposals = list(PromotionProposal.objects.select_related("period", "employee"))
    assert len(proposals) >= 4, "the demo has promotion proposals"
    tables = promo.load_tables()
    verdicts: Counter[str] = Counter()
    for p in proposals:
        if p.status == "approved":
            verdicts["promoted" if p.employee.rank_id == p.target_rank_id else "approved, rank unchanged"] += 1
            continue
        facts = promo.load_rank_facts(employee_ids=[p.employee_id], as_of=p.period.period_date).facts[0]
        ev = kp.evaluate(facts, p.period.period_date, tables, window_opens=p.period.submission_opens)
        explained = ev.eligible or (p.override_reason.strip() and p.failing_at_proposal)
        verdicts["eligible" if ev.eligible else "exception" if explained else "unexplained"] += 1
    assert verdicts["eligible"] >= 3 and verdicts["promoted"] >= 1, verdicts
    assert set(verdicts) <= {"eligible", "exception", "promoted"}, verdicts
