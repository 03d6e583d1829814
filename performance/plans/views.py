"""SKP plan pages: my SKP, the plan page and editor, transitions, inbox, team, cascading, list and PDF."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from asn_portal.errors import ApplicationError
from asn_portal.http import safe_next
from asn_portal.pagination import uncounted_page
from asn_portal.params import int_or_none
from people import access_log, exposure
from people.access import is_head, is_hr_admin, scope_for
from people.choices import AccessPart
from people.selectors import current_employee
from performance import permissions, rules
from performance.calibration import selectors as calibration_selectors
from performance.choices import PlanStatus, Predikat
from performance.evaluation import selectors as evaluation_selectors
from performance.evaluation import services as evaluation_services
from performance.forms import (
    CascadeForm,
    ExpectationsForm,
    FeedbackForm,
    ObjectionDecisionForm,
    ObjectionForm,
    PlanHeaderForm,
    ResultFormSet,
    ReturnForm,
)
from performance.models import PerformancePlan
from performance.periods import selectors as periods_selectors
from performance.plans import selectors as plans_selectors
from performance.plans import services as plans_services
from performance.viewutils import flash_error, plan_crumbs, year_param

PAGE_SIZE = 25


def my_skp(request: HttpRequest) -> HttpResponse:
    """ "SKP Saya": this year's plan, past plans and the predikat history across years."""
    emp = current_employee(request.user)
    if emp is None:
        messages.info(request, _("Akun Anda tidak terhubung dengan data pegawai."))
        return redirect("home")
    year = timezone.localdate().year
    plans = plans_selectors.plans_of_employee(emp)
    current = next((p for p in plans if p.year == year), None)
    for p in plans:
        p.employee = emp  # the page's own employee, already read
    context: dict[str, Any] = {
        "emp": emp,
        "year": year,
        "current": current,
        "plans": plans,
        "history": evaluation_selectors.predikat_history(emp.pk),
        "breadcrumbs": [(_("SKP Saya"), None)],
    }
    if current is not None:
        context.update(plans_selectors.plan_detail_parts(current, objections=False))  # the page shows none
        context["transitions"] = _transition_buttons(request, current)
        context["can_edit"] = permissions.can_edit_plan(request.user, current)
        context["can_progress"] = permissions.can_record_progress(request.user, current)
        context["open_periods"] = plans_selectors.open_periods_of(context["periods"])
    return render(request, "performance/my_skp.html", context)


@require_POST
def plan_create(request: HttpRequest) -> HttpResponse:
    emp = current_employee(request.user)
    if emp is None:
        raise PermissionDenied
    try:
        plan = plans_services.plan_create(employee=emp, year=timezone.localdate().year, actor=request.user)
    except ApplicationError as exc:
        flash_error(request, exc)
        return redirect("performance:my-skp")
    messages.success(request, _("SKP dibuat. Susun rencana hasil kerja Anda."))
    return redirect("performance:plan-edit", pk=plan.pk)


