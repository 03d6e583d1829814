"""Queue job, proposal workflow, BKN export and promotion into posts against the real database."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from asn_portal.errors import ApplicationError, ConflictError
from asn_portal.models import AuditEntry, JobRun
from people.models import DisciplinarySanction, PositionHistory, RankHistory
from promotions import selectors
from promotions.models import (
    CivilServiceExam,
    PositionVacancy,
    PromotionProposal,
    ProposalBatch,
    ProposalDocument,
    QueueEntry,
)
from promotions.proposals import services as proposal_services
from promotions.queue import services as queue_services
from promotions.vacancies import services as vacancy_services
from tests.people.factories import EmployeeFactory, PositionFactory
from tests.promotions.factories import give_predikat, period, set_rank

pytestmark = pytest.mark.django_db
DEC = dt.date(2026, 12, 1)
PDF = b"%PDF-1.4 test"


@pytest.fixture
def setup(org: Any, today: dt.date, refdata: None) -> Any:
    """Heads outrank their staff; staff are III/b since 2019 with Baik in 2024 and 2025."""
    for head in (org.head, org.bidang_head, org.other_head):
        set_rank(head, "IV/a", dt.date(2018, 4, 1))
    give_predikat([org.staff, org.staff2, org.bidang_staff, org.other_staff], [2023, 2024, 2025])
    return org


def pdf(name: str = "sk.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def build(org: Any) -> dict[str, int]:
    return queue_services.queue_build(period=period(DEC), agency_id=org.agency.pk, actor=None)


def test_only_the_agencys_bkd_admin_builds_a_queue_on_request(setup: Any) -> None:
    org = setup
    with pytest.raises(ApplicationError) as refused:
        queue_services.queue_build(period=period(DEC), agency_id=org.agency.pk, actor=org.staff.user)
    assert refused.value.status == 403
    assert refused.value.message == "Hanya admin BKD instansi ini yang dapat melakukan tindakan ini."
    assert not JobRun.objects.filter(job="promotions.queue_build").exists()
    counts = queue_services.queue_build(period=period(DEC), agency_id=org.agency.pk, actor=org.admin.user)
    assert counts == build(org)


def test_queue_marks_eligible_near_and_blocked_with_reasons(setup: Any) -> None:
    org = setup
    set_rank(org.staff2, "III/b", dt.date(2023, 1, 15))  # 4 years on 15-01-2027 → period 1 Feb 2027
    set_rank(org.bidang_staff, "III/b", dt.date(2019, 4, 1), education_level="slta")  # capped at III/b
    DisciplinarySanction.objects.create(
        employee=org.other_staff, level="sedang", description="Teguran", start_date=dt.date(2026, 1, 1)
    )
    counts = build(org)
    rows = {e.employee_id: e for e in QueueEntry.objects.filter(period__period_date=DEC)}
    assert org.foreign_staff.pk not in rows
    assert rows[org.staff.pk].status == "eligible"
    assert rows[org.staff.pk].target_rank.code == "III/c"
    assert rows[org.staff.pk].next_eligible_date == DEC
    assert rows[org.staff2.pk].status == "near"
    assert rows[org.staff2.pk].next_eligible_date == dt.date(2027, 2, 1)
    assert "belum 4 tahun" in rows[org.staff2.pk].failing[0]["reason"]
    assert rows[org.bidang_staff.pk].status == "blocked"
    assert rows[org.bidang_staff.pk].next_eligible_date is None
    assert [f["code"] for f in rows[org.bidang_staff.pk].failing] == ["education_cap"]
    assert "hukuman disiplin" in rows[org.other_staff.pk].failing[-1]["reason"]
    assert {e.rule_version for e in rows.values()} == {"KP-2024.1"}
    run = JobRun.objects.get(job="promotions.queue_build")
    assert run.status == "success" and run.counts["eligible"] == counts["eligible"] >= 1


def test_rebuilding_replaces_the_period_rows(setup: Any) -> None:
    build(setup)
    first = QueueEntry.objects.count()
    build(setup)
    assert QueueEntry.objects.count() == first


def test_queue_build_query_count_does_not_grow_with_employees(setup: Any) -> None:
    org = setup
    p = period(DEC)  # the test's own reference rows and periods, not part of the build
    with CaptureQueriesContext(connection) as few:
        queue_services.queue_build(period=p, agency_id=org.agency.pk, actor=None)
    more = [EmployeeFactory(unit=org.dinas, position=org.staff.position) for _ in range(30)]
    give_predikat(more, [2024, 2025])
    CivilServiceExam.objects.create(employee=more[0], level="tingkat_i", exam_date=dt.date(2020, 1, 1))
    with CaptureQueriesContext(connection) as many:
        queue_services.queue_build(period=p, agency_id=org.agency.pk, actor=None)
    # named query by query in tests/promotions/test_queue_build_bound.py
    assert len(many.captured_queries) == len(few.captured_queries) == 17


def test_outlook_for_staff_lists_failing_rules(setup: Any) -> None:
    org = setup
    set_rank(org.staff2, "III/b", dt.date(2023, 1, 15))
    outlook = selectors.promotion_outlook(org.staff2)
    assert outlook.applicable and not outlook.eligible_now
    assert outlook.period_date == DEC
    assert outlook.next_eligible_date == dt.date(2027, 2, 1)
    assert outlook.target_rank is not None and outlook.target_rank.code == "III/c"
    assert outlook.failing[0]["code"] == "years_in_rank"
    assert selectors.promotion_outlook(org.staff).eligible_now


def test_outlook_not_applicable_to_pppk(setup: Any) -> None:
    setup.staff.employment_type = "pppk"
    setup.staff.save()
    assert not selectors.promotion_outlook(setup.staff).applicable


def _through_to_sent(org: Any) -> PromotionProposal:
    build(org)
    p = proposal_services.proposal_create(employee=org.staff, period=period(DEC), actor=org.head.user)
    for kind in proposal_services.required_documents(p):
        proposal_services.document_upload(proposal=p, kind=kind, upload=pdf(f"{kind}.pdf"), actor=org.head.user)
    proposal_services.proposal_verify(proposal=p, actor=org.admin.user)
    proposal_services.batch_send(period=period(DEC), agency_id=org.agency.pk, actor=org.admin.user)
    p.refresh_from_db()
    return p


def test_full_proposal_workflow_writes_the_new_rank(setup: Any) -> None:
    org = setup
    p = _through_to_sent(org)
    assert p.status == "sent" and p.batch is not None and p.rule_version == "KP-2024.1"
    assert QueueEntry.objects.get(employee=org.staff).status == "proposed"
    proposal_services.proposal_approve(proposal=p, decree_number="823/001/BKD/2026", decree_date=dt.date(2026, 11, 12),
                              actor=org.admin.user)  # fmt: skip
    org.staff.refresh_from_db()
    assert org.staff.rank.code == "III/c" and org.staff.rank_start_date == DEC
    history = RankHistory.objects.get(employee=org.staff, rank__code="III/c")
    assert history.decree_number == "823/001/BKD/2026" and history.start_date == DEC
    actions = set(
        AuditEntry.objects.filter(object_type="promotions.promotionproposal").values_list("action", flat=True)
    )
    assert {"promotion.propose", "promotion.verify", "promotion.approve"} <= actions
    with pytest.raises(ConflictError):
        proposal_services.proposal_approve(
            proposal=p, decree_number="X", decree_date=dt.date(2026, 11, 12), actor=org.admin.user
        )
    assert RankHistory.objects.filter(employee=org.staff, rank__code="III/c").count() == 1


def test_batch_export_is_identical_on_re_export(setup: Any) -> None:
    p = _through_to_sent(setup)
    assert p.batch is not None
    first = proposal_services.export_xlsx(proposal_services.batch_proposals(p.batch))
    second = proposal_services.export_xlsx(proposal_services.batch_proposals(p.batch))
    assert first == second
    ws = load_workbook(io.BytesIO(first)).active
    assert ws is not None
    assert ws["B1"].value == "NIP" and ws["B2"].value == setup.staff.nip
    assert ws["E2"].value == "III/b" and ws["G2"].value == "III/c" and ws["H2"].value == "01-12-2026"


def test_downloading_the_batch_for_bkn_is_in_each_proposed_persons_access_log(setup: Any) -> None:
    from django.test import Client

    from people.models import RecordAccess

    p = _through_to_sent(setup)
    assert p.batch is not None
    client = Client()
    client.force_login(setup.admin.user)
    response = client.get(f"/kenaikan-pangkat/kiriman/{p.batch.pk}/ekspor.xlsx")
    assert response.status_code == 200
    rows = RecordAccess.objects.filter(viewer=setup.admin.user, export_id__isnull=False)
    assert list(rows.values_list("subject_id", "part", "purpose")) == [(setup.staff.pk, "kenaikan_pangkat", "ekspor")]


def test_export_of_an_empty_batch_is_refused(setup: Any) -> None:
    with pytest.raises(ApplicationError, match="kosong"):
        proposal_services.export_xlsx([])


def test_sending_without_verified_proposals_is_refused(setup: Any) -> None:
    with pytest.raises(ApplicationError, match="Tidak ada usulan terverifikasi"):
        proposal_services.batch_send(period=period(DEC), agency_id=setup.agency.pk, actor=setup.admin.user)
    assert not ProposalBatch.objects.exists()


def test_proposing_an_ineligible_person_needs_an_override_reason(setup: Any) -> None:
    org = setup
    set_rank(org.staff2, "III/b", dt.date(2024, 4, 1))
    with pytest.raises(ApplicationError, match="belum memenuhi syarat") as err:
        proposal_services.proposal_create(employee=org.staff2, period=period(DEC), actor=org.admin.user)
    assert err.value.extra["failing"][0]["code"] == "years_in_rank"
    assert not PromotionProposal.objects.exists()
    p = proposal_services.proposal_create(
        employee=org.staff2, period=period(DEC), actor=org.admin.user, override_reason="Prestasi luar biasa"
    )
    assert p.override_reason == "Prestasi luar biasa" and p.failing_at_proposal[0]["code"] == "years_in_rank"
    assert AuditEntry.objects.get(action="promotion.propose").reason == "Prestasi luar biasa"


def test_cannot_propose_the_same_person_twice_in_a_period(setup: Any) -> None:
    proposal_services.proposal_create(employee=setup.staff, period=period(DEC), actor=setup.admin.user)
    with pytest.raises(ConflictError):
        proposal_services.proposal_create(employee=setup.staff, period=period(DEC), actor=setup.admin.user)


def test_head_of_another_unit_cannot_propose(setup: Any) -> None:
    with pytest.raises(ApplicationError) as err:
        proposal_services.proposal_create(employee=setup.staff, period=period(DEC), actor=setup.other_head.user)
    assert err.value.status == 403
    assert not PromotionProposal.objects.exists()


def test_exam_certificate_required_when_crossing_a_golongan(setup: Any) -> None:
    org = setup
    set_rank(org.staff, "II/d", dt.date(2019, 4, 1))
    CivilServiceExam.objects.create(employee=org.staff, level="tingkat_i", exam_date=dt.date(2022, 9, 1))
    p = proposal_services.proposal_create(employee=org.staff, period=period(DEC), actor=org.admin.user)
    assert "stlud" in proposal_services.required_documents(p)
    for kind in ["sk_pangkat", "skp_1", "skp_2", "ijazah"]:
        proposal_services.document_upload(proposal=p, kind=kind, upload=pdf(), actor=org.admin.user)
    with pytest.raises(ApplicationError, match="STLUD"):
        proposal_services.proposal_verify(proposal=p, actor=org.admin.user)
    p.refresh_from_db()
    assert p.status == "proposed"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("sk.pdf", b"MZ\x90\x00" + b"\x00" * 300, "Jenis berkas tidak diizinkan: hanya PDF, JPEG atau PNG"),
        ("sk.pdf", b"<html><script>alert(1)</script></html>", "Jenis berkas tidak diizinkan"),
        ("sk.pdf", b"%PDF" + b"0" * (2 * 1024 * 1024), "Ukuran berkas melebihi batas 2 MB"),
    ],
)
def test_wrong_or_oversized_documents_are_refused(
    setup: Any, settings: Any, name: str, content: bytes, message: str
) -> None:
    settings.MAX_DOCUMENT_BYTES = 2 * 1024 * 1024
    p = proposal_services.proposal_create(employee=setup.staff, period=period(DEC), actor=setup.admin.user)
    with pytest.raises(ApplicationError, match=message):
        proposal_services.document_upload(
            proposal=p, kind="sk_pangkat", upload=pdf(name, content), actor=setup.admin.user
        )
    assert not ProposalDocument.objects.exists()


def test_approving_without_a_decree_number_is_refused(setup: Any) -> None:
    p = _through_to_sent(setup)
    with pytest.raises(ApplicationError, match="Nomor SK wajib"):
        proposal_services.proposal_approve(
            proposal=p, decree_number="  ", decree_date=dt.date(2026, 11, 1), actor=setup.admin.user
        )
    p.refresh_from_db()
    assert p.status == "sent"
    assert not RankHistory.objects.filter(employee=setup.staff, rank__code="III/c").exists()


def test_rejection_returns_the_employee_to_the_queue(setup: Any) -> None:
    org = setup
    build(org)
    p = proposal_services.proposal_create(employee=org.staff, period=period(DEC), actor=org.admin.user)
    with pytest.raises(ApplicationError, match="Alasan penolakan"):
        proposal_services.proposal_reject(proposal=p, reason="", actor=org.admin.user)
    proposal_services.proposal_reject(proposal=p, reason="SKP belum ditandatangani", actor=org.admin.user)
    assert QueueEntry.objects.get(employee=org.staff).status == "eligible"
    again = proposal_services.proposal_create(employee=org.staff, period=period(DEC), actor=org.admin.user)
    assert again.status == "proposed"


# ---------------------------------------------------------------- promotion into posts


@pytest.fixture
def vacant_post(setup: Any) -> Any:
    return PositionFactory(unit=setup.dinas, kind="pengawas", title="Kepala Seksi Uji", headcount=1,
                           reports_to=setup.head.position)  # fmt: skip


def test_vacancy_for_a_full_post_is_refused(setup: Any) -> None:
    full = PositionFactory(unit=setup.dinas, kind="pengawas", headcount=1)
    EmployeeFactory(unit=setup.dinas, position=full)
    with pytest.raises(ApplicationError, match="terisi penuh"):
        vacancy_services.vacancy_open(position=full, actor=setup.admin.user)
    assert not PositionVacancy.objects.exists()


def test_candidates_ranked_by_merit_and_appointment_closes_vacancy(setup: Any, vacant_post: Any) -> None:
    org = setup
    give_predikat([org.staff2], [2024, 2025], "sangat_baik")  # existing rows keep "baik"
    from performance.models import PredikatRecord

    PredikatRecord.objects.filter(employee=org.staff2).update(predikat="sangat_baik")
    vacancy = vacancy_services.vacancy_open(position=vacant_post, actor=org.admin.user)
    candidates = list(selectors.candidates_of(vacancy))
    assert candidates[0].employee_id == org.staff2.pk and candidates[0].rank == 1
    assert {c["key"] for c in candidates[0].components} == {
        "jpm",
        "performance",
        "potential",
        "training",
        "qualification",
    }
    assert candidates[0].merit_score > candidates[1].merit_score
    second = candidates[1]
    with pytest.raises(ApplicationError, match="justifikasi"):
        vacancy_services.vacancy_decide(
            vacancy=vacancy, employee_id=second.employee_id, justification="", actor=org.admin.user
        )
    vacancy_services.vacancy_decide(
        vacancy=vacancy, employee_id=second.employee_id, justification="Pengalaman lapangan", actor=org.admin.user
    )
    vacancy.refresh_from_db()
    assert vacancy.status == "decided" and vacancy.chosen_rank == 2
    assert AuditEntry.objects.get(action="vacancy.decide").reason == "Pengalaman lapangan"
    with pytest.raises(ConflictError):
        vacancy_services.vacancy_decide(
            vacancy=vacancy, employee_id=candidates[0].employee_id, justification="", actor=org.admin.user
        )
    vacancy_services.vacancy_appoint(
        vacancy=vacancy, start_date=dt.date(2026, 11, 13), decree_number="821/1", decree_date=None, actor=org.admin.user
    )
    vacancy.refresh_from_db()
    assert vacancy.status == "filled"
    assert PositionHistory.objects.filter(employee_id=second.employee_id, position=vacant_post).exists()
    report = selectors.merit_report(agency_ids=[org.agency.pk], year=vacancy.decided_at.year)
    assert report["decisions"] == 1 and report["top_chosen"] == 0


def test_candidates_must_meet_formal_requirements(setup: Any, vacant_post: Any) -> None:
    org = setup
    set_rank(org.staff, "III/b", dt.date(2019, 4, 1), education_level="slta")  # pengawas needs D-III
    vacancy = vacancy_services.vacancy_open(position=vacant_post, actor=org.admin.user)
    ids = {c.employee_id for c in vacancy.candidates.all()}
    assert org.staff.pk not in ids and org.foreign_staff.pk not in ids
    assert org.staff2.pk in ids


def test_only_the_agencys_bkd_admin_ranks_a_vacancy(setup: Any, vacant_post: Any) -> None:
    org = setup
    vacancy = vacancy_services.vacancy_open(position=vacant_post, actor=org.admin.user)
    before = list(vacancy.candidates.order_by("rank").values_list("employee_id", "rank"))
    with pytest.raises(ApplicationError) as refused:
        vacancy_services.vacancy_rank(vacancy=vacancy, actor=org.staff.user)
    assert refused.value.status == 403
    assert refused.value.message == "Hanya admin BKD instansi ini yang dapat melakukan tindakan ini."
    assert list(vacancy.candidates.order_by("rank").values_list("employee_id", "rank")) == before


def test_ranking_takes_constant_queries(setup: Any, vacant_post: Any) -> None:
    org = setup
    vacancy = vacancy_services.vacancy_open(position=vacant_post, actor=org.admin.user)
    with CaptureQueriesContext(connection) as few:
        vacancy_services.vacancy_rank(vacancy=vacancy, actor=org.admin.user)
    more = [EmployeeFactory(unit=org.dinas, position=org.staff.position) for _ in range(20)]
    give_predikat(more, [2024, 2025])
    with CaptureQueriesContext(connection) as many:
        vacancy_services.vacancy_rank(vacancy=vacancy, actor=org.admin.user)
    # 1 ranks, 2 education caps, 3 credit thresholds, 4 candidates with position and rank, 5 predikat,
    # 6 talent boxes, 7 the post's competency requirements; 8 savepoint, 9 delete old candidates,
    # 10 bulk insert, 11 the new candidates' ids (the ranking admin is not one of them), 12 stamp the
    # vacancy, 13 release: the same for 3 or 30 candidates (the admin's role is already loaded).
    assert len(many.captured_queries) == len(few.captured_queries) == 13
    assert vacancy.candidates.count() > 20


def test_daily_job_builds_queues_of_periods_whose_window_is_open(setup: Any) -> None:
    from promotions.tasks import build_open_queues

    # 23-11-2026: the window of 1 Dec 2026 (15 Oct – 15 Nov) has opened; 1 Feb 2027 opens on 15 Dec.
    assert build_open_queues() == 2  # one period × two agencies
    assert set(QueueEntry.objects.values_list("period__period_date", flat=True)) == {DEC}
