"""SKP pages: staff (SKP Saya), appraisers (inbox, team, cascade, evaluation) and BKD (periods, unit
ratings, calibration, statistics, exports, imports). Every view calls selectors and services."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from asn_portal import uploads
from asn_portal.errors import ApplicationError
from asn_portal.exports import csv_response, xlsx_response
from asn_portal.http import safe_next
from asn_portal.params import int_or_none
from asn_portal.uploads import serve_private_file
from people import access_log, decisions, exposure
from people.access import agency_for, is_head, is_hr_admin, scope_for
from people.choices import AccessPart
from people.models import Employee
from people.selectors import current_employee, subordinate_ids_of

from . import permissions, rules, selectors, services
from .choices import PeriodStatus, PlanStatus, Predikat, UnitRating
from .forms import (
    CalibrationFinaliseForm,
    CascadeForm,
    EvaluationForm,
    ExpectationsForm,
    FeedbackForm,
    ImportForm,
    ObjectionDecisionForm,
    ObjectionForm,
    PeriodConfigForm,
    PlanHeaderForm,
    ResultFormSet,
    ReturnForm,
)
from .models import (
    CoreValue,
    EvaluationPeriod,
    Objection,
    PerformancePlan,
    PlannedResult,
    PredikatRecord,
    UnitPerformance,
)

PAGE_SIZE = 25


def _year(request: HttpRequest) -> int:
    return int_or_none(request.GET.get("year")) or timezone.localdate().year


def _admin_agency_id(request: HttpRequest) -> int:
    """The agency a BKD admin works on: `?agency=` or their own (people.access.agency_for)."""
    if not is_hr_admin(request.user):
        raise PermissionDenied
    return int(agency_for(request).pk)


def _flash_error(request: HttpRequest, exc: ApplicationError) -> None:
    messages.error(request, exc.message)
    for extra in exc.extra.get("errors", [])[1:]:
        messages.error(request, extra)
    for w in exc.extra.get("warnings", []):
        messages.warning(request, w)


# --- staff ---------------------------------------------------------------------------------------


def my_skp(request: HttpRequest) -> HttpResponse:
    """ "SKP Saya": this year's plan, past plans and the predikat history across years."""
    emp = current_employee(request.user)
    if emp is None:
        messages.info(request, _("Akun Anda tidak terhubung dengan data pegawai."))
        return redirect("home")
    year = timezone.localdate().year
    plans = list(PerformancePlan.objects.filter(employee=emp).select_related("appraiser").order_by("-year"))
    current = next((p for p in plans if p.year == year), None)
    context: dict[str, Any] = {
        "emp": emp,
        "year": year,
        "current": current,
        "plans": plans,
        "history": selectors.predikat_history(emp.pk),
        "breadcrumbs": [(_("SKP Saya"), None)],
    }
    if current is not None:
        context.update(selectors.plan_detail_parts(current))
        context["transitions"] = _transition_buttons(request, current)
        context["can_edit"] = permissions.can_edit_plan(request.user, current)
        context["can_progress"] = permissions.can_record_progress(request.user, current)
        context["open_periods"] = selectors.open_periods(current.agency_id, current.year)
    return render(request, "performance/my_skp.html", context)


@require_POST
def plan_create(request: HttpRequest) -> HttpResponse:
    emp = current_employee(request.user)
    if emp is None:
        raise PermissionDenied
    try:
        plan = services.plan_create(employee=emp, year=timezone.localdate().year, actor=request.user)
    except ApplicationError as exc:
        _flash_error(request, exc)
        return redirect("performance:my-skp")
    messages.success(request, _("SKP dibuat. Susun rencana hasil kerja Anda."))
    return redirect("performance:plan-edit", pk=plan.pk)


