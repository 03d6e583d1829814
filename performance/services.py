"""Writes of the SKP cycle (PermenPANRB 6/2022 Pasal 5): planning, progress, feedback, evaluation,
finalisation, objection, unit ratings, calibration and imports. Each owns its transaction; every
state change is a compare-and-set update with an audit entry and notifications on commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from asn_portal import uploads
from asn_portal.errors import ApplicationError, ConflictError
from asn_portal.services import audit, notify
from people import decisions
from people.access import is_hr_admin, scope_for
from people.models import Employee, OrgUnit
from people.selectors import supervisor_ids_for

from . import rules, selectors
from .choices import (
    Approach,
    CalibrationStatus,
    EvaluationStatus,
    ObjectionStatus,
    PeriodStatus,
    PlanStatus,
    Predikat,
    PredikatSource,
    ResultKind,
)
from .models import (
    BehaviourExpectation,
    CoreValue,
    Evaluation,
    EvaluationPeriod,
    Feedback,
    Indicator,
    Objection,
    PerformancePlan,
    PerformanceSetting,
    PlannedResult,
    PredikatRecord,
    Progress,
    UnitCalibration,
    UnitPerformance,
)
from .permissions import plan_roles
from .selectors import distribution_counts, rule_specs

JPT_KINDS = ("jpt_utama", "jpt_madya", "jpt_pratama")


def _actor_employee_id(actor: Any) -> int | None:
    return scope_for(actor).employee_id


def _users_of(employee_ids: Iterable[int | None]) -> list[Any]:
    ids = [i for i in employee_ids if i]
    if not ids:
        return []
    return [e.user for e in Employee.objects.filter(pk__in=ids).exclude(user=None).select_related("user")]


def _notify_on_commit(employee_ids: Iterable[int | None], title: str, body: str = "", url: str = "") -> None:
    ids = list(employee_ids)
    transaction.on_commit(lambda: notify(users=_users_of(ids), title=title, body=body, url=url))


def _plan_url(plan: PerformancePlan) -> str:
    return reverse("performance:plan-detail", args=[plan.pk])


def settings_for(agency_id: int) -> PerformanceSetting:
    setting, _created = PerformanceSetting.objects.get_or_create(agency_id=agency_id)
    return setting


def _cas(plan: PerformancePlan, transition: str, **changes: Any) -> None:
    """Compare-and-set the plan's status for `transition`; ConflictError if it moved meanwhile."""
    sources, target, _who = rules.TRANSITIONS[transition]
    changes["status"] = target
    changes["updated_at"] = timezone.now()
    updated = PerformancePlan.objects.filter(pk=plan.pk, status__in=sources).update(**changes)
    if updated == 0:
        raise ConflictError(
            _("Status SKP sudah berubah (sekarang: %(status)s); muat ulang halaman.")
            % {"status": PerformancePlan.objects.get(pk=plan.pk).get_status_display()},
            extra={"status": PerformancePlan.objects.get(pk=plan.pk).status},
        )
    before = plan.status
    for key, value in changes.items():
        setattr(plan, key, value)
    plan._audit_before = before  # type: ignore[attr-defined]


def _require_role(actor: Any, plan: PerformancePlan, allowed: set[str], message: str) -> set[str]:
    roles = plan_roles(actor, plan)
    if not roles & allowed:
        raise ApplicationError(message, status=403)
    if not allowed & {"owner"}:
        # A decision on the SKP: never by its owner, whatever other role they hold (issue #11).
        decisions.ensure_may_decide(actor, plan.employee_id)
    return roles


def _audit_transition(plan: PerformancePlan, actor: Any, transition: str, reason: str = "") -> None:
    audit(
        actor=actor,
        action=f"performance.plan.{transition}",
        obj=plan,
        before={"status": getattr(plan, "_audit_before", "")},
        after={"status": plan.status, "predikat": plan.predikat},
        reason=reason,
    )


# --- planning ----------------------------------------------------------------------------------


def plan_create(*, employee: Employee, year: int, actor: Any) -> PerformancePlan:
    """Open an employee's SKP for a year; the appraiser is the direct superior (PermenPANRB 6/2022)."""
    if _actor_employee_id(actor) != employee.pk and not is_hr_admin(actor, employee.agency_id):
        raise ApplicationError(_("Hanya pegawai yang bersangkutan yang dapat menyusun SKP-nya."), status=403)
    if PerformancePlan.objects.filter(employee=employee, year=year).exists():
        raise ApplicationError(_("SKP tahun %(year)s sudah ada.") % {"year": year})
    with transaction.atomic():
        return _plan_create(employee, year, actor)


def _plan_create(employee: Employee, year: int, actor: Any) -> PerformancePlan:
    sup = supervisor_ids_for([employee.pk]).get(employee.pk)
    sup_sup = supervisor_ids_for([sup]).get(sup) if sup else None
    position = employee.position
    is_head = bool(position and OrgUnit.objects.filter(pk=employee.unit_id, head_position_id=position.pk).exists())
    plan = PerformancePlan.objects.create(
        agency_id=employee.agency_id,
        employee=employee,
        unit_id=employee.unit_id,
        position_title=position.title if position else "",
        is_jpt=bool(position and position.kind in JPT_KINDS),
        is_unit_head=is_head,
        year=year,
        appraiser_id=sup,
        appraiser_superior_id=sup_sup,
    )
    BehaviourExpectation.objects.bulk_create(
        [BehaviourExpectation(plan=plan, core_value=cv) for cv in CoreValue.objects.all()]
    )
    audit(actor=actor, action="performance.plan.create", obj=plan, after={"status": plan.status, "year": year})
    return plan


@dataclass
class IndicatorInput:
    aspect: str
    text: str
    target: str
    unit: str = ""


