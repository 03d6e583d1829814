"""Career pages: my career, plans, mentoring, team cadence, talent 9-box, succession, follow-up, timeline."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from asn_portal.errors import ApplicationError, ConflictError
from asn_portal.exports import xlsx_response
from asn_portal.idempotency import create_once, key_from_request
from asn_portal.params import int_or_none
from people import access_log, decisions
from people.access import agency_for_request, is_head, is_hr_admin, requested_agency, scope_for
from people.choices import AccessPart
from people.models import Employee, OrgUnit
from people.selectors import current_employee, employee_get_visible, position_list_visible_to

from . import forms, integrations, permissions, rules, selectors, services
from .choices import ActionStatus, FollowUpStatus, PlanStatus, Readiness
from .models import ActionItem, CareerPlan, DevelopmentAction, MentoringSession

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


def _user(request: HttpRequest) -> Any:
    return request.user


def _today() -> Any:
    return timezone.localdate()


def _fail(request: HttpRequest, exc: ApplicationError, form: Any = None) -> None:
    if form is not None:
        form.add_error(None, exc.message)
    else:
        messages.error(request, exc.message)


def _admin_agency_id(request: HttpRequest) -> int:
    """The agency a BKD admin works on: `?agency=` or their own (people.access.agency_for); 404 otherwise."""
    return int(agency_for_request(_user(request), requested_agency(request)).pk)


def _subnav(request: HttpRequest) -> list[tuple[str, str, bool]]:
    """The careers section's own menu (the main menu holds only its three entry points)."""
    user = _user(request)
    head, admin = is_head(user), is_hr_admin(user)
    items: list[tuple[str, str]] = [(_("Bimbingan"), "careers:sessions")]
    if head:
        items.append((_("Tim saya"), "careers:team"))
    if admin:
        items.append((_("Kadens per unit"), "careers:cadence"))
    if head or admin:
        items += [
            (_("Rencana karier"), "careers:plans"),
            (_("Manajemen talenta"), "careers:reviews"),
            (_("Tindak lanjut penilaian"), "careers:follow-ups"),
        ]
    if admin:
        items.append((_("Suksesi"), "careers:succession"))
    current = request.resolver_match.view_name if request.resolver_match else ""
    return [(str(label), reverse(name), name == current) for label, name in items] if len(items) > 1 else []


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, {"subnav": _subnav(request), **context})


def _require(cond: bool) -> None:
    if not cond:
        raise Http404


# --- My career ------------------------------------------------------------------------------


def my_career(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    me = current_employee(user)
    if me is None:
        raise Http404
    plan = selectors.current_plan_for(me)
    placement = selectors.published_placement_for(me)
    sessions = list(
        selectors.session_list_visible_to(user=user).filter(participants__employee=me).order_by("-held_on")[:5]
    )
    items = list(ActionItem.objects.filter(owner=me, status="open").select_related("session").order_by("due_date")[:10])
    follow_ups = list(selectors.follow_up_list_visible_to(user=user).filter(employee=me).order_by("-year")[:6])
    return render(
        request,
        "careers/my_career.html",
        {
            "me": me,
            "plan": plan,
            "progress": selectors.progress_of(plan) if plan else 0,
            "placement": placement,
            "recommendation": rules.recommendation(placement.box) if placement else "",
            "sessions": sessions,
            "items": items,
            "follow_ups": follow_ups,
            "today": _today(),
            "breadcrumbs": [(_("Karier Saya"), None)],
        },
    )


# --- Career plans ---------------------------------------------------------------------------


def plan_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    qs = selectors.plan_list_visible_to(user=user).exclude(status=PlanStatus.ARCHIVED)
    status = request.GET.get("status", "")
    if status in PlanStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs.order_by("employee__unit__path", "employee__name"), 25).get_page(request.GET.get("page"))
    for p in page.object_list:
        p.progress = selectors.progress_of(p)  # type: ignore[attr-defined]
    coverage = None
    if is_hr_admin(user):
        coverage = selectors.plan_coverage_by_unit(agency_id=_admin_agency_id(request))
    return _render(
        request,
        "careers/plan_list.html",
        {
            "page_obj": page,
            "coverage": coverage,
            "status": status,
            "statuses": PlanStatus.choices,
            "breadcrumbs": [(_("Rencana karier"), None)],
        },
    )


