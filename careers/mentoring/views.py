"""Mentoring pages: session list, export, logging, one session, the team and unit cadence."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from asn_portal import summaries as asn_summaries
from asn_portal.errors import ApplicationError
from asn_portal.exports import xlsx_response
from asn_portal.idempotency import create_once, key_from_request
from asn_portal.pagination import uncounted_page
from asn_portal.params import int_or_none
from careers import agency_settings, forms, integrations, permissions, rules, summaries
from careers.mentoring import selectors, services
from careers.models import MentoringSession
from careers.web import admin_agency_id, fail, local_today, render_page, require, summary_fragment, user_of
from people import access_log
from people.access import is_head, is_hr_admin, scope_for
from people.choices import AccessPart
from people.models import Employee, OrgUnit
from people.selectors import current_employee

# What the sessions table shows of each mentee (careers_tables.session_rows).
SESSION_MENTEE_KEYS = ("employee_id", "employee__name", "confirmed_at")


def session_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    qs = selectors.session_rows_visible_to(user=user).order_by("-held_on", "-pk")
    page = uncounted_page(selectors.session_rows_for_table(qs).prefetch_related(None), request.GET.get("page"), 25)
    # The mentees of the sessions shown as rows in id order, in one statement compiled once per process (issue #13;
    # a prefetch compiled its query and built two model objects per mentee on every request).
    mentees = selectors.participant_rows([s.pk for s in page.object_list], list(SESSION_MENTEE_KEYS))
    for s in page.object_list:
        s.mentee_rows = mentees.get(s.pk, [])  # type: ignore[attr-defined]
    # The participants of the sessions shown (the coach is not the subject of a session).
    access_log.record(
        request, [m["employee_id"] for s in page.object_list for m in s.mentee_rows], AccessPart.MENTORING
    )
    me = scope_for(user).employee_id
    items = selectors.open_items_with_session_for(me)
    can_log = is_head(user) or bool(selectors.mentee_ids_allowed_for(user, local_today()))
    return render_page(
        request,
        "careers/session_list.html",
        {
            "page_obj": page,
            "items": items,
            "today": local_today(),
            "can_log": can_log,
            "breadcrumbs": [(_("Bimbingan kinerja"), None)],
        },
    )


def session_export(request: HttpRequest) -> HttpResponse:
    """The visible sessions as XLSX; private notes only in rows the user wrote."""
    user = user_of(request)
    header = (
        "Tanggal",
        "Jenis",
        "Cara",
        "Durasi (menit)",
        "Pembimbing",
        "Peserta",
        "Topik",
        "Catatan bersama",
        "Catatan pribadi",
    )
    rows = (
        [
            s.held_on,
            s.get_kind_display(),
            s.get_mode_display(),
            s.duration_minutes,
            s.coach.name,
            ", ".join(p.employee.name for p in s.participants.all()),
            s.topics,
            s.shared_notes,
            selectors.private_notes_for(user, s),
        ]
        for s in selectors.session_list_visible_to(user=user).order_by("-held_on", "-pk")[:20000]
    )
    visible = selectors.session_list_visible_to(user=user).order_by().values("pk")
    access_log.record_export(
        request,
        Employee.objects.filter(session_participations__session__in=visible).distinct(),
        AccessPart.MENTORING,
    )
    return xlsx_response("sesi-bimbingan.xlsx", [_(h) for h in header], rows, title="Bimbingan")


LINK_FIELDS = ("planned_result", "development_action", "talent_placement")


def session_create(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    allowed = selectors.mentee_ids_allowed_for(user, local_today())
    mentees = Employee.objects.filter(pk__in=allowed).order_by("name")
    initial: dict[str, Any] = {"held_on": local_today()}
    for link in LINK_FIELDS:
        if request.GET.get(link, "").isdigit():
            initial[link] = int(request.GET[link])
    form = forms.SessionForm(request.POST or None, mentees=mentees, initial=initial)
    if request.method == "POST":
        # Mentee ids are checked by the service (a mentee outside the head's units is refused clearly).
        posted_ids = [int(i) for i in request.POST.getlist("mentees") if str(i).isdecimal()]
        form.fields["mentees"].queryset = Employee.objects.filter(pk__in=set(posted_ids) | allowed)  # type: ignore[attr-defined]
        if form.is_valid():
            me = scope_for(user).employee_id or 0
            try:
                session, created = create_once(
                    user=user,
                    key=key_from_request(request),
                    scope="careers.session",
                    create=lambda: services.session_log(
                        actor=user,
                        mentee_ids=[e.pk for e in form.cleaned_data["mentees"]],
                        held_on=form.cleaned_data["held_on"],
                        duration_minutes=form.cleaned_data["duration_minutes"],
                        mode=form.cleaned_data["mode"],
                        kind=form.cleaned_data["kind"],
                        topics=form.cleaned_data["topics"],
                        shared_notes=form.cleaned_data["shared_notes"],
                        private_notes=form.cleaned_data["private_notes"],
                        action_items=form.action_items(me),
                        planned_result_id=form.cleaned_data["planned_result"],
                        development_action_id=form.cleaned_data["development_action"],
                        talent_placement_id=form.cleaned_data["talent_placement"],
                    ),
                    load=lambda pk: MentoringSession.objects.get(pk=pk),
                )
            except ApplicationError as exc:
                fail(request, exc, form)
            else:
                if created:
                    messages.success(request, _("Sesi bimbingan dicatat; peserta diminta mengonfirmasi."))
                else:
                    messages.info(request, _("Sesi ini sudah tersimpan sebelumnya; tidak dicatat dua kali."))
                return redirect("careers:session-detail", pk=session.pk)
    return render_page(
        request,
        "careers/session_form.html",
        {
            "form": form,
            "item_rows": range(1, forms.ITEM_ROWS + 1),
            "breadcrumbs": [(_("Bimbingan kinerja"), reverse("careers:sessions")), (_("Catat sesi"), None)],
        },
    )


def _owners(session: MentoringSession, participants: list[Any]) -> list[tuple[str, str]]:
    return [(str(session.coach_id), session.coach.name)] + [(str(p.employee_id), p.employee.name) for p in participants]


def _observation_form(session: MentoringSession, participants: list[Any], data: Any = None) -> Any:
    return forms.ObservationForm(
        data,
        prefix="o",
        employees=[(str(p.employee_id), p.employee.name) for p in participants],
        competencies=integrations.competency_choices(session.agency_id),
    )


def _session_page(request: HttpRequest, session: MentoringSession, **bound: Any) -> HttpResponse:
    """The session page; `bound` replaces the empty item/feedback/observation form with the one just posted
    (so its errors show next to its fields)."""
    user = user_of(request)
    participants = list(session.participants.all())
    access_log.record(request, [p.employee_id for p in participants], AccessPart.MENTORING)
    obs_form = bound.get("obs_form") or _observation_form(session, participants)
    return render_page(
        request,
        "careers/session_detail.html",
        {
            "session": session,
            "participants": participants,
            "private_notes": selectors.private_notes_for(user, session),
            "items": session.action_items.select_related("owner"),
            "observations": session.observations.select_related("competency", "employee"),
            "item_form": bound.get("item_form") or forms.ItemForm(prefix="i", owners=_owners(session, participants)),
            "feedback_form": bound.get("feedback_form") or forms.FeedbackForm(prefix="f"),
            "obs_form": obs_form,
            "has_competencies": bool(obs_form.fields["competency"].choices),
            "is_coach": permissions.can_coach_session(user, session),
            "can_confirm": permissions.can_confirm_session(user, session),
            "can_feedback": permissions.can_give_feedback(user, session),
            "feedback_items": rules.FEEDBACK_ITEMS,
            "me": scope_for(user).employee_id,
            "today": local_today(),
            "breadcrumbs": [(_("Bimbingan kinerja"), reverse("careers:sessions")), (str(session), None)],
        },
    )


def _done(request: HttpRequest, session: MentoringSession, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("careers:session-detail", pk=session.pk)


@require_GET
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _session_page(request, selectors.session_get_visible(user=user_of(request), pk=pk))


@require_POST
def session_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    session = selectors.session_get_visible(user=user, pk=pk)
    try:
        services.session_confirm(session=session, actor=user)
    except ApplicationError as exc:
        fail(request, exc)
        return _session_page(request, session)
    return _done(request, session, _("Sesi dikonfirmasi. JP bimbingan dicatat pada riwayat belajar Anda."))


@require_POST
def session_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    session = selectors.session_get_visible(user=user, pk=pk)
    form = forms.FeedbackForm(request.POST, prefix="f")
    if form.is_valid():
        try:
            services.session_feedback(
                session=session, answers=form.answers(), comment=form.cleaned_data["comment"], actor=user
            )
            return _done(request, session, _("Terima kasih atas umpan balik Anda."))
        except ApplicationError as exc:
            fail(request, exc)
    return _session_page(request, session, feedback_form=form)


@require_POST
def session_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    session = selectors.session_get_visible(user=user, pk=pk)
    form = forms.ItemForm(request.POST, prefix="i", owners=_owners(session, list(session.participants.all())))
    if form.is_valid():
        owner = form.cleaned_data["owner"]
        try:
            services.session_add_item(
                session=session,
                title=form.cleaned_data["title"],
                owner_id=int(owner) if owner else None,
                due_date=form.cleaned_data["due_date"],
                actor=user,
            )
            return _done(request, session, _("Tindak lanjut ditambahkan."))
        except ApplicationError as exc:
            fail(request, exc)
    return _session_page(request, session, item_form=form)


@require_POST
def session_item_status(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    user = user_of(request)
    session = selectors.session_get_visible(user=user, pk=pk)
    item = session.action_items.filter(pk=item_pk).select_related("session").first()
    if item is None:
        raise Http404
    try:
        services.action_item_set_status(item=item, status=request.POST.get("status", ""), actor=user)
    except ApplicationError as exc:
        fail(request, exc)
        return _session_page(request, session)
    return _done(request, session, _("Status tindak lanjut diperbarui."))


@require_POST
def session_observe(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    session = selectors.session_get_visible(user=user, pk=pk)
    form = _observation_form(session, list(session.participants.all()), request.POST)
    if form.is_valid():
        cd = form.cleaned_data
        try:
            services.session_observe(
                session=session,
                employee_id=int(cd["employee"]),
                levels={int(cd["competency"]): (cd["level"], cd["reason"])},
                actor=user,
            )
            return _done(request, session, _("Evaluasi kompetensi dicatat sebagai bukti kompetensi."))
        except ApplicationError as exc:
            fail(request, exc)
    return _session_page(request, session, obs_form=form)


def team(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    require(is_head(user))
    me = current_employee(user)
    days = agency_settings.settings_for(me.agency_id if me else None).cadence_days
    today = local_today()
    rows = selectors.TeamCadenceRows(user=user, today=today)  # the first page compiled once per process
    page = uncounted_page(rows, request.GET.get("page"), selectors.TEAM_PAGE_SIZE)
    for e in page.object_list:
        e.stale = e.last_session is None or (today - e.last_session).days > days  # type: ignore[attr-defined]
    access_log.record(request, page.object_list, AccessPart.MENTORING)
    return render_page(
        request,
        "careers/team.html",
        {"page_obj": page, "days": days, "today": today, "breadcrumbs": [(_("Tim saya: bimbingan"), None)]},
    )


def cadence(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    require(is_hr_admin(user))
    agency_id = admin_agency_id(request)
    days = agency_settings.settings_for(agency_id).cadence_days
    today = local_today()
    computed_at = asn_summaries.computed_at(summaries.MENTORING_CADENCE, agency_id)
    rows_html = summary_fragment(
        "careers/_cadence_rows.html",
        agency_id=agency_id,
        computed_at=computed_at,
        build=lambda: {"rows": selectors.cadence_by_unit(agency_id=agency_id, today=today, days=days)},
        vary=(today.isoformat(), days),
    )
    unit = None
    unmet = None
    if request.GET.get("unit"):
        unit = OrgUnit.objects.filter(pk=int_or_none(request.GET["unit"]) or 0, agency_id=agency_id).first()
        if unit is None:
            raise Http404
        unmet = list(selectors.unmet_in_unit(unit=unit, today=today, days=days)[:200])
        access_log.record(request, unmet, AccessPart.MENTORING)
    return render_page(
        request,
        "careers/cadence.html",
        {
            "rows_html": rows_html,
            "days": days,
            "computed_at": computed_at,
            "unit": unit,
            "unmet": unmet,
            "breadcrumbs": [(_("Bimbingan kinerja"), reverse("careers:sessions")), (_("Kadens per unit"), None)],
        },
    )
