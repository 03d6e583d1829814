"""Career plan pages (and the employee's own career page)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from asn_portal import summaries as asn_summaries
from asn_portal.errors import ApplicationError, ConflictError
from asn_portal.idempotency import create_once, key_from_request
from asn_portal.pagination import uncounted_page
from asn_portal.params import int_or_none
from careers import forms, permissions, rules, summaries
from careers.choices import ActionStatus, PlanStatus
from careers.followups import selectors as followup_selectors
from careers.mentoring import selectors as mentoring_selectors
from careers.models import CareerPlan, DevelopmentAction
from careers.plans import selectors, services
from careers.talent import selectors as talent_selectors
from careers.web import admin_agency_id, fail, local_today, render_page, require, summary_fragment, user_of
from people import access_log
from people.access import is_hr_admin
from people.choices import AccessPart
from people.selectors import current_employee, position_list_visible_to


def my_career(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    me = current_employee(user)
    if me is None:
        raise Http404
    # The page shows the user's own records only (issue #13): each read is a statement compiled once per process
    # (asn_portal.precompiled), narrowed to what the page shows; the user's own sessions and follow-ups are all
    # visible to them (the selectors' docstrings), so no visibility test is built per request.
    plan = selectors.current_plan_for(me)
    placement = talent_selectors.published_placement_for(me)
    sessions = mentoring_selectors.latest_sessions_attended_by(me.pk)
    items = mentoring_selectors.open_items_for(me.pk)
    follow_ups = followup_selectors.latest_follow_ups_of(me.pk)
    return render(
        request,
        "careers/my_career.html",
        {
            "me": me,
            "plan": plan,
            "progress": selectors.progress_of(plan) if plan else 0,
            "placement": placement,
            "recommendation": rules.recommendation(placement.box) if placement else "",
            "sessions": sessions,
            "items": items,
            "follow_ups": follow_ups,
            "today": local_today(),
            "breadcrumbs": [(_("Karier Saya"), None)],
        },
    )


def plan_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    qs = selectors.plan_rows_visible_to(user=user).exclude(status=PlanStatus.ARCHIVED)
    status = request.GET.get("status", "")
    if status in PlanStatus.values:
        qs = qs.filter(status=status)
    rows = (
        selectors.with_action_count_columns(qs)
        .only(  # what the table shows (careers_tables.plan_rows)
            "employee__name", "employee__unit__name", "target_position__title", "target_family", "status"
        )
        .order_by("employee__unit__path", "employee__name", "pk")
    )
    page = uncounted_page(rows, request.GET.get("page"), 25)
    for p in page.object_list:
        p.progress = selectors.progress_of(p)  # type: ignore[attr-defined]
    access_log.record(request, [p.employee_id for p in page.object_list], AccessPart.CAREER_PLAN)
    coverage_html, computed_at = "", None
    if is_hr_admin(user):
        agency_id = admin_agency_id(request)
        computed_at = asn_summaries.computed_at(summaries.PLAN_COVERAGE, agency_id)
        coverage_html = summary_fragment(
            "careers/_plan_coverage.html",
            agency_id=agency_id,
            computed_at=computed_at,
            build=lambda: {"coverage": selectors.plan_coverage_by_unit(agency_id=agency_id)},
        )
    return render_page(
        request,
        "careers/plan_list.html",
        {
            "page_obj": page,
            "coverage_html": coverage_html,
            "computed_at": computed_at,
            "status": status,
            "statuses": PlanStatus.choices,
            "breadcrumbs": [(_("Rencana karier"), None)],
        },
    )


def plan_create(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    me = current_employee(user)
    if me is None:
        raise Http404
    existing = selectors.current_plan_for(me)
    if existing is not None:
        return redirect("careers:plan-detail", pk=existing.pk)
    positions = position_list_visible_to(user=user).filter(agency_id=me.agency_id, is_active=True)
    form = forms.PlanForm(request.POST or None, positions=positions)
    if request.method == "POST" and form.is_valid():
        try:
            plan, created = create_once(
                user=user,
                key=key_from_request(request),
                scope="careers.plan",
                create=lambda: services.plan_create(employee=me, actor=user, **form.cleaned_data),
                load=lambda pk: CareerPlan.objects.get(pk=pk),
            )
        except ConflictError as exc:
            # The other click (or another tab) created the plan first: show it, not an error page.
            messages.info(request, exc.message)
            existing = selectors.current_plan_for(me)
            if existing is not None:
                return redirect("careers:plan-detail", pk=existing.pk)
            fail(request, exc, form)
        except ApplicationError as exc:
            fail(request, exc, form)
        else:
            if created:
                messages.success(request, _("Rencana karier dibuat. Tambahkan kegiatan pengembangan."))
            return redirect("careers:plan-detail", pk=plan.pk)
    return render_page(
        request,
        "careers/plan_form.html",
        {"form": form, "breadcrumbs": [(_("Karier Saya"), reverse("careers:my")), (_("Rencana baru"), None)]},
    )


def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    plan = selectors.plan_get_visible(user=user, pk=pk)
    require(permissions.can_edit_plan(user, plan))
    positions = position_list_visible_to(user=user).filter(agency_id=plan.employee.agency_id, is_active=True)
    initial = {
        k: getattr(plan, k) for k in ("target_position", "target_family", "horizon_years", "aspiration", "strengths")
    }
    form = forms.PlanForm(request.POST or None, positions=positions, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(plan=plan, actor=user, **form.cleaned_data)
        except ApplicationError as exc:
            fail(request, exc, form)
        else:
            messages.success(request, _("Rencana karier disimpan."))
            return redirect("careers:plan-detail", pk=plan.pk)
    return render_page(
        request,
        "careers/plan_form.html",
        {
            "form": form,
            "plan": plan,
            "breadcrumbs": [(_("Rencana karier"), reverse("careers:plan-detail", args=[pk])), (_("Ubah"), None)],
        },
    )


def _plan_saved(request: HttpRequest, plan: CareerPlan, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("careers:plan-detail", pk=plan.pk)


def _plan_add(request: HttpRequest, plan: CareerPlan) -> HttpResponse | dict[str, Any]:
    if not permissions.can_edit_plan(user_of(request), plan):
        raise Http404
    form = forms.ActionForm(request.POST, prefix="a")
    if not form.is_valid():
        return {"action_form": form}
    services.action_add(plan=plan, actor=user_of(request), **form.cleaned_data)
    return _plan_saved(request, plan, _("Kegiatan ditambahkan."))


def _plan_draft(request: HttpRequest, plan: CareerPlan) -> HttpResponse:
    created = services.plan_draft_from_gaps(plan=plan, actor=user_of(request))
    return _plan_saved(request, plan, _("%(n)d kegiatan dibuat dari kesenjangan kompetensi.") % {"n": len(created)})


def _plan_submit(request: HttpRequest, plan: CareerPlan) -> HttpResponse:
    services.plan_submit(plan=plan, actor=user_of(request))
    return _plan_saved(request, plan, _("Rencana diajukan ke atasan."))


def _plan_review(request: HttpRequest, plan: CareerPlan) -> HttpResponse | dict[str, Any]:
    form = forms.PlanReviewForm(request.POST, prefix="r")
    if not form.is_valid():
        return {"review_form": form}
    services.plan_review(
        plan=plan,
        agree=form.cleaned_data["decision"] == "agree",
        comment=form.cleaned_data["comment"],
        actor=user_of(request),
    )
    return _plan_saved(request, plan, _("Keputusan atas rencana disimpan."))


def _plan_action_status(request: HttpRequest, plan: CareerPlan) -> HttpResponse:
    action = DevelopmentAction.objects.filter(plan=plan, pk=int_or_none(request.POST.get("action")) or 0).first()
    if action is None:
        raise Http404
    services.action_set_status(action=action, status=request.POST.get("status", ""), actor=user_of(request))
    return _plan_saved(request, plan, _("Status kegiatan diperbarui."))


# The plan page's operations, by the `op` its forms post.
PLAN_OPERATIONS: dict[str, Callable[[HttpRequest, CareerPlan], HttpResponse | dict[str, Any]]] = {
    "add": _plan_add,
    "draft": _plan_draft,
    "submit": _plan_submit,
    "review": _plan_review,
    "status": _plan_action_status,
}


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    plan = selectors.plan_get_visible(user=user, pk=pk)
    access_log.record(request, plan.employee_id, AccessPart.CAREER_PLAN)
    bound: dict[str, Any] = {}
    if request.method == "POST":
        operation = PLAN_OPERATIONS.get(request.POST.get("op", ""))
        if operation is None:
            raise Http404
        try:
            result = operation(request, plan)
        except ApplicationError as exc:
            fail(request, exc)
        else:
            if isinstance(result, HttpResponse):
                return result
            bound = result
    action_form = bound.get("action_form") or forms.ActionForm(prefix="a")
    review_form = bound.get("review_form") or forms.PlanReviewForm(prefix="r")
    actions = list(selectors.plan_actions(plan))
    return render_page(
        request,
        "careers/plan_detail.html",
        {
            "plan": plan,
            "actions": actions,
            "progress": rules.plan_progress([a.status for a in actions]),
            "action_statuses": ActionStatus.choices,
            "action_form": action_form,
            "review_form": review_form,
            "versions": list(plan.versions.select_related("agreed_by")),
            "can_edit": permissions.can_edit_plan(user, plan),
            "can_submit": permissions.can_submit_plan(user, plan),
            "can_review": permissions.can_review_plan(user, plan),
            "today": local_today(),
            "breadcrumbs": [(_("Rencana karier"), reverse("careers:plans")), (plan.employee.name, None)],
        },
    )
