"""Training pages: catalogue, recommendations, enrolment, learning record, questionnaires (staff);
team approvals, JP progress and gaps (heads); catalogue, offerings, attendance, completion,
verification and reports (BKD). Views call the same services and selectors as the API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from asn_portal.errors import ApplicationError
from asn_portal.exports import xlsx_response
from asn_portal.http import safe_next
from asn_portal.params import int_or_none
from asn_portal.uploads import serve_private_file
from people import access_log
from people.access import admin_agency_q, agency_for, is_head, is_hr_admin, scope_for, team_q
from people.choices import ACTIVE_STATUSES, AccessPart
from people.models import Employee
from people.selectors import current_employee

from . import permissions, rules, selectors, services
from .choices import EnrollmentStatus as S
from .choices import OfferingStatus
from .filters import CourseFilter, OfferingFilter
from .forms import (
    CompleteForm,
    CourseCompetencyFormSet,
    CourseForm,
    ExternalLearningForm,
    NominateForm,
    OfferingForm,
    QuestionnaireForm,
    ReasonForm,
)
from .models import Course, CourseOffering, Enrollment, LearningRecord


def _crumbs(*items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(str(_("Pelatihan")), reverse("training:catalogue")), *items]


def _admin_agency_id(request: HttpRequest) -> int:
    """The agency a BKD admin works on (`?agency=`; one rule for every page and endpoint)."""
    return int(agency_for(request).pk)


def _form_errors(form: Any, exc: ApplicationError) -> None:
    """A refused write shown on the form: each field's message next to the field, the rest on top."""
    fields = exc.extra.get("fields") or {exc.extra.get("field"): exc.message}
    for field, message in fields.items():
        form.add_error(field if field in form.fields else None, message)


def _require_admin(request: HttpRequest) -> None:
    if not is_hr_admin(request.user):
        raise PermissionDenied


def _year(request: HttpRequest) -> int:
    year = int_or_none(request.GET.get("year")) or timezone.localdate().year
    return max(2000, min(2100, year))


# --------------------------------------------------------------------------- staff


def catalogue(request: HttpRequest) -> HttpResponse:
    """Search the catalogue; the first recommended courses are shown on top."""
    qs = selectors.course_list_visible_to(user=request.user).filter(is_active=True).order_by("title")
    fs = CourseFilter(request.GET or None, queryset=qs, request=request)
    page = Paginator(fs.qs if fs.is_bound and fs.is_valid() else qs, 20).get_page(request.GET.get("page"))
    emp = current_employee(request.user)
    recommended = selectors.recommended_courses(employee=emp, limit=3) if emp and not request.GET else []
    return render(
        request,
        "training/catalogue.html",
        {
            "filter": fs,
            "page_obj": page,
            "recommended": recommended,
            "breadcrumbs": _crumbs((_("Katalog"), None)),
        },
    )


def recommended(request: HttpRequest) -> HttpResponse:
    emp = current_employee(request.user)
    courses = selectors.recommended_courses(employee=emp, limit=20) if emp else []
    return render(
        request,
        "training/recommended.html",
        {"courses": courses, "breadcrumbs": _crumbs((_("Disarankan untuk Anda"), None))},
    )


def course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    course = selectors.course_get_visible(user=request.user, pk=pk)
    offerings = list(course.offerings.exclude(status__in=[OfferingStatus.DRAFT]).order_by("-start_date")[:30])
    emp = current_employee(request.user)
    problems = services.eligibility_for(emp, course) if emp and emp.agency_id == course.agency_id else []
    return render(
        request,
        "training/course_detail.html",
        {
            "course": course,
            "offerings": offerings,
            "problems": problems,
            "prerequisites": list(course.prerequisites.all()),
            "can_manage": permissions.can_manage_catalogue(request.user)
            and is_hr_admin(request.user, course.agency_id),
            "breadcrumbs": _crumbs((course.title, None)),
        },
    )


