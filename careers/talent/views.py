"""Talent pages: reviews, the nine-box grid and its boxes, the talent pool and succession."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from asn_portal.errors import ApplicationError
from asn_portal.params import int_or_none
from careers import forms, permissions, rules
from careers.choices import Readiness
from careers.talent import selectors, services
from careers.web import admin_agency_id, fail, local_today, render_page, require, user_of
from people import access_log, decisions
from people.access import is_head, is_hr_admin
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
    counts = selectors.grid_counts(user=user, review=review)
    total = sum(counts.values())
    grid = [
        (band, [{"box": b, "n": counts[b], "colour": BOX_COLOURS[b], "rec": rules.recommendation(b)} for b in boxes])
        for band, boxes in rules.GRID_ROWS
    ]
    prev = selectors.previous_review(review)
    moves = selectors.movement(user=user, review=review, previous=prev) if prev else {}
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
    qs = selectors.placements_visible(user=user, review=review).filter(box=box).order_by("unit__path", "employee__name")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    access_log.record(request, [p.employee_id for p in page.object_list], AccessPart.TALENT)
    for placement in page.object_list:
        placement.may_override = can_manage and decisions.may_decide(user, placement.employee_id)  # type: ignore[attr-defined]
    return render_page(
        request,
        "careers/review_box.html",
        {
            "review": review,
            "box": box,
            "page_obj": page,
            "form": form,
            "can_manage": can_manage,
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
    groups = selectors.talent_pool(user=user, review=review)
    access_log.record(request, [p.employee_id for g in groups for p in g["rows"]], AccessPart.TALENT)
    return render_page(
        request,
        "careers/talent_pool.html",
        {
            "review": review,
            "groups": groups,
            "computed_at": selectors.computed_at(review),
            "breadcrumbs": [
                (_("Manajemen talenta"), reverse("careers:reviews")),
                (review.name, reverse("careers:review-detail", args=[pk])),
                (_("Talent pool"), None),
            ],
        },
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
