"""Recommended courses, the head's team view and the agency's training-needs report."""

from __future__ import annotations

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from asn_portal.pagination import uncounted_page
from people import access_log
from people.access import is_head, is_hr_admin, scope_for
from people.choices import AccessPart
from people.selectors import current_employee
from training import rules
from training.enrolment import selectors as enrolment_selectors
from training.forms import ReasonForm
from training.ledger import selectors as ledger_selectors
from training.needs import selectors as needs_selectors
from training.viewutils import (
    admin_agency_id,
    cached_fragment,
    course_card_data,
    crumbs,
    require_admin,
    xlsx,
    year_param,
)


def recommended(request: HttpRequest) -> HttpResponse:
    emp = current_employee(request.user)
    courses = needs_selectors.recommended_courses(employee=emp, limit=20) if emp else []
    # The cards are rendered once per language and per the values they show.
    cards = cached_fragment(
        "recommended-page",
        course_card_data(courses),
        lambda: render_to_string("training/partials/recommended_page_cards.html", {"courses": courses}),
    )
    return render(
        request,
        "training/recommended.html",
        {"courses": courses, "cards": cards, "breadcrumbs": crumbs((_("Disarankan untuk Anda"), None))},
    )


def team(request: HttpRequest) -> HttpResponse:
    if not (is_head(request.user) or is_hr_admin(request.user)):
        raise PermissionDenied
    year = year_param(request)
    members = uncounted_page(ledger_selectors.TeamJp(user=request.user, year=year), request.GET.get("page"), 25)
    access_log.record(request, members.object_list, AccessPart.TRAINING)
    if members.object_list:  # the page's rows carry the whole team's counts
        first = members.object_list[0]
        below, total = first.team_below, first.team_total  # type: ignore[attr-defined]
    elif members.number == 1:
        below, total = 0, 0  # nobody in the team
    else:
        below, total = ledger_selectors.team_below_target_count(user=request.user, year=year)
    scope = scope_for(request.user)  # the head's own agency (their employee record's), without reading the record
    gaps, gaps_computed_at = (
        needs_selectors.team_gaps_computed(user=request.user, agency_id=scope.agency_id)
        if scope.employee_id and scope.agency_id
        else ([], None)
    )
    shown_gaps = gaps[:15]
    # Both tables are rendered once per language and per the values they show.
    members_table = cached_fragment(
        "team-members",
        [(m.full_name, m.unit.name if m.unit_id else None, m.jp) for m in members],  # type: ignore[attr-defined]
        lambda: render_to_string(
            "training/partials/team_members.html", {"page_obj": members, "target": rules.JP_TARGET}
        ),
    )
    gaps_table = cached_fragment(
        "team-gaps",
        [
            (g["name"], g["people"], g["avg_gap"], [(c["course_id"], c["course__title"]) for c in g["courses"]])
            for g in shown_gaps
        ],
        lambda: render_to_string("training/partials/team_gaps.html", {"gaps": shown_gaps}),
    )
    return render(
        request,
        "training/team.html",
        {
            "year": year,
            "page_obj": members,
            "below": below,
            "total": total,
            "target": rules.JP_TARGET,
            "requests": enrolment_selectors.requests_for_head_shown(user=request.user),
            "gaps": shown_gaps,
            "members_table": members_table,
            "gaps_table": gaps_table,
            # The gaps come from the competencies' summary rows: the page says when they were computed.
            "gaps_computed_at": gaps_computed_at if gaps else None,
            "reason_form": ReasonForm(),
            "breadcrumbs": crumbs((_("Pelatihan tim"), None)),
        },
    )


def report_needs(request: HttpRequest) -> HttpResponse:
    require_admin(request)
    agency_id = admin_agency_id(request)
    # The plan for next year does not need second-by-second freshness: one aggregation per agency an hour.
    key = f"training:needs:{agency_id}:{timezone.localdate().isoformat()}"
    rows = cache.get(key)
    if rows is None or request.GET.get("refresh"):
        rows = needs_selectors.training_needs(agency_id=agency_id)
        cache.set(key, rows, 3600)
    if request.GET.get("format") == "xlsx":
        return xlsx(
            "kebutuhan-pelatihan.xlsx",
            [
                _("Unit kerja"),
                _("Kompetensi"),
                _("Pegawai dengan kesenjangan"),
                _("Total kesenjangan"),
                _("Pelatihan yang menutup"),
            ],
            [
                [
                    r["unit"],
                    r["competency"],
                    r["people"],
                    r["gap_sum"],
                    "; ".join(c["course__title"] for c in r["courses"]),
                ]
                for r in rows
            ],
        )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "training/report_needs.html",
        {"page_obj": page, "breadcrumbs": crumbs((_("Kebutuhan pelatihan per unit"), None))},
    )
