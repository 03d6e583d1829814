"""Separation of duties (issue #11): nobody decides on their own record, nor on a vacancy they are a
candidate for. Every decision is walked through both front doors (API and page) with the subject as the
actor: the API answers 403 with the Indonesian message, the page shows it, and nothing changes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from careers.models import AppraisalFollowUp, SessionMentee, TalentPlacement
from people import decisions
from performance.choices import ObjectionStatus, PlanStatus
from performance.models import Objection, PerformancePlan
from promotions.choices import ProposalStatus
from promotions.models import PositionVacancy, PromotionProposal, VacancyCandidate
from tests.asn_portal.sod_subjects import (
    CANDIDATE,
    OWN_SESSION,
    OWN_UNIT,
    SELF,
    Case,
    _assessment,
    _assessments_of,
    _career_plan,
    _competency,
    _enrolment,
    _enrolment_state,
    _follow_up,
    _learning_record,
    _mentoring,
    _objection,
    _placement,
    _proposal,
    _proposal_state,
    _skp,
    _skp_state,
    _supervisor_questionnaire,
    _unit,
    _unit_rated,
    _unit_state,
    _vacancy,
    _vacancy_state,
)
from tests.conftest import Org, api_as
from tests.people.factories import PositionFactory, make_hr_admin, rank
from tests.performance import factories as pf
from tests.training.factories import OfferingFactory
from training.models import Enrollment, LearningRecord, QuestionnaireResponse

# --- the walk -----------------------------------------------------------------------------------------

API = "/api/v1"
TODAY = dt.date.today().isoformat()

CASES: dict[str, Case] = {
    "skp-approve": Case(
        _skp(PlanStatus.SUBMITTED),
        _skp_state,
        api=lambda c: (f"{API}/performance-plans/{c['plan'].pk}/approve/", {}),
        page=lambda c: (f"/kinerja/skp/{c['plan'].pk}/approve/", {}),
    ),
    "skp-return": Case(
        _skp(PlanStatus.SUBMITTED),
        _skp_state,
        api=lambda c: (f"{API}/performance-plans/{c['plan'].pk}/return/", {"comment": "Perbaiki"}),
        page=lambda c: (f"/kinerja/skp/{c['plan'].pk}/return/", {"comment": "Perbaiki"}),
    ),
    "skp-evaluate-quarter": Case(
        _skp(PlanStatus.APPROVED),
        _skp_state,
        api=lambda c: (
            f"{API}/performance-plans/{c['plan'].pk}/evaluate/",
            {"period": c["quarter"].pk, "result_rating": "above", "behaviour_rating": "above"},
        ),
        page=lambda c: (
            f"/kinerja/skp/{c['plan'].pk}/nilai/",
            {"period": c["quarter"].pk, "result_rating": "above", "behaviour_rating": "above"},
        ),
    ),
    "skp-evaluate-annual": Case(
        _skp(PlanStatus.APPROVED),
        _skp_state,
        api=lambda c: (
            f"{API}/performance-plans/{c['plan'].pk}/evaluate/",
            {"period": c["annual"].pk, "result_rating": "above", "behaviour_rating": "above"},
        ),
        page=lambda c: (
            f"/kinerja/skp/{c['plan'].pk}/nilai/",
            {"period": c["annual"].pk, "result_rating": "above", "behaviour_rating": "above"},
        ),
    ),
    "skp-finalise": Case(
        _skp(PlanStatus.EVALUATED, predikat="sangat_baik"),
        _skp_state,
        api=lambda c: (f"{API}/performance-plans/{c['plan'].pk}/finalise/", {}),
        page=lambda c: (f"/kinerja/skp/{c['plan'].pk}/finalise/", {}),
    ),
    "skp-objection-decision": Case(
        _objection,
        lambda c: (_skp_state(c), Objection.objects.get(pk=c["objection"].pk).status),
        page=lambda c: (
            f"/kinerja/keberatan/{c['objection'].pk}/putus/",
            {"upheld": "1", "new_predikat": "sangat_baik", "decision": "Keberatan diterima"},
        ),
    ),
    "unit-rating": Case(
        _unit,
        _unit_state,
        api=lambda c: (
            f"{API}/unit-performance/",
            {"unit": c["unit"].pk, "period": c["period"].pk, "rating": "istimewa"},
        ),
        page=lambda c: (
            f"/kinerja/predikat-unit/?period={c['period'].pk}",
            {"unit": c["unit"].pk, "period": c["period"].pk, "rating": "istimewa"},
        ),
        message=OWN_UNIT,
    ),
    "calibration-finalise": Case(
        _unit_rated,
        _unit_state,
        page=lambda c: (
            f"/kinerja/kalibrasi/{c['period'].pk}/{c['unit'].pk}/finalkan/",
            {"justification": "Sesuai kinerja"},
        ),
        message=OWN_UNIT,
    ),
    "competency-assessment": Case(
        _competency,
        _assessments_of,
        api=lambda c: (
            f"{API}/assessments/",
            {
                "employee": c["actor"].pk,
                "assessed_on": TODAY,
                "purpose": "filling",
                "method": "assessment_center",
                "results": [{"competency": c["competency"].pk, "level": 5}],
            },
        ),
        page=lambda c: (
            "/kompetensi/asesmen/tambah/",
            {
                "nip": c["actor"].nip,
                "assessed_on": TODAY,
                "purpose": "filling",
                "method": "assessment_center",
                f"level_{c['competency'].pk}": 5,
            },
        ),
    ),
    "competency-assessment-removal": Case(
        _assessment,
        _assessments_of,
        page=lambda c: (f"/kompetensi/asesmen/{c['assessment'].pk}/", {"reason": "Nilai terlalu rendah"}),
    ),
    "training-approve": Case(
        _enrolment("requested", requires_approval=True),
        _enrolment_state,
        api=lambda c: (f"{API}/enrollments/{c['enrollment'].pk}/approve/", {}),
        page=lambda c: (f"/pelatihan/pendaftaran/{c['enrollment'].pk}/approve/", {}),
    ),
    "training-decline": Case(
        _enrolment("requested", requires_approval=True),
        _enrolment_state,
        api=lambda c: (f"{API}/enrollments/{c['enrollment'].pk}/decline/", {"reason": "Kuota penuh"}),
        page=lambda c: (f"/pelatihan/pendaftaran/{c['enrollment'].pk}/decline/", {"reason": "Kuota penuh"}),
    ),
    "training-attend": Case(
        _enrolment("enrolled"),
        _enrolment_state,
        api=lambda c: (f"{API}/enrollments/{c['enrollment'].pk}/attend/", {}),
        page=lambda c: (f"/pelatihan/pendaftaran/{c['enrollment'].pk}/attend/", {}),
    ),
    "training-complete": Case(
        _enrolment("enrolled"),
        _enrolment_state,
        api=lambda c: (f"{API}/enrollments/{c['enrollment'].pk}/complete/", {}),
        page=lambda c: (f"/pelatihan/pendaftaran/{c['enrollment'].pk}/complete/", {}),
    ),
    "training-fail": Case(
        _enrolment("enrolled"),
        _enrolment_state,
        api=lambda c: (f"{API}/enrollments/{c['enrollment'].pk}/fail/", {"reason": "Tidak lulus ujian"}),
        page=lambda c: (f"/pelatihan/pendaftaran/{c['enrollment'].pk}/fail/", {"reason": "Tidak lulus ujian"}),
    ),
    "learning-record-verification": Case(
        _learning_record,
        lambda c: LearningRecord.objects.get(pk=c["record"].pk).status,
        api=lambda c: (f"{API}/learning-records/{c['record'].pk}/verify/", {"approve": True}),
        page=lambda c: ("/pelatihan/verifikasi/", {"record": c["record"].pk, "decision": "approve"}),
    ),
    "training-supervisor-confirmation": Case(
        _supervisor_questionnaire,
        lambda c: QuestionnaireResponse.objects.get(pk=c["response"].pk).answered_at,
        api=lambda c: (f"{API}/questionnaires/{c['response'].pk}/answer/", {"answers": c["answers"]}),
        page=lambda c: (f"/pelatihan/kuesioner/{c['response'].pk}/", c["answers"]),
    ),
    "career-plan-agreement": Case(
        _career_plan,
        lambda c: type(c["plan"]).objects.get(pk=c["plan"].pk).status,
        api=lambda c: (f"{API}/career-plans/{c['plan'].pk}/review/", {"agree": True, "comment": ""}),
        page=lambda c: (f"/karier/rencana/{c['plan'].pk}/", {"op": "review", "r-decision": "agree", "r-comment": ""}),
    ),
    "mentoring-confirmation": Case(
        _mentoring,
        lambda c: list(SessionMentee.objects.filter(session=c["session"]).values_list("confirmed_at", flat=True)),
        api=lambda c: (f"{API}/mentoring-sessions/{c['session'].pk}/confirm/", {}),
        page=lambda c: (f"/karier/bimbingan/{c['session'].pk}/konfirmasi/", {}),
        message=OWN_SESSION,
    ),
    "talent-review-override": Case(
        _placement,
        lambda c: TalentPlacement.objects.get(pk=c["placement"].pk).box,
        api=lambda c: (
            f"{API}/talent-reviews/{c['review'].pk}/placements/{c['placement'].pk}/override/",
            {"box": 9, "reason": "Potensi tinggi"},
        ),
        page=lambda c: (
            f"/karier/talenta/{c['review'].pk}/kotak/5/",
            {"placement": c["placement"].pk, "o-box": 9, "o-reason": "Potensi tinggi"},
        ),
    ),
    "appraisal-follow-up-decision": Case(
        _follow_up,
        lambda c: AppraisalFollowUp.objects.get(pk=c["item"].pk).status,
        api=lambda c: (f"{API}/appraisal-follow-ups/{c['item'].pk}/decide/", {"decision": "confirmed", "reason": ""}),
        page=lambda c: ("/karier/tindak-lanjut/", {"item": c["item"].pk, "decision": "confirmed", "reason": ""}),
    ),
    "promotion-proposal": Case(
        _proposal(ProposalStatus.REJECTED),
        lambda c: PromotionProposal.objects.filter(employee=c["actor"]).count(),
        api=lambda c: (
            f"{API}/promotion-proposals/",
            {"employee": c["actor"].pk, "period": c["period"].pk, "override_reason": "Berprestasi"},
        ),
    ),
    "promotion-verification": Case(
        _proposal(ProposalStatus.PROPOSED),
        _proposal_state,
        api=lambda c: (f"{API}/promotion-proposals/{c['proposal'].pk}/verify/", {}),
        page=lambda c: (f"/kenaikan-pangkat/usulan/{c['proposal'].pk}/verify/", {}),
    ),
    "promotion-decree": Case(
        _proposal(ProposalStatus.SENT),
        _proposal_state,
        api=lambda c: (
            f"{API}/promotion-proposals/{c['proposal'].pk}/approve/",
            {"decree_number": "SK-1/2026", "decree_date": TODAY},
        ),
        page=lambda c: (
            f"/kenaikan-pangkat/usulan/{c['proposal'].pk}/approve/",
            {"decree_number": "SK-1/2026", "decree_date": TODAY},
        ),
    ),
    "promotion-rejection": Case(
        _proposal(ProposalStatus.PROPOSED),
        _proposal_state,
        api=lambda c: (f"{API}/promotion-proposals/{c['proposal'].pk}/reject/", {"reason": "Berkas kurang"}),
        page=lambda c: (f"/kenaikan-pangkat/usulan/{c['proposal'].pk}/reject/", {"reason": "Berkas kurang"}),
    ),
    "vacancy-recommendation-by-candidate-admin": Case(
        _vacancy(),
        _vacancy_state,
        api=lambda c: (f"{API}/vacancies/{c['vacancy'].pk}/decide/", {"employee": c["other"].pk, "justification": ""}),
        page=lambda c: (f"/kenaikan-pangkat/lowongan/{c['vacancy'].pk}/decide/", {"employee": c["other"].pk}),
        message=CANDIDATE,
    ),
    "vacancy-recommendation-by-candidate-committee-member": Case(
        _vacancy(committee=True),
        _vacancy_state,
        api=lambda c: (f"{API}/vacancies/{c['vacancy'].pk}/decide/", {"employee": c["other"].pk, "justification": ""}),
        page=lambda c: (f"/kenaikan-pangkat/lowongan/{c['vacancy'].pk}/decide/", {"employee": c["other"].pk}),
        message=CANDIDATE,
    ),
    "vacancy-ranking-by-candidate-admin": Case(
        _vacancy(),
        _vacancy_state,
        page=lambda c: (f"/kenaikan-pangkat/lowongan/{c['vacancy'].pk}/rerank/", {}),
        message=CANDIDATE,
    ),
    "vacancy-appointment-of-self": Case(
        _vacancy(chosen_self=True),
        _vacancy_state,
        api=lambda c: (
            f"{API}/vacancies/{c['vacancy'].pk}/appoint/",
            {"start_date": TODAY, "decree_number": "SK-2/2026", "decree_date": TODAY},
        ),
        page=lambda c: (
            f"/kenaikan-pangkat/lowongan/{c['vacancy'].pk}/appoint/",
            {"start_date": TODAY, "decree_number": "SK-2/2026", "decree_date": TODAY},
        ),
    ),
}

WALK = [
    pytest.param(name, door, id=f"{name}-{door}")
    for name, case in CASES.items()
    for door in ("api", "page")
    if getattr(case, door) is not None
]


@pytest.mark.parametrize(("name", "door"), WALK)
def test_the_subject_cannot_take_the_decision(org: Org, name: str, door: str) -> None:
    case = CASES[name]
    ctx = case.make(org)
    before = case.state(ctx)
    url, data = getattr(case, door)(ctx)
    if door == "api":
        res = api_as(ctx["actor"]).post(url, data, format="json")
        assert res.status_code == 403, res.content
        assert res.json()["message"] == case.message
    else:
        client = Client()
        client.force_login(ctx["actor"].user)
        res = client.post(url, data, follow=True)
        assert res.status_code == 200
        assert case.message in res.content.decode()
    assert case.state(ctx) == before


# --- only legal buttons ---------------------------------------------------------------------------------


def _page(actor: Any, url: str) -> str:
    client = Client()
    client.force_login(actor.user)
    res = client.get(url)
    assert res.status_code == 200
    return res.content.decode()


def test_own_skp_shows_no_decision_buttons_to_the_admin(org: Org) -> None:
    submitted = pf.plan(org.admin, status=PlanStatus.SUBMITTED)
    html = _page(org.admin, f"/kinerja/skp/{submitted.pk}/")
    assert f"/kinerja/skp/{submitted.pk}/approve/" not in html
    assert f"/kinerja/skp/{submitted.pk}/return/" not in html
    # The API's "allowed transitions" (which the SPA-style clients use for buttons) agrees.
    res = api_as(org.admin).get(f"{API}/performance-plans/{submitted.pk}/")
    assert res.json()["allowed_transitions"] == []
    # The same admin still sees them on a colleague's SKP.
    other = pf.plan(org.other_staff, status=PlanStatus.SUBMITTED)
    assert f"/kinerja/skp/{other.pk}/approve/" in _page(org.admin, f"/kinerja/skp/{other.pk}/")


def test_own_unit_has_no_rating_or_calibration_controls(org: Org) -> None:
    ctx = _unit_rated(org)
    html = _page(org.admin, f"/kinerja/predikat-unit/?period={ctx['period'].pk}")
    assert f'id="ur{org.admin.unit.pk}"' not in html
    assert f'id="ur{org.dinas.pk}"' in html
    assert "Unit kerja Anda sendiri" in html
    cal = _page(org.admin, f"/kinerja/kalibrasi/?period={ctx['period'].pk}&unit={org.admin.unit.pk}")
    assert f"/kinerja/kalibrasi/{ctx['period'].pk}/{org.admin.unit.pk}/finalkan/" not in cal


def test_own_enrolment_shows_no_approval_to_the_admin(org: Org) -> None:
    e = _enrolment("requested", requires_approval=True)(org)["enrollment"]
    html = _page(org.admin, f"/pelatihan/angkatan/{e.offering_id}/")
    assert f"/pelatihan/pendaftaran/{e.pk}/approve/" not in html
    assert f"/pelatihan/pendaftaran/{e.pk}/cancel/" in html  # cancelling one's own request stays legal


def test_an_admin_enrolling_themselves_waits_for_approval_like_anyone(org: Org) -> None:
    offering = OfferingFactory(course__agency=org.agency, requires_approval=True)
    res = api_as(org.admin).post(f"{API}/enrollments/", {"offering": offering.pk}, format="json")
    assert res.status_code == 201, res.content
    assert res.json()["status"] == "requested"
    assert Enrollment.objects.get(pk=res.json()["id"]).decided_by_id is None


def test_no_supervisor_follow_up_form_about_oneself(org: Org) -> None:
    response = _supervisor_questionnaire(org)["response"]
    html = _page(org.admin, f"/pelatihan/kuesioner/{response.pk}/")
    assert 'data-testid="questionnaire-form"' not in html
    assert SELF in html


def test_own_competency_assessment_cannot_be_removed_by_the_admin(org: Org) -> None:
    assessment = _assessment(org)["assessment"]
    assert "Hapus asesmen yang salah catat" not in _page(org.admin, f"/kompetensi/asesmen/{assessment.pk}/")


def test_own_external_learning_is_not_verifiable_by_the_admin(org: Org) -> None:
    record = _learning_record(org)["record"]
    html = _page(org.admin, "/pelatihan/verifikasi/")
    assert f'name="record" value="{record.pk}"' not in html
    assert "Data Anda sendiri" in html


def test_own_placement_and_own_mentoring_session_show_no_decision(org: Org) -> None:
    ctx = _placement(org)
    html = _page(org.admin, f"/karier/talenta/{ctx['review'].pk}/kotak/5/")
    assert f'name="placement" value="{ctx["placement"].pk}"' not in html
    item = _follow_up(org)["item"]
    html = _page(org.admin, f"/karier/tindak-lanjut/?tahun={item.year}")
    assert item.employee.name in html
    assert f'name="item" value="{item.pk}"' not in html
    session = _mentoring(org)["session"]
    confirm = f'action="/karier/bimbingan/{session.pk}/konfirmasi/"'
    assert confirm not in _page(org.head, f"/karier/bimbingan/{session.pk}/")
    assert confirm in _page(org.staff, f"/karier/bimbingan/{session.pk}/")


def test_own_promotion_and_vacancy_show_no_decision_buttons(org: Org) -> None:
    proposal = _proposal(ProposalStatus.PROPOSED)(org)["proposal"]
    html = _page(org.admin, f"/kenaikan-pangkat/usulan/{proposal.pk}/")
    assert f"/kenaikan-pangkat/usulan/{proposal.pk}/verify/" not in html
    assert f"/kenaikan-pangkat/usulan/{proposal.pk}/reject/" not in html
    vacancy = _vacancy()(org)["vacancy"]
    html = _page(org.admin, f"/kenaikan-pangkat/lowongan/{vacancy.pk}/")
    assert f"/kenaikan-pangkat/lowongan/{vacancy.pk}/decide/" not in html
    assert f"/kenaikan-pangkat/lowongan/{vacancy.pk}/rerank/" not in html


def test_an_admin_cannot_record_their_own_promotion_or_appointment(org: Org) -> None:
    before = (org.admin.rank_id, org.admin.position_id, org.admin.rank_history.count())
    client = api_as(org.admin)
    res = client.patch(f"{API}/employees/{org.admin.pk}/", {"rank": rank("IV/e").pk}, format="json")
    assert res.status_code == 403, res.content
    assert res.json()["message"] == SELF
    res = client.patch(f"{API}/employees/{org.admin.pk}/", {"position": org.head.position_id}, format="json")
    assert res.status_code == 403, res.content
    org.admin.refresh_from_db()
    assert (org.admin.rank_id, org.admin.position_id, org.admin.rank_history.count()) == before
    # Their own identity data stays editable; the post and rank fields are shown read-only.
    res = client.patch(f"{API}/employees/{org.admin.pk}/", {"birth_place": "Binjai"}, format="json")
    assert res.status_code == 200, res.content
    page = Client()
    page.force_login(org.admin.user)
    form = page.get(f"/pegawai/{org.admin.pk}/ubah/").context["form"]
    assert form.fields["rank"].disabled and form.fields["position"].disabled
    assert not form.fields["name"].disabled


def test_another_admin_may_still_decide(org: Org) -> None:
    """The refusal is about the person, not the role: a second BKD admin approves the first one's SKP."""
    plan = pf.plan(org.admin, status=PlanStatus.SUBMITTED)
    colleague = make_hr_admin(org.agency, name="Admin BKD Dua")
    res = api_as(colleague).post(f"{API}/performance-plans/{plan.pk}/approve/", {}, format="json")
    assert res.status_code == 200, res.content
    assert PerformancePlan.objects.get(pk=plan.pk).status == PlanStatus.APPROVED


