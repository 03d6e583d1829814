"""Competency profile pages: my profile, an employee's profile, the head's team heatmap."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from asn_portal.params import int_or_none
from competencies import charts, selectors
from competencies.rules import CATEGORY_COLOURS
from people import access_log
from people.access import agency_q, is_head, scope_for
from people.choices import AccessPart
from people.models import Employee, OrgUnit, Position
from people.selectors import current_employee, employee_get_visible


def _profile_page(request: HttpRequest, employee: Employee, *, mine: bool) -> HttpResponse:
    position = None
    pos_id = int_or_none(request.GET.get("position"))
    if pos_id is not None:
        position = selectors.position_get_visible(user=request.user, pk=pos_id)
    profile = selectors.profile_for(employee, position)
    current = profile if position is None else selectors.profile_for(employee)
    history = selectors.assessment_history(employee)
    snapshots = selectors.jpm_trend(employee)
    q = request.GET.get("q", "").strip()
    matches: list[Position] = []
    if q:
        matches = list(
            Position.objects.filter(agency_q(request.user), is_active=True, title__icontains=q)
            .select_related("unit")
            .order_by("title")[:20]
        )
    crumbs = (
        [(_("Kompetensi Saya"), None)]
        if mine
        else [
            (_("Pegawai"), reverse("people:directory")),
            (employee.full_name, reverse("people:profile", args=[employee.pk])),
            (_("Kompetensi"), None),
        ]
    )
    return render(
        request,
        "competencies/profile.html",
        {
            "employee": employee,
            "profile": profile,
            "current": current,
            "what_if": position,
            "history": history,
            "snapshots": snapshots,
            "radar_config": charts.radar(profile),
            "trend_config": charts.trend(snapshots),
            "colours": CATEGORY_COLOURS,
            "mine": mine,
            "q": q,
            "matches": matches,
            "breadcrumbs": crumbs,
        },
    )


def my_profile(request: HttpRequest) -> HttpResponse:
    employee = current_employee(request.user)
    if employee is None:
        messages.info(request, _("Akun Anda tidak terhubung dengan data pegawai."))
        return redirect("home")
    return _profile_page(request, employee, mine=True)


def employee_profile(request: HttpRequest, pk: int) -> HttpResponse:
    employee = employee_get_visible(user=request.user, pk=pk)
    return _profile_page(request, employee, mine=employee.user_id == request.user.pk)


def _cells_html(cells: list[dict[str, Any]]) -> SafeString:
    """One row's heatmap cells as HTML, joined here: a page of 50 people has several hundred cells, and the
    template engine spends more on them than the rest of the page (each label escaped once per page)."""
    escaped: dict[str, str] = {}
    out = []
    for cell in cells:
        label = escaped.setdefault(str(cell["label"]), escape(cell["label"]))
        hidden = f" ({label})" if cell["text"] else label
        out.append(
            f'<td class="text-center {cell["css"]}" data-level="{cell["css"]}">{cell["text"]}'
            f'<span class="visually-hidden">{hidden}</span></td>'
        )
    return mark_safe("".join(out))  # noqa: S308 - css classes and level digits are ours, labels escaped


def team(request: HttpRequest) -> HttpResponse:
    if not is_head(request.user):
        raise PermissionDenied
    scope = scope_for(request.user)
    unit_id = request.GET.get("unit")
    sort = request.GET.get("sort", "name")
    heat = selectors.team_heatmap(
        user=request.user,
        unit_id=int(unit_id) if unit_id and unit_id.isdecimal() else None,
        sort=sort,
        page=int_or_none(request.GET.get("page")) or 1,
    )
    for row in heat.people:
        row["cells_html"] = _cells_html(row["cells"])
    access_log.record(request, [row["employee"] for row in heat.people], AccessPart.COMPETENCY)
    units = OrgUnit.objects.filter(
        Q(pk__in=scope.head_unit_ids) | Q(parent_id__in=scope.head_unit_ids), is_active=True
    ).order_by("path")
    return render(
        request,
        "competencies/team.html",
        {
            "heat": heat,
            "units": units,
            "unit_id": unit_id,
            "sort": sort,
            "colours": CATEGORY_COLOURS,
            "breadcrumbs": [(_("Peta kompetensi tim"), None)],
        },
    )