def plan_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    me = current_employee(user)
    if me is None:
        raise Http404
    existing = selectors.current_plan_for(me)
    if existing is not None:
        return redirect("careers:plan-detail", pk=existing.pk)
    positions = position_list_visible_to(user=user).filter(agency_id=me.agency_id, is_active=True)
    form = forms.PlanForm(request.POST or None, positions=positions)
    if request.method == "POST" and form.is_valid():
        try:
            plan, created = create_once(
                user=user,
                key=key_from_request(request),
                scope="careers.plan",
                create=lambda: services.plan_create(employee=me, actor=user, **form.cleaned_data),
                load=lambda pk: CareerPlan.objects.get(pk=pk),
            )
        except ConflictError as exc:
            # The other click (or another tab) created the plan first: show it, not an error page.
            messages.info(request, exc.message)
            existing = selectors.current_plan_for(me)
            if existing is not None:
                return redirect("careers:plan-detail", pk=existing.pk)
            _fail(request, exc, form)
        except ApplicationError as exc:
            _fail(request, exc, form)
        else:
            if created:
                messages.success(request, _("Rencana karier dibuat. Tambahkan kegiatan pengembangan."))
            return redirect("careers:plan-detail", pk=plan.pk)
    return _render(
        request,
        "careers/plan_form.html",
        {"form": form, "breadcrumbs": [(_("Karier Saya"), reverse("careers:my")), (_("Rencana baru"), None)]},
    )


def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    plan = selectors.plan_get_visible(user=user, pk=pk)
    _require(permissions.can_edit_plan(user, plan))
    positions = position_list_visible_to(user=user).filter(agency_id=plan.employee.agency_id, is_active=True)
    initial = {
        k: getattr(plan, k) for k in ("target_position", "target_family", "horizon_years", "aspiration", "strengths")
    }
    form = forms.PlanForm(request.POST or None, positions=positions, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(plan=plan, actor=user, **form.cleaned_data)
        except ApplicationError as exc:
            _fail(request, exc, form)
        else:
            messages.success(request, _("Rencana karier disimpan."))
            return redirect("careers:plan-detail", pk=plan.pk)
    return _render(
        request,
        "careers/plan_form.html",
        {
            "form": form,
            "plan": plan,
            "breadcrumbs": [(_("Rencana karier"), reverse("careers:plan-detail", args=[pk])), (_("Ubah"), None)],
        },
    )


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    plan = selectors.plan_get_visible(user=user, pk=pk)
    access_log.record(request, plan.employee_id, AccessPart.CAREER_PLAN)
    action_form = forms.ActionForm(prefix="a")
    review_form = forms.PlanReviewForm(prefix="r")
    if request.method == "POST":
        op = request.POST.get("op")
        try:
            if op == "add" and permissions.can_edit_plan(user, plan):
                action_form = forms.ActionForm(request.POST, prefix="a")
                if action_form.is_valid():
                    services.action_add(plan=plan, actor=user, **action_form.cleaned_data)
                    messages.success(request, _("Kegiatan ditambahkan."))
                    return redirect("careers:plan-detail", pk=pk)
            elif op == "draft":
                created = services.plan_draft_from_gaps(plan=plan, actor=user)
                messages.success(request, _("%(n)d kegiatan dibuat dari kesenjangan kompetensi.") % {"n": len(created)})
                return redirect("careers:plan-detail", pk=pk)
            elif op == "submit":
                services.plan_submit(plan=plan, actor=user)
                messages.success(request, _("Rencana diajukan ke atasan."))
                return redirect("careers:plan-detail", pk=pk)
            elif op == "review":
                review_form = forms.PlanReviewForm(request.POST, prefix="r")
                if review_form.is_valid():
                    services.plan_review(
                        plan=plan,
                        agree=review_form.cleaned_data["decision"] == "agree",
                        comment=review_form.cleaned_data["comment"],
                        actor=user,
                    )
                    messages.success(request, _("Keputusan atas rencana disimpan."))
                    return redirect("careers:plan-detail", pk=pk)
            elif op == "status":
                action = DevelopmentAction.objects.filter(
                    plan=plan, pk=int_or_none(request.POST.get("action")) or 0
                ).first()
                if action is None:
                    raise Http404
                services.action_set_status(action=action, status=request.POST.get("status", ""), actor=user)
                messages.success(request, _("Status kegiatan diperbarui."))
                return redirect("careers:plan-detail", pk=pk)
            else:
                raise Http404
        except ApplicationError as exc:
            _fail(request, exc)
    actions = list(selectors.plan_actions(plan))
    return _render(
        request,
        "careers/plan_detail.html",
        {
            "plan": plan,
            "actions": actions,
            "progress": rules.plan_progress([a.status for a in actions]),
            "action_statuses": ActionStatus.choices,
            "action_form": action_form,
            "review_form": review_form,
            "versions": list(plan.versions.select_related("agreed_by")),
            "can_edit": permissions.can_edit_plan(user, plan),
            "can_submit": permissions.can_submit_plan(user, plan),
            "can_review": permissions.can_review_plan(user, plan),
            "today": _today(),
            "breadcrumbs": [(_("Rencana karier"), reverse("careers:plans")), (plan.employee.name, None)],
        },
    )


# --- Mentoring ------------------------------------------------------------------------------


def session_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    qs = selectors.session_list_visible_to(user=user).order_by("-held_on", "-pk")
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    me = scope_for(user).employee_id
    items = ActionItem.objects.filter(owner_id=me, status="open").select_related("session").order_by("due_date")[:20]
    can_log = is_head(user) or bool(selectors.mentee_ids_allowed_for(user, _today()))
    return _render(
        request,
        "careers/session_list.html",
        {
            "page_obj": page,
            "items": items,
            "today": _today(),
            "can_log": can_log,
            "breadcrumbs": [(_("Bimbingan kinerja"), None)],
        },
    )


def session_export(request: HttpRequest) -> HttpResponse:
    """The visible sessions as XLSX; private notes only in rows the user wrote."""
    user = _user(request)
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
    user = _user(request)
    allowed = selectors.mentee_ids_allowed_for(user, _today())
    mentees = Employee.objects.filter(pk__in=allowed).order_by("name")
    initial: dict[str, Any] = {"held_on": _today()}
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
                _fail(request, exc, form)
            else:
                if created:
                    messages.success(request, _("Sesi bimbingan dicatat; peserta diminta mengonfirmasi."))
                else:
                    messages.info(request, _("Sesi ini sudah tersimpan sebelumnya; tidak dicatat dua kali."))
                return redirect("careers:session-detail", pk=session.pk)
    return _render(
        request,
        "careers/session_form.html",
        {
            "form": form,
            "item_rows": range(1, forms.ITEM_ROWS + 1),
            "breadcrumbs": [(_("Bimbingan kinerja"), reverse("careers:sessions")), (_("Catat sesi"), None)],
        },
    )


def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    session = selectors.session_get_visible(user=user, pk=pk)
    participants = list(session.participants.all())
    access_log.record(request, [p.employee_id for p in participants], AccessPart.MENTORING)
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
            _fail(request, exc)
    me = scope_for(user).employee_id
    return _render(
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
            "today": _today(),
            "breadcrumbs": [(_("Bimbingan kinerja"), reverse("careers:sessions")), (str(session), None)],
        },
    )