@dataclass
class ResultInput:
    kind: str
    text: str
    parent_result_id: int | None = None
    perspective: str = ""
    id: int | None = None
    indicators: list[IndicatorInput] = field(default_factory=list)


def validate_content(approach: str, results: Sequence[ResultInput], *, for_submit: bool) -> None:
    """Refuse results with no indicator and non-numeric targets under the quantitative approach."""
    errors: list[str] = []
    for i, res in enumerate(results, start=1):
        if not res.text.strip():
            errors.append(_("RHK ke-%(n)s belum diisi.") % {"n": i})
        if not res.indicators:
            errors.append(_('RHK "%(text)s" belum memiliki indikator (IKI).') % {"text": res.text[:60]})
        for ind in res.indicators:
            target = rules.parse_number(ind.target)
            if target is not None and abs(target) >= rules.MAX_RECORDED_NUMBER:
                errors.append(_('Target "%(target)s" terlalu besar.') % {"target": ind.target[:30]})
            if approach == Approach.QUANTITATIVE and target is None:
                errors.append(
                    _('Target "%(target)s" pada IKI "%(text)s" harus berupa angka (pendekatan kuantitatif).')
                    % {"target": ind.target, "text": ind.text[:60]}
                )
            elif rules.is_negative(rules.parse_number(ind.target)):
                errors.append(
                    _('Target "%(target)s" pada IKI "%(text)s" tidak boleh negatif.')
                    % {"target": ind.target, "text": ind.text[:60]}
                )
    if for_submit and not any(r.kind == ResultKind.MAIN for r in results):
        errors.append(_("SKP harus memiliki paling sedikit satu RHK utama."))
    if errors:
        raise ApplicationError(errors[0], extra={"errors": errors})


def plan_save_content(
    *, plan: PerformancePlan, approach: str, results: Sequence[ResultInput], actor: Any
) -> PerformancePlan:
    """Save the SKP's approach, results (RHK) and indicators (IKI) while it is a draft or returned."""
    _require_role(actor, plan, {"owner", "admin"}, _("Anda tidak berwenang mengubah SKP ini."))
    if plan.status not in (PlanStatus.DRAFT, PlanStatus.RETURNED):
        raise ApplicationError(_("SKP yang sudah diajukan atau disetujui tidak dapat diubah."))
    validate_content(approach, results, for_submit=False)
    parent_ids = {r.parent_result_id for r in results if r.parent_result_id}
    if parent_ids:
        allowed = set(
            PlannedResult.objects.filter(
                pk__in=parent_ids, plan__employee_id=plan.appraiser_id or 0, plan__year=plan.year
            ).values_list("pk", flat=True)
        )
        if parent_ids - allowed:
            raise ApplicationError(_("RHK atasan yang diintervensi harus berasal dari SKP pejabat penilai tahun ini."))
    with transaction.atomic():
        locked = PerformancePlan.objects.select_for_update().get(pk=plan.pk)
        if locked.status not in (PlanStatus.DRAFT, PlanStatus.RETURNED):
            raise ConflictError(_("Status SKP sudah berubah; muat ulang halaman."))
        PerformancePlan.objects.filter(pk=plan.pk).update(approach=approach, updated_at=timezone.now())
        plan.approach = approach
        existing = {r.pk: r for r in PlannedResult.objects.filter(plan=plan)}
        keep: set[int] = set()
        for order, res in enumerate(results):
            if res.id and res.id in existing:
                obj = existing[res.id]
                obj.kind, obj.text, obj.parent_result_id = res.kind, res.text, res.parent_result_id
                obj.perspective, obj.order = res.perspective if plan.is_jpt else "", order
                obj.save(update_fields=["kind", "text", "parent_result", "perspective", "order", "updated_at"])
            else:
                obj = PlannedResult.objects.create(
                    plan=plan,
                    kind=res.kind,
                    text=res.text,
                    parent_result_id=res.parent_result_id,
                    perspective=res.perspective if plan.is_jpt else "",
                    order=order,
                )
            keep.add(obj.pk)
            Indicator.objects.filter(result=obj).delete()
            Indicator.objects.bulk_create(
                [
                    Indicator(
                        result=obj,
                        aspect=ind.aspect,
                        text=ind.text,
                        target=ind.target,
                        target_value=rules.parse_number(ind.target),
                        unit=ind.unit,
                        order=j,
                    )
                    for j, ind in enumerate(res.indicators)
                ]
            )
        PlannedResult.objects.filter(plan=plan).exclude(pk__in=keep).delete()
        audit(actor=actor, action="performance.plan.edit", obj=plan, after={"results": len(results)})
    return plan


def plan_set_expectations(
    *, plan: PerformancePlan, expectations: str, behaviour: dict[int, str], actor: Any
) -> PerformancePlan:
    """The appraiser states expectations and the specific expectations per BerAKHLAK value."""
    _require_role(actor, plan, {"appraiser", "admin"}, _("Hanya pejabat penilai yang dapat menetapkan ekspektasi."))
    with transaction.atomic():
        PerformancePlan.objects.filter(pk=plan.pk).update(expectations=expectations, updated_at=timezone.now())
        plan.expectations = expectations
        for cv_id, text in behaviour.items():
            BehaviourExpectation.objects.update_or_create(plan=plan, core_value_id=cv_id, defaults={"text": text})
        audit(actor=actor, action="performance.plan.expectations", obj=plan, after={"expectations": expectations})
    return plan


def _content_of(plan: PerformancePlan) -> list[ResultInput]:
    out = []
    for res in PlannedResult.objects.filter(plan=plan).prefetch_related("indicators"):
        out.append(
            ResultInput(
                kind=res.kind,
                text=res.text,
                id=res.pk,
                indicators=[IndicatorInput(i.aspect, i.text, i.target, i.unit) for i in res.indicators.all()],
            )
        )
    return out


