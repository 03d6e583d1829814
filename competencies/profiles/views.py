"""Competency profile pages: my profile, an employee's profile, the head's team heatmap."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from asn_portal.params import int_or_none
from asn_portal.templatetags.portal import percent
from competencies import charts, selectors
from competencies.rules import CATEGORY_COLOURS
from people import access_log
from people.access import agency_q, is_head, scope_for
from people.choices import AccessPart
from people.models import Employee, OrgUnit, Position
from people.selectors import current_employee, employee_get_visible


def _profile_rows_html(profile: selectors.CompetencyProfile) -> tuple[SafeString, SafeString]:
    """The levels table's rows (the post's standard, then the competencies assessed outside it) joined here:
    the template engine spent more on a dozen rows of links, labels and badges than on the rest of the page.
    Names escaped; the rest are our numbers and translated labels (escaped)."""
    marker = 987654321
    url = reverse("competencies:competency-detail", args=[marker])
    unassessed = f'<span class="badge text-bg-light border">{escape(_("belum diases"))}</span>'
    met = (
        '<i class="bi bi-check-circle text-success" aria-hidden="true"></i>'
        f'<span class="visually-hidden">{escape(_("memenuhi"))}</span>'
    )
    kinds: dict[str, str] = {}
    dates: dict[Any, str] = {}

    def kind(c: Any) -> str:
        if c.kind not in kinds:
            kinds[c.kind] = escape(c.get_kind_display())
        return kinds[c.kind]

    def day(d: Any) -> str:
        if d not in dates:
            dates[d] = date_format(d, "DATE_FORMAT") if d else ""
        return dates[d]

    rows = []
    for r in profile.rows:
        c = r.competency
        gap = f'<span class="badge text-bg-{"danger" if r.gap > 1 else "warning"}">−{r.gap}</span>' if r.gap else met
        rows.append(
            f'<tr><td><a href="{url.replace(str(marker), str(c.pk))}">{escape(c.name)}</a></td>'
            f'<td class="small">{kind(c)}</td><td class="text-center">{r.required}</td>'
            f'<td class="text-center">{unassessed if r.unassessed else r.current}</td>'
            f'<td class="text-center">{gap}</td><td class="small">{day(r.assessed_on) or "–"}</td></tr>'
        )
    outside = escape(_("di luar standar"))
    extra = [
        f'<tr class="text-body-secondary"><td>{escape(r.competency.name)}</td><td class="small">{kind(r.competency)}'
        f'</td><td class="text-center">–</td><td class="text-center">{r.current}</td>'
        f'<td class="text-center small">{outside}</td><td class="small">{day(r.assessed_on)}</td></tr>'
        for r in profile.extra_rows
    ]
    return mark_safe("".join(rows)), mark_safe("".join(extra))  # noqa: S308 - every text escaped above


def _results_html(history: list[Any]) -> None:
    """Each assessment's result badges as HTML (`results_html`), joined here for the same reason."""
    for a in history:
        a.results_html = mark_safe(  # noqa: S308 - codes escaped, levels are numbers
            "".join(
                f'<span class="badge text-bg-light border me-1">{escape(r.competency.code)}: {r.level}</span>'
                for r in a.results.all()
            )
        )


def _profile_page(request: HttpRequest, employee: Employee, *, mine: bool) -> HttpResponse:
    position = None
    pos_id = int_or_none(request.GET.get("position"))
    if pos_id is not None:
        position = selectors.position_get_visible(user=request.user, pk=pos_id)
    profile = selectors.profile_for(employee, position)
    current = profile if position is None else selectors.profile_for(employee)
    history = selectors.assessment_history(employee)
    _results_html(history)
    rows_html, extra_rows_html = _profile_rows_html(profile)
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
            "rows_html": rows_html,
            "extra_rows_html": extra_rows_html,
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


def _cells_html(cells: list[dict[str, Any]], made: dict[int, str]) -> str:
    """One row's heatmap cells as HTML, joined here: a page of 50 people has several hundred cells, and the
    template engine spends more on them than the rest of the page. The selector shares one dict per distinct
    cell, so each distinct cell is written (and its label escaped) once per page (`made`, by the dict's id)."""
    out = []
    for cell in cells:
        html = made.get(id(cell))
        if html is None:
            label = escape(cell["label"])
            hidden = f" ({label})" if cell["text"] else label
            html = made[id(cell)] = (
                f'<td class="text-center {cell["css"]}" data-level="{cell["css"]}">{cell["text"]}'
                f'<span class="visually-hidden">{hidden}</span></td>'
            )
        out.append(html)
    return "".join(out)


def _team_rows_html(people: list[dict[str, Any]]) -> SafeString:
    """The heatmap's body rows as HTML in one pass (the same markup the template wrote per row: the name linked
    to the employee's competency profile, the post, the stored JPM badge, the cells). Names and posts escaped;
    the rest are our numbers, css classes and translated labels (escaped)."""
    made: dict[int, str] = {}
    marker = 987654321
    url = reverse("competencies:employee", args=[marker])
    not_assessed = escape(_("belum diases"))
    out = []
    for row in people:
        emp = row["employee"]
        position = emp.position.title if emp.position_id and emp.position else ""
        if row["jpm"] is not None:
            colour = CATEGORY_COLOURS.get(row["category"]) or "secondary"
            badge = f'<span class="badge text-bg-{colour}">{escape(percent(row["jpm"], 1))}</span>'
        else:
            badge = f'<span class="badge text-bg-light border" data-testid="not-assessed">{not_assessed}</span>'
        out.append(
            f'<tr><th scope="row"><a href="{url.replace(str(marker), str(emp.pk))}">{escape(emp.full_name)}</a>'
            f'<div class="fw-normal text-body-secondary">{escape(position or "–")}</div></th>'
            f"<td>{badge}</td>{_cells_html(row['cells'], made)}</tr>"
        )
    return mark_safe("".join(out))  # noqa: S308 - names, posts and labels escaped above; the rest is ours


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
    rows_html = _team_rows_html(heat.people)
    access_log.record(request, [row["employee"] for row in heat.people], AccessPart.COMPETENCY)
    units = (
        OrgUnit.objects.filter(Q(pk__in=scope.head_unit_ids) | Q(parent_id__in=scope.head_unit_ids), is_active=True)
        .only("name")
        .order_by("path")
    )  # an option of the unit filter: id and name
    return render(
        request,
        "competencies/team.html",
        {
            "heat": heat,
            "rows_html": rows_html,
            "units": units,
            "unit_id": unit_id,
            "sort": sort,
            "colours": CATEGORY_COLOURS,
            "breadcrumbs": [(_("Peta kompetensi tim"), None)],
        },
    )