def team(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _require(is_head(user))
    me = current_employee(user)
    days = selectors.settings_for(me.agency_id if me else None).cadence_days
    today = _today()
    page = Paginator(selectors.team_cadence(user=user, today=today), 50).get_page(request.GET.get("page"))
    for e in page.object_list:
        e.stale = e.last_session is None or (today - e.last_session).days > days  # type: ignore[attr-defined]
    return _render(
        request,
        "careers/team.html",
        {"page_obj": page, "days": days, "today": today, "breadcrumbs": [(_("Tim saya: bimbingan"), None)]},
    )


def cadence(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _require(is_hr_admin(user))
    agency_id = _admin_agency_id(request)
    days = selectors.settings_for(agency_id).cadence_days
    rows = selectors.cadence_by_unit(agency_id=agency_id, today=_today(), days=days)
    unit = None
    unmet = None
    if request.GET.get("unit"):
        unit = OrgUnit.objects.filter(pk=int_or_none(request.GET["unit"]) or 0, agency_id=agency_id).first()
        if unit is None:
            raise Http404
        unmet = selectors.unmet_in_unit(unit=unit, today=_today(), days=days)[:200]
    return _render(
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


# --- Talent ---------------------------------------------------------------------------------


def review_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    admin = is_hr_admin(user)
    form = forms.ReviewForm(
        request.POST or None,
        initial={"year": _today().year - 1, "name": _("Manajemen Talenta %(y)s") % {"y": _today().year - 1}},
    )
    if request.method == "POST" and admin and form.is_valid():
        try:
            review = services.review_create(agency_id=_admin_agency_id(request), actor=user, **form.cleaned_data)
        except ApplicationError as exc:
            _fail(request, exc, form)
        else:
            messages.success(request, _("Periode talenta dibuat. Jalankan perhitungan."))
            return redirect("careers:review-detail", pk=review.pk)
    reviews = selectors.review_list_visible_to(user=user).order_by("-year", "-pk")
    page = Paginator(reviews, 25).get_page(request.GET.get("page"))
    return _render(
        request,
        "careers/review_list.html",
        {"page_obj": page, "form": form, "is_admin": admin, "breadcrumbs": [(_("Manajemen talenta"), None)]},
    )


def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
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
            _fail(request, exc)
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
    return _render(
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
    user = _user(request)
    review = selectors.review_get_visible(user=user, pk=pk)
    if box not in range(1, 10):
        raise Http404
    can_manage = permissions.can_manage_review(user, review)
    form = forms.OverrideForm(request.POST or None, prefix="o")
    if request.method == "POST":
        _require(can_manage)
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
                _fail(request, exc)
            else:
                messages.success(request, _("Penempatan %(n)s disesuaikan.") % {"n": placement.employee.name})
                return redirect("careers:review-box", pk=pk, box=box)
    qs = selectors.placements_visible(user=user, review=review).filter(box=box).order_by("unit__path", "employee__name")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    access_log.record(request, [p.employee_id for p in page.object_list], AccessPart.TALENT)
    for placement in page.object_list:
        placement.may_override = can_manage and decisions.may_decide(user, placement.employee_id)  # type: ignore[attr-defined]
    return _render(
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
    user = _user(request)
    review = selectors.review_get_visible(user=user, pk=pk)
    _require(is_hr_admin(user, review.agency_id) or is_head(user))
    return _render(
        request,
        "careers/talent_pool.html",
        {
            "review": review,
            "groups": selectors.talent_pool(user=user, review=review),
            "breadcrumbs": [
                (_("Manajemen talenta"), reverse("careers:reviews")),
                (review.name, reverse("careers:review-detail", args=[pk])),
                (_("Talent pool"), None),
            ],
        },
    )


def succession_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _require(is_hr_admin(user))
    page = Paginator(selectors.key_positions_visible_to(user=user), 50).get_page(request.GET.get("page"))
    return render(
        request, "careers/succession_list.html", {"page_obj": page, "breadcrumbs": [(_("Suksesi jabatan kunci"), None)]}
    )


def succession_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    _require(is_hr_admin(user))
    position = selectors.key_positions_visible_to(user=user).filter(pk=pk).first()
    if position is None:
        raise Http404
    holder = Employee.objects.filter(position=position).order_by("pk").first()
    return _render(
        request,
        "careers/succession_detail.html",
        {
            "position": position,
            "holder": holder,
            "candidates": selectors.succession(position=position),
            "readiness_labels": dict(Readiness.choices),
            "breadcrumbs": [(_("Suksesi jabatan kunci"), reverse("careers:succession")), (position.title, None)],
        },
    )


# --- Appraisal follow-up --------------------------------------------------------------------


def follow_up_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    years = selectors.follow_up_years(user=user)
    year = int_or_none(request.GET.get("tahun")) or (years[0] if years else _today().year - 1)
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
            _fail(request, exc)
        return redirect(f"{reverse('careers:follow-ups')}?tahun={year}")
    page = Paginator(qs.order_by("unit__path", "employee__name", "kind"), 50).get_page(request.GET.get("page"))
    for it in page.object_list:
        it.can_decide = permissions.can_decide_follow_up(user, it)  # type: ignore[attr-defined]
        it.can_done = permissions.can_mark_follow_up_done(user, it)  # type: ignore[attr-defined]
    progress = None
    if is_hr_admin(user):
        progress = selectors.follow_up_progress_by_unit(agency_id=_admin_agency_id(request), year=year)
    return _render(
        request,
        "careers/follow_up_list.html",
        {
            "page_obj": page,
            "year": year,
            "years": years,
            "status": status,
            "statuses": FollowUpStatus.choices,
            "progress": progress,
            "decision_form": forms.FollowUpDecisionForm(),
            "breadcrumbs": [(_("Tindak lanjut penilaian kinerja"), None)],
        },
    )


# --- Timeline -------------------------------------------------------------------------------


def timeline(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    employee = employee_get_visible(user=user, pk=pk)
    data = selectors.timeline_for(employee, today=_today())
    return _render(
        request,
        "careers/timeline.html",
        {
            "employee": employee,
            **data,
            "today": _today(),
            "breadcrumbs": [(employee.name, None), (_("Linimasa karier"), None)],
        },
    )


def my_timeline(request: HttpRequest) -> HttpResponse:
    me = current_employee(_user(request))
    if me is None:
        raise Http404
    return redirect("careers:timeline", pk=me.pk)
