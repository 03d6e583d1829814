"""Progress entry per period, feedback, and the evidence download."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from asn_portal import uploads
from asn_portal.errors import ApplicationError
from asn_portal.params import int_or_none
from asn_portal.uploads import serve_private_file
from performance import permissions
from performance.choices import PeriodStatus
from performance.periods import selectors as periods_selectors
from performance.plans import selectors as plans_selectors
from performance.progress import selectors as progress_selectors
from performance.progress import services as progress_services
from performance.viewutils import flash_error, plan_crumbs


def progress_entry(request: HttpRequest, pk: int, period_pk: int) -> HttpResponse:
    """Progress per indicator for one period, with evidence (file or link)."""
    plan = plans_selectors.plan_get_visible(user=request.user, pk=pk)
    period = periods_selectors.period_get_visible(user=request.user, pk=period_pk)
    if period.agency_id != plan.agency_id or period.year != plan.year:
        raise Http404
    parts = plans_selectors.plan_detail_parts(plan)
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
                progress_services.ProgressInput(
                    indicator=ind,
                    value=value,
                    note=request.POST.get(f"note_{ind.pk}", ""),
                    evidence_file=upload,
                    evidence_link=link,
                )
            )
        try:
            saved = progress_services.progress_record_many(period=period, rows=inputs, actor=request.user)
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
            "breadcrumbs": plan_crumbs(request, plan, (_("Realisasi %(p)s") % {"p": period.name}, None)),
        },
    )


@require_POST
def feedback_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plans_selectors.plan_get_visible(user=request.user, pk=pk)
    target = request.POST.get("target", "")
    result = core_value = None
    target_id = int_or_none(target[1:])
    if target.startswith("r") and target_id is not None:
        result = plans_selectors.plan_result(plan, target_id)
    elif target.startswith("v") and target_id is not None:
        core_value = plans_selectors.core_value(target_id)
    try:
        progress_services.feedback_give(
            plan=plan,
            text=request.POST.get("text", ""),
            result=result,
            core_value=core_value,
            period=periods_selectors.current_period(plan.agency_id),
            actor=request.user,
        )
        messages.success(request, _("Umpan balik terkirim."))
    except ApplicationError as exc:
        flash_error(request, exc)
    return redirect("performance:plan-detail", pk=plan.pk)


def progress_evidence(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Download the evidence file of a realisation; the SKP must be visible to the user (404 otherwise)."""
    progress = progress_selectors.progress_get_visible(user=request.user, pk=pk)
    return serve_private_file(request, progress.evidence_file, progress.evidence_name)