# --- the rule itself (pure) -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "subjects", "conflicted", "expected"),
    [
        (7, [7], [], decisions.SELF),
        (7, [3, 7], [], decisions.SELF),
        (7, [3], [7, 9], decisions.CANDIDATE),
        (7, [7], [7], decisions.SELF),  # deciding on oneself is named as such even when also a candidate
        (7, [3], [9], None),
        (7, [], [], None),
        (7, [None], [], None),
        (None, [None], [None], None),  # an account with no employee record has no record to favour
    ],
)
def test_conflict_kind(actor: int | None, subjects: list[Any], conflicted: list[Any], expected: str | None) -> None:
    assert decisions.conflict_kind(actor, subjects, conflicted_employee_ids=conflicted) == expected


def test_every_conflict_has_an_indonesian_message() -> None:
    kinds = [decisions.SELF, decisions.CANDIDATE, decisions.OWN_UNIT, decisions.OWN_SESSION, decisions.OWN_ASSESSMENT]
    assert all(decisions.message_for(k).startswith("Anda tidak dapat") for k in kinds)


def test_a_superuser_with_an_employee_record_is_not_exempt(org: Org) -> None:
    org.admin.user.is_superuser = True
    org.admin.user.save(update_fields=["is_superuser"])
    plan = pf.plan(org.admin, status=PlanStatus.SUBMITTED)
    res = api_as(org.admin).post(f"{API}/performance-plans/{plan.pk}/approve/", {}, format="json")
    assert res.status_code == 403
    assert res.json() == {"message": SELF, "extra": {"conflict": "self"}}
    assert PerformancePlan.objects.get(pk=plan.pk).status == PlanStatus.SUBMITTED


