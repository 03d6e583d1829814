"""Mentoring pages: session list, export, logging, one session, the team and unit cadence."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from asn_portal.errors import ApplicationError
from asn_portal.exports import xlsx_response
from asn_portal.idempotency import create_once, key_from_request
from asn_portal.params import int_or_none
from careers import agency_settings, forms, integrations, permissions, rules
from careers.mentoring import selectors, services
from careers.models import ActionItem, MentoringSession
from careers.web import admin_agency_id, fail, local_today, render_page, require, user_of
from people.access import is_head, is_hr_admin, scope_for
from people.models import Employee, OrgUnit
from people.selectors import current_employee


def session_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    qs = selectors.session_list_visible_to(user=user).order_by("-held_on", "-pk")
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    me = scope_for(user).employee_id
    items = ActionItem.objects.filter(owner_id=me, status="open").select_related("session").order_by("due_date")[:20]
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


def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    session = selectors.session_get_visible(user=user, pk=pk)
    participants = list(session.participants.all())
    owners = [(str(session.coach_id), session.coach.name)] + [
        (str(p.employee_id), p.employee.name) for p in participants
    ]
    item_form = forms.ItemForm(prefix="i", owners=owners)
    feedback_form = forms.FeedbackForm(prefix="f")
    competencies = integrations.competency_choices(session.agency_id)
    obs_form = forms.ObservationForm(
        prefix="o", employees=[(str(p.employee_id), p.employee.name) for p in participants], competencies=competencies
    )
    if request.method == "POST":
        op = request.POST.get("op")
        try:
            if op == "confirm":
                services.session_confirm(session=session, actor=user)
                messages.success(request, _("Sesi dikonfirmasi. JP bimbingan dicatat pada riwayat belajar Anda."))
                return redirect("careers:session-detail", pk=pk)
            if op == "feedback":
                feedback_form = forms.FeedbackForm(request.POST, prefix="f")
                if feedback_form.is_valid():
                    services.session_feedback(
                        session=session,
                        answers=feedback_form.answers(),
                        comment=feedback_form.cleaned_data["comment"],
                        actor=user,
                    )
                    messages.success(request, _("Terima kasih atas umpan balik Anda."))
                    return redirect("careers:session-detail", pk=pk)
            elif op == "item":
                item_form = forms.ItemForm(request.POST, prefix="i", owners=owners)
                if item_form.is_valid():
                    owner = item_form.cleaned_data["owner"]
                    services.session_add_item(
                        session=session,
                        title=item_form.cleaned_data["title"],
                        owner_id=int(owner) if owner else None,
                        due_date=item_form.cleaned_data["due_date"],
                        actor=user,
                    )
                    messages.success(request, _("Tindak lanjut ditambahkan."))
                    return redirect("careers:session-detail", pk=pk)
            elif op == "item_status":
                item = (
                    session.action_items.filter(pk=int_or_none(request.POST.get("item")) or 0)
                    .select_related("session")
                    .first()
                )
                if item is None:
                    raise Http404
                services.action_item_set_status(item=item, status=request.POST.get("status", ""), actor=user)
                messages.success(request, _("Status tindak lanjut diperbarui."))
                return redirect("careers:session-detail", pk=pk)
            elif op == "observe":
                obs_form = forms.ObservationForm(
                    request.POST,
                    prefix="o",
                    employees=[(str(p.employee_id), p.employee.name) for p in participants],
                    competencies=competencies,
                )
                if obs_form.is_valid():
                    cd = obs_form.cleaned_data
                    services.session_observe(
                        session=session,
                        employee_id=int(cd["employee"]),
                        levels={int(cd["competency"]): (cd["level"], cd["reason"])},
                        actor=user,
                    )
                    messages.success(request, _("Evaluasi kompetensi dicatat sebagai bukti kompetensi."))
                    return redirect("careers:session-detail", pk=pk)
            else:
                raise Http404
        except ApplicationError as exc:
            fail(request, exc)
    me = scope_for(user).employee_id
    return render_page(
        request,
        "careers/session_detail.html",
        {
            "session": session,
            "participants": participants,
            "private_notes": selectors.private_notes_for(user, session),
            "items": session.action_items.select_related("owner"),
            "observations": session.observations.select_related("competency", "employee"),
            "item_form": item_form,
            "feedback_form": feedback_form,
            "obs_form": obs_form,
            "has_competencies": bool(competencies),
            "is_coach": permissions.can_coach_session(user, session),
            "can_confirm": permissions.can_confirm_session(user, session),
            "can_feedback": permissions.can_give_feedback(user, session),
            "feedback_items": rules.FEEDBACK_ITEMS,
            "me": me,
            "today": local_today(),
            "breadcrumbs": [(_("Bimbingan kinerja"), reverse("careers:sessions")), (str(session), None)],
        },
    )


def team(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    require(is_head(user))
    me = current_employee(user)
    days = agency_settings.settings_for(me.agency_id if me else None).cadence_days
    today = local_today()
    page = Paginator(selectors.team_cadence(user=user, today=today), 50).get_page(request.GET.get("page"))
    for e in page.object_list:
        e.stale = e.last_session is None or (today - e.last_session).days > days  # type: ignore[attr-defined]
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
    rows = selectors.cadence_by_unit(agency_id=agency_id, today=local_today(), days=days)
    unit = None
    unmet = None
    if request.GET.get("unit"):
        unit = OrgUnit.objects.filter(pk=int_or_none(request.GET["unit"]) or 0, agency_id=agency_id).first()
        if unit is None:
            raise Http404
        unmet = selectors.unmet_in_unit(unit=unit, today=local_today(), days=days)[:200]
    return render_page(
        request,
        "careers/cadence.html",
        {
            "rows": rows,
            "days": days,
            "unit": unit,
            "unmet": unmet,
            "breadcrumbs": [(_("Bimbingan kinerja"), reverse("careers:sessions")), (_("Kadens per unit"), None)],
        },
    )