def offering_detail(request: HttpRequest, pk: int) -> HttpResponse:
    offering = selectors.offering_get_visible(user=request.user, pk=pk)
    emp = current_employee(request.user)
    mine = selectors.my_enrollment_for(emp.pk if emp else None, offering)
    can_manage = permissions.can_manage_offering(request.user, offering)
    participants = None
    if can_manage:
        participants = Paginator(
            offering.enrollments.select_related("employee", "employee__unit").order_by(
                "status", "waitlisted_at", "created_at"
            ),
            50,
        ).get_page(request.GET.get("page"))
        for e in participants:
            e.actions = permissions.allowed_actions(request.user, e)  # type: ignore[attr-defined]
    nominate_form = None
    team_enrollments: list[Enrollment] = []
    if is_head(request.user):
        team = Employee.objects.filter(team_q(request.user), status__in=ACTIVE_STATUSES).order_by("name")
        nominate_form = NominateForm(team=team)
        team_enrollments = list(
            offering.enrollments.filter(team_q(request.user, "employee__")).select_related("employee")
        )
    counts = dict(offering.enrollments.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    return render(
        request,
        "training/offering_detail.html",
        {
            "offering": offering,
            "mine": mine,
            "mine_actions": permissions.allowed_actions(request.user, mine) if mine else [],
            "can_enrol": bool(emp)
            and offering.agency_id == (emp.agency_id if emp else None)
            and (mine is None or mine.status in (S.CANCELLED, S.DECLINED, S.NO_SHOW)),
            "window_problem": rules.window_problem(
                today=timezone.localdate(),
                enrol_open=offering.enrol_open,
                enrol_close=offering.enrol_close,
                is_open=offering.status == OfferingStatus.OPEN,
            ),
            "can_manage": can_manage,
            "participants": participants,
            "page_obj": participants,
            "counts": counts,
            "nominate_form": nominate_form,
            "team_enrollments": team_enrollments,
            "complete_form": CompleteForm(),
            "statuses": [(v, OfferingStatus(v).label) for v in rules.offering_next_statuses(offering.status)],
            "breadcrumbs": _crumbs(
                (offering.course.title, reverse("training:course-detail", args=[offering.course_id])),
                (offering.name, None),
            ),
        },
    )


@require_POST
def offering_enrol(request: HttpRequest, pk: int) -> HttpResponse:
    offering = selectors.offering_get_visible(user=request.user, pk=pk)
    target_id = request.POST.get("employee")
    try:
        if target_id:
            team = Employee.objects.filter(
                team_q(request.user) | admin_agency_q(request.user), status__in=ACTIVE_STATUSES
            )
            form = NominateForm(request.POST, team=team)
            if not form.is_valid():
                raise ApplicationError(_("Pilih anggota tim yang valid."))
            target = form.cleaned_data["employee"]
            e = services.enrollment_request(
                employee=target, offering=offering, actor=request.user, nominated_by=current_employee(request.user)
            )
            messages.success(request, _("%(n)s diusulkan: %(s)s.") % {"n": target.full_name, "s": S(e.status).label})
        else:
            emp = current_employee(request.user)
            if emp is None:
                raise ApplicationError(_("Akun Anda tidak terhubung dengan data pegawai."))
            e = services.enrollment_request(employee=emp, offering=offering, actor=request.user)
            msg = {
                S.ENROLLED: _("Anda terdaftar pada angkatan ini."),
                S.WAITLISTED: _("Kuota penuh: Anda masuk daftar tunggu."),
                S.REQUESTED: _("Permohonan dikirim ke atasan langsung untuk disetujui."),
            }.get(S(e.status), S(e.status).label)
            messages.success(request, msg)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("training:offering-detail", pk=offering.pk)


@require_POST
def enrollment_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    enrollment = selectors.enrollment_get_visible(user=request.user, pk=pk)
    service: Callable[..., Enrollment] | None = services.TRANSITION_SERVICES.get(action)
    if service is None:
        raise Http404
    kwargs: dict[str, Any] = {}
    if action in ("decline", "cancel", "fail"):
        kwargs["reason"] = request.POST.get("reason", "")
    if action == "complete":
        form = CompleteForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Data kelulusan tidak valid."))
            return safe_next(request, reverse("training:offering-detail", args=[enrollment.offering_id]))
        kwargs.update(
            certificate_number=form.cleaned_data["certificate_number"] or "",
            completed_on=form.cleaned_data["completed_on"],
            score=form.cleaned_data["score"],
        )
    try:
        service(enrollment=enrollment, actor=request.user, **kwargs)
        messages.success(request, _("Status pendaftaran: %(s)s.") % {"s": S(enrollment.status).label})
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return safe_next(request, reverse("training:offering-detail", args=[enrollment.offering_id]))


def my_learning(request: HttpRequest) -> HttpResponse:
    emp = current_employee(request.user)
    if emp is None:
        return redirect("training:catalogue")
    year = _year(request)
    summary = selectors.jp_summary(employee=emp, year=year)
    records = Paginator(
        LearningRecord.objects.filter(employee=emp).select_related("course").order_by("-date", "-pk"), 20
    ).get_page(request.GET.get("page"))
    enrollments = list(
        Enrollment.objects.filter(employee=emp)
        .exclude(status__in=[S.COMPLETED])
        .select_related("offering__course")
        .order_by("-created_at")[:20]
    )
    return render(
        request,
        "training/my_learning.html",
        {
            "summary": summary,
            "page_obj": records,
            "enrollments": enrollments,
            "due": list(selectors.due_questionnaires(employee_id=emp.pk)[:10]),
            "breadcrumbs": _crumbs((_("Riwayat pembelajaran saya"), None)),
        },
    )


def external_new(request: HttpRequest) -> HttpResponse:
    emp = current_employee(request.user)
    if emp is None:
        raise PermissionDenied
    form = ExternalLearningForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.external_learning_record(
                employee=emp,
                title=d["title"],
                fmt=d["format"],
                provider=d["provider"],
                on_date=d["on_date"],
                hours=d.get("hours"),
                jp=d.get("jp"),
                certificate_number=d.get("certificate_number") or "",
                certificate_file=d.get("certificate_file"),
                note=d.get("note") or "",
                actor=request.user,
            )
        except ApplicationError as exc:
            form.add_error(exc.extra.get("field") if exc.extra.get("field") in form.fields else None, exc.message)
        else:
            messages.success(request, _("Pembelajaran eksternal dicatat dan menunggu verifikasi BKD."))
            return redirect("training:my-learning")
    return render(
        request,
        "training/external_form.html",
        {
            "form": form,
            "breadcrumbs": _crumbs(
                (_("Riwayat pembelajaran saya"), reverse("training:my-learning")),
                (_("Catat pembelajaran eksternal"), None),
            ),
        },
    )


def questionnaires(request: HttpRequest) -> HttpResponse:
    emp = current_employee(request.user)
    due = list(selectors.due_questionnaires(employee_id=emp.pk if emp else None))
    answered = []
    if emp:
        from .models import QuestionnaireResponse

        answered = list(
            QuestionnaireResponse.objects.filter(respondent=emp, answered_at__isnull=False)
            .select_related("template", "offering__course", "enrollment__employee")
            .order_by("-answered_at")[:20]
        )
    return render(
        request,
        "training/questionnaires.html",
        {"due": due, "answered": answered, "breadcrumbs": _crumbs((_("Kuesioner evaluasi"), None))},
    )


def questionnaire_answer(request: HttpRequest, pk: int) -> HttpResponse:
    response = selectors.questionnaire_response_visible(user=request.user, pk=pk)
    questions = selectors.questions_for(response)
    mine = scope_for(request.user).employee_id == response.respondent_id
    conflict = permissions.questionnaire_conflict(request.user, response)
    form = QuestionnaireForm(request.POST or None, questions=questions)
    if request.method == "POST":
        if not mine:
            raise PermissionDenied
        if conflict:
            messages.error(request, conflict)
        elif form.is_valid():
            try:
                services.questionnaire_answer(response=response, answers=form.cleaned_data, actor=request.user)
            except ApplicationError as exc:
                for field, msg in (exc.extra.get("fields") or {}).items():
                    form.add_error(field if field in form.fields else None, msg)
                if not exc.extra.get("fields"):
                    form.add_error(None, exc.message)
            else:
                messages.success(request, _("Terima kasih, jawaban Anda tersimpan."))
                return redirect("training:questionnaires")
    answers = {a.question_id: a for a in response.answers.all()} if response.answered_at else {}
    return render(
        request,
        "training/questionnaire_answer.html",
        {
            "response": response,
            "form": form,
            "mine": mine,
            "conflict": conflict,
            "questions": questions,
            "answers": answers,
            "breadcrumbs": _crumbs(
                (_("Kuesioner evaluasi"), reverse("training:questionnaires")), (response.template.title, None)
            ),
        },
    )


# --------------------------------------------------------------------------- heads


def team(request: HttpRequest) -> HttpResponse:
    if not (is_head(request.user) or is_hr_admin(request.user)):
        raise PermissionDenied
    year = _year(request)
    members = Paginator(selectors.team_jp(user=request.user, year=year), 25).get_page(request.GET.get("page"))
    access_log.record(request, members.object_list, AccessPart.TRAINING)
    below, total = selectors.team_below_target_count(user=request.user, year=year)
    emp = current_employee(request.user)
    gaps = selectors.team_gaps(user=request.user, agency_id=emp.agency_id) if emp else []
    return render(
        request,
        "training/team.html",
        {
            "year": year,
            "page_obj": members,
            "below": below,
            "total": total,
            "target": rules.JP_TARGET,
            "requests": list(selectors.requests_for_head(user=request.user)[:50]),
            "gaps": gaps[:15],
            "reason_form": ReasonForm(),
            "breadcrumbs": _crumbs((_("Pelatihan tim"), None)),
        },
    )


# --------------------------------------------------------------------------- BKD admins


def manage(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    qs = CourseOffering.objects.filter(admin_agency_q(request.user)).select_related("course").order_by("-start_date")
    fs = OfferingFilter(request.GET or None, queryset=qs)
    page = Paginator(fs.qs if fs.is_bound and fs.is_valid() else qs, 25).get_page(request.GET.get("page"))
    courses = Course.objects.filter(admin_agency_q(request.user)).annotate(n=Count("offerings")).order_by("title")
    return render(
        request,
        "training/manage.html",
        {
            "filter": fs,
            "page_obj": page,
            "courses": Paginator(courses, 100).get_page(request.GET.get("cpage")),
            "pending": selectors.pending_external(user=request.user).count(),
            "breadcrumbs": _crumbs((_("Kelola pelatihan"), None)),
        },
    )


def course_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _require_admin(request)
    instance = None
    if pk is not None:
        instance = selectors.course_admin_get(user=request.user, pk=pk)
        agency = None
        agency_id = instance.agency_id
    else:
        agency = agency_for(request)
        agency_id = agency.pk
    form = CourseForm(request.POST or None, instance=instance, agency_id=agency_id)
    formset = CourseCompetencyFormSet(request.POST or None, instance=instance or Course(agency_id=agency_id))
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = {f: form.cleaned_data[f] for f in CourseForm.Meta.fields if f in form.cleaned_data}
        data["competencies"] = {
            row["competency"].pk: row["target_level"]
            for row in formset.cleaned_data
            if row and not row.get("DELETE") and row.get("competency") and row.get("target_level")
        }
        try:
            if instance is None:
                course = services.course_create(actor=request.user, agency=agency, data=data)
            else:
                course = services.course_update(actor=request.user, course=instance, data=data)
        except ApplicationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Pelatihan disimpan."))
            return redirect("training:course-detail", pk=course.pk)
    return render(
        request,
        "training/course_form.html",
        {
            "form": form,
            "formset": formset,
            "instance": instance,
            "breadcrumbs": _crumbs((_("Kelola pelatihan"), reverse("training:manage")), (_("Pelatihan"), None)),
        },
    )


def offering_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _require_admin(request)
    instance = None
    if pk is not None:
        instance = selectors.offering_admin_get(user=request.user, pk=pk)
        agency = None
        agency_id = instance.agency_id
    else:
        agency = agency_for(request)
        agency_id = agency.pk
    initial = {"course": request.GET.get("course")} if instance is None else None
    form = OfferingForm(request.POST or None, instance=instance, agency_id=agency_id, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in OfferingForm.Meta.fields if f in form.cleaned_data}
        try:
            if instance is None:
                offering = services.offering_create(actor=request.user, agency=agency, data=data)
            else:
                offering = services.offering_update(actor=request.user, offering=instance, data=data)
        except ApplicationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Angkatan disimpan."))
            return redirect("training:offering-detail", pk=offering.pk)
    return render(
        request,
        "training/offering_form.html",
        {
            "form": form,
            "instance": instance,
            "breadcrumbs": _crumbs((_("Kelola pelatihan"), reverse("training:manage")), (_("Angkatan"), None)),
        },
    )


@require_POST
def offering_status(request: HttpRequest, pk: int) -> HttpResponse:
    offering = selectors.offering_admin_get(user=request.user, pk=pk)
    try:
        services.offering_set_status(
            offering=offering,
            status=request.POST.get("status", ""),
            actor=request.user,
            reason=request.POST.get("reason", ""),
        )
        messages.success(request, _("Status angkatan diperbarui."))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("training:offering-detail", pk=offering.pk)


def verify(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    if request.method == "POST":
        raw = request.POST.get("record", "")
        record = LearningRecord.objects.filter(admin_agency_q(request.user), pk=int_or_none(raw) or 0).first()
        if record is None:
            raise Http404
        try:
            services.learning_verify(
                record=record,
                approve=request.POST.get("decision") == "approve",
                reason=request.POST.get("reason", ""),
                actor=request.user,
            )
            messages.success(request, _("Verifikasi disimpan."))
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect("training:verify")
    page = Paginator(selectors.pending_external(user=request.user), 25).get_page(request.GET.get("page"))
    for record in page.object_list:
        record.may_verify = permissions.can_verify_learning(request.user, record)  # type: ignore[attr-defined]
    return render(
        request,
        "training/verify.html",
        {"page_obj": page, "breadcrumbs": _crumbs((_("Verifikasi pembelajaran eksternal"), None))},
    )


def _xlsx(filename: str, header: list[str], rows: list[list[Any]]) -> HttpResponse:
    return xlsx_response(filename, header, rows)


def report_compliance(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    agency_id = _admin_agency_id(request)
    year = _year(request)
    report = selectors.compliance_report(agency_id=agency_id, year=year)
    if request.GET.get("format") == "xlsx":
        return _xlsx(
            f"kepatuhan-jp-{year}.xlsx",
            [
                _("Unit kerja"),
                _("Pegawai"),
                _("Memenuhi 20 JP"),
                _("Di bawah 20 JP"),
                _("% memenuhi"),
                _("Rata-rata JP"),
            ],
            [
                [r["name"], r["headcount"], r["met"], r["below"], round(r["percent"], 1), round(r["avg_jp"], 2)]
                for r in report["rows"]
            ]
            + [
                [
                    _("Total instansi"),
                    report["total"]["headcount"],
                    report["total"]["met"],
                    report["total"]["below"],
                    round(report["total"]["percent"], 1),
                    round(report["total"]["avg_jp"], 2),
                ]
            ],
        )
    chart = {
        "type": "bar",
        "data": {
            "labels": [r["name"] for r in report["rows"]],
            "datasets": [
                {"label": str(_("% memenuhi 20 JP")), "data": [round(float(r["percent"]), 1) for r in report["rows"]]}
            ],
        },
        "options": {"indexAxis": "y", "scales": {"x": {"min": 0, "max": 100}}},
    }
    return render(
        request,
        "training/report_compliance.html",
        {"report": report, "year": year, "chart": chart, "breadcrumbs": _crumbs((_("Laporan kepatuhan 20 JP"), None))},
    )


def report_questionnaires(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    year = _year(request)

    def _int(name: str) -> int | None:
        v = request.GET.get(name, "")
        return int(v) if v.isdecimal() else None

    course_id, offering_id = _int("course"), _int("offering")
    results = selectors.questionnaire_results(user=request.user, course_id=course_id, offering_id=offering_id)
    summary = selectors.questionnaire_course_summary(user=request.user, year=year)
    if request.GET.get("format") == "xlsx":
        return _xlsx(
            "hasil-kuesioner.xlsx",
            [_("Kuesioner"), _("Pertanyaan"), _("Rata-rata"), _("Jawaban"), "1", "2", "3", "4", "5"],
            [
                [
                    q["question__template__title"],
                    q["question__text"],
                    round(q["avg"] or 0, 2),
                    q["n"],
                    *q["distribution"],
                ]
                for q in results["questions"]
            ],
        )
    course = Course.objects.filter(admin_agency_q(request.user), pk=course_id).first() if course_id else None
    return render(
        request,
        "training/report_questionnaires.html",
        {
            "results": results,
            "summary": summary,
            "year": year,
            "course": course,
            "breadcrumbs": _crumbs((_("Hasil kuesioner evaluasi"), None)),
        },
    )


def report_needs(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    agency_id = _admin_agency_id(request)
    # The plan for next year does not need second-by-second freshness: one aggregation per agency an hour.
    key = f"training:needs:{agency_id}:{timezone.localdate().isoformat()}"
    rows = cache.get(key)
    if rows is None or request.GET.get("refresh"):
        rows = selectors.training_needs(agency_id=agency_id)
        cache.set(key, rows, 3600)
    if request.GET.get("format") == "xlsx":
        return _xlsx(
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
        {"page_obj": page, "breadcrumbs": _crumbs((_("Kebutuhan pelatihan per unit"), None))},
    )


def learning_certificate(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Download the certificate of a learning record the user may see (404 otherwise)."""
    record = selectors.learning_record_get_visible(user=request.user, pk=pk)
    return serve_private_file(request, record.certificate_file, record.certificate_name)
