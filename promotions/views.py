"""Pages for BKD (queues, proposals, batches, vacancies, merit report), heads (proposals) and staff (outlook)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from asn_portal.dbrouter import replica_reads
from asn_portal.errors import ApplicationError
from asn_portal.http import safe_next
from asn_portal.pagination import UncountedPage, uncounted_page
from asn_portal.params import int_or_none
from asn_portal.services import audit_trail
from asn_portal.uploads import serve_private_file
from people import access_log
from people.access import admin_agency_q, agency_for, is_head, is_hr_admin, scope_for
from people.choices import AccessPart
from people.models import Employee
from people.selectors import current_employee, employee_get_visible
from promotions.proposals import services as proposal_services
from promotions.queue import services as queue_services
from promotions.vacancies import services as vacancy_services

from . import merit_display, permissions, rules, selectors
from .choices import DocumentKind, ProposalStatus, QueueStatus
from .filters import ProposalFilter, QueueFilter
from .forms import AppointForm, ApproveForm, DecideForm, DocumentForm, ProposeForm, RejectForm, VacancyForm
from .models import PromotionPeriod, PromotionProposal, ProposalBatch, ProposalDocument
from .templatetags.promotion_tables import PROPOSAL_ROW_FIELDS, queue_table_values


def _agency_id(request: HttpRequest) -> int:
    """The agency a BKD admin works on: `?agency=` or their own (people.access.agency_for)."""
    if not is_hr_admin(request.user):
        raise PermissionDenied
    return int(agency_for(request).pk)


def _require_admin(request: HttpRequest) -> None:
    if not is_hr_admin(request.user):
        raise PermissionDenied


def _flash_error(request: HttpRequest, exc: ApplicationError) -> None:
    messages.error(request, exc.message)


def _cleaned(form: forms.Form) -> dict[str, Any]:
    """The form's cleaned data; an invalid form stops the action with each field's own error (never a
    half-read form passed on to the service)."""
    if form.is_valid():
        return form.cleaned_data
    problems = []
    for name, errors in form.errors.items():
        text = " ".join(str(e) for e in errors)
        problems.append(f"{form.fields[name].label}: {text}" if name in form.fields else text)
    raise ApplicationError("; ".join(problems), {"fields": form.errors.get_json_data()})


# ---------------------------------------------------------------- periods and queue


def index(request: HttpRequest) -> HttpResponse:
    if not is_hr_admin(request.user):
        # One menu entry for every role: heads land on their unit's proposals, staff on their own outlook.
        return proposal_list(request) if is_head(request.user) else my_outlook(request)
    agency_id = _agency_id(request)
    today = timezone.localdate()
    periods = list(
        PromotionPeriod.objects.filter(period_date__gte=today - dt.timedelta(days=130)).order_by("period_date")[:8]
    )
    # The figures come from the summary rows the queue build writes (never a count of 35,000 rows per request).
    summary = selectors.queue_summary(period_ids=[p.pk for p in periods], agency_ids=[agency_id])
    rows = [(p, summary[p.pk]) for p in periods]
    return render(
        request,
        "promotions/index.html",
        {
            "rows": rows,
            "current": selectors.current_period(today),
            "agency_id": agency_id,
            "breadcrumbs": [(_("Kenaikan pangkat"), None)],
        },
    )


@require_POST
def period_build(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    period = get_object_or_404(PromotionPeriod, pk=pk)
    agency_id = _agency_id(request)
    # Built in the request (set-based, about a second for 50,000 people): the admin sees the figures at
    # once, whether or not a worker or result backend is there.
    counts = queue_services.queue_build(period=period, agency_id=agency_id, actor=request.user)
    messages.success(
        request,
        _("Antrean periode %(p)s dihitung: %(e)d memenuhi syarat, %(n)d hampir, %(b)d belum.")
        % {"p": period, "e": counts.get("eligible", 0), "n": counts.get("near", 0), "b": counts.get("blocked", 0)},
    )
    return redirect("promotions:queue", pk=period.pk)


_PER_PAGE = 50  # rows of the queue page


def _given(request: HttpRequest) -> set[str]:
    """The parameters the queue page was given a value for (besides the page number)."""
    return {k for k, v in request.GET.items() if v and k != "page"}


def _summary_total(request: HttpRequest, figures: selectors.QueueCounts) -> int | None:
    """The number of rows the queue page lists, when the figures per status know it: a BKD admin's whole queue
    (summary rows) or a head's (counted live from the same rows), or one status tab of it (a unit, KP type or name
    filter is counted live)."""
    if not figures.exact or _given(request) - {"status"}:
        return None
    status = request.GET.get("status", "")
    if not status:
        return sum(figures.counts.values())
    return figures.counts.get(status)


def queue(request: HttpRequest, pk: int) -> HttpResponse:
    if not (is_hr_admin(request.user) or is_head(request.user)):
        raise PermissionDenied
    period = selectors.period_get(pk)
    # A BKD admin of one agency (the agency's whole queue, figures from the summary rows) or a head (their units,
    # figures counted live): the figures and the pages (all, or one status tab; one unit's subtree with its total)
    # are read by statements compiled once per process (selectors.precompiled_scope); the visible queryset is
    # built only for a KP type or name filter, and for everyone else.
    fast = selectors.precompiled_scope(request.user) is not None
    base = None if fast else selectors.queue_visible_to(user=request.user, period=period)
    # A head's whole queue or one status tab: the figures and the page's rows in one statement.
    together = (
        selectors.head_queue_read(
            user=request.user,
            period=period,
            status=request.GET.get("status") or None,
            page=request.GET.get("page"),
            per_page=_PER_PAGE,
        )
        if fast and _given(request) <= {"status"}
        else None
    )
    if together is not None:
        figures = together.figures
    else:
        figures = selectors.queue_counts_for(user=request.user, period=period, visible=base)
    flt = QueueFilter(request.GET, queryset=base, request=request)
    preset = _summary_total(request, figures)
    rows: Any = None
    if fast and flt.is_valid():
        status = flt.form.cleaned_data.get("status") or None
        unit = flt.form.cleaned_data.get("unit") or None
        unit_path = flt.unit_path(unit) if unit is not None else None
        if preset is not None and together is not None:
            rows = together.rows
        elif preset is not None:
            rows = selectors.queue_page(user=request.user, period=period, status=status)
        elif unit_path is not None and _given(request) <= {"status", "unit"}:
            # One unit's subtree (and status tab): its rows and their count by statements compiled once.
            rows = selectors.queue_page(user=request.user, period=period, status=status, unit_path=unit_path)
            preset = rows.count() if rows is not None else None
    if rows is None:
        if base is None:  # read by `flt.qs` (not read yet): the rows the access rule gives
            flt.queryset = selectors.queue_visible_to(user=request.user, period=period)
        # Plain rows for the one-pass table (promotions.templatetags.promotion_tables): no model instance per row.
        rows = queue_table_values(flt.qs)
    paginator = Paginator(rows, _PER_PAGE)
    if preset is None:
        preset = flt.qs.count()  # the filtered rows alone: not joined to the ranks and units the table shows
    paginator.__dict__["count"] = preset  # or the figures' total instead of a COUNT over the agency's queue
    page = paginator.get_page(request.GET.get("page"))
    access_log.record(request, [e["employee_id"] for e in page.object_list], AccessPart.PROMOTION)
    batches = selectors.batches_visible_to(user=request.user, period=period)
    return render(
        request,
        "promotions/queue.html",
        {
            "period": period,
            "filter": flt,
            "page_obj": page,
            "counts": figures.counts,
            "counts_at": figures.computed_at,
            "predikat_years": rules.assessment_years(period.submission_opens),
            "window_closed": rules.submission_late(today=timezone.localdate(), window_closes=period.submission_closes),
            "is_admin": is_hr_admin(request.user),
            "batches": batches,
            "statuses": QueueStatus,
            "breadcrumbs": [
                (_("Kenaikan pangkat"), reverse("promotions:index")),
                (_("Periode %(p)s") % {"p": period}, None),
            ],
        },
    )


@require_POST
def propose(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_object_or_404(PromotionPeriod, pk=pk)
    form = ProposeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Data usulan tidak valid."))
        return redirect("promotions:queue", pk=period.pk)
    employee = employee_get_visible(user=request.user, pk=form.cleaned_data["employee"])
    try:
        proposal = proposal_services.proposal_create(
            employee=employee,
            period=period,
            actor=request.user,
            override_reason=form.cleaned_data["override_reason"],
            late_reason=form.cleaned_data["late_reason"],
        )
    except ApplicationError as exc:
        _flash_error(request, exc)
        return safe_next(request, reverse("promotions:queue", args=[period.pk]))
    messages.success(request, _("%(name)s diusulkan naik pangkat.") % {"name": employee.full_name})
    return redirect("promotions:proposal-detail", pk=proposal.pk)


@require_POST
def batch_send(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    period = get_object_or_404(PromotionPeriod, pk=pk)
    try:
        batch = proposal_services.batch_send(period=period, agency_id=_agency_id(request), actor=request.user)
    except ApplicationError as exc:
        _flash_error(request, exc)
        return redirect("promotions:proposal-list")
    messages.success(request, _("Kiriman #%(n)d dikirim ke BKN.") % {"n": batch.number})
    return redirect(reverse("promotions:proposal-list") + f"?period={period.pk}&status=sent")


def batch_export(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    batch = get_object_or_404(ProposalBatch.objects.filter(admin_agency_q(request.user)), pk=pk)
    proposals = proposal_services.batch_proposals(batch)
    try:
        content = proposal_services.export_xlsx(proposals)
    except ApplicationError as exc:
        _flash_error(request, exc)
        return redirect("promotions:proposal-list")
    access_log.record_export(request, [p.employee for p in proposals], AccessPart.PROMOTION)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = (
        f'attachment; filename="usul-kp-{batch.period.period_date:%Y%m%d}-{batch.number}.xlsx"'
    )
    return response


# ---------------------------------------------------------------- proposals


def proposal_list(request: HttpRequest) -> HttpResponse:
    base = selectors.proposal_list_visible_to(user=request.user)
    flt = ProposalFilter(request.GET, queryset=base)
    # No COUNT: the pager says "Halaman n"; plain rows for the one-pass table (promotion_tables.proposal_rows).
    page = uncounted_page(flt.qs.values(*PROPOSAL_ROW_FIELDS), request.GET.get("page"), 50)
    access_log.record(request, [p["employee_id"] for p in page.object_list], AccessPart.PROMOTION)
    period = selectors.current_period()
    return render(
        request,
        "promotions/proposal_list.html",
        {
            "filter": flt,
            "page_obj": page,
            "period": period,
            "periods": PromotionPeriod.objects.all(),
            "is_admin": is_hr_admin(request.user),
            "breadcrumbs": [(_("Kenaikan pangkat"), reverse("promotions:index")), (_("Usulan KP"), None)],
        },
    )


def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.proposal_get_visible(user=request.user, pk=pk)
    access_log.record(request, proposal.employee_id, AccessPart.PROMOTION)
    docs = {d.kind: d for d in proposal.documents.all()}
    checklist = [(DocumentKind(k), docs.get(k)) for k in proposal_services.required_documents(proposal)]
    return render(
        request,
        "promotions/proposal_detail.html",
        {
            "proposal": proposal,
            "checklist": checklist,
            "transitions": proposal_services.allowed_transitions(request.user, proposal),
            "can_upload": permissions.can_upload_document(request.user, proposal),
            "document_form": DocumentForm(),
            "approve_form": ApproveForm(),
            "reject_form": RejectForm(),
            "trail": audit_trail(proposal)[:20],
            "breadcrumbs": [(_("Usulan KP"), reverse("promotions:proposal-list")), (str(proposal), None)],
        },
    )


@require_POST
def proposal_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    proposal = selectors.proposal_get_visible(user=request.user, pk=pk)
    try:
        if action == "upload":
            form = DocumentForm(request.POST, request.FILES)
            if not form.is_valid():
                file_errors = form.errors.get("file") if form.data.get("kind") and request.FILES else None
                raise ApplicationError(str(file_errors[0]) if file_errors else _("Pilih jenis dokumen dan berkasnya."))
            proposal_services.document_upload(
                proposal=proposal, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"], actor=request.user
            )
            messages.success(request, _("Dokumen diunggah."))
        elif action == "verify":
            proposal_services.proposal_verify(proposal=proposal, actor=request.user)
            messages.success(request, _("Usulan diverifikasi."))
        elif action == "approve":
            approve = _cleaned(ApproveForm(request.POST))
            proposal_services.proposal_approve(
                proposal=proposal,
                decree_number=approve["decree_number"],
                decree_date=approve["decree_date"],
                actor=request.user,
            )
            messages.success(request, _("SK kenaikan pangkat dicatat; riwayat pangkat diperbarui."))
        elif action == "reject":
            reject = _cleaned(RejectForm(request.POST))
            proposal_services.proposal_reject(proposal=proposal, reason=reject["reason"], actor=request.user)
            messages.success(request, _("Usulan ditolak dan pegawai kembali ke antrean."))
        else:
            raise Http404
    except ApplicationError as exc:
        _flash_error(request, exc)
    return redirect("promotions:proposal-detail", pk=proposal.pk)


# ---------------------------------------------------------------- staff


def my_outlook(request: HttpRequest) -> HttpResponse:
    employee = current_employee(request.user)
    if employee is None:
        raise Http404(_("Akun ini tidak terhubung dengan data pegawai."))
    return render(
        request,
        "promotions/my_outlook.html",
        {
            "employee": employee,
            "outlook": selectors.promotion_outlook(employee),
            "proposals": PromotionProposal.objects.filter(employee=employee)
            .select_related("period", "target_rank")
            .order_by("-created_at")[:10],
            "history": employee.rank_history.select_related("rank").order_by("-start_date")[:10],
            "breadcrumbs": [(_("Kenaikan pangkat saya"), None)],
        },
    )


# ---------------------------------------------------------------- vacancies


_PICKER_FIELDS = ("id", "title", "kind", "unit__name")


def vacancy_list(request: HttpRequest) -> HttpResponse:
    if not (is_hr_admin(request.user) or scope_for(request.user).committee_agency_ids):
        raise PermissionDenied
    form = None
    if is_hr_admin(request.user):
        positions = selectors.vacancy_open_positions(user=request.user)
        if request.method != "POST":
            # Only what an option shows (people.forms.PositionChoiceField: title, unit name, type); a posted
            # choice is read whole, for the service.
            positions = positions.select_related(None).only(*_PICKER_FIELDS)
        form = VacancyForm(request.POST or None, positions=positions)
        if request.method == "POST" and form.is_valid():
            try:
                vacancy = vacancy_services.vacancy_open(
                    position=form.cleaned_data["position"], actor=request.user, notes=form.cleaned_data["notes"]
                )
            except ApplicationError as exc:
                form.add_error("position", exc.message)
            else:
                messages.success(request, _("Lowongan dibuka dan kandidat diperingkat."))
                return redirect("promotions:vacancy-detail", pk=vacancy.pk)
    number = min(max(int_or_none(request.GET.get("page")) or 1, 1), 10**6)  # uncounted_page's rule
    first = selectors.vacancy_first_page(user=request.user) if number == 1 else None
    if first is not None:  # a one-agency BKD admin's first page, by a statement compiled once
        size = selectors.VACANCY_PAGE_SIZE
        page = UncountedPage(object_list=first[:size], number=1, has_next=len(first) > size)
    else:
        rows = selectors.vacancy_rows(selectors.vacancy_list_visible_to(user=request.user))
        page = uncounted_page(rows, request.GET.get("page"), selectors.VACANCY_PAGE_SIZE)
    return render(
        request,
        "promotions/vacancy_list.html",
        {"page_obj": page, "form": form, "breadcrumbs": [(_("Promosi jabatan"), None)]},
    )


def vacancy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = selectors.vacancy_get_visible(user=request.user, pk=pk)
    candidates = list(selectors.candidates_of(vacancy))
    access_log.record(request, [c.employee for c in candidates], AccessPart.PROMOTION)
    return render(
        request,
        "promotions/vacancy_detail.html",
        {
            "vacancy": vacancy,
            "candidates": candidates,
            "rows": merit_display.ranking_rows(candidates, vacancy.weights),
            "component_columns": merit_display.columns(vacancy.weights, candidates[0].components if candidates else []),
            "ranking": selectors.vacancy_ranking_status(vacancy),
            "can_decide": permissions.can_decide_vacancy(request.user, vacancy),
            "can_appoint": permissions.can_appoint_vacancy(request.user, vacancy),
            "can_rerank": permissions.can_rerank_vacancy(request.user, vacancy),
            "appoint_form": AppointForm(initial={"start_date": timezone.localdate()}),
            "trail": audit_trail(vacancy)[:20],
            "breadcrumbs": [(_("Promosi jabatan"), reverse("promotions:vacancy-list")), (vacancy.position.title, None)],
        },
    )


@require_POST
def vacancy_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    vacancy = selectors.vacancy_get_visible(user=request.user, pk=pk)
    try:
        if action == "decide":
            form = DecideForm(request.POST)
            if not form.is_valid():
                raise ApplicationError(_("Pilih kandidat."))
            vacancy_services.vacancy_decide(
                vacancy=vacancy,
                employee_id=form.cleaned_data["employee"],
                justification=form.cleaned_data["justification"],
                actor=request.user,
            )
            messages.success(request, _("Rekomendasi Tim Penilai Kinerja dicatat."))
        elif action == "appoint":
            appoint = _cleaned(AppointForm(request.POST))
            vacancy_services.vacancy_appoint(
                vacancy=vacancy,
                start_date=appoint["start_date"],
                decree_number=appoint["decree_number"],
                decree_date=appoint["decree_date"],
                actor=request.user,
            )
            messages.success(request, _("Pegawai diangkat; lowongan ditutup."))
        elif action == "rerank":
            vacancy_services.vacancy_rerank(vacancy=vacancy, actor=request.user)
            messages.success(request, _("Kandidat diperingkat ulang."))
        else:
            raise Http404
    except ApplicationError as exc:
        _flash_error(request, exc)
    return redirect("promotions:vacancy-detail", pk=vacancy.pk)


@replica_reads
def merit_report(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not (scope.everything or scope.admin_agency_ids or scope.committee_agency_ids):
        raise PermissionDenied
    year_raw = request.GET.get("year", "")
    year = int(year_raw) if year_raw.isdecimal() else timezone.localdate().year
    agency_ids = None if scope.everything else sorted(scope.admin_agency_ids | scope.committee_agency_ids)
    report = selectors.merit_report(agency_ids=agency_ids, year=year)
    years = list(range(timezone.localdate().year, timezone.localdate().year - 5, -1))
    return render(
        request,
        "promotions/merit_report.html",
        {
            "report": report,
            "years": years,
            "breadcrumbs": [(_("Promosi jabatan"), reverse("promotions:vacancy-list")), (_("Laporan merit"), None)],
        },
    )


def employee_outlook(request: HttpRequest, pk: int) -> HttpResponse:
    employee: Employee = employee_get_visible(user=request.user, pk=pk)
    return render(
        request,
        "promotions/my_outlook.html",
        {
            "employee": employee,
            "outlook": selectors.promotion_outlook(employee),
            "proposals": PromotionProposal.objects.filter(employee=employee)
            .select_related("period", "target_rank")
            .order_by("-created_at")[:10],
            "history": employee.rank_history.select_related("rank").order_by("-start_date")[:10],
            "breadcrumbs": [
                (employee.full_name, reverse("people:profile", args=[employee.pk])),
                (_("Kenaikan pangkat"), None),
            ],
        },
    )


__all__ = ["ProposalStatus"]


def proposal_document(request: HttpRequest, pk: int, doc_pk: int) -> HttpResponseBase:
    """Download one supporting document of a proposal the user may see (404 otherwise)."""
    proposal = selectors.proposal_get_visible(user=request.user, pk=pk)
    doc = get_object_or_404(ProposalDocument, proposal=proposal, pk=doc_pk)
    return serve_private_file(request, doc.file, doc.original_name)
