"""Unit ratings and calibration pages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from asn_portal.errors import ApplicationError
from asn_portal.params import int_or_none
from people import access_log, decisions
from people.access import scope_for
from people.choices import AccessPart
from performance.calibration import selectors as calibration_selectors
from performance.calibration import services as calibration_services
from performance.choices import Predikat, UnitRating
from performance.forms import CalibrationFinaliseForm
from performance.models import EvaluationPeriod
from performance.periods import selectors as periods_selectors
from performance.viewutils import admin_agency_id, flash_error


def _period_from_request(
    request: HttpRequest, agency_id: int
) -> tuple[EvaluationPeriod | None, list[EvaluationPeriod]]:
    """The period asked for (or the one to review) and the agency's periods for the picker."""
    raw = request.GET.get("period") or request.POST.get("period")
    pid = int_or_none(raw)
    if raw and pid is None:
        raise Http404
    return periods_selectors.period_for_review(agency_id=agency_id, pk=pid)


def _rating_agency(request: HttpRequest) -> int:
    scope = scope_for(request.user)
    if scope.admin_agency_ids or scope.everything:
        return admin_agency_id(request)
    if scope.head_unit_paths and scope.agency_id:
        return scope.agency_id
    raise PermissionDenied


def unit_ratings(request: HttpRequest) -> HttpResponse:
    """Set each unit's organisational rating (Istimewa … Sangat Kurang) for a period."""
    agency_id = _rating_agency(request)
    period, periods = _period_from_request(request, agency_id)
    if request.method == "POST" and period is not None:
        unit = (
            calibration_selectors.units_for_rating(user=request.user)
            .filter(pk=int_or_none(request.POST.get("unit")) or 0)
            .first()
        )
        if unit is None:
            raise Http404
        try:
            calibration_services.unit_performance_set(
                unit=unit,
                period=period,
                rating=request.POST.get("rating", ""),
                note=request.POST.get("note", ""),
                actor=request.user,
            )
            messages.success(request, _("Predikat %(u)s disimpan.") % {"u": unit.name})
        except ApplicationError as exc:
            flash_error(request, exc)
        return redirect(f"{reverse('performance:unit-ratings')}?period={period.pk}")
    units = (
        calibration_selectors.units_for_rating(user=request.user)
        .filter(agency_id=agency_id)
        .select_related(None)
        .only("pk", "name", "path")
        .order_by("path")
    )
    page = Paginator(units, 50).get_page(request.GET.get("page"))

    ratings = calibration_selectors.unit_ratings_of(period=period, units=page.object_list)
    return render(
        request,
        "performance/unit_ratings.html",
        {
            "period": period,
            "periods": periods,
            "page_obj": page,
            "rows": [(u, ratings.get(u.pk), decisions.may_decide_on_unit(request.user, u)) for u in page.object_list],
            "choices": UnitRating.choices,
            "breadcrumbs": [(_("Predikat kinerja unit"), None)],
        },
    )


CALIBRATION_PAGE_SIZE = 50


def calibration(request: HttpRequest) -> HttpResponse:
    """Per unit (a page of units at a time): the predikat distribution against the curve for its rating; for
    `?unit=`, who is where (a page of people at a time, `?people_page=`)."""
    agency_id = _rating_agency(request)
    period, periods = _period_from_request(request, agency_id)
    unit_id = int_or_none(request.GET.get("unit"))
    page = people_page = selected = None
    rows: list[dict[str, Any]] = []
    if period is not None:
        units = calibration_selectors.calibration_unit_list(user=request.user, period=period)
        page = Paginator(units, CALIBRATION_PAGE_SIZE).get_page(request.GET.get("page"))
        shown = [calibration_selectors.unit_of_row(row, period.agency_id) for row in page.object_list]
        selected_unit = None
        if unit_id is not None:
            selected_unit = next((u for u in shown if u.pk == unit_id), None)
            if selected_unit is None:
                row = next((r for r in units if r[0] == unit_id), None)
                if row is None:
                    raise Http404
                selected_unit = calibration_selectors.unit_of_row(row, period.agency_id)
        # One set of reads for the page's rows and the selected unit's row.
        extra = [selected_unit] if selected_unit is not None and selected_unit not in shown else []
        all_rows = calibration_selectors.calibration_rows(period=period, units=shown + extra)
        rows = all_rows[: len(shown)]
        if selected_unit is not None:
            selected = next(r for r in all_rows if r["unit"].pk == unit_id)
            people_page = calibration_selectors.unit_people_page(
                period=period,
                unit_id=selected_unit.pk,
                number=request.GET.get("people_page"),
                per_page=CALIBRATION_PAGE_SIZE,
            )
            access_log.record(request, [p.employee_id for p in people_page.object_list], AccessPart.SKP)
    return render(
        request,
        "performance/calibration.html",
        {
            "period": period,
            "periods": periods,
            "page_obj": page,
            "rows": rows,
            "computed_at": calibration_selectors.computed_at(period),
            "predikats": Predikat.choices,
            "selected": selected,
            "people_page": people_page,
            "people": people_page.object_list if people_page is not None else [],
            "may_finalise": selected is not None and decisions.may_decide_on_unit(request.user, selected["unit"]),
            "form": CalibrationFinaliseForm(),
            "breadcrumbs": [(_("Kalibrasi distribusi predikat"), None)],
        },
    )


@require_POST
def calibration_finalise(request: HttpRequest, period_pk: int, unit_pk: int) -> HttpResponse:
    period = periods_selectors.period_get_visible(user=request.user, pk=period_pk)
    unit = calibration_selectors.units_for_rating(user=request.user).filter(pk=unit_pk).first()
    if unit is None:
        raise Http404
    try:
        calibration_services.calibration_finalise(
            unit=unit, period=period, justification=request.POST.get("justification", ""), actor=request.user
        )
        messages.success(request, _("Distribusi %(u)s difinalkan.") % {"u": unit.name})
    except ApplicationError as exc:
        flash_error(request, exc)
    return redirect(f"{reverse('performance:calibration')}?period={period.pk}&unit={unit.pk}")