def plan_submit(*, plan: PerformancePlan, actor: Any) -> PerformancePlan:
    """Employee submits the draft SKP to the appraiser."""
    _require_role(actor, plan, {"owner"}, _("Hanya pegawai yang bersangkutan yang dapat mengajukan SKP."))
    if plan.status == PlanStatus.SUBMITTED:
        raise ConflictError(_("SKP ini sudah diajukan dan sedang menunggu persetujuan."))
    if plan.status not in (PlanStatus.DRAFT, PlanStatus.RETURNED):
        raise ApplicationError(_("SKP dengan status %(s)s tidak dapat diajukan.") % {"s": plan.get_status_display()})
    if not plan.appraiser_id:
        raise ApplicationError(_("Pejabat penilai belum ditetapkan; hubungi BKD."))
    validate_content(plan.approach, _content_of(plan), for_submit=True)
    with transaction.atomic():
        _cas(plan, rules.SUBMIT, submitted_at=timezone.now(), return_comment="")
        _audit_transition(plan, actor, rules.SUBMIT)
        _notify_on_commit(
            [plan.appraiser_id],
            _("SKP %(year)s menunggu persetujuan Anda") % {"year": plan.year},
            str(plan.employee),
            _plan_url(plan),
        )
    return plan


def plan_return(*, plan: PerformancePlan, comment: str, actor: Any) -> PerformancePlan:
    """The appraiser returns the SKP for revision, saying why."""
    _require_role(actor, plan, {"appraiser", "admin"}, _("Hanya pejabat penilai yang dapat mengembalikan SKP."))
    if not comment.strip():
        raise ApplicationError(_("Tuliskan catatan perbaikan untuk pegawai."))
    if plan.status != PlanStatus.SUBMITTED:
        raise ApplicationError(_("Hanya SKP yang diajukan yang dapat dikembalikan."))
    with transaction.atomic():
        _cas(plan, rules.RETURN, return_comment=comment)
        _audit_transition(plan, actor, rules.RETURN, comment)
        _notify_on_commit([plan.employee_id], _("SKP Anda dikembalikan untuk perbaikan"), comment, _plan_url(plan))
    return plan


def plan_approve(*, plan: PerformancePlan, actor: Any) -> PerformancePlan:
    """The appraiser approves (menetapkan) the SKP; evaluation rows are opened for open periods."""
    _require_role(actor, plan, {"appraiser", "admin"}, _("Hanya pejabat penilai yang dapat menyetujui SKP."))
    if plan.status != PlanStatus.SUBMITTED:
        raise ApplicationError(_("Hanya SKP yang diajukan yang dapat disetujui."))
    with transaction.atomic():
        _cas(plan, rules.APPROVE, approved_at=timezone.now())
        periods = EvaluationPeriod.objects.filter(agency_id=plan.agency_id, year=plan.year, status=PeriodStatus.OPEN)
        periods = periods.exclude(opened_at=None)
        Evaluation.objects.bulk_create([Evaluation(plan=plan, period=p) for p in periods], ignore_conflicts=True)
        _audit_transition(plan, actor, rules.APPROVE)
        _notify_on_commit(
            [plan.employee_id], _("SKP %(year)s Anda disetujui") % {"year": plan.year}, "", _plan_url(plan)
        )
    return plan


# --- doing and feedback -------------------------------------------------------------------------


PROGRESS_VALUE_MAX = 120  # Progress.value
EVIDENCE_LINK_MAX = 200  # Progress.evidence_link (URLField default)


@dataclass(frozen=True)
class ProgressInput:
    """One row of the realisation form: an indicator's value, note and evidence for the period."""

    indicator: Indicator
    value: str
    note: str = ""
    evidence_file: Any = None
    evidence_link: str = ""


def _progress_check(*, row: ProgressInput, period: EvaluationPeriod, actor: Any) -> dict[str, Any]:
    """Every refusal of one realisation row, before anything is written; returns what to store."""
    indicator, value, evidence_link = row.indicator, str(row.value).strip(), row.evidence_link.strip()
    plan = indicator.result.plan
    _require_role(actor, plan, {"owner"}, _("Hanya pegawai yang bersangkutan yang dapat mengisi realisasi."))
    if plan.status != PlanStatus.APPROVED:
        raise ApplicationError(_("Realisasi hanya dapat diisi pada SKP yang sudah disetujui."))
    if period.agency_id != plan.agency_id or period.year != plan.year:
        raise ApplicationError(_("Periode tidak sesuai dengan SKP."))
    if period.status != PeriodStatus.OPEN:
        raise ApplicationError(_("Periode %(p)s sudah ditutup; realisasi tidak dapat diubah.") % {"p": period.name})
    if period.opened_at is None:
        raise ApplicationError(_("Periode %(p)s belum dibuka.") % {"p": period.name})
    if not value:
        raise ApplicationError(_("Isi nilai realisasi."), {"field": "value"})
    if len(value) > PROGRESS_VALUE_MAX:
        raise ApplicationError(_("Realisasi: maksimal %(n)d karakter.") % {"n": PROGRESS_VALUE_MAX}, {"field": "value"})
    number = rules.parse_number(value)
    if plan.approach == Approach.QUANTITATIVE and number is None:
        raise ApplicationError(_("Realisasi harus berupa angka (pendekatan kuantitatif)."), {"field": "value"})
    if rules.is_negative(number):
        raise ApplicationError(_("Realisasi tidak boleh negatif."), {"field": "value"})
    if number is not None and abs(number) >= rules.MAX_RECORDED_NUMBER:
        raise ApplicationError(_("Realisasi terlalu besar."), {"field": "value"})
    if evidence_link:
        try:
            URLValidator(schemes=["http", "https"])(evidence_link)
        except ValidationError:
            raise ApplicationError(
                _("Tautan bukti dukung harus alamat web lengkap (http:// atau https://)."), {"field": "evidence_link"}
            ) from None
        if len(evidence_link) > EVIDENCE_LINK_MAX:
            raise ApplicationError(
                _("Tautan bukti dukung: maksimal %(n)d karakter.") % {"n": EVIDENCE_LINK_MAX},
                {"field": "evidence_link"},
            )
    evidence = uploads.validate_upload(row.evidence_file, uploads.UploadKind.DOCUMENT) if row.evidence_file else None
    if not row.evidence_file and not evidence_link:
        existing = Progress.objects.filter(indicator=indicator, period=period).first()
        if existing is None or not (existing.evidence_file or existing.evidence_link):
            raise ApplicationError(_("Lampirkan bukti dukung (berkas atau tautan)."), {"field": "evidence"})
    return {"value": value, "number": number, "link": evidence_link, "evidence": evidence}


