"""Talent pages: reviews, the nine-box grid and its boxes, the talent pool and succession."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from asn_portal.errors import ApplicationError
from asn_portal.pagination import uncounted_page
from asn_portal.params import int_or_none
from careers import forms, permissions, rules
from careers.choices import PerformanceBand, PotentialBand, Readiness
from careers.models import TalentReview
from careers.talent import selectors, services
from careers.web import (
    admin_agency_id,
    cached_for_computation,
    fail,
    local_today,
    render_page,
    require,
    user_of,
)
from people import access_log, decisions
from people.access import is_head, is_hr_admin, scope_for
from people.choices import AccessPart
from people.models import Employee

BOX_COLOURS = {
    9: "success",
    8: "success",
    7: "success",
    6: "warning",
    5: "info",
    4: "info",
    3: "warning",
    2: "warning",
    1: "danger",
}


def review_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    admin = is_hr_admin(user)
    form = forms.ReviewForm(
        request.POST or None,
        initial={"year": local_today().year - 1, "name": _("Manajemen Talenta %(y)s") % {"y": local_today().year - 1}},
    )
    if request.method == "POST" and admin and form.is_valid():
        try:
            review = services.review_create(agency_id=admin_agency_id(request), actor=user, **form.cleaned_data)
        except ApplicationError as exc:
            fail(request, exc, form)
        else:
            messages.success(request, _("Periode talenta dibuat. Jalankan perhitungan."))
            return redirect("careers:review-detail", pk=review.pk)
    reviews = selectors.review_list_visible_to(user=user).order_by("-year", "-pk")
    page = Paginator(reviews, 25).get_page(request.GET.get("page"))
    return render_page(
        request,
        "careers/review_list.html",
        {"page_obj": page, "form": form, "is_admin": admin, "breadcrumbs": [(_("Manajemen talenta"), None)]},
    )


def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    review = selectors.review_get_visible(user=user, pk=pk)
    if request.method == "POST":
        op = request.POST.get("op")
        try:
            if op == "compute":
                services.review_request_compute(review=review, actor=user)
                messages.success(request, _("Perhitungan dijadwalkan; muat ulang halaman sebentar lagi."))
            elif op == "publish":
                services.review_publish(review=review, actor=user)
                messages.success(request, _("Hasil manajemen talenta diumumkan."))
            else:
                raise Http404
        except ApplicationError as exc:
            fail(request, exc)
        return redirect("careers:review-detail", pk=pk)
    prev = selectors.previous_review(review)
    counts, moves = selectors.grid_and_movement(user=user, review=review, previous=prev)
    total = sum(counts.values())
    grid = [
        (band, [{"box": b, "n": counts[b], "colour": BOX_COLOURS[b], "rec": rules.recommendation(b)} for b in boxes])
        for band, boxes in rules.GRID_ROWS
    ]
    up = sum(n for (a, b), n in moves.items() if b > a)
    down = sum(n for (a, b), n in moves.items() if b < a)
    same = sum(n for (a, b), n in moves.items() if b == a)
    chart = {
        "type": "bar",
        "data": {
            "labels": [f"{_('Kotak')} {b}" for b in range(1, 10)],
            "datasets": [{"label": str(_("Pegawai")), "data": [counts[b] for b in range(1, 10)]}],
        },
        "options": {"plugins": {"legend": {"display": False}}},
    }
    return render_page(
        request,
        "careers/review_detail.html",
        {
            "review": review,
            "grid": grid,
            "total": total,
            "band_labels": {
                "above": _("Kinerja di atas ekspektasi"),
                "meets": _("Kinerja sesuai ekspektasi"),
                "below": _("Kinerja di bawah ekspektasi"),
            },
            "previous": prev,
            "computed_at": selectors.computed_at(review),
            "moves": sorted(moves.items()),
            "up": up,
            "down": down,
            "same": same,
            "can_manage": permissions.can_manage_review(user, review),
            "is_admin": is_hr_admin(user, review.agency_id),
            "chart": chart,
            "breadcrumbs": [(_("Manajemen talenta"), reverse("careers:reviews")), (review.name, None)],
        },
    )


BOX_ROW_KEYS = (
    "pk",
    "employee_id",
    "employee__name",
    "unit__name",
    "position__title",
    "performance_score",
    "performance_band",
    "potential_score",
    "potential_band",
    "computed_box",
    "override_reason",
)


def review_box(request: HttpRequest, pk: int, box: int) -> HttpResponse:
    user = user_of(request)
    review = selectors.review_get_visible(user=user, pk=pk)
    if box not in range(1, 10):
        raise Http404
    can_manage = permissions.can_manage_review(user, review)
    form = forms.OverrideForm(request.POST or None, prefix="o")
    if request.method == "POST":
        require(can_manage)
        placement = (
            selectors.placements_visible(user=user, review=review)
            .filter(pk=int_or_none(request.POST.get("placement")) or 0)
            .first()
        )
        if placement is None:
            raise Http404
        if form.is_valid():
            try:
                services.placement_override(
                    placement=placement, box=form.cleaned_data["box"], reason=form.cleaned_data["reason"], actor=user
                )
            except ApplicationError as exc:
                fail(request, exc)
            else:
                messages.success(request, _("Penempatan %(n)s disesuaikan.") % {"n": placement.employee.name})
                return redirect("careers:review-box", pk=pk, box=box)
    # The page's rows as values() dicts of what the list shows (careers_tables.box_rows), not four model objects
    # per row (issue #13).
    qs = (
        selectors.placements_visible(user=user, review=review)
        .filter(box=box)
        .order_by("unit__path", "employee__name", "pk")
        .values(*BOX_ROW_KEYS)
    )
    page = uncounted_page(qs, request.GET.get("page"), 50)
    access_log.record(request, [p["employee_id"] for p in page.object_list], AccessPart.TALENT)
    # band labels from one map each, translated once (Django's get_FOO_display rebuilds the choice map on every call)
    performance, potential = ({v: str(label) for v, label in c.choices} for c in (PerformanceBand, PotentialBand))
    for placement in page.object_list:
        placement["may_override"] = can_manage and decisions.may_decide(user, placement["employee_id"])
        placement["performance_label"] = performance.get(placement["performance_band"], placement["performance_band"])
        placement["potential_label"] = potential.get(placement["potential_band"], placement["potential_band"])
    return render_page(
        request,
        "careers/review_box.html",
        {
            "review": review,
            "box": box,
            "page_obj": page,
            "form": form,
            "can_manage": can_manage,
            # the same nine options in every row's form: built once, not 50 times in the template
            "box_options": format_html_join(
                "", '<option value="{}"{}>{}</option>', ((b, " selected" if b == box else "", b) for b in range(1, 10))
            ),
            "recommendation": rules.recommendation(box),
            "breadcrumbs": [
                (_("Manajemen talenta"), reverse("careers:reviews")),
                (review.name, reverse("careers:review-detail", args=[pk])),
                (_("Kotak %(b)d") % {"b": box}, None),
            ],
        },
    )


def talent_pool(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    review = selectors.review_get_visible(user=user, pk=pk)
    require(is_hr_admin(user, review.agency_id) or is_head(user))
    computed_at = selectors.computed_at(review)
    html, shown = _pool_section(user=user, review=review, computed_at=computed_at)
    access_log.record(request, shown, AccessPart.TALENT)
    return render_page(
        request,
        "careers/talent_pool.html",
        {
            "review": review,
            "groups_html": mark_safe(html),  # noqa: S308 - rendered from our own template with autoescaping
            "computed_at": computed_at,
            "breadcrumbs": [
                (_("Manajemen talenta"), reverse("careers:reviews")),
                (review.name, reverse("careers:review-detail", args=[pk])),
                (_("Talent pool"), None),
            ],
        },
    )


def _pool_section(*, user: Any, review: TalentReview, computed_at: dt.datetime | None) -> tuple[str, list[int]]:
    """The talent pool's tables and the employees they show, built once per computation of the review's
    summary rows and reader's scope: the pool's sizes come from those rows, and every change to a placement
    (compute, override, publish) refreshes them, so a new computation is a new key. Reading and ranking the
    pool (about 20,000 placements in boxes 7–9 at Medan) and rendering its rows was most of the page's work."""

    def build() -> tuple[str, list[int]]:
        groups = selectors.talent_pool(user=user, review=review)
        html = render_to_string("careers/_talent_pool_groups.html", {"groups": groups})
        return str(html), [p.employee_id for g in groups for p in g["rows"]]

    scope = scope_for(user)
    reader = (
        scope.everything,
        sorted(scope.admin_agency_ids),
        scope.head_unit_paths,
        scope.employee_id,
        scope.agency_id,
    )
    return cached_for_computation(
        "talent-pool", computed_at=computed_at, vary=(review.pk, review.status, *reader), build=build
    )


def succession_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    require(is_hr_admin(user))
    page = Paginator(selectors.key_positions_visible_to(user=user), 50).get_page(request.GET.get("page"))
    return render(
        request, "careers/succession_list.html", {"page_obj": page, "breadcrumbs": [(_("Suksesi jabatan kunci"), None)]}
    )


def succession_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    require(is_hr_admin(user))
    position = selectors.key_positions_visible_to(user=user).filter(pk=pk).first()
    if position is None:
        raise Http404
    holder = Employee.objects.filter(position=position).order_by("pk").first()
    candidates = selectors.succession(position=position)
    access_log.record(request, [c["employee"] for c in candidates], AccessPart.TALENT)
    return render_page(
        request,
        "careers/succession_detail.html",
        {
            "position": position,
            "holder": holder,
            "candidates": candidates,
            "readiness_labels": dict(Readiness.choices),
            "breadcrumbs": [(_("Suksesi jabatan kunci"), reverse("careers:succession")), (position.title, None)],
        },
    )