def _transition_buttons(request: HttpRequest, plan: PerformancePlan) -> list[tuple[str, str]]:
    return [
        (name, _(rules.TRANSITION_LABELS[name])) for name in permissions.allowed_transitions_for(request.user, plan)
    ]


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One SKP: results, indicators and progress, behaviour, feedback, evaluations; legal buttons only."""
    plan = selectors.plan_get_visible(user=request.user, pk=pk)
    access_log.record(request, plan.employee_id, AccessPart.SKP)
    parts = selectors.plan_detail_parts(plan)
    roles = permissions.plan_roles(request.user, plan)
    feedback_targets = [(f"r{r.pk}", _("RHK: %(t)s") % {"t": r.text[:60]}) for r in parts["results"]] + [
        (f"v{b.core_value_id}", _("Perilaku: %(t)s") % {"t": b.core_value.name}) for b in parts["behaviour"]
    ]
    context = {
        "plan": plan,
        **parts,
        "roles": roles,
        "transitions": _transition_buttons(request, plan),
        "can_edit": permissions.can_edit_plan(request.user, plan),
        "can_progress": permissions.can_record_progress(request.user, plan),
        "can_evaluate": permissions.can_evaluate_plan(request.user, plan),
        "can_feedback": permissions.can_give_feedback(request.user, plan),
        "can_expect": permissions.can_set_expectations(request.user, plan),
        "open_periods": selectors.open_periods(plan.agency_id, plan.year),
        "return_form": ReturnForm(),
        "feedback_form": FeedbackForm(targets=feedback_targets),
        "expectations_form": ExpectationsForm(initial={"expectations": plan.expectations}),
        "objection_form": ObjectionForm(),
        "decision_form": ObjectionDecisionForm(),
        "open_objection": next((o for o in parts["objections"] if o.status == "open"), None),
        "show_objections": bool(roles & exposure.OBJECTION_TEXT_PLAN_ROLES),
        "breadcrumbs": _plan_crumbs(request, plan),
    }
    return render(request, "performance/plan_detail.html", context)


def _plan_crumbs(request: HttpRequest, plan: PerformancePlan, *extra: tuple[str, str | None]) -> list[Any]:
    if plan.employee.user_id == request.user.pk:
        base = [(_("SKP Saya"), reverse("performance:my-skp"))]
    else:
        base = [(_("Kotak masuk SKP"), reverse("performance:inbox"))]
    label = _("SKP %(year)s · %(name)s") % {"year": plan.year, "name": plan.employee.full_name}
    if extra:
        return [*base, (label, reverse("performance:plan-detail", args=[plan.pk])), *extra]
    return [*base, (label, None)]


def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The SKP editor: approach and RHK/IKI rows (one IKI per aspect), cascading from the appraiser's RHK."""
    plan = selectors.plan_get_visible(user=request.user, pk=pk)
    if not permissions.can_edit_plan(request.user, plan):
        messages.error(request, _("SKP ini tidak dapat diubah pada status sekarang."))
        return redirect("performance:plan-detail", pk=plan.pk)
    parent_choices = selectors.parent_result_choices(plan)
    results = selectors.plan_results(plan)
    initial = []
    for r in results:
        row: dict[str, Any] = {
            "id": r.pk,
            "kind": r.kind,
            "text": r.text,
            "parent_result": r.parent_result_id,
            "perspective": r.perspective,
        }
        for ind in r.indicators.all():
            row[f"{ind.aspect}_text"] = ind.text
            row[f"{ind.aspect}_target"] = ind.target
            row[f"{ind.aspect}_unit"] = ind.unit
        initial.append(row)
    if request.method == "POST":
        header = PlanHeaderForm(request.POST)
        formset = ResultFormSet(request.POST, form_kwargs={"parent_choices": parent_choices})
        if header.is_valid() and formset.is_valid():
            inputs = [x for x in (f.to_input() for f in formset.forms) if x is not None]
            try:
                services.plan_save_content(
                    plan=plan, approach=header.cleaned_data["approach"], results=inputs, actor=request.user
                )
                if request.POST.get("and_submit"):
                    plan.refresh_from_db()
                    services.plan_submit(plan=plan, actor=request.user)
                    messages.success(request, _("SKP diajukan ke pejabat penilai."))
                else:
                    messages.success(request, _("SKP disimpan."))
                return redirect("performance:plan-detail", pk=plan.pk)
            except ApplicationError as exc:
                _flash_error(request, exc)
    else:
        header = PlanHeaderForm(initial={"approach": plan.approach})
        formset = ResultFormSet(initial=initial, form_kwargs={"parent_choices": parent_choices})
    return render(
        request,
        "performance/plan_edit.html",
        {
            "plan": plan,
            "header": header,
            "formset": formset,
            "has_parents": bool(parent_choices),
            "breadcrumbs": _plan_crumbs(request, plan, (_("Susun SKP"), None)),
        },
    )