def _progress_write(*, row: ProgressInput, period: EvaluationPeriod, checked: dict[str, Any]) -> Progress:
    obj, _created = Progress.objects.update_or_create(
        indicator=row.indicator,
        period=period,
        defaults={"value": checked["value"], "value_number": checked["number"], "note": row.note},
    )
    changed = []
    if row.evidence_file and checked["evidence"] is not None:
        obj.evidence_file = row.evidence_file
        obj.evidence_name = checked["evidence"].original_name
        changed += ["evidence_file", "evidence_name"]
    if checked["link"]:
        obj.evidence_link = checked["link"]
        changed.append("evidence_link")
    if changed:
        obj.save(update_fields=changed)
    return obj


def progress_record(
    *,
    indicator: Indicator,
    period: EvaluationPeriod,
    value: str,
    note: str = "",
    evidence_file: Any = None,
    evidence_link: str = "",
    actor: Any,
) -> Progress:
    """The employee records realisation on an indicator for an open period, with evidence."""
    row = ProgressInput(indicator, value, note, evidence_file, evidence_link)
    checked = _progress_check(row=row, period=period, actor=actor)
    with transaction.atomic():
        return _progress_write(row=row, period=period, checked=checked)


def progress_record_many(*, period: EvaluationPeriod, rows: list[ProgressInput], actor: Any) -> int:
    """The realisation form: every row is checked first; all rows are stored in one transaction, or none.
    A refusal carries each refused row's message in ``extra["rows"]`` (indicator id → message)."""
    errors: dict[int, str] = {}
    checked: list[tuple[ProgressInput, dict[str, Any]]] = []
    for row in rows:
        try:
            checked.append((row, _progress_check(row=row, period=period, actor=actor)))
        except ApplicationError as exc:
            errors[row.indicator.pk] = exc.message
    if errors:
        raise ApplicationError(_("Tidak ada realisasi yang disimpan; perbaiki isian bertanda merah."), {"rows": errors})
    with transaction.atomic():
        for row, data in checked:
            _progress_write(row=row, period=period, checked=data)
    return len(checked)


def feedback_give(
    *,
    plan: PerformancePlan,
    text: str,
    actor: Any,
    result: PlannedResult | None = None,
    core_value: CoreValue | None = None,
    period: EvaluationPeriod | None = None,
) -> Feedback:
    """The appraiser gives continuous feedback on a result or a BerAKHLAK value."""
    _require_role(actor, plan, {"appraiser"}, _("Hanya pejabat penilai yang dapat memberi umpan balik."))
    if plan.status not in (PlanStatus.APPROVED, PlanStatus.EVALUATED):
        raise ApplicationError(_("Umpan balik diberikan pada SKP yang sudah disetujui."))
    if not text.strip():
        raise ApplicationError(_("Tuliskan umpan balik."))
    if result is not None and result.plan_id != plan.pk:
        raise ApplicationError(_("RHK bukan bagian dari SKP ini."))
    with transaction.atomic():
        fb = Feedback.objects.create(
            plan=plan,
            text=text.strip(),
            result=result,
            core_value=core_value,
            period=period,
            given_by_id=_actor_employee_id(actor),
        )
        _notify_on_commit([plan.employee_id], _("Umpan balik baru pada SKP Anda"), text[:200], _plan_url(plan))
    return fb


# --- evaluation ---------------------------------------------------------------------------------


