"""Appraisal follow-up pages."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext as _

from asn_portal import summaries as asn_summaries
from asn_portal.errors import ApplicationError
from asn_portal.pagination import uncounted_page
from asn_portal.params import int_or_none
from careers import forms, permissions, summaries
from careers.choices import FollowUpStatus
from careers.followups import selectors, services
from careers.web import admin_agency_id, fail, local_today, render_page, summary_fragment, user_of
from people import access_log
from people.access import is_hr_admin
from people.choices import AccessPart

# What a row of the list shows and its permission checks read (careers_tables.follow_up_rows,
# careers.permissions.may_decide_follow_up_row), read as values() dicts: a page of 50 rows was 200 model objects
# (follow-up, employee, unit, recognition type) and their creation signals (issue #13).
ROW_KEYS = (
    "pk",
    "agency_id",
    "employee_id",
    "employee__name",
    "employee__unit__path",
    "unit__name",
    "predikat",
    "kind",
    "recognition_type__name",
    "opportunity",
    "sessions_planned",
    "status",
    "head_reason",
    "done_on",
)


def follow_up_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    years = selectors.follow_up_years(user=user)
    year = int_or_none(request.GET.get("tahun")) or (years[0] if years else local_today().year - 1)
    qs = selectors.follow_up_list_visible_to(user=user).filter(year=year)
    status = request.GET.get("status", "")
    if status in FollowUpStatus.values:
        qs = qs.filter(status=status)
    if request.method == "POST":
        item = selectors.follow_up_get_visible(user=user, pk=int_or_none(request.POST.get("item")) or 0)
        try:
            if request.POST.get("op") == "done":
                services.follow_up_mark_done(item=item, actor=user)
            else:
                form = forms.FollowUpDecisionForm(request.POST)
                if not form.is_valid():
                    raise ApplicationError(_("Isian keputusan tidak valid."))
                cd = form.cleaned_data
                services.follow_up_decide(
                    item=item,
                    decision=cd["decision"],
                    reason=cd["reason"],
                    actor=user,
                    recognition_type_id=cd["recognition_type"].pk if cd["recognition_type"] else None,
                    opportunity=cd["opportunity"],
                    sessions_planned=cd["sessions_planned"],
                )
            messages.success(request, _("Tindak lanjut %(n)s diperbarui.") % {"n": item.employee.name})
        except ApplicationError as exc:
            fail(request, exc)
        return redirect(f"{reverse('careers:follow-ups')}?tahun={year}")
    rows = qs.select_related(None).order_by("unit__path", "employee__name", "kind", "pk").values(*ROW_KEYS)
    page = uncounted_page(rows, request.GET.get("page"), 50)
    for it in page.object_list:
        checked = {
            "status": it["status"],
            "employee_id": it["employee_id"],
            "agency_id": it["agency_id"],
            "path": it["employee__unit__path"],
        }
        it["can_decide"] = permissions.may_decide_follow_up_row(user, **checked)
        it["can_done"] = permissions.may_mark_follow_up_done_row(user, **checked)
    access_log.record(request, [it["employee_id"] for it in page.object_list], AccessPart.CAREER_PLAN)
    progress_html, computed_at = "", None
    if is_hr_admin(user):
        agency_id = admin_agency_id(request)
        computed_at = asn_summaries.computed_at(summaries.FOLLOW_UPS, agency_id)
        progress_html = summary_fragment(
            "careers/_follow_up_progress.html",
            agency_id=agency_id,
            computed_at=computed_at,
            build=lambda: {"progress": selectors.follow_up_progress_by_unit(agency_id=agency_id, year=year)},
            vary=(year,),
        )
    return render_page(
        request,
        "careers/follow_up_list.html",
        {
            "page_obj": page,
            "year": year,
            "years": years,
            "status": status,
            "statuses": FollowUpStatus.choices,
            "progress_html": progress_html,
            "computed_at": computed_at,
            # the same options in every row's form: built once, not once per row in the template
            "decision_options": format_html_join(
                "",
                '<option value="{}">{}</option>',
                forms.FollowUpDecisionForm().fields["decision"].choices,  # type: ignore[attr-defined]
            ),
            "breadcrumbs": [(_("Tindak lanjut penilaian kinerja"), None)],
        },
    )
