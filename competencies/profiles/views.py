"""Competency profile pages: my profile, an employee's profile, the head's team heatmap."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
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
from people.access import is_head
from people.choices import AccessPart
from people.models import Employee, OrgUnit
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


def _history_html(history: list[Any]) -> SafeString:
    """The assessment history (each assessment's method, dates, purpose, assessor and result badges) as HTML,
    joined here for the same reason: the same markup the template's loop wrote. Texts escaped; dates formatted
    as the `date:"DATE_FORMAT"` filter does; the validity line through the template's message id."""
    out = []
    for a in history:
        results = "".join(
            f'<span class="badge text-bg-light border me-1">{escape(code)}: {level}</span>'
            for code, level in a.result_levels
        )
        valid = _("berlaku s.d. %(d)s") % {"d": escape(date_format(a.valid_until, "DATE_FORMAT"))}
        out.append(
            '\n      <div class="border-bottom py-2 small">\n        <div class="d-flex justify-content-between">'
            f"<strong>{escape(a.get_method_display())}</strong>"
            f"<span>{escape(date_format(a.assessed_on, 'DATE_FORMAT'))}</span></div>\n"
            f'        <div class="text-body-secondary">{escape(a.get_purpose_display())} · {escape(a.assessor or "–")}'
            f" · {valid}</div>\n        <div>{results}</div>\n      </div>\n      "
        )
    return mark_safe("".join(out))  # noqa: S308 - every text escaped above


def _matches_html(matches: list[dict[str, Any]]) -> SafeString:
    """The what-if search's posts as list items (the template's loop, joined here)."""
    return mark_safe(  # noqa: S308 - titles and unit names escaped, ids are numbers
        "".join(
            f'<li class="list-group-item"><a href="?position={m["pk"]}">{escape(m["title"])}</a>'
            f' <span class="small text-body-secondary">· {escape(m["unit_name"])}</span></li>\n    '
            for m in matches
        )
    )


def _gaps_html(profile: selectors.CompetencyProfile) -> SafeString:
    """ "Kesenjangan yang perlu dikembangkan": each gap's name and levels (the template's loop, joined here)."""
    levels = _("%(c)s → %(s)s")
    return mark_safe(  # noqa: S308 - names escaped, levels are numbers
        ", ".join(
            f"{escape(r.competency.name)} ({levels % {'c': r.current or 0, 's': r.required}})" for r in profile.gaps
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
    rows_html, extra_rows_html = _profile_rows_html(profile)
    snapshots = selectors.jpm_trend(employee)
    q = request.GET.get("q", "").strip()
    matches = selectors.position_matches(user=request.user, q=q) if q else []
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
            "history_html": _history_html(history),
            "gaps_html": _gaps_html(profile),
            "snapshots": snapshots,
            "radar_config": charts.radar(profile),
            "trend_config": charts.trend(snapshots),
            "colours": CATEGORY_COLOURS,
            "mine": mine,
            "q": q,
            "matches": matches,
            "matches_html": _matches_html(matches),
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
    percents: dict[Any, str] = {}
    out = []
    for row in people:
        emp = row["employee"]
        position = emp.position_title
        if row["jpm"] is not None:
            colour = CATEGORY_COLOURS.get(row["category"]) or "secondary"
            shown = percents.get(row["jpm"])
            if shown is None:  # a page repeats a few JPM values: each formatted once
                shown = percents[row["jpm"]] = escape(percent(row["jpm"], 1))
            badge = f'<span class="badge text-bg-{colour}">{shown}</span>'
        else:
            badge = f'<span class="badge text-bg-light border" data-testid="not-assessed">{not_assessed}</span>'
        out.append(
            f'<tr><th scope="row"><a href="{url.replace(str(marker), str(emp.pk))}">{escape(emp.full_name)}</a>'
            f'<div class="fw-normal text-body-secondary">{escape(position or "–")}</div></th>'
            f"<td>{badge}</td>{_cells_html(row['cells'], made)}</tr>"
        )
    return mark_safe("".join(out))  # noqa: S308 - names, posts and labels escaped above; the rest is ours


def _team_head_html(
    competencies: list[Any], units: list[OrgUnit], unit_id: str | None
) -> tuple[SafeString, SafeString]:
    """The heatmap's column headers (name as the title, code shown) and the unit filter's options (the chosen
    one selected), the markup the template's loops wrote, joined here. Names and codes escaped."""
    columns = []
    for c in competencies:
        name = escape(c.name)
        columns.append(
            f'<th scope="col" class="text-center" title="{name}"><abbr title="{name}">{escape(c.code)}</abbr></th>'
        )
    options = [
        f'<option value="{u.pk}"{" selected" if unit_id == str(u.pk) else ""}>{escape(u.name)}</option>' for u in units
    ]
    # names and codes escaped above; the rest is ours
    return mark_safe("".join(columns)), mark_safe("".join(options))  # noqa: S308


def team(request: HttpRequest) -> HttpResponse:
    if not is_head(request.user):
        raise PermissionDenied
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
    units = selectors.team_unit_options(user=request.user)  # an option of the unit filter: id and name
    columns_html, unit_options_html = _team_head_html(heat.competencies, units, unit_id)
    return render(
        request,
        "competencies/team.html",
        {
            "heat": heat,
            "rows_html": rows_html,
            "columns_html": columns_html,
            "unit_options_html": unit_options_html,
            "unit_id": unit_id,
            "sort": sort,
            "colours": CATEGORY_COLOURS,
            "breadcrumbs": [(_("Peta kompetensi tim"), None)],
        },
    )