def evaluation_record(
    *,
    plan: PerformancePlan,
    period: EvaluationPeriod,
    result_rating: str,
    behaviour_rating: str,
    comment: str = "",
    actor: Any,
) -> Evaluation:
    """The appraiser rates results and behaviour for a period; the predikat follows the 3×3 matrix
    (PermenPANRB 6/2022 Lampiran). A unit head's result rating is the unit's rating (SE MenPANRB 3/2023).
    The last (annual) period moves the SKP to "evaluated"."""
    _require_role(actor, plan, {"appraiser", "admin"}, _("Anda bukan pejabat penilai SKP ini."))
    if plan.status != PlanStatus.APPROVED:
        raise ApplicationError(
            _("SKP belum disetujui atau sudah dinilai (status: %(s)s); penilaian tidak dapat dicatat.")
            % {"s": plan.get_status_display()}
        )
    if period.agency_id != plan.agency_id or period.year != plan.year:
        raise ApplicationError(_("Periode tidak sesuai dengan SKP."))
    if period.is_annual:
        gate = selectors.annual_rating_gate(plan, period)
        if not gate.is_open:
            raise ApplicationError(
                selectors.annual_gate_message(gate, period),
                {
                    "field": "period",
                    "opens_on": gate.opens_on.isoformat(),
                    "missing_realisation": gate.missing_realisation,
                },
            )
    from_unit = False
    if plan.is_unit_head:
        unit_rating = (
            UnitPerformance.objects.filter(unit_id=plan.unit_id, period=period).values_list("rating", flat=True).first()
        )
        if unit_rating:
            result_rating = rules.head_result_rating(unit_rating=unit_rating)
            from_unit = True
    try:
        predikat = rules.derive_predikat(result=result_rating, behaviour=behaviour_rating)
    except ValueError as exc:
        raise ApplicationError(_("Pilih rating hasil kerja dan rating perilaku kerja.")) from exc
    now = timezone.now()
    decided = {
        "status": EvaluationStatus.EVALUATED,
        "result_rating": result_rating,
        "result_rating_from_unit": from_unit,
        "behaviour_rating": behaviour_rating,
        "predikat": predikat,
        "comment": comment,
    }
    with transaction.atomic():
        Evaluation.objects.get_or_create(plan=plan, period=period)
        # The row lock makes concurrent posts take turns; a repeat of the decision already recorded
        # (a double click, ten tabs) changes nothing and writes no second audit entry or notification.
        evaluation = Evaluation.objects.select_for_update().get(plan=plan, period=period)
        if all(getattr(evaluation, k) == v for k, v in decided.items()):
            raise ConflictError(
                _("Penilaian %(period)s dengan nilai yang sama sudah tercatat.") % {"period": period.name}
            )
        for key, value in decided.items():
            setattr(evaluation, key, value)
        evaluation.evaluated_by_id = _actor_employee_id(actor)
        evaluation.evaluated_at = now
        evaluation.save(update_fields=[*decided, "evaluated_by_id", "evaluated_at"])
        audit(
            actor=actor,
            action="performance.evaluation.record",
            obj=evaluation,
            after={"period": period.name, "result": result_rating, "behaviour": behaviour_rating, "predikat": predikat},
            reason=comment,
            agency_id=plan.agency_id,
        )
        if period.is_annual:
            _cas(
                plan,
                rules.EVALUATE,
                evaluated_at=now,
                result_rating=result_rating,
                behaviour_rating=behaviour_rating,
                predikat=predikat,
            )
            _audit_transition(plan, actor, rules.EVALUATE, comment)
        _notify_on_commit(
            [plan.employee_id],
            _("Penilaian %(period)s: %(predikat)s") % {"period": period.name, "predikat": Predikat(predikat).label},
            comment,
            _plan_url(plan),
        )
    return evaluation


def _upsert_predikat_record(plan: PerformancePlan, predikat: str, note: str = "") -> None:
    PredikatRecord.objects.update_or_create(
        employee_id=plan.employee_id,
        year=plan.year,
        defaults={
            "predikat": predikat,
            "source": PredikatSource.APPRAISAL,
            "plan": plan,
            "unit_id": plan.unit_id,
            "locked": True,
            "note": note,
        },
    )


def plan_finalise(*, plan: PerformancePlan, actor: Any) -> PerformancePlan:
    """Lock the annual predikat and write it into the employee's history (riwayat predikat)."""
    _require_role(actor, plan, {"appraiser", "admin"}, _("Hanya pejabat penilai atau BKD yang dapat memfinalkan SKP."))
    if plan.status != PlanStatus.EVALUATED:
        raise ApplicationError(_("Hanya SKP yang sudah dinilai tahunan yang dapat difinalkan."))
    with transaction.atomic():
        _cas(plan, rules.FINALISE, finalised_at=timezone.now())
        _upsert_predikat_record(plan, plan.predikat)
        _audit_transition(plan, actor, rules.FINALISE)
        window = settings_for(plan.agency_id).objection_window_days
        _notify_on_commit(
            [plan.employee_id],
            _("Predikat kinerja %(year)s Anda: %(p)s") % {"year": plan.year, "p": Predikat(plan.predikat).label},
            _("Keberatan dapat diajukan dalam %(n)s hari.") % {"n": window},
            _plan_url(plan),
        )
    return plan


def objection_lodge(*, plan: PerformancePlan, reason: str, actor: Any) -> Objection:
    """The employee objects (keberatan) to the final predikat within the agency's window."""
    _require_role(actor, plan, {"owner"}, _("Hanya pegawai yang bersangkutan yang dapat mengajukan keberatan."))
    if not reason.strip():
        raise ApplicationError(_("Tuliskan alasan keberatan."))
    if plan.status != PlanStatus.FINAL or plan.finalised_at is None:
        raise ApplicationError(_("Keberatan hanya dapat diajukan atas SKP yang sudah final."))
    window = settings_for(plan.agency_id).objection_window_days
    days = (timezone.now() - plan.finalised_at).days
    if not rules.objection_open(finalised_days_ago=days, window_days=window):
        raise ApplicationError(_("Batas waktu keberatan (%(n)s hari) sudah lewat.") % {"n": window})
    with transaction.atomic():
        _cas(plan, rules.OBJECT)
        objection = Objection.objects.create(plan=plan, reason=reason.strip(), original_predikat=plan.predikat)
        _audit_transition(plan, actor, rules.OBJECT, reason)
        _notify_on_commit(
            [plan.appraiser_superior_id, plan.appraiser_id],
            _("Keberatan atas predikat kinerja %(name)s") % {"name": plan.employee},
            reason[:200],
            _plan_url(plan),
        )
    return objection


