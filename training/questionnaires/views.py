"""Answering questionnaires and their report."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from asn_portal import summaries
from asn_portal.errors import ApplicationError
from people.access import scope_for
from training import permissions
from training.catalogue import selectors as catalogue_selectors
from training.forms import QuestionnaireForm
from training.questionnaires import selectors as questionnaires_selectors
from training.questionnaires import services as questionnaires_services
from training.questionnaires import summary as questionnaire_summary
from training.viewutils import admin_agency_id, cached_fragment, crumbs, require_admin, xlsx, year_param


def questionnaires(request: HttpRequest) -> HttpResponse:
    # The user's own employee record's id (`current_employee(...).pk`), without reading the record.
    due, answered = questionnaires_selectors.due_and_answered(employee_id=scope_for(request.user).employee_id)
    return render(
        request,
        "training/questionnaires.html",
        {"due": due, "answered": answered, "breadcrumbs": crumbs((_("Kuesioner evaluasi"), None))},
    )


def questionnaire_answer(request: HttpRequest, pk: int) -> HttpResponse:
    response = questionnaires_selectors.questionnaire_response_visible(user=request.user, pk=pk)
    questions = questionnaires_selectors.questions_for(response)
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
                questionnaires_services.questionnaire_answer(
                    response=response, answers=form.cleaned_data, actor=request.user
                )
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
            "breadcrumbs": crumbs(
                (_("Kuesioner evaluasi"), reverse("training:questionnaires")), (response.template.title, None)
            ),
        },
    )


def report_questionnaires(request: HttpRequest) -> HttpResponse:
    require_admin(request)
    year = year_param(request)

    def _int(name: str) -> int | None:
        v = request.GET.get(name, "")
        return int(v) if v.isdecimal() else None

    course_id, offering_id = _int("course"), _int("offering")
    agency_wide = not (course_id or offering_id)  # read from the summary rows
    if agency_wide:  # the report and the per-course summary in one round trip
        results, summary = questionnaires_selectors.questionnaire_report(user=request.user, year=year)
    else:
        results = questionnaires_selectors.questionnaire_results(
            user=request.user, course_id=course_id, offering_id=offering_id
        )
        summary = questionnaires_selectors.questionnaire_course_summary(user=request.user, year=year)
    if request.GET.get("format") == "xlsx":
        return xlsx(
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
    course = catalogue_selectors.admin_course(user=request.user, pk=course_id)
    # The report's tables are rendered once per language and per everything they show.
    body = cached_fragment(
        "questionnaire-report",
        (
            year,
            results["rates"],
            results["questions"],
            results["yes_no"],
            [(a["text"], a["course_title"]) for a in results["comments"]],
            summary,
        ),
        lambda: render_to_string(
            "training/partials/questionnaire_report_body.html",
            {"results": results, "summary": summary, "year": year},
        ),
    )
    return render(
        request,
        "training/report_questionnaires.html",
        {
            "results": results,
            "summary": summary,
            "year": year,
            "course": course,
            "body": body,
            # The agency-wide figures come from summary rows: the page says when they were computed.
            "agency_wide": agency_wide,
            "computed_at": summaries.computed_at(questionnaire_summary.KIND, admin_agency_id(request))
            if agency_wide
            else None,
            "breadcrumbs": crumbs((_("Hasil kuesioner evaluasi"), None)),
        },
    )
