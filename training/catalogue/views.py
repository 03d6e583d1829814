"""Catalogue pages: browsing courses and offerings, and the BKD admin's course/offering editors."""

from __future__ import annotations

from typing import Any

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from asn_portal.errors import ApplicationError
from asn_portal.pagination import UncountedPage, uncounted_page
from people import access_log
from people.access import agency_for, is_head, is_hr_admin
from people.choices import AccessPart
from people.selectors import current_employee
from training import permissions, rules
from training.catalogue import selectors as catalogue_selectors
from training.catalogue import services as catalogue_services
from training.choices import CourseFormat, OfferingStatus
from training.choices import EnrollmentStatus as S
from training.enrolment import selectors as enrolment_selectors
from training.enrolment import services as enrolment_services
from training.external import selectors as external_selectors
from training.filters import CourseFilter, OfferingFilter
from training.forms import CompleteForm, CourseCompetencyFormSet, CourseForm, NominateForm, OfferingForm
from training.models import Course, Enrollment
from training.needs import selectors as needs_selectors
from training.viewutils import cached_fragment, crumbs, form_errors, require_admin


def catalogue(request: HttpRequest) -> HttpResponse:
    """Search the catalogue; the first recommended courses are shown on top."""
    # The unfiltered first page (the page as opened) by statements compiled once per process, as row values; the
    # queryset is then built only to render the rows when their fragment is not kept yet.
    first = None if request.GET else catalogue_selectors.catalogue_first_page(user=request.user)
    qs = catalogue_selectors.catalogue_courses(user=request.user) if first is None else Course.objects.none()
    fs = CourseFilter(request.GET or None, queryset=qs, request=request)
    if first is None:
        page = uncounted_page(fs.qs if fs.is_bound and fs.is_valid() else qs, request.GET.get("page"), 20)
        rows = [
            (
                c.pk,
                c.title,
                c.mode,
                c.format,
                c.provider,
                c.jp,
                [(cc.competency.name, cc.target_level) for cc in c.course_competencies.all()],
                c.next_open_start,  # type: ignore[attr-defined]
            )
            for c in page
        ]
    else:
        page = UncountedPage(object_list=first.rows, number=1, has_next=first.has_next)
        rows = first.rows
    emp = current_employee(request.user)
    # The recommended cards' HTML is kept under the ranking's input fingerprint (it covers every value shown).
    cards_html: str = (
        needs_selectors.recommended_courses_rendered(
            employee=emp,
            limit=3,
            name="catalogue-cards",
            render=_recommended_cards_html,
        )
        if emp and not request.GET
        else ""
    )
    recommended_cards = mark_safe(cards_html)  # noqa: S308 - the project's own template output, escaped when rendered
    # The rows, the recommended cards and the empty search form are rendered once per language and per the
    # values they show (`cached_fragment`); the first page's rows are rendered from the ORM's courses when the
    # fragment is not kept yet.
    return render(
        request,
        "training/catalogue.html",
        {
            "filter": fs,
            "filter_form_html": _filter_form_html(request, fs, first.competencies if first else None),
            "page_obj": page,
            "courses_table": cached_fragment(
                "catalogue-rows",
                rows,
                lambda: render_to_string(
                    CATALOGUE_ROWS,
                    {
                        "page_obj": page
                        if first is None
                        else uncounted_page(catalogue_selectors.catalogue_courses(user=request.user), None, 20)
                    },
                ),
            ),
            "recommended": bool(recommended_cards),
            "recommended_cards": recommended_cards,
            "breadcrumbs": crumbs((_("Katalog"), None)),
        },
    )


CATALOGUE_ROWS = "training/partials/catalogue_rows.html"
RECOMMENDED_CARDS = "training/partials/recommended_cards.html"


def _recommended_cards_html(courses: list[Course]) -> str:
    return str(render_to_string(RECOMMENDED_CARDS, {"recommended": courses})) if courses else ""


def _filter_form_html(request: HttpRequest, fs: CourseFilter, competencies: list[Any] | None = None) -> str:
    """The search form, rendered once per language, per the values typed in (`request.GET`, which also decide
    its error messages) and per the list of competencies the user may pick (every competency's id and name, so
    a new or renamed one renders anew; read here unless given)."""
    if competencies is None:
        competencies = list(fs.filters["competency"].get_queryset(request).values_list("pk", "name"))
    typed = sorted((k, tuple(request.GET.getlist(k))) for k in request.GET) if fs.is_bound else None
    return cached_fragment("catalogue-filter", (typed, competencies), lambda: as_crispy_form(fs.form))


def course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    course = catalogue_selectors.course_get_visible(user=request.user, pk=pk)
    offerings = list(course.offerings.exclude(status__in=[OfferingStatus.DRAFT]).order_by("-start_date")[:30])
    emp = current_employee(request.user)
    problems = enrolment_services.eligibility_for(emp, course) if emp and emp.agency_id == course.agency_id else []
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
            "breadcrumbs": crumbs((course.title, None)),
        },
    )


