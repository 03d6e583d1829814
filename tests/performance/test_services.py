"""The SKP cycle through its services on a real database: happy path, refusals, state unchanged."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from asn_portal.errors import ApplicationError, ConflictError
from asn_portal.models import AuditEntry, Notification
from performance.calibration import services as calibration_services
from performance.choices import PlanStatus
from performance.evaluation import services as evaluation_services
from performance.evaluation.selectors import predikat_by_year
from performance.history import services as history_services
from performance.models import (
    Evaluation,
    Indicator,
    Objection,
    PerformancePlan,
    PlannedResult,
    PredikatImport,
    PredikatRecord,
    Progress,
    UnitCalibration,
)
from performance.objections import services as objections_services
from performance.plans import services as plans_services
from performance.plans.services import IndicatorInput, ResultInput
from performance.progress import services as progress_services

from . import factories as f

pytestmark = pytest.mark.django_db(transaction=False)


def _content(target: str = "12") -> list[ResultInput]:
    return [
        ResultInput(
            kind="main",
            text="Terlaksananya pelayanan kesehatan dasar",
            indicators=[IndicatorInput("quantity", "Jumlah puskesmas terlayani", target, "puskesmas")],
        )
    ]


def test_plan_create_names_the_supervisor_as_appraiser(org: Any) -> None:
    f.periods(org.agency)
    plan = plans_services.plan_create(employee=org.bidang_staff, year=f.YEAR, actor=org.bidang_staff.user)
    assert plan.appraiser_id == org.bidang_head.pk
    assert plan.appraiser_superior_id == org.head.pk
    assert plan.status == PlanStatus.DRAFT
    assert plan.behaviour_expectations.count() == 7


def test_full_cycle_from_draft_to_final_predikat(org: Any, django_capture_on_commit_callbacks: Any) -> None:
    periods = f.periods(org.agency)
    plan = plans_services.plan_create(employee=org.staff, year=f.YEAR, actor=org.staff.user)
    plans_services.plan_save_content(plan=plan, approach="quantitative", results=_content(), actor=org.staff.user)
    with django_capture_on_commit_callbacks(execute=True):
        plans_services.plan_submit(plan=plan, actor=org.staff.user)
    assert Notification.objects.filter(user=org.head.user, title__contains="menunggu persetujuan").exists()
    plans_services.plan_approve(plan=plan, actor=org.head.user)
    assert Evaluation.objects.filter(plan=plan).count() == 4  # one per open quarter
    indicator = Indicator.objects.get(result__plan=plan)
    progress_services.progress_record(
        indicator=indicator,
        period=periods[0],
        value="3",
        evidence_link="https://contoh.go.id/laporan",
        actor=org.staff.user,
    )
    progress_services.feedback_give(plan=plan, text="Pertahankan ritme laporan", actor=org.head.user)
    ev = evaluation_services.evaluation_record(
        plan=plan, period=periods[0], result_rating="above", behaviour_rating="meets", actor=org.head.user
    )
    assert ev.predikat == "baik"
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED  # a quarter does not close the year
    progress_services.progress_record(
        indicator=indicator,
        period=periods[3],
        value="12",
        evidence_link="https://contoh.go.id/akhir",
        actor=org.staff.user,
    )
    with time_machine.travel(dt.datetime(f.YEAR + 1, 1, 6, 9, tzinfo=dt.UTC)):
        evaluation_services.evaluation_record(
            plan=plan, period=periods[3], result_rating="above", behaviour_rating="above", actor=org.head.user
        )
        plan.refresh_from_db()
        assert (plan.status, plan.predikat) == (PlanStatus.EVALUATED, "sangat_baik")
        evaluation_services.plan_finalise(plan=plan, actor=org.head.user)
    assert predikat_by_year([org.staff.pk], [f.YEAR]) == {(org.staff.pk, f.YEAR): "sangat_baik"}
    rec = PredikatRecord.objects.get(employee=org.staff, year=f.YEAR)
    assert rec.locked and rec.source == "appraisal" and rec.plan_id == plan.pk
    actions = set(
        AuditEntry.objects.filter(object_id=str(plan.pk), object_type="performance.performanceplan").values_list(
            "action", flat=True
        )
    )
    assert {
        "performance.plan.submit",
        "performance.plan.approve",
        "performance.plan.evaluate",
        "performance.plan.finalise",
    } <= actions


def test_result_without_indicator_is_refused_and_nothing_written(org: Any) -> None:
    plan = f.plan(org.staff, results=0)
    bad = [ResultInput(kind="main", text="RHK tanpa IKI", indicators=[])]
    with pytest.raises(ApplicationError, match="belum memiliki indikator"):
        plans_services.plan_save_content(plan=plan, approach="quantitative", results=bad, actor=org.staff.user)
    assert not PlannedResult.objects.filter(plan=plan).exists()


def test_non_numeric_target_under_quantitative_is_refused(org: Any) -> None:
    plan = f.plan(org.staff, results=0)
    with pytest.raises(ApplicationError, match="harus berupa angka"):
        plans_services.plan_save_content(
            plan=plan, approach="quantitative", results=_content("dua belas"), actor=org.staff.user
        )
    assert not PlannedResult.objects.filter(plan=plan).exists()
    # The same text is fine under the qualitative approach.
    plans_services.plan_save_content(
        plan=plan, approach="qualitative", results=_content("sesuai standar"), actor=org.staff.user
    )
    assert Indicator.objects.get(result__plan=plan).target == "sesuai standar"


def test_double_submission_is_refused_with_conflict(org: Any) -> None:
    plan = f.plan(org.staff)
    plans_services.plan_submit(plan=plan, actor=org.staff.user)
    stale = PerformancePlan.objects.get(pk=plan.pk)
    with pytest.raises(ConflictError, match="sudah diajukan"):
        plans_services.plan_submit(plan=stale, actor=org.staff.user)
    # Compare-and-set: an out-of-date object cannot move the plan twice either.
    stale.status = PlanStatus.DRAFT
    with pytest.raises(ConflictError):
        plans_services.plan_submit(plan=stale, actor=org.staff.user)
    assert PerformancePlan.objects.get(pk=plan.pk).status == PlanStatus.SUBMITTED


def test_progress_for_closed_period_is_refused(org: Any) -> None:
    periods = f.periods(org.agency)
    plan = f.plan(org.staff, status=PlanStatus.APPROVED)
    periods[0].status = "closed"
    periods[0].save()
    ind = Indicator.objects.get(result__plan=plan)
    with pytest.raises(ApplicationError, match="sudah ditutup"):
        progress_services.progress_record(
            indicator=ind, period=periods[0], value="5", evidence_link="https://x.id", actor=org.staff.user
        )
    assert not Progress.objects.exists()


def test_progress_needs_evidence_and_numbers_under_quantitative(org: Any) -> None:
    periods = f.periods(org.agency)
    plan = f.plan(org.staff, status=PlanStatus.APPROVED)
    ind = Indicator.objects.get(result__plan=plan)
    with pytest.raises(ApplicationError, match="bukti dukung"):
        progress_services.progress_record(indicator=ind, period=periods[0], value="5", actor=org.staff.user)
    with pytest.raises(ApplicationError, match="angka"):
        progress_services.progress_record(
            indicator=ind, period=periods[0], value="lima", evidence_link="https://x.id", actor=org.staff.user
        )
    upload = SimpleUploadedFile("bukti.pdf", b"%PDF-1.4 bukti", content_type="application/pdf")
    pr = progress_services.progress_record(
        indicator=ind, period=periods[0], value="5", evidence_file=upload, actor=org.staff.user
    )
    assert pr.evidence_file.name.endswith(".pdf") and pr.value_number == 5


def test_evaluating_an_unapproved_plan_is_refused(org: Any) -> None:
    periods = f.periods(org.agency)
    plan = f.plan(org.staff, status=PlanStatus.SUBMITTED)
    with pytest.raises(ApplicationError, match="belum disetujui"):
        evaluation_services.evaluation_record(
            plan=plan, period=periods[0], result_rating="meets", behaviour_rating="meets", actor=org.head.user
        )
    assert not Evaluation.objects.filter(plan=plan, status="evaluated").exists()


@pytest.mark.parametrize("who", ["staff2", "other_head", "bidang_head", "foreign_admin"])
def test_an_appraiser_who_is_not_allowed_is_refused(org: Any, who: str) -> None:
    periods = f.periods(org.agency)
    plan = f.plan(org.staff, status=PlanStatus.APPROVED)
    with pytest.raises(ApplicationError) as err:
        evaluation_services.evaluation_record(
            plan=plan, period=periods[0], result_rating="meets", behaviour_rating="meets", actor=getattr(org, who).user
        )
    assert err.value.status == 403
    with pytest.raises(ApplicationError):
        plans_services.plan_return(
            plan=PerformancePlan.objects.get(pk=plan.pk), comment="x", actor=getattr(org, who).user
        )
    assert PerformancePlan.objects.get(pk=plan.pk).status == PlanStatus.APPROVED


def test_owner_cannot_approve_own_plan(org: Any) -> None:
    plan = f.plan(org.head, status=PlanStatus.SUBMITTED)
    PerformancePlan.objects.filter(pk=plan.pk).update(appraiser=org.head)  # misconfigured data
    plan.refresh_from_db()
    with pytest.raises(ApplicationError):
        plans_services.plan_approve(plan=plan, actor=org.head.user)


def test_return_needs_a_comment_and_allows_resubmission(org: Any) -> None:
    plan = f.plan(org.staff, status=PlanStatus.SUBMITTED)
    with pytest.raises(ApplicationError, match="catatan"):
        plans_services.plan_return(plan=plan, comment=" ", actor=org.head.user)
    plans_services.plan_return(plan=plan, comment="Target kualitas belum terukur", actor=org.head.user)
    assert plan.status == PlanStatus.RETURNED and plan.return_comment
    plans_services.plan_submit(plan=plan, actor=org.staff.user)
    assert PerformancePlan.objects.get(pk=plan.pk).status == PlanStatus.SUBMITTED


def test_unit_head_result_rating_comes_from_unit_rating(org: Any) -> None:
    periods = f.periods(org.agency)
    plan = f.plan(org.bidang_head, status=PlanStatus.APPROVED)
    assert plan.is_unit_head and plan.appraiser_id == org.head.pk
    calibration_services.unit_performance_set(
        unit=org.bidang, period=periods[0], rating="istimewa", actor=org.admin.user
    )
    ev = evaluation_services.evaluation_record(
        plan=plan, period=periods[0], result_rating="below", behaviour_rating="above", actor=org.head.user
    )
    assert ev.result_rating == "above" and ev.result_rating_from_unit and ev.predikat == "sangat_baik"


def test_unit_rating_set_by_superior_head_but_not_by_the_unit_itself(org: Any) -> None:
    periods = f.periods(org.agency)
    calibration_services.unit_performance_set(unit=org.bidang, period=periods[0], rating="baik", actor=org.head.user)
    with pytest.raises(ApplicationError):
        calibration_services.unit_performance_set(
            unit=org.bidang, period=periods[0], rating="istimewa", actor=org.bidang_head.user
        )
    with pytest.raises(ApplicationError):
        calibration_services.unit_performance_set(
            unit=org.bidang, period=periods[0], rating="istimewa", actor=org.foreign_admin.user
        )


def test_calibration_breaking_the_curve_needs_justification(org: Any) -> None:
    periods = f.periods(org.agency)
    annual = periods[3]
    for emp in (org.staff, org.staff2):
        f.plan(emp, status=PlanStatus.EVALUATED, predikat="baik")
    calibration_services.unit_performance_set(unit=org.dinas, period=annual, rating="baik", actor=org.admin.user)
    with pytest.raises(ApplicationError, match="justifikasi") as err:
        calibration_services.calibration_finalise(unit=org.dinas, period=annual, actor=org.admin.user)
    assert err.value.extra["warnings"]
    assert not UnitCalibration.objects.filter(status="final").exists()
    cal = calibration_services.calibration_finalise(
        unit=org.dinas, period=annual, justification="Unit kecil, semua memenuhi target", actor=org.admin.user
    )
    assert cal.breaks_rule and cal.finalised_by == org.admin.user and cal.distribution == {"baik": 2}


def test_distribution_check_all_is_idempotent_and_keeps_final_rows(org: Any) -> None:
    periods = f.periods(org.agency)
    annual = periods[3]
    f.plan(org.staff, status=PlanStatus.EVALUATED, predikat="baik")
    f.plan(org.other_staff, status=PlanStatus.EVALUATED, predikat="sangat_baik")
    calibration_services.unit_performance_set(unit=org.dinas, period=annual, rating="baik", actor=org.admin.user)
    first = calibration_services.distribution_check_all(period=annual, actor=org.admin.user)
    second = calibration_services.distribution_check_all(period=annual, actor=org.admin.user)
    assert first == second == {"units": 2, "breaking": 1}
    assert UnitCalibration.objects.filter(period=annual).count() == 2
    assert UnitCalibration.objects.get(unit=org.dinas).warnings


def test_objection_within_window_decided_by_appraisers_superior(org: Any) -> None:
    f.periods(org.agency)
    plan = f.plan(org.bidang_staff, status=PlanStatus.EVALUATED, predikat="butuh_perbaikan")
    with time_machine.travel(dt.datetime(2027, 1, 10, 9, tzinfo=dt.UTC)):
        evaluation_services.plan_finalise(plan=plan, actor=org.bidang_head.user)
    with (
        time_machine.travel(dt.datetime(2027, 1, 30, 9, tzinfo=dt.UTC)),  # 20 days later, window 14
        pytest.raises(ApplicationError, match="Batas waktu"),
    ):
        objections_services.objection_lodge(plan=plan, reason="Realisasi belum dihitung", actor=org.bidang_staff.user)
    PerformancePlan.objects.filter(pk=plan.pk).update(finalised_at=dt.datetime.now(dt.UTC))
    plan.refresh_from_db()
    obj = objections_services.objection_lodge(
        plan=plan, reason="Realisasi triwulan IV belum dihitung", actor=org.bidang_staff.user
    )
    with pytest.raises(ApplicationError):
        objections_services.objection_decide(
            objection=obj, upheld=True, new_predikat="baik", decision="x", actor=org.bidang_head.user
        )
    objections_services.objection_decide(
        objection=obj, upheld=True, new_predikat="baik", decision="Bukti lengkap", actor=org.head.user
    )
    obj.refresh_from_db()
    assert obj.status == "upheld" and obj.decided_by == org.head
    assert PredikatRecord.objects.get(employee=org.bidang_staff, year=f.YEAR).predikat == "baik"
    assert PerformancePlan.objects.get(pk=plan.pk).status == PlanStatus.RESOLVED
    assert Objection.objects.count() == 1


def test_cascade_one_result_to_several_subordinates(org: Any) -> None:
    f.periods(org.agency)
    head_plan = f.plan(org.head)
    parent = PlannedResult.objects.get(plan=head_plan)
    out = plans_services.result_cascade(
        parent_result=parent, employee_ids=[org.staff.pk, org.staff2.pk, org.other_staff.pk], actor=org.head.user
    )
    assert sorted(out.created) == sorted([org.staff.pk, org.staff2.pk])
    assert [e for e, _ in out.skipped] == [org.other_staff.pk]
    assert PlannedResult.objects.filter(parent_result=parent).count() == 2
    again = plans_services.result_cascade(parent_result=parent, employee_ids=[org.staff.pk], actor=org.head.user)
    assert again.created == [] and PlannedResult.objects.filter(parent_result=parent).count() == 2


def test_import_rows_are_validated_then_written_once_by_confirm(org: Any) -> None:
    lines = [
        (2, [org.staff.nip, "2024", "Baik"]),
        (3, [org.staff.nip, "2025", "Kurang/Misconduct"]),
        (4, [org.foreign_staff.nip, "2024", "Baik"]),
        (5, [org.staff2.nip, "2024", "Luar biasa"]),
    ]
    rows = history_services.validate_rows(agency_id=org.agency.pk, lines=lines)
    assert [bool(r["error"]) for r in rows] == [False, False, True, True]
    batch = PredikatImport.objects.create(
        agency=org.agency, file_name="p.csv", status="preview", rows=rows, error_count=2
    )
    with pytest.raises(ApplicationError, match="2 baris salah"):
        history_services.import_confirm(batch=batch, actor=org.admin.user)
    assert not PredikatRecord.objects.exists()
    good = history_services.validate_rows(agency_id=org.agency.pk, lines=lines[:2])
    batch = PredikatImport.objects.create(agency=org.agency, file_name="p.csv", status="preview", rows=good)
    assert history_services.import_confirm(batch=batch, actor=org.admin.user) == 2
    assert predikat_by_year([org.staff.pk], [2024, 2025]) == {
        (org.staff.pk, 2024): "baik",
        (org.staff.pk, 2025): "kurang",
    }
    with pytest.raises(ApplicationError):
        history_services.import_upload(
            agency_id=org.agency.pk, name="p.csv", stream=io.BytesIO(b"NIP\n"), actor=org.staff.user
        )


def test_progress_for_a_period_not_yet_opened_is_refused(org: Any) -> None:
    periods = f.periods(org.agency, open_all=False)
    plan = f.plan(org.staff, status=PlanStatus.APPROVED)
    ind = Indicator.objects.get(result__plan=plan)
    with pytest.raises(ApplicationError, match="belum dibuka"):
        progress_services.progress_record(
            indicator=ind, period=periods[3], value="5", evidence_link="https://x.id", actor=org.staff.user
        )
    assert not Progress.objects.exists()
