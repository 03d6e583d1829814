"""Competency dictionary pages: list, detail, create and edit."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from asn_portal.errors import ApplicationError
from competencies import selectors, services
from competencies.forms import (
    CompetencyForm,
)
from competencies.models import Competency
from competencies.permissions import can_edit_competency, can_manage_competencies
from competencies.web import PAGE_SIZE, admin_agency, require_admin


def dictionary(request: HttpRequest) -> HttpResponse:
    qs = selectors.competency_list_visible_to(user=request.user)
    kind = request.GET.get("kind", "")
    q = request.GET.get("q", "").strip()
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q))
    page = Paginator(qs.order_by("agency_id", "kind", "order", "name", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    from competencies.choices import CompetencyKind

    return render(
        request,
        "competencies/dictionary.html",
        {
            "page_obj": page,
            "kind": kind,
            "q": q,
            "kinds": CompetencyKind.choices,
            "can_manage": can_manage_competencies(request.user),
            "breadcrumbs": [(_("Kamus kompetensi"), None)],
        },
    )


def competency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    c = selectors.competency_get_visible(user=request.user, pk=pk)
    return render(
        request,
        "competencies/competency_detail.html",
        {
            "c": c,
            "can_edit": can_edit_competency(request.user, c),
            "breadcrumbs": [(_("Kamus kompetensi"), reverse("competencies:dictionary")), (c.name, None)],
        },
    )


def competency_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    require_admin(request)
    if pk is not None:
        instance = selectors.competency_get_visible(user=request.user, pk=pk)
        if not can_edit_competency(request.user, instance):
            raise PermissionDenied
    else:
        agency = admin_agency(request)
        instance = Competency(agency=agency, kind="technical")
    form = CompetencyForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in CompetencyForm.Meta.fields}
        try:
            if pk is None:
                c = services.competency_create(actor=request.user, agency=agency, data=data)
            else:
                c = services.competency_update(actor=request.user, competency=instance, data=data)
        except ApplicationError as err:
            form.add_error(err.extra.get("field") if err.extra.get("field") in form.fields else None, err.message)
        else:
            messages.success(request, _("Kompetensi %(name)s disimpan.") % {"name": c.name})
            return redirect("competencies:competency-detail", c.pk)
    title = _("Ubah kompetensi") if pk else _("Tambah kompetensi teknis")
    return render(
        request,
        "competencies/form.html",
        {
            "form": form,
            "title": title,
            "breadcrumbs": [(_("Kamus kompetensi"), reverse("competencies:dictionary")), (title, None)],
        },
    )