def test_objection_is_not_decided_by_the_appraiser_who_gave_the_rating(org: Org) -> None:
    plan = pf.plan(org.staff, status=PlanStatus.OBJECTED, predikat="butuh_perbaikan")
    PerformancePlan.objects.filter(pk=plan.pk).update(appraiser=org.head, appraiser_superior=org.head)
    objection = Objection.objects.create(plan=plan, reason="Tidak sesuai bukti")
    client = Client()
    client.force_login(org.head.user)
    res = client.post(f"/kinerja/keberatan/{objection.pk}/putus/", {"upheld": "0", "decision": "Ditolak"}, follow=True)
    assert "Anda tidak dapat memutus keberatan atas penilaian yang Anda berikan sendiri." in res.content.decode()
    assert Objection.objects.get(pk=objection.pk).status == ObjectionStatus.OPEN


def test_a_vacancy_that_would_rank_its_opener_is_not_opened(org: Org, monkeypatch: pytest.MonkeyPatch) -> None:
    """The ranking is stubbed to list the opening admin (as in the report: candidate #20 of her own vacancy)."""
    from asn_portal.errors import ApplicationError
    from promotions.vacancies import services as vacancy_services

    def ranks_the_opener(*, vacancy: PositionVacancy, actor: Any, today: Any = None) -> list[VacancyCandidate]:
        return [
            VacancyCandidate.objects.create(
                vacancy=vacancy, employee=org.admin, rank=20, merit_score=Decimal("61"), seniority_rank=20
            )
        ]

    monkeypatch.setattr(vacancy_services, "vacancy_rank", ranks_the_opener)
    position = PositionFactory(unit=org.dinas, title="Kepala Seksi Baru", headcount=1)
    with pytest.raises(ApplicationError) as refused:
        vacancy_services.vacancy_open(position=position, actor=org.admin.user)
    assert refused.value.message == CANDIDATE
    assert not PositionVacancy.objects.filter(position=position).exists()