def objection_decide(
    *, objection: Objection, upheld: bool, decision: str, new_predikat: str = "", actor: Any
) -> Objection:
    """The appraiser's superior decides the objection; if upheld, the predikat is corrected."""
    plan = objection.plan
    _require_role(
        actor, plan, {"appraiser_superior", "admin"}, _("Keberatan diputus oleh atasan pejabat penilai kinerja.")
    )
    # The appraiser whose evaluation is contested does not decide the objection against it.
    decisions.ensure_may_decide(actor, None, conflicted=[plan.appraiser_id], conflict=decisions.OWN_ASSESSMENT)
    if not decision.strip():
        raise ApplicationError(_("Tuliskan pertimbangan keputusan."))
    if upheld and new_predikat not in Predikat.values:
        raise ApplicationError(_("Pilih predikat baru bila keberatan diterima."))
    with transaction.atomic():
        final_predikat = new_predikat if upheld else plan.predikat
        _cas(plan, rules.RESOLVE, predikat=final_predikat)
        n = Objection.objects.filter(pk=objection.pk, status=ObjectionStatus.OPEN).update(
            status=ObjectionStatus.UPHELD if upheld else ObjectionStatus.REJECTED,
            new_predikat=new_predikat if upheld else "",
            decision=decision,
            decided_by_id=_actor_employee_id(actor),
            decided_at=timezone.now(),
        )
        if n == 0:
            raise ConflictError(_("Keberatan ini sudah diputus."))
        objection.refresh_from_db()
        _upsert_predikat_record(plan, final_predikat, note=_("Setelah keberatan"))
        _audit_transition(plan, actor, rules.RESOLVE, decision)
        _notify_on_commit(
            [plan.employee_id],
            _("Keberatan Anda telah diputus: %(s)s") % {"s": objection.get_status_display()},
            decision[:200],
            _plan_url(plan),
        )
    return objection


# --- cascading ----------------------------------------------------------------------------------


@dataclass
class CascadeOutcome:
    created: list[int] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)


def result_cascade(
    *, parent_result: PlannedResult, employee_ids: Sequence[int], text: str = "", actor: Any
) -> CascadeOutcome:
    """Cascade one of the head's RHK to several subordinates (matriks peran hasil) in one step:
    each gets a main RHK naming it as the superior's RHK; their SKP is opened if needed."""
    head_plan = parent_result.plan
    if _actor_employee_id(actor) != head_plan.employee_id:
        raise ApplicationError(_("Hanya pemilik RHK yang dapat menurunkannya."), status=403)
    sup = supervisor_ids_for(employee_ids)
    outcome = CascadeOutcome()
    with transaction.atomic():
        plans = {
            p.employee_id: p for p in PerformancePlan.objects.filter(employee_id__in=employee_ids, year=head_plan.year)
        }
        employees = {e.pk: e for e in Employee.objects.filter(pk__in=employee_ids).select_related("position")}
        for emp_id in employee_ids:
            if sup.get(emp_id) != head_plan.employee_id or emp_id not in employees:
                outcome.skipped.append((emp_id, _("bukan bawahan langsung")))
                continue
            plan = plans.get(emp_id) or _plan_create(employees[emp_id], head_plan.year, actor)
            if plan.status not in (PlanStatus.DRAFT, PlanStatus.RETURNED):
                outcome.skipped.append((emp_id, _("SKP sudah diajukan/disetujui")))
                continue
            if PlannedResult.objects.filter(plan=plan, parent_result=parent_result).exists():
                outcome.skipped.append((emp_id, _("sudah menerima RHK ini")))
                continue
            PlannedResult.objects.create(
                plan=plan, kind=ResultKind.MAIN, text=text or parent_result.text, parent_result=parent_result, order=99
            )
            outcome.created.append(emp_id)
        audit(
            actor=actor,
            action="performance.result.cascade",
            obj=parent_result,
            after={"to": outcome.created},
            agency_id=head_plan.agency_id,
        )
        _notify_on_commit(
            outcome.created,
            _("RHK atasan diturunkan ke SKP Anda"),
            parent_result.text[:200],
            reverse("performance:my-skp"),
        )
    return outcome


# --- periods, unit ratings, calibration ----------------------------------------------------------


def periods_configure(
    *,
    agency_id: int,
    year: int,
    kind: str,
    actor: Any,
    objection_window_days: int | None = None,
    reminder_days_before: int | None = None,
) -> list[EvaluationPeriod]:
    """Set the agency's evaluation frequency for a year and create its periods (§1.3); optionally also the
    objection window and reminder lead time, in the same transaction and audit entry."""
    if not is_hr_admin(actor, agency_id):
        raise ApplicationError(_("Hanya admin BKD yang dapat mengatur periode."), status=403)
    if kind not in rules.PERIOD_MONTHS:
        raise ApplicationError(_("Jenis periode tidak dikenal."))
    existing = EvaluationPeriod.objects.filter(agency_id=agency_id, year=year)
    if existing.exclude(kind=kind).filter(Q(progress__isnull=False) | Q(evaluations__status="evaluated")).exists():
        raise ApplicationError(
            _("Periode tahun ini sudah dipakai untuk realisasi/penilaian; jenisnya tidak dapat diubah.")
        )
    numbers = {"objection_window_days": objection_window_days, "reminder_days_before": reminder_days_before}
    numbers = {k: v for k, v in numbers.items() if v is not None}
    with transaction.atomic():
        existing.exclude(kind=kind).delete()
        PerformanceSetting.objects.update_or_create(agency_id=agency_id, defaults={"period_kind": kind, **numbers})
        periods = ensure_periods(agency_id=agency_id, year=year, kind=kind)
        audit(
            actor=actor,
            action="performance.periods.configure",
            obj=periods[0],
            after={"year": year, "kind": kind, **numbers},
            agency_id=agency_id,
        )
    return periods


