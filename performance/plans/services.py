"""SKP planning: open a plan, save its results and indicators, behaviour expectations, submit/return/approve,
and cascading a superior's results down to subordinates' plans."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from asn_portal.errors import ApplicationError, ConflictError
from asn_portal.services import audit
from people.access import is_hr_admin
from people.models import Employee, OrgUnit
from people.selectors import supervisor_ids_for
from performance import rules
from performance.choices import Approach, PeriodStatus, PlanStatus, ResultKind
from performance.models import (
    BehaviourExpectation,
    CoreValue,
    Evaluation,
    EvaluationPeriod,
    Indicator,
    PerformancePlan,
    PlannedResult,
)
from performance.reports import summaries as statistics_summaries
from performance.workflow import actor_employee_id, audit_transition, notify_on_commit, plan_cas, plan_url, require_role

JPT_KINDS = ("jpt_utama", "jpt_madya", "jpt_pratama")


def plan_create(*, employee: Employee, year: int, actor: Any) -> PerformancePlan:
    """Open an employee's SKP for a year; the appraiser is the direct superior (PermenPANRB 6/2022)."""
    if actor_employee_id(actor) != employee.pk and not is_hr_admin(actor, employee.agency_id):
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
    statistics_summaries.touch(plan.agency_id)
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
    require_role(actor, plan, {"owner", "admin"}, _("Anda tidak berwenang mengubah SKP ini."))
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
    require_role(actor, plan, {"appraiser", "admin"}, _("Hanya pejabat penilai yang dapat menetapkan ekspektasi."))
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
    require_role(actor, plan, {"owner"}, _("Hanya pegawai yang bersangkutan yang dapat mengajukan SKP."))
    if plan.status == PlanStatus.SUBMITTED:
        raise ConflictError(_("SKP ini sudah diajukan dan sedang menunggu persetujuan."))
    if plan.status not in (PlanStatus.DRAFT, PlanStatus.RETURNED):
        raise ApplicationError(_("SKP dengan status %(s)s tidak dapat diajukan.") % {"s": plan.get_status_display()})
    if not plan.appraiser_id:
        raise ApplicationError(_("Pejabat penilai belum ditetapkan; hubungi BKD."))
    validate_content(plan.approach, _content_of(plan), for_submit=True)
    with transaction.atomic():
        plan_cas(plan, rules.SUBMIT, submitted_at=timezone.now(), return_comment="")
        audit_transition(plan, actor, rules.SUBMIT)
        notify_on_commit(
            [plan.appraiser_id],
            _("SKP %(year)s menunggu persetujuan Anda") % {"year": plan.year},
            str(plan.employee),
            plan_url(plan),
        )
    return plan


def plan_return(*, plan: PerformancePlan, comment: str, actor: Any) -> PerformancePlan:
    """The appraiser returns the SKP for revision, saying why."""
    require_role(actor, plan, {"appraiser", "admin"}, _("Hanya pejabat penilai yang dapat mengembalikan SKP."))
    if not comment.strip():
        raise ApplicationError(_("Tuliskan catatan perbaikan untuk pegawai."))
    if plan.status != PlanStatus.SUBMITTED:
        raise ApplicationError(_("Hanya SKP yang diajukan yang dapat dikembalikan."))
    with transaction.atomic():
        plan_cas(plan, rules.RETURN, return_comment=comment)
        audit_transition(plan, actor, rules.RETURN, comment)
        notify_on_commit([plan.employee_id], _("SKP Anda dikembalikan untuk perbaikan"), comment, plan_url(plan))
    return plan


def plan_approve(*, plan: PerformancePlan, actor: Any) -> PerformancePlan:
    """The appraiser approves (menetapkan) the SKP; evaluation rows are opened for open periods."""
    require_role(actor, plan, {"appraiser", "admin"}, _("Hanya pejabat penilai yang dapat menyetujui SKP."))
    if plan.status != PlanStatus.SUBMITTED:
        raise ApplicationError(_("Hanya SKP yang diajukan yang dapat disetujui."))
    with transaction.atomic():
        plan_cas(plan, rules.APPROVE, approved_at=timezone.now())
        periods = EvaluationPeriod.objects.filter(agency_id=plan.agency_id, year=plan.year, status=PeriodStatus.OPEN)
        periods = periods.exclude(opened_at=None)
        Evaluation.objects.bulk_create([Evaluation(plan=plan, period=p) for p in periods], ignore_conflicts=True)
        audit_transition(plan, actor, rules.APPROVE)
        notify_on_commit([plan.employee_id], _("SKP %(year)s Anda disetujui") % {"year": plan.year}, "", plan_url(plan))
    return plan


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
    if actor_employee_id(actor) != head_plan.employee_id:
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
        notify_on_commit(
            outcome.created,
            _("RHK atasan diturunkan ke SKP Anda"),
            parent_result.text[:200],
            reverse("performance:my-skp"),
        )
    return outcome