def _transition_buttons(request: HttpRequest, plan: PerformancePlan) -> list[tuple[str, str]]:
    return [
        (name, _(rules.TRANSITION_LABELS[name])) for name in permissions.allowed_transitions_for(request.user, plan)
    ]


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One SKP: results, indicators and progress, behaviour, feedback, evaluations; legal buttons only."""
    plan = plans_selectors.plan_get_visible(user=request.user, pk=pk)
    access_log.record(request, plan.employee_id, AccessPart.SKP)
    parts = plans_selectors.plan_detail_parts(plan)
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
        "open_periods": plans_selectors.open_periods_of(parts["periods"]),
        "return_form": ReturnForm(),
        "feedback_form": FeedbackForm(targets=feedback_targets),
        "expectations_form": ExpectationsForm(initial={"expectations": plan.expectations}),
        "objection_form": ObjectionForm(),
        "decision_form": ObjectionDecisionForm(),
        "open_objection": next((o for o in parts["objections"] if o.status == "open"), None),
        "show_objections": bool(roles & exposure.OBJECTION_TEXT_PLAN_ROLES),
        "breadcrumbs": plan_crumbs(request, plan),
    }
    return render(request, "performance/plan_detail.html", context)


def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The SKP editor: approach and RHK/IKI rows (one IKI per aspect), cascading from the appraiser's RHK."""
    plan = plans_selectors.plan_get_visible(user=request.user, pk=pk)
    if not permissions.can_edit_plan(request.user, plan):
        messages.error(request, _("SKP ini tidak dapat diubah pada status sekarang."))
        return redirect("performance:plan-detail", pk=plan.pk)
    parent_choices = plans_selectors.parent_result_choices(plan)
    results = plans_selectors.plan_results(plan)
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
                plans_services.plan_save_content(
                    plan=plan, approach=header.cleaned_data["approach"], results=inputs, actor=request.user
                )
                if request.POST.get("and_submit"):
                    plan.refresh_from_db()
                    plans_services.plan_submit(plan=plan, actor=request.user)
                    messages.success(request, _("SKP diajukan ke pejabat penilai."))
                else:
                    messages.success(request, _("SKP disimpan."))
                return redirect("performance:plan-detail", pk=plan.pk)
            except ApplicationError as exc:
                flash_error(request, exc)
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
            "breadcrumbs": plan_crumbs(request, plan, (_("Susun SKP"), None)),
        },
    )


@require_POST
def plan_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """submit / approve / return / finalise buttons."""
    plan = plans_selectors.plan_get_visible(user=request.user, pk=pk)
    try:
        if action == rules.SUBMIT:
            plans_services.plan_submit(plan=plan, actor=request.user)
            messages.success(request, _("SKP diajukan ke pejabat penilai."))
        elif action == rules.APPROVE:
            plans_services.plan_approve(plan=plan, actor=request.user)
            messages.success(request, _("SKP disetujui."))
        elif action == rules.RETURN:
            form = ReturnForm(request.POST)
            plans_services.plan_return(plan=plan, comment=form.data.get("comment", ""), actor=request.user)
            messages.success(request, _("SKP dikembalikan untuk perbaikan."))
        elif action == rules.FINALISE:
            evaluation_services.plan_finalise(plan=plan, actor=request.user)
            messages.success(request, _("Predikat tahunan difinalkan dan masuk riwayat."))
        else:
            raise Http404
    except ApplicationError as exc:
        flash_error(request, exc)
    return safe_next(request, reverse("performance:plan-detail", args=[plan.pk]))