def ensure_periods(*, agency_id: int, year: int, kind: str) -> list[EvaluationPeriod]:
    rows = [
        EvaluationPeriod(
            agency_id=agency_id,
            year=year,
            kind=kind,
            number=s.number,
            name=s.name,
            start_date=dt.date(year, s.start_month, 1),
            end_date=(dt.date(year + 1, 1, 1) if s.end_month == 12 else dt.date(year, s.end_month + 1, 1))
            - dt.timedelta(days=1),
            is_annual=s.is_annual,
        )
        for s in rules.period_specs(kind)
    ]
    EvaluationPeriod.objects.bulk_create(rows, ignore_conflicts=True)
    return list(EvaluationPeriod.objects.filter(agency_id=agency_id, year=year, kind=kind).order_by("number"))


def period_set_status(*, period: EvaluationPeriod, status: str, actor: Any) -> EvaluationPeriod:
    if not is_hr_admin(actor, period.agency_id):
        raise ApplicationError(_("Hanya admin BKD yang dapat membuka/menutup periode."), status=403)
    now = timezone.now()
    changes: dict[str, Any] = {"status": status}
    if status == PeriodStatus.OPEN and period.opened_at is None:
        changes["opened_at"] = now
    if status == PeriodStatus.CLOSED:
        changes["closed_at"] = now
    with transaction.atomic():
        before = period.status
        EvaluationPeriod.objects.filter(pk=period.pk).update(**changes)
        for k, v in changes.items():
            setattr(period, k, v)
        if status == PeriodStatus.OPEN:
            open_period_evaluations(period)
        audit(actor=actor, action="performance.period.status", obj=period, before={"status": before}, after=changes)
    return period


def open_period_evaluations(period: EvaluationPeriod) -> int:
    """Create the period's evaluation rows for every approved SKP (idempotent, set-based)."""
    plan_ids = list(
        PerformancePlan.objects.filter(agency_id=period.agency_id, year=period.year, status=PlanStatus.APPROVED)
        .exclude(evaluations__period=period)
        .values_list("pk", flat=True)
    )
    Evaluation.objects.bulk_create(
        [Evaluation(plan_id=pid, period_id=period.pk) for pid in plan_ids], ignore_conflicts=True, batch_size=2000
    )
    return len(plan_ids)


def _is_unit_superior(actor: Any, unit: OrgUnit) -> bool:
    """The head of the unit above (or of the unit's tree) sets the unit's rating (SE MenPANRB 3/2023)."""
    scope = scope_for(actor)
    parent_path = unit.path.rsplit("/", 2)[0] + "/" if unit.parent_id else ""
    return bool(parent_path) and any(parent_path.startswith(p) for p in scope.head_unit_paths)


def unit_performance_set(
    *, unit: OrgUnit, period: EvaluationPeriod, rating: str, note: str = "", actor: Any
) -> UnitPerformance:
    """Set a unit's organisational rating for a period (BKD admin or the unit's superior)."""
    if unit.agency_id != period.agency_id:
        raise ApplicationError(_("Unit dan periode berasal dari instansi berbeda."))
    if not (is_hr_admin(actor, unit.agency_id) or _is_unit_superior(actor, unit)):
        raise ApplicationError(_("Predikat unit ditetapkan oleh admin BKD atau atasan unit."), status=403)
    decisions.ensure_may_decide_on_unit(actor, unit)
    from .choices import UnitRating

    if rating not in UnitRating.values:
        raise ApplicationError(_("Pilih predikat kinerja organisasi."))
    with transaction.atomic():
        before = UnitPerformance.objects.filter(unit=unit, period=period).values_list("rating", flat=True).first()
        obj, _c = UnitPerformance.objects.update_or_create(
            unit=unit, period=period, defaults={"rating": rating, "note": note, "set_by": actor}
        )
        audit(
            actor=actor,
            action="performance.unit_rating.set",
            obj=obj,
            before={"rating": before},
            after={"rating": rating},
            reason=note,
            agency_id=unit.agency_id,
        )
    return obj


def distribution_check_all(*, period: EvaluationPeriod) -> dict[str, int]:
    """Check every unit's distribution against its rating's curve and store it (set-based, idempotent)."""
    counts = distribution_counts(period=period)
    ratings = dict(UnitPerformance.objects.filter(period=period).values_list("unit_id", "rating"))
    specs = rule_specs()
    now = timezone.now()
    rows = []
    breaking = 0
    for unit_id in set(counts) | set(ratings):
        rating = ratings.get(unit_id, "")
        warnings = rules.check_distribution(counts.get(unit_id, {}), specs.get(rating, [])) if rating else []
        breaking += bool(warnings)
        rows.append(
            UnitCalibration(
                unit_id=unit_id,
                period=period,
                unit_rating=rating,
                distribution=counts.get(unit_id, {}),
                warnings=[w.message for w in warnings],
                breaks_rule=bool(warnings),
                checked_at=now,
            )
        )
    # Finalised calibrations are not touched: the conflict update only refreshes open ones' figures.
    final_ids = set(
        UnitCalibration.objects.filter(period=period, status=CalibrationStatus.FINAL).values_list("unit_id", flat=True)
    )
    rows = [r for r in rows if r.unit_id not in final_ids]
    UnitCalibration.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["unit", "period"],
        update_fields=["unit_rating", "distribution", "warnings", "breaks_rule", "checked_at"],
        batch_size=2000,
    )
    return {"units": len(rows), "breaking": breaking}


