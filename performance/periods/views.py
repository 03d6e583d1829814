"""BKD admins' period settings and opening/closing periods."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from asn_portal.errors import ApplicationError
from performance.choices import PeriodStatus
from performance.forms import PeriodConfigForm
from performance.periods import selectors as periods_selectors
from performance.periods import services as periods_services
from performance.viewutils import admin_agency_id, flash_error, year_param


def period_settings(request: HttpRequest) -> HttpResponse:
    """Period frequency per agency-year, objection window, reminders; open/close periods."""
    agency_id = admin_agency_id(request)
    year = year_param(request)
    setting = periods_selectors.setting_of(agency_id)
    if request.method == "POST":
        form = PeriodConfigForm(request.POST)
        if form.is_valid():
            try:
                periods_services.periods_configure(
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
    periods = periods_selectors.periods_of(agency_id=agency_id, year=year)
    return render(
        request,
        "performance/periods.html",
        {"form": form, "periods": periods, "year": year, "breadcrumbs": [(_("Periode evaluasi"), None)]},
    )


@require_POST
def period_status(request: HttpRequest, pk: int) -> HttpResponse:
    period = periods_selectors.period_get_visible(user=request.user, pk=pk)
    status = request.POST.get("status", "")
    if status not in PeriodStatus.values:
        raise Http404
    try:
        periods_services.period_set_status(period=period, status=status, actor=request.user)
        messages.success(request, _("Status periode %(p)s diperbarui.") % {"p": period.name})
    except ApplicationError as exc:
        flash_error(request, exc)
    return redirect(f"{reverse('performance:periods')}?year={period.year}")