@require_POST
def plan_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """submit / approve / return / finalise buttons."""
    plan = selectors.plan_get_visible(user=request.user, pk=pk)
    try:
        if action == rules.SUBMIT:
            services.plan_submit(plan=plan, actor=request.user)
            messages.success(request, _("SKP diajukan ke pejabat penilai."))
        elif action == rules.APPROVE:
            services.plan_approve(plan=plan, actor=request.user)
            messages.success(request, _("SKP disetujui."))
        elif action == rules.RETURN:
            form = ReturnForm(request.POST)
            services.plan_return(plan=plan, comment=form.data.get("comment", ""), actor=request.user)
            messages.success(request, _("SKP dikembalikan untuk perbaikan."))
        elif action == rules.FINALISE:
            services.plan_finalise(plan=plan, actor=request.user)
            messages.success(request, _("Predikat tahunan difinalkan dan masuk riwayat."))
        else:
            raise Http404
    except ApplicationError as exc:
        _flash_error(request, exc)
    return safe_next(request, reverse("performance:plan-detail", args=[plan.pk]))


@require_POST
def plan_expectations(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get_visible(user=request.user, pk=pk)
    behaviour = {cv.pk: request.POST.get(f"value_{cv.pk}", "").strip() for cv in CoreValue.objects.all()}
    try:
        services.plan_set_expectations(
            plan=plan, expectations=request.POST.get("expectations", ""), behaviour=behaviour, actor=request.user
        )
        messages.success(request, _("Ekspektasi disimpan."))
    except ApplicationError as exc:
        _flash_error(request, exc)
    return redirect("performance:plan-detail", pk=plan.pk)


def progress_entry(request: HttpRequest, pk: int, period_pk: int) -> HttpResponse:
    """Progress per indicator for one period, with evidence (file or link)."""
    plan = selectors.plan_get_visible(user=request.user, pk=pk)
    period = selectors.period_get_visible(user=request.user, pk=period_pk)
    if period.agency_id != plan.agency_id or period.year != plan.year:
        raise Http404
    parts = selectors.plan_detail_parts(plan)
    indicators = [i for r in parts["results"] for i in r.indicators.all()]
    existing = {p.indicator_id: p for i in indicators for p in i.progress.all() if p.period_id == period.pk}
    errors: dict[int, str] = {}
    if request.method == "POST":
        if not permissions.can_record_progress(request.user, plan):
            raise PermissionDenied
        inputs = []
        for ind in indicators:
            value = request.POST.get(f"value_{ind.pk}", "").strip()
            link = request.POST.get(f"link_{ind.pk}", "").strip()
            upload = request.FILES.get(f"file_{ind.pk}")
            if not value and not link and not upload:
                continue
            inputs.append(
                services.ProgressInput(
                    indicator=ind,
                    value=value,
                    note=request.POST.get(f"note_{ind.pk}", ""),
                    evidence_file=upload,
                    evidence_link=link,
                )
            )
        try:
            saved = services.progress_record_many(period=period, rows=inputs, actor=request.user)
        except ApplicationError as exc:
            errors = exc.extra.get("rows") or {}
            messages.error(request, exc.message)
        else:
            messages.success(request, _("%(n)s realisasi disimpan.") % {"n": saved})
            return redirect("performance:plan-detail", pk=plan.pk)
    posted = request.POST if request.method == "POST" else {}
    rows = [
        (
            ind,
            existing.get(ind.pk),
            errors.get(ind.pk),
            posted.get(f"value_{ind.pk}") or getattr(existing.get(ind.pk), "value", ""),
            posted.get(f"link_{ind.pk}", getattr(existing.get(ind.pk), "evidence_link", "")),
            posted.get(f"note_{ind.pk}", getattr(existing.get(ind.pk), "note", "")),
        )
        for ind in indicators
    ]
    return render(
        request,
        "performance/progress_entry.html",
        {
            "plan": plan,
            "period": period,
            "rows": rows,
            "editable": permissions.can_record_progress(request.user, plan) and period.status == PeriodStatus.OPEN,
            "upload_limit": uploads.format_size(uploads.max_bytes(uploads.UploadKind.DOCUMENT)),
            "breadcrumbs": _plan_crumbs(request, plan, (_("Realisasi %(p)s") % {"p": period.name}, None)),
        },
    )


@require_POST
def feedback_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get_visible(user=request.user, pk=pk)
    target = request.POST.get("target", "")
    result = core_value = None
    target_id = int_or_none(target[1:])
    if target.startswith("r") and target_id is not None:
        result = PlannedResult.objects.filter(plan=plan, pk=target_id).first()
    elif target.startswith("v") and target_id is not None:
        core_value = CoreValue.objects.filter(pk=target_id).first()
    try:
        services.feedback_give(
            plan=plan,
            text=request.POST.get("text", ""),
            result=result,
            core_value=core_value,
            period=selectors.current_period(plan.agency_id),
            actor=request.user,
        )
        messages.success(request, _("Umpan balik terkirim."))
    except ApplicationError as exc:
        _flash_error(request, exc)
    return redirect("performance:plan-detail", pk=plan.pk)


def evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    """The evaluation form: result and behaviour ratings for a period; the predikat follows the matrix."""
    plan = selectors.plan_get_visible(user=request.user, pk=pk)
    if not permissions.can_evaluate_plan(request.user, plan):
        conflict = decisions.conflict_reason(request.user, plan.employee_id)
        messages.error(
            request,
            decisions.message_for(conflict) if conflict else _("SKP ini tidak dapat Anda nilai pada status sekarang."),
        )
        return redirect("performance:plan-detail", pk=plan.pk)
    parts = selectors.plan_detail_parts(plan)
    periods = [p for p in parts["periods"] if p.opened_at]
    default = next((p.pk for p in periods if p.status == PeriodStatus.OPEN), periods[0].pk if periods else None)
    if request.method == "POST":
        form = EvaluationForm(request.POST, periods=periods)
        if form.is_valid():
            period = next(p for p in periods if p.pk == form.cleaned_data["period"])
            try:
                ev = services.evaluation_record(
                    plan=plan,
                    period=period,
                    result_rating=form.cleaned_data["result_rating"],
                    behaviour_rating=form.cleaned_data["behaviour_rating"],
                    comment=form.cleaned_data["comment"],
                    actor=request.user,
                )
                messages.success(
                    request,
                    _("Penilaian %(p)s tersimpan: predikat %(k)s.")
                    % {"p": period.name, "k": ev.get_predikat_display()},
                )
                return redirect("performance:plan-detail", pk=plan.pk)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
    else:
        form = EvaluationForm(initial={"period": default}, periods=periods)
    unit_rating = None
    if plan.is_unit_head:
        unit_rating = UnitPerformance.objects.filter(unit_id=plan.unit_id, period_id=default).first()
    annual = next((p for p in periods if p.is_annual), None)
    annual_notice = selectors.annual_gate_message(selectors.annual_rating_gate(plan, annual), annual) if annual else ""
    return render(
        request,
        "performance/evaluate.html",
        {
            "plan": plan,
            **parts,
            "form": form,
            "unit_rating": unit_rating,
            "annual_notice": annual_notice,
            "matrix": _matrix_table(),
            "breadcrumbs": _plan_crumbs(request, plan, (_("Penilaian"), None)),
        },
    )


def _matrix_table() -> list[tuple[Any, list[Any]]]:
    cols = ["below", "meets", "above"]
    from .choices import Expectation

    return [
        (Expectation(r).label, [Predikat(rules.PREDIKAT_MATRIX[(r, c)]).label for c in cols])
        for r in ["above", "meets", "below"]
    ]


@require_POST
def objection_lodge(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get_visible(user=request.user, pk=pk)
    try:
        services.objection_lodge(plan=plan, reason=request.POST.get("reason", ""), actor=request.user)
        messages.success(request, _("Keberatan diajukan ke atasan pejabat penilai."))
    except ApplicationError as exc:
        _flash_error(request, exc)
    return redirect("performance:plan-detail", pk=plan.pk)


@require_POST
def objection_decide(request: HttpRequest, pk: int) -> HttpResponse:
    objection = Objection.objects.select_related("plan").filter(pk=pk).first()
    if objection is None:
        raise Http404
    plan = selectors.plan_get_visible(user=request.user, pk=objection.plan_id)
    form = ObjectionDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Lengkapi keputusan keberatan."))
        return redirect("performance:plan-detail", pk=plan.pk)
    try:
        services.objection_decide(
            objection=objection,
            upheld=form.cleaned_data["upheld"],
            new_predikat=form.cleaned_data["new_predikat"],
            decision=form.cleaned_data["decision"],
            actor=request.user,
        )
        messages.success(request, _("Keberatan diputus."))
    except ApplicationError as exc:
        _flash_error(request, exc)
    return redirect("performance:plan-detail", pk=plan.pk)


# --- appraisers ----------------------------------------------------------------------------------


def inbox(request: HttpRequest) -> HttpResponse:
    """SKPs to approve, evaluate and finalise, and objections to decide (constant queries)."""
    box = selectors.inbox_for(user=request.user)
    return render(
        request,
        "performance/inbox.html",
        {"box": box, "total": sum(len(v) for v in box.values()), "breadcrumbs": [(_("Kotak masuk SKP"), None)]},
    )


def team(request: HttpRequest) -> HttpResponse:
    """The head's team at a glance: who has not planned, who has not reported this period."""
    if not is_head(request.user):
        raise PermissionDenied
    year = _year(request)
    emp = current_employee(request.user)
    period = selectors.current_period(emp.agency_id) if emp else None
    if period is not None and period.year != year:
        period = None
    qs = selectors.team_progress(user=request.user, year=year, period=period)
    show = request.GET.get("show", "")
    if show == "unplanned":
        qs = qs.filter(**{"plan_id": None})
    elif show == "unreported" and period is not None:
        qs = qs.filter(**{"reported": False, "plan_status": PlanStatus.APPROVED})
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    access_log.record(request, page.object_list, AccessPart.SKP)
    return render(
        request,
        "performance/team.html",
        {
            "page_obj": page,
            "year": year,
            "period": period,
            "show": show,
            "status_labels": dict(PlanStatus.choices),
            "predikat_labels": dict(Predikat.choices),
            "breadcrumbs": [(_("Kinerja tim"), None)],
        },
    )


def cascade(request: HttpRequest) -> HttpResponse:
    """The cascade tree of the head's RHK and a form to cascade one RHK to several subordinates."""
    emp = current_employee(request.user)
    if emp is None:
        raise PermissionDenied
    year = _year(request)
    plan = PerformancePlan.objects.filter(employee=emp, year=year).select_related("employee").first()
    tree = selectors.cascade_tree(plan) if plan else []
    sub_ids = subordinate_ids_of(emp)

    subs = [(e.pk, e.full_name) for e in Employee.objects.filter(pk__in=sub_ids).order_by("name")]
    if request.method == "POST":
        result = PlannedResult.objects.filter(
            pk=int_or_none(request.POST.get("result")) or 0, plan__employee=emp
        ).first()
        form = CascadeForm(request.POST, employees=subs)
        if result is None:
            messages.error(request, _("Pilih RHK Anda yang akan diturunkan."))
        elif form.is_valid():
            try:
                out = services.result_cascade(
                    parent_result=result,
                    employee_ids=form.cleaned_data["employees"],
                    text=form.cleaned_data["text"],
                    actor=request.user,
                )
                messages.success(request, _("RHK diturunkan ke %(n)s bawahan.") % {"n": len(out.created)})
                for emp_id, why in out.skipped:
                    name = dict(subs).get(emp_id, emp_id)
                    messages.warning(request, _("%(name)s dilewati: %(why)s") % {"name": name, "why": why})
                return redirect(f"{reverse('performance:cascade')}?year={year}")
            except ApplicationError as exc:
                _flash_error(request, exc)
        else:
            messages.error(request, _("Pilih paling sedikit satu bawahan."))
    return render(
        request,
        "performance/cascade.html",
        {
            "plan": plan,
            "tree": tree,
            "year": year,
            "form": CascadeForm(employees=subs),
            "has_subordinates": bool(subs),
            "breadcrumbs": [(_("Kaskade RHK"), None)],
        },
    )


def plan_list(request: HttpRequest) -> HttpResponse:
    """All SKPs the user may see, filtered by year, status and name."""
    if not (is_head(request.user) or is_hr_admin(request.user)):
        raise PermissionDenied
    year = _year(request)
    qs = selectors.plan_list_visible_to(user=request.user).filter(year=year)
    status = request.GET.get("status", "")
    if status in PlanStatus.values:
        qs = qs.filter(status=status)
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(employee__name__icontains=q)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "performance/plan_list.html",
        {
            "page_obj": page,
            "year": year,
            "status": status,
            "q": q,
            "statuses": PlanStatus.choices,
            "breadcrumbs": [(_("Daftar SKP"), None)],
        },
    )


# --- BKD admins ----------------------------------------------------------------------------------


def period_settings(request: HttpRequest) -> HttpResponse:
    """Period frequency per agency-year, objection window, reminders; open/close periods."""
    agency_id = _admin_agency_id(request)
    year = _year(request)
    setting = services.settings_for(agency_id)
    if request.method == "POST":
        form = PeriodConfigForm(request.POST)
        if form.is_valid():
            try:
                services.periods_configure(
                    agency_id=agency_id,
                    year=form.cleaned_data["year"],
                    kind=form.cleaned_data["kind"],
                    objection_window_days=form.cleaned_data["objection_window_days"],
                    reminder_days_before=form.cleaned_data["reminder_days_before"],
                    actor=request.user,
                )
                messages.success(request, _("Pengaturan periode disimpan."))
                return redirect(f"{reverse('performance:periods')}?year={form.cleaned_data['year']}")
            except ApplicationError as exc:
                form.add_error(None, exc.message)
    else:
        form = PeriodConfigForm(
            initial={
                "year": year,
                "kind": setting.period_kind,
                "objection_window_days": setting.objection_window_days,
                "reminder_days_before": setting.reminder_days_before,
            }
        )
    periods = selectors.periods_of(agency_id=agency_id, year=year)
    return render(
        request,
        "performance/periods.html",
        {"form": form, "periods": periods, "year": year, "breadcrumbs": [(_("Periode evaluasi"), None)]},
    )


@require_POST
def period_status(request: HttpRequest, pk: int) -> HttpResponse:
    period = selectors.period_get_visible(user=request.user, pk=pk)
    status = request.POST.get("status", "")
    if status not in PeriodStatus.values:
        raise Http404
    try:
        services.period_set_status(period=period, status=status, actor=request.user)
        messages.success(request, _("Status periode %(p)s diperbarui.") % {"p": period.name})
    except ApplicationError as exc:
        _flash_error(request, exc)
    return redirect(f"{reverse('performance:periods')}?year={period.year}")


def _period_from_request(request: HttpRequest, agency_id: int) -> EvaluationPeriod | None:
    raw = request.GET.get("period") or request.POST.get("period")
    pid = int_or_none(raw)
    qs = EvaluationPeriod.objects.filter(agency_id=agency_id)
    if raw and pid is None:
        raise Http404
    if pid is not None:
        found = qs.filter(pk=pid).first()
        if found is None:
            raise Http404
        return found
    today = timezone.localdate()
    # Default: the latest period that has ended (its ratings are the ones to calibrate).
    return (
        qs.filter(end_date__lt=today).order_by("-end_date").first()
        or qs.filter(start_date__lte=today).order_by("-end_date").first()
        or qs.order_by("-end_date").first()
    )


def _rating_agency(request: HttpRequest) -> int:
    scope = scope_for(request.user)
    if scope.admin_agency_ids or scope.everything:
        return _admin_agency_id(request)
    if scope.head_unit_paths and scope.agency_id:
        return scope.agency_id
    raise PermissionDenied


def unit_ratings(request: HttpRequest) -> HttpResponse:
    """Set each unit's organisational rating (Istimewa … Sangat Kurang) for a period."""
    agency_id = _rating_agency(request)
    period = _period_from_request(request, agency_id)
    if request.method == "POST" and period is not None:
        unit = (
            selectors.units_for_rating(user=request.user).filter(pk=int_or_none(request.POST.get("unit")) or 0).first()
        )
        if unit is None:
            raise Http404
        try:
            services.unit_performance_set(
                unit=unit,
                period=period,
                rating=request.POST.get("rating", ""),
                note=request.POST.get("note", ""),
                actor=request.user,
            )
            messages.success(request, _("Predikat %(u)s disimpan.") % {"u": unit.name})
        except ApplicationError as exc:
            _flash_error(request, exc)
        return redirect(f"{reverse('performance:unit-ratings')}?period={period.pk}")
    units = selectors.units_for_rating(user=request.user).filter(agency_id=agency_id).order_by("path")
    page = Paginator(units, 50).get_page(request.GET.get("page"))

    ratings = (
        {r.unit_id: r for r in UnitPerformance.objects.filter(period=period, unit__in=list(page.object_list))}
        if period
        else {}
    )
    return render(
        request,
        "performance/unit_ratings.html",
        {
            "period": period,
            "periods": EvaluationPeriod.objects.filter(agency_id=agency_id).order_by("-year", "kind", "number"),
            "page_obj": page,
            "rows": [(u, ratings.get(u.pk), decisions.may_decide_on_unit(request.user, u)) for u in page.object_list],
            "choices": UnitRating.choices,
            "breadcrumbs": [(_("Predikat kinerja unit"), None)],
        },
    )


def calibration(request: HttpRequest) -> HttpResponse:
    """Per unit: the predikat distribution against the curve for its rating, and who is where."""
    agency_id = _rating_agency(request)
    period = _period_from_request(request, agency_id)
    rows = selectors.calibration_rows(user=request.user, period=period) if period else []
    unit_id = int_or_none(request.GET.get("unit"))
    people = []
    selected = None
    if period and unit_id is not None:
        selected = next((r for r in rows if r["unit"].pk == unit_id), None)
        if selected is None:
            raise Http404
        people = selectors.unit_people(period=period, unit_id=unit_id)
    return render(
        request,
        "performance/calibration.html",
        {
            "period": period,
            "periods": EvaluationPeriod.objects.filter(agency_id=agency_id).order_by("-year", "kind", "number"),
            "rows": rows,
            "predikats": Predikat.choices,
            "selected": selected,
            "people": people,
            "may_finalise": selected is not None and decisions.may_decide_on_unit(request.user, selected["unit"]),
            "form": CalibrationFinaliseForm(),
            "breadcrumbs": [(_("Kalibrasi distribusi predikat"), None)],
        },
    )


@require_POST
def calibration_finalise(request: HttpRequest, period_pk: int, unit_pk: int) -> HttpResponse:
    period = selectors.period_get_visible(user=request.user, pk=period_pk)
    unit = selectors.units_for_rating(user=request.user).filter(pk=unit_pk).first()
    if unit is None:
        raise Http404
    try:
        services.calibration_finalise(
            unit=unit, period=period, justification=request.POST.get("justification", ""), actor=request.user
        )
        messages.success(request, _("Distribusi %(u)s difinalkan.") % {"u": unit.name})
    except ApplicationError as exc:
        _flash_error(request, exc)
    return redirect(f"{reverse('performance:calibration')}?period={period.pk}&unit={unit.pk}")


def statistics(request: HttpRequest) -> HttpResponse:
    """Predikat distribution by unit and year, and SKP completion rates."""
    agency_id = _admin_agency_id(request)
    year = _year(request)
    stats = selectors.agency_statistics(agency_id=agency_id, year=year)
    totals = dict.fromkeys(Predikat.values, 0)
    for _unit, counts in stats["by_unit"]:
        for k, v in counts.items():
            totals[k] = totals.get(k, 0) + v
    chart = {
        "type": "bar",
        "data": {
            "labels": [str(label) for _v, label in Predikat.choices],
            "datasets": [{"label": _("Pegawai"), "data": [totals[v] for v in Predikat.values]}],
        },
        "options": {"plugins": {"legend": {"display": False}}},
    }
    done = sum(
        n for s, n in stats["status_counts"].items() if s in ("approved", "evaluated", "final", "objected", "resolved")
    )
    return render(
        request,
        "performance/statistics.html",
        {
            "year": year,
            "stats": stats,
            "totals": totals,
            "predikats": Predikat.choices,
            "chart": chart,
            "statuses": [(label, stats["status_counts"].get(v, 0)) for v, label in PlanStatus.choices],
            "completion": round(100 * done / stats["employees"], 1) if stats["employees"] else 0,
            "breadcrumbs": [(_("Statistik kinerja"), None)],
        },
    )


def export_xlsx(request: HttpRequest, what: str) -> HttpResponse:
    """XLSX exports: SKPs of a year (status, ratings, predikat) or the predikat history."""
    agency_id = _admin_agency_id(request)
    year = _year(request)
    rows: Iterable[list[Any]]
    if what == "skp":
        header = ["NIP", "Nama", "Unit", "Jabatan", "Tahun", "Status", "Rating hasil", "Rating perilaku", "Predikat"]
        rows = (
            [
                p.employee.nip,
                p.employee.full_name,
                p.unit.name,
                p.position_title,
                p.year,
                p.get_status_display(),
                p.get_result_rating_display(),
                p.get_behaviour_rating_display(),
                p.get_predikat_display(),
            ]
            for p in PerformancePlan.objects.filter(agency_id=agency_id, year=year)
            .select_related("employee", "unit")
            .order_by("unit__path", "employee__name")
            .iterator(chunk_size=2000)
        )
    elif what == "predikat":
        header = ["NIP", "Nama", "Tahun", "Predikat", "Sumber"]
        rows = (
            [r.employee.nip, r.employee.full_name, r.year, r.get_predikat_display(), r.get_source_display()]
            for r in PredikatRecord.objects.filter(employee__agency_id=agency_id, year=year)
            .select_related("employee")
            .order_by("employee__name")
            .iterator(chunk_size=2000)
        )
    else:
        raise Http404
    subjects: Any = (
        PerformancePlan.objects.filter(agency_id=agency_id, year=year)
        if what == "skp"
        else PredikatRecord.objects.filter(employee__agency_id=agency_id, year=year)
    )
    access_log.record_export(request, Employee.objects.filter(pk__in=subjects.values("employee_id")), AccessPart.SKP)
    return xlsx_response(f"kinerja-{what}-{year}.xlsx", header, rows, title=f"{what}-{year}")


def _read_rows(upload: Any) -> list[list[Any]]:
    name = upload.name.lower()
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        wb = load_workbook(upload, read_only=True, data_only=True)
        rows = [list(r) for r in wb.active.iter_rows(values_only=True)]
    else:
        text = upload.read().decode("utf-8-sig", errors="replace")
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t") if text.strip() else csv.excel
        rows = [list(r) for r in csv.reader(io.StringIO(text), dialect)]
    return rows[1:]  # header row


def predikat_import(request: HttpRequest) -> HttpResponse:
    """Import past years' predikat: upload → preview (nothing written) → confirm."""
    agency_id = _admin_agency_id(request)
    preview = None
    form = ImportForm()
    if request.method == "POST" and request.POST.get("confirm"):
        rows = request.session.get("perf_import_rows") or []
        try:
            n = services.predikat_import_confirm(agency_id=agency_id, rows=rows, actor=request.user)
            request.session.pop("perf_import_rows", None)
            messages.success(request, _("%(n)s predikat diimpor.") % {"n": n})
            return redirect("performance:statistics")
        except ApplicationError as exc:
            _flash_error(request, exc)
    elif request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                rows = _read_rows(form.cleaned_data["file"])
            except Exception:  # noqa: BLE001 - any unreadable file is the same user error
                rows = None
                form.add_error("file", _("Berkas tidak dapat dibaca."))
            if rows is not None:
                rows = [[str(c) if c is not None else "" for c in r[:3]] for r in rows][:20000]
                preview = services.predikat_import_preview(agency_id=agency_id, rows=rows, actor=request.user)
                request.session["perf_import_rows"] = rows
    return render(
        request,
        "performance/import.html",
        {
            "form": form,
            "preview": preview,
            "errors": [r for r in preview if r.error] if preview else [],
            "labels": dict(Predikat.choices),
            "breadcrumbs": [(_("Statistik kinerja"), reverse("performance:statistics")), (_("Impor predikat"), None)],
        },
    )


def import_template(request: HttpRequest) -> HttpResponse:
    return csv_response(
        "templat-impor-predikat.csv", ["NIP", "Tahun", "Predikat"], [["198505172010031001", 2024, "Baik"]]
    )


# --- printable documents -------------------------------------------------------------------------


def plan_pdf(request: HttpRequest, pk: int, doc: str) -> HttpResponse:
    """SKP (doc="skp") or evaluation document (doc="penilaian") as PDF, laid out like the annex."""
    from django.template.loader import render_to_string

    plan = selectors.plan_get_visible(user=request.user, pk=pk)
    access_log.record(request, plan.employee_id, AccessPart.SKP)
    parts = selectors.plan_detail_parts(plan)
    period = None
    if doc == "penilaian":
        pid = request.GET.get("period")
        period = next((p for p in parts["periods"] if str(p.pk) == pid), None) or next(
            (p for p in reversed(parts["periods"]) if parts["evaluations"].get(p.pk)), None
        )
    elif doc != "skp":
        raise Http404
    html = render_to_string(
        "performance/pdf/skp.html",
        {
            "plan": plan,
            **parts,
            "doc": doc,
            "period": period,
            "evaluation": parts["evaluations"].get(period.pk) if period else None,
            "unit_rating": UnitPerformance.objects.filter(unit_id=plan.unit_id, period=period).first()
            if period
            else None,
            "today": timezone.localdate(),
        },
        request=request,
    )
    if request.GET.get("format") == "html":
        return HttpResponse(html)
    from weasyprint import HTML

    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{doc}-{plan.year}-{plan.employee.nip}.pdf"'
    return response


def progress_evidence(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Download the evidence file of a realisation; the SKP must be visible to the user (404 otherwise)."""
    progress = selectors.progress_get_visible(user=request.user, pk=pk)
    return serve_private_file(request, progress.evidence_file, progress.evidence_name)