def calibration_finalise(
    *, unit: OrgUnit, period: EvaluationPeriod, justification: str = "", actor: Any
) -> UnitCalibration:
    """Finalise a unit's distribution; when it breaks the curve a written justification is required."""
    if not (is_hr_admin(actor, unit.agency_id) or _is_unit_superior(actor, unit)):
        raise ApplicationError(_("Kalibrasi difinalkan oleh admin BKD atau atasan unit."), status=403)
    decisions.ensure_may_decide_on_unit(actor, unit)
    rating = UnitPerformance.objects.filter(unit=unit, period=period).values_list("rating", flat=True).first()
    if not rating:
        raise ApplicationError(_("Tetapkan dahulu predikat kinerja organisasi unit ini."))
    counts = distribution_counts(period=period, unit_ids=[unit.pk]).get(unit.pk, {})
    warnings = rules.check_distribution(counts, rule_specs().get(rating, []))
    if warnings and not justification.strip():
        raise ApplicationError(
            _("Distribusi predikat menyimpang dari pola; tuliskan justifikasi."),
            extra={"warnings": [w.message for w in warnings]},
        )
    with transaction.atomic():
        cal, _c = UnitCalibration.objects.get_or_create(unit=unit, period=period)
        n = UnitCalibration.objects.filter(pk=cal.pk, status=CalibrationStatus.OPEN).update(
            status=CalibrationStatus.FINAL,
            unit_rating=rating,
            distribution=counts,
            warnings=[w.message for w in warnings],
            breaks_rule=bool(warnings),
            justification=justification.strip(),
            finalised_by=actor,
            finalised_at=timezone.now(),
            checked_at=timezone.now(),
        )
        if n == 0:
            raise ConflictError(_("Kalibrasi unit ini sudah difinalkan."))
        cal.refresh_from_db()
        audit(
            actor=actor,
            action="performance.calibration.finalise",
            obj=cal,
            after={"distribution": counts, "warnings": cal.warnings},
            reason=justification,
            agency_id=unit.agency_id,
        )
    return cal


# --- import of past years ------------------------------------------------------------------------

LABEL_TO_PREDIKAT = {str(label).lower(): value for value, label in Predikat.choices}
LABEL_TO_PREDIKAT.update({v: v for v in Predikat.values})
LABEL_TO_PREDIKAT.update({"kurang": Predikat.KURANG, "misconduct": Predikat.KURANG, "cukup": Predikat.BUTUH_PERBAIKAN})


@dataclass
class ImportRow:
    line: int
    nip: str
    year: int | None
    predikat: str
    employee_id: int | None = None
    error: str = ""


def predikat_import_preview(*, agency_id: int, rows: Sequence[Sequence[Any]], actor: Any) -> list[ImportRow]:
    """Validate rows (NIP, tahun, predikat) of a past-years file; nothing is written."""
    if not is_hr_admin(actor, agency_id):
        raise ApplicationError(_("Hanya admin BKD yang dapat mengimpor predikat."), status=403)
    parsed: list[ImportRow] = []
    for i, row in enumerate(rows, start=2):
        cells = [str(c).strip() if c is not None else "" for c in list(row) + ["", "", ""]][:3]
        nip, year_s, label = cells
        year = int(year_s) if year_s.isdecimal() else None
        item = ImportRow(i, nip.replace(" ", ""), year, LABEL_TO_PREDIKAT.get(label.lower(), ""))
        if not item.nip and not year_s and not label:
            continue
        if year is None or not 2000 <= year <= timezone.localdate().year:
            item.error = _("Tahun tidak valid.")
        elif not item.predikat:
            item.error = _('Predikat "%(p)s" tidak dikenal.') % {"p": label}
        parsed.append(item)
    emp = dict(Employee.objects.filter(agency_id=agency_id, nip__in=[r.nip for r in parsed]).values_list("nip", "pk"))
    appraised = set(
        PredikatRecord.objects.filter(employee_id__in=emp.values(), source=PredikatSource.APPRAISAL).values_list(
            "employee_id", "year"
        )
    )
    seen: set[tuple[str, int | None]] = set()
    for item in parsed:
        item.employee_id = emp.get(item.nip)
        if not item.error and item.employee_id is None:
            item.error = _("NIP tidak ditemukan di instansi ini.")
        elif not item.error and (item.employee_id, item.year) in appraised:
            item.error = _("Sudah ada predikat hasil penilaian SKP untuk tahun ini.")
        elif not item.error and (item.nip, item.year) in seen:
            item.error = _("Baris ganda.")
        seen.add((item.nip, item.year))
    return parsed


def predikat_import_confirm(*, agency_id: int, rows: Sequence[Sequence[Any]], actor: Any) -> int:
    """Write the valid rows into PredikatRecord (source: import); refuse if any row is invalid."""
    parsed = predikat_import_preview(agency_id=agency_id, rows=rows, actor=actor)
    bad = [r for r in parsed if r.error]
    if bad:
        raise ApplicationError(
            _("%(n)s baris tidak valid; perbaiki berkas lalu unggah ulang.") % {"n": len(bad)},
            extra={"rows": [{"line": r.line, "error": r.error} for r in bad[:50]]},
        )
    unit_of = dict(Employee.objects.filter(pk__in=[r.employee_id for r in parsed]).values_list("pk", "unit_id"))
    with transaction.atomic():
        PredikatRecord.objects.bulk_create(
            [
                PredikatRecord(
                    employee_id=r.employee_id,
                    year=r.year,
                    predikat=r.predikat,
                    source=PredikatSource.IMPORT,
                    unit_id=unit_of.get(r.employee_id),
                    locked=True,
                    note=gettext_noop("Impor data lama"),  # stored in the working language, shown translated
                )
                for r in parsed
                if r.employee_id and r.year
            ],
            update_conflicts=True,
            unique_fields=["employee", "year"],
            update_fields=["predikat", "source", "note", "updated_at"],
            batch_size=2000,
        )
        from people.models import Agency

        audit(
            actor=actor,
            action="performance.predikat.import",
            obj=Agency.objects.get(pk=agency_id),
            after={"rows": len(parsed)},
            agency_id=agency_id,
        )
    return len(parsed)