@require_POST
def plan_expectations(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plans_selectors.plan_get_visible(user=request.user, pk=pk)
    behaviour = {cv.pk: request.POST.get(f"value_{cv.pk}", "").strip() for cv in plans_selectors.core_values()}
    try:
        plans_services.plan_set_expectations(
            plan=plan, expectations=request.POST.get("expectations", ""), behaviour=behaviour, actor=request.user
        )
        messages.success(request, _("Ekspektasi disimpan."))
    except ApplicationError as exc:
        flash_error(request, exc)
    return redirect("performance:plan-detail", pk=plan.pk)


INBOX_PAGE_SIZE = 25


def inbox(request: HttpRequest) -> HttpResponse:
    """SKPs to approve, evaluate and finalise, and objections to decide (constant queries); each section a
    page at a time (`?approve_page=`, `?evaluate_page=`, …), its badge the section's full count."""
    box = plans_selectors.inbox_ids(user=request.user)
    pages: dict[str, Any] = {
        key: Paginator(ids, INBOX_PAGE_SIZE).get_page(request.GET.get(f"{key}_page")) for key, ids in box.items()
    }
    shown = plans_selectors.inbox_rows(pk for page in pages.values() for pk in page.object_list)
    for page in pages.values():
        page.object_list = [shown[pk] for pk in page.object_list if pk in shown]
    pending = plans_selectors.plans_with_pending_evaluation(p.pk for p in pages["evaluate"].object_list)
    for p in pages["evaluate"].object_list:
        p.has_pending = p.pk in pending  # type: ignore[attr-defined]
    links: dict[str, dict[str, str]] = {}
    for key, page in pages.items():
        links[key] = {}
        for name, number in (
            ("previous", page.previous_page_number() if page.has_previous() else None),
            ("next", page.next_page_number() if page.has_next() else None),
        ):
            if number is not None:
                query = request.GET.copy()
                query[f"{key}_page"] = str(number)
                links[key][name] = f"?{query.urlencode()}"
    access_log.record(request, [p.employee_id for page in pages.values() for p in page.object_list], AccessPart.SKP)
    return render(
        request,
        "performance/inbox.html",
        {
            "box": pages,
            "links": links,
            "total": sum(len(v) for v in box.values()),
            "breadcrumbs": [(_("Kotak masuk SKP"), None)],
        },
    )


def team(request: HttpRequest) -> HttpResponse:
    """The head's team at a glance: who has not planned, who has not reported this period."""
    if not is_head(request.user):
        raise PermissionDenied
    year = year_param(request)
    scope = scope_for(request.user)  # the signed-in employee's agency, read with the user's scope
    period = periods_selectors.current_period(scope.agency_id) if scope.employee_id and scope.agency_id else None
    if period is not None and period.year != year:
        period = None
    show = request.GET.get("show", "")
    rows = plans_selectors.team_progress_rows(user=request.user, year=year, period=period, show=show)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))  # type: ignore[arg-type]
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
    year = year_param(request)
    page = plans_selectors.cascade_page(emp, year)
    tree, subs = page.tree, page.targets
    if request.method == "POST":
        result = plans_selectors.own_result(emp, int_or_none(request.POST.get("result")))
        form = CascadeForm(request.POST, employees=subs)
        if result is None:
            messages.error(request, _("Pilih RHK Anda yang akan diturunkan."))
        elif form.is_valid():
            try:
                out = plans_services.result_cascade(
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
                flash_error(request, exc)
        else:
            messages.error(request, _("Pilih paling sedikit satu bawahan."))
    return render(
        request,
        "performance/cascade.html",
        {
            "plan": page.has_plan,
            "tree": tree,
            "year": year,
            "targets": subs,
            "has_subordinates": bool(subs),
            "breadcrumbs": [(_("Kaskade RHK"), None)],
        },
    )


def plan_list(request: HttpRequest) -> HttpResponse:
    """All SKPs the user may see, filtered by year, status and name."""
    if not (is_head(request.user) or is_hr_admin(request.user)):
        raise PermissionDenied
    year = year_param(request)
    status = request.GET.get("status", "")
    q = request.GET.get("q", "").strip()
    rows = (
        None
        if q
        else plans_selectors.head_plan_page(
            user=request.user, year=year, status=status if status in PlanStatus.values else None
        )
    )
    if rows is not None:
        qs: Any = rows
    else:
        qs = plans_selectors.plan_page_rows_visible_to(user=request.user, year=year)
        if status in PlanStatus.values:
            qs = qs.filter(status=status)
        if q:
            qs = qs.filter(employee__name__icontains=q)
    # Not counted: an admin's year holds tens of thousands of SKPs (previous/next instead of "page n of N").
    page = uncounted_page(qs, request.GET.get("page"), PAGE_SIZE)
    access_log.record(request, [p.employee_id for p in page.object_list], AccessPart.SKP)
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


def plan_pdf(request: HttpRequest, pk: int, doc: str) -> HttpResponse:
    """SKP (doc="skp") or evaluation document (doc="penilaian") as PDF, laid out like the annex."""
    from django.template.loader import render_to_string

    plan = plans_selectors.plan_get_visible(user=request.user, pk=pk)
    access_log.record(request, plan.employee_id, AccessPart.SKP)
    parts = plans_selectors.plan_detail_parts(plan)
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
            "unit_rating": calibration_selectors.unit_rating_of(
                unit_id=plan.unit_id, period_id=period.pk if period else None
            ),
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