def offering_detail(request: HttpRequest, pk: int) -> HttpResponse:
    offering = catalogue_selectors.offering_get_visible(user=request.user, pk=pk)
    emp = current_employee(request.user)
    mine = enrolment_selectors.my_enrollment_for(emp.pk if emp else None, offering)
    can_manage = permissions.can_manage_offering(request.user, offering)
    participants = None
    if can_manage:
        participants = Paginator(enrolment_selectors.offering_participants(offering), 50).get_page(
            request.GET.get("page")
        )
        for e in participants:
            e.actions = permissions.allowed_actions(request.user, e)  # type: ignore[attr-defined]
    nominate_form = None
    team_enrollments: list[Enrollment] = []
    if is_head(request.user):
        nominate_form = NominateForm(team=enrolment_selectors.nominable_team(user=request.user))
        team_enrollments = enrolment_selectors.team_enrollments_in(user=request.user, offering=offering)
    shown = [*(participants.object_list if participants is not None else []), *team_enrollments]
    access_log.record(request, [e.employee_id for e in shown], AccessPart.TRAINING)
    counts = enrolment_selectors.offering_status_counts(offering)
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
            "breadcrumbs": crumbs(
                (offering.course.title, reverse("training:course-detail", args=[offering.course_id])),
                (offering.name, None),
            ),
        },
    )


def manage(request: HttpRequest) -> HttpResponse:
    require_admin(request)
    qs = catalogue_selectors.offerings_to_manage(user=request.user)
    fs = OfferingFilter(request.GET or None, queryset=qs)
    offerings = uncounted_page(
        (fs.qs if fs.is_bound and fs.is_valid() else qs).values(*OFFERING_ROW), request.GET.get("page"), 25
    )
    courses = uncounted_page(
        catalogue_selectors.courses_to_manage(user=request.user).values(*COURSE_ROW), request.GET.get("cpage"), 100
    )
    # The filter's fields and both tables are rendered once per language and per the values they show.
    filter_fields = (
        cached_fragment("manage-filter", None, lambda: render_to_string(FILTER_FIELDS, {"filter": fs}))
        if not fs.is_bound
        else render_to_string(FILTER_FIELDS, {"filter": fs})
    )
    return render(
        request,
        "training/manage.html",
        {
            "filter": fs,
            "filter_fields": filter_fields,
            "page_obj": offerings,
            "offerings_table": _rows_fragment("manage_offerings", offerings.object_list, "status", OfferingStatus),
            "courses_table": _rows_fragment("manage_courses", courses.object_list, "format", CourseFormat),
            "pending": external_selectors.pending_external(user=request.user).count(),
            "breadcrumbs": crumbs((_("Kelola pelatihan"), None)),
        },
    )


FILTER_FIELDS = "training/partials/manage_filter_fields.html"
OFFERING_ROW = (
    "pk",
    "course__title",
    "name",
    "start_date",
    "enrol_open",
    "enrol_close",
    "seats_taken",
    "capacity",
    "status",
)
COURSE_ROW = ("pk", "code", "title", "format", "jp", "is_active", "n")


def _rows_fragment(name: str, rows: list[dict[str, Any]], choice: str, choices: Any) -> str:
    def render_rows() -> str:
        labelled = [{**r, f"{choice}_label": choices(r[choice]).label} for r in rows]
        return render_to_string(f"training/partials/{name}.html", {"rows": labelled})

    return cached_fragment(name, [tuple(r.values()) for r in rows], render_rows)


def course_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    require_admin(request)
    instance = None
    if pk is not None:
        instance = catalogue_selectors.course_admin_get(user=request.user, pk=pk)
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
                course = catalogue_services.course_create(actor=request.user, agency=agency, data=data)
            else:
                course = catalogue_services.course_update(actor=request.user, course=instance, data=data)
        except ApplicationError as exc:
            form_errors(form, exc)
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
            "breadcrumbs": crumbs((_("Kelola pelatihan"), reverse("training:manage")), (_("Pelatihan"), None)),
        },
    )


def offering_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    require_admin(request)
    instance = None
    if pk is not None:
        instance = catalogue_selectors.offering_admin_get(user=request.user, pk=pk)
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
                offering = catalogue_services.offering_create(actor=request.user, agency=agency, data=data)
            else:
                offering = catalogue_services.offering_update(actor=request.user, offering=instance, data=data)
        except ApplicationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Angkatan disimpan."))
            return redirect("training:offering-detail", pk=offering.pk)
    return render(
        request,
        "training/offering_form.html",
        {
            "form": form,
            "instance": instance,
            "breadcrumbs": crumbs((_("Kelola pelatihan"), reverse("training:manage")), (_("Angkatan"), None)),
        },
    )


@require_POST
def offering_status(request: HttpRequest, pk: int) -> HttpResponse:
    offering = catalogue_selectors.offering_admin_get(user=request.user, pk=pk)
    try:
        catalogue_services.offering_set_status(
            offering=offering,
            status=request.POST.get("status", ""),
            actor=request.user,
            reason=request.POST.get("reason", ""),
        )
        messages.success(request, _("Status angkatan diperbarui."))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("training:offering-detail", pk=offering.pk)
