"""The SKP pages' combined reads (issue #13) equal the ORM reads they replace, for several kinds of users and data."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.paginator import Paginator

from people.choices import EmployeeStatus
from people.models import Employee
from people.selectors import subordinate_ids_of
from performance.calibration import selectors as calibration_selectors
from performance.choices import EvaluationStatus
from performance.models import Evaluation, PerformancePlan, PlannedResult
from performance.plans import selectors as plans_selectors
from tests.people.factories import EmployeeFactory

from . import factories as f

pytestmark = pytest.mark.django_db


def _old_cascade(emp: Employee, year: int) -> tuple[bool, list[Any], list[tuple[int, str]]]:
    """The cascade page's reads before they were combined: the SKP of the year, its tree, the direct reports by
    name (then id: the old read left the order of two subordinates of the same name to the database)."""
    plan = PerformancePlan.objects.filter(employee=emp, year=year).order_by("pk").first()
    tree = plans_selectors.cascade_tree(plan) if plan else []
    subs = Employee.objects.filter(pk__in=subordinate_ids_of(emp)).order_by("name", "pk")
    return plan is not None, tree, [(e.pk, e.full_name) for e in subs]


def test_cascade_page_equals_the_orm_reads(org: Any) -> None:
    f.periods(org.agency)
    head_plan = f.plan(org.head, results=2)
    year = head_plan.year
    top = PlannedResult.objects.filter(plan=head_plan).first()
    staff_plan = f.plan(org.staff, results=0)
    child = PlannedResult.objects.create(plan=staff_plan, kind="main", text="RHK staf", parent_result=top)
    grand = EmployeeFactory(unit=org.dinas, name="Cucu", front_title="Dr.", back_title="M.Si.")
    PlannedResult.objects.create(plan=f.plan(grand, results=0), kind="main", text="RHK cucu", parent_result=child)
    # The head's reports: by post (staff, staff2, the bidang head), by override (another unit's employee), two of
    # the same name, one on leave (still a report), one retired (not), one whose override points elsewhere.
    EmployeeFactory(unit=org.other_dinas, name="Dipindah", supervisor_override=org.head)
    EmployeeFactory(unit=org.dinas, name="Staf Satu", position=org.staff.position, back_title="S.E.")
    EmployeeFactory(unit=org.dinas, name="Cuti", position=org.staff.position, status=EmployeeStatus.LEAVE)
    EmployeeFactory(unit=org.dinas, name="Pensiun", position=org.staff.position, status=EmployeeStatus.RETIRED)
    EmployeeFactory(unit=org.dinas, name="Ke Lain", position=org.staff.position, supervisor_override=org.other_head)
    # An employee whose own override points at themself is never their own report.
    org.other_head.supervisor_override = org.other_head
    org.other_head.save()
    no_post = EmployeeFactory(unit=org.dinas, name="Tanpa Jabatan", position=None)
    for emp in (org.head, org.bidang_head, org.staff, org.other_head, no_post, org.admin):
        for y in (year, year - 1):
            page = plans_selectors.cascade_page(emp, y)
            assert (page.has_plan, page.tree, page.targets) == _old_cascade(emp, y), (emp.name, y)
    page = plans_selectors.cascade_page(org.head, year)
    assert page.has_plan and len(page.tree) == 2 and page.tree[0].children[0].children[0].owner == "Dr. Cucu, M.Si."
    names = [n for _pk, n in page.targets]
    assert "Dipindah" in names and "Cuti" in names and "Pensiun" not in names and "Ke Lain" not in names
    assert names.count("Staf Satu") == 1 and "Staf Satu, S.E." in names


def _old_people_page(period: Any, unit_id: int, number: Any, per_page: int) -> tuple[Any, ...]:
    """The calibration page's "who is where" before: a paginator over `unit_people` (a count, then a page)."""
    page = Paginator(calibration_selectors.unit_people(period=period, unit_id=unit_id), per_page).get_page(number)
    rows = calibration_selectors.person_rows(page.object_list)
    return page.number, page.paginator.count, page.paginator.num_pages, rows


@pytest.mark.parametrize("number", [None, "", "x", "1", "2", "3", "4", "99", "0", "-1", "2.0", 2.0, 2.5])
def test_unit_people_page_equals_the_paginator(org: Any, number: Any) -> None:
    """Pages of 2 over 5 SKPs (annual period: with and without a predikat) or 4 evaluations (a quarter, any
    status), an empty unit: the same page number, total, page count and rows as the paginator gives, in the
    same order (predikat, name, id)."""
    periods = f.periods(org.agency)
    quarter, annual = periods[0], next(p for p in periods if p.is_annual)
    people = [org.staff, org.staff2, org.head, *(EmployeeFactory(unit=org.dinas, name="Staf Dua") for _ in range(2))]
    for i, emp in enumerate(people):
        plan = f.plan(emp, predikat=["baik", "", "sangat_baik", "baik", ""][i])
        if i < 4:
            Evaluation.objects.create(
                plan=plan,
                period=quarter,
                status=EvaluationStatus.EVALUATED if i % 2 else EvaluationStatus.PENDING,
                predikat="baik" if i % 2 else "",
            )
    for period in (quarter, annual):
        for unit_id in (org.dinas.pk, org.other_dinas.pk):
            page = calibration_selectors.unit_people_page(period=period, unit_id=unit_id, number=number, per_page=2)
            got = page.number, page.paginator.count, page.paginator.num_pages, page.object_list
            assert got == _old_people_page(period, unit_id, number, 2), (period.name, unit_id)


def test_plans_of_employee_equals_the_orm_read(org: Any) -> None:
    """SKP Saya's list of the employee's SKPs: the same plans in the same order (newest year first) with the
    same appraiser and superior names (or none) and unit, as the ORM queryset gives."""
    f.plan(org.staff, year=f.YEAR - 2)
    f.plan(org.staff, year=f.YEAR, appraiser=org.head, appraiser_superior=org.bidang_head)
    f.plan(org.staff, year=f.YEAR - 1, appraiser=org.head)
    f.plan(org.staff2, year=f.YEAR, appraiser=org.head)
    for emp in (org.staff, org.staff2, org.head):
        old = list(
            PerformancePlan.objects.filter(employee=emp)
            .select_related("appraiser", "appraiser_superior", "unit")
            .order_by("-year")
        )
        new = plans_selectors.plans_of_employee(emp)
        assert [p.pk for p in new] == [p.pk for p in old]
        for a, b in zip(new, old, strict=True):
            assert (a.year, a.status, a.unit.name, a.unit_id, a.employee_id) == (
                b.year,
                b.status,
                b.unit.name,
                b.unit_id,
                b.employee_id,
            )
            for rel in ("appraiser", "appraiser_superior"):
                x, y = getattr(a, rel), getattr(b, rel)
                assert (x and x.full_name) == (y and y.full_name)


def test_plan_parts_keep_the_meta_order(org: Any) -> None:
    """The SKP page's reads order one plan's rows without joining the plan and its employee: the same rows in the
    same order as the models' Meta ordering gives (RHK by kind and order, evaluations by period, feedback newest
    first, behaviour by core value)."""
    import datetime as dt

    from performance.models import BehaviourExpectation, CoreValue, Feedback

    periods = f.periods(org.agency)
    plan = f.plan(org.staff, results=3, appraiser=org.head)
    other = f.plan(org.staff2, results=2)
    PlannedResult.objects.create(plan=plan, kind="additional", text="Tambahan", order=0)
    PlannedResult.objects.create(plan=plan, kind="main", text="Utama lagi", order=1)
    for p in (periods[2], periods[0], periods[1]):
        Evaluation.objects.create(plan=plan, period=p)
    Evaluation.objects.create(plan=other, period=periods[0])
    for i, v in enumerate(reversed(list(CoreValue.objects.all()))):
        BehaviourExpectation.objects.get_or_create(plan=plan, core_value=v, defaults={"text": f"E{i}"})
    for i in range(4):
        fb = Feedback.objects.create(plan=plan, text=f"U{i}", given_by=org.head if i % 2 else None)
        Feedback.objects.filter(pk=fb.pk).update(created_at=fb.created_at - dt.timedelta(days=[3, 1, 4, 2][i]))
    Feedback.objects.create(plan=other, text="lain")
    parts = plans_selectors.plan_detail_parts(plan)
    assert [r.pk for r in parts["results"]] == list(
        PlannedResult.objects.filter(plan=plan).values_list("pk", flat=True)
    )
    assert [(e.pk, e.period.number) for e in parts["evaluations"].values()] == [
        (e.pk, e.period.number) for e in Evaluation.objects.filter(plan=plan)
    ]
    assert [(x.pk, x.given_by and x.given_by.full_name) for x in parts["feedback"]] == [
        (x.pk, x.given_by and x.given_by.full_name) for x in Feedback.objects.filter(plan=plan)
    ]
    assert [(b.pk, b.core_value.name) for b in parts["behaviour"]] == [
        (b.pk, b.core_value.name) for b in BehaviourExpectation.objects.filter(plan=plan)
    ]
    assert len(parts["feedback"]) == 4 and len(parts["evaluations"]) == 3 and len(parts["results"]) == 5


def test_period_options_and_the_finalise_form_equal_their_template_markup(org: Any) -> None:
    """The period picker's options and the calibration page's empty finalise form (rendered once per language)
    are the markup the template loop and `{{ form|crispy }}` give, in both languages; a bound form is rendered
    as it is (never from the kept markup)."""
    from django.template import Context, Template
    from django.utils import translation

    from performance.forms import CalibrationFinaliseForm

    periods = f.periods(org.agency)
    loop = Template(
        '{% for p in periods %}<option value="{{ p.pk }}"{% if p.pk == period.pk %} selected{% endif %}>'
        "{{ p.display_name }} {{ p.year }}</option>{% endfor %}"
    )
    tag = Template("{% load performance_tables %}{% period_options periods period %}")
    crispy = Template("{% load crispy_forms_tags %}{{ form|crispy }}")
    kept = Template("{% load performance_tables %}{% unbound_crispy_form form %}")
    periods[1].name = "Triwulan <khusus> & lain"  # a name the admin changed is shown as written, escaped
    for lang in ("id", "en", "id"):
        with translation.override(lang):
            for chosen in (periods[1], periods[3], None):
                ctx = {"periods": periods, "period": chosen}
                assert tag.render(Context(ctx)) == loop.render(Context(ctx)), (lang, chosen)
            form = CalibrationFinaliseForm()
            assert kept.render(Context({"form": form})) == crispy.render(Context({"form": form})), lang
            bound = CalibrationFinaliseForm({"justification": "Alasan <b>"})
            assert bound.is_valid()
            html = kept.render(Context({"form": bound}))
            assert html == crispy.render(Context({"form": bound})) and "Alasan &lt;b&gt;" in html
    assert "&lt;khusus&gt; &amp; lain" in tag.render(Context({"periods": periods, "period": None}))


_OLD_HISTORY = (
    '{% load i18n portal %}{% for h in history %}<tr><th scope="row">{{ h.year }}</th><td>'
    '{% include "performance/_predikat.html" with p=h.predikat label=h.get_predikat_display %}'
    '<div class="small text-body-secondary">{{ h.get_source_display }}{% if h.note and h.note|catalogue_text != '
    "h.get_source_display %} · {{ h.note|catalogue_text }}{% endif %}</div></td></tr>\n{% endfor %}"
)
_OLD_EVALUATIONS = (
    '{% load i18n %}{% for p, e in evaluation_rows %}<tr><th scope="row">{{ p.display_name }}</th>'
    "<td>{{ p.get_status_display }}</td>\n      <td>{% if e.result_rating %}{{ e.get_result_rating_display }}"
    '{% if e.result_rating_from_unit %} <span class="badge text-bg-light border">{% translate "dari kinerja unit" %}'
    '</span>{% endif %}{% else %}–{% endif %}</td>\n      <td>{{ e.get_behaviour_rating_display|default:"–" }}'
    '</td>\n      <td>{% include "performance/_predikat.html" with p=e.predikat label=e.get_predikat_display %}'
    "</td></tr>\n    {% endfor %}"
)


def test_history_and_evaluation_rows_equal_their_template_markup(org: Any) -> None:
    """Riwayat predikat and Penilaian per periode, written in one pass, are the markup their template loops
    gave, in both languages: every predikat, a note like the source, another note (escaped), an evaluation
    rated from the unit's rating, one not rated yet, a period without an evaluation, a renamed period."""
    from django.template import Context, Template
    from django.utils import translation

    from performance.models import PredikatRecord

    periods = f.periods(org.agency)
    plan = f.plan(org.staff)
    records = [
        PredikatRecord(employee=org.staff, year=2020, predikat="sangat_baik", source="appraisal"),
        PredikatRecord(employee=org.staff, year=2021, predikat="baik", source="import", note="Impor data lama"),
        PredikatRecord(employee=org.staff, year=2022, predikat="butuh_perbaikan", source="import", note="Arsip <BKN>"),
        PredikatRecord(employee=org.staff, year=2023, predikat="kurang", source="appraisal", note="Penilaian SKP"),
        PredikatRecord(employee=org.staff, year=2024, predikat="sangat_kurang", source="import"),
    ]
    periods[2].name = "Triwulan <III> & khusus"
    evaluations = [
        Evaluation(
            plan=plan,
            period=periods[0],
            status="evaluated",
            result_rating="above",
            behaviour_rating="meets",
            predikat="sangat_baik",
            result_rating_from_unit=True,
        ),
        Evaluation(plan=plan, period=periods[1], status="evaluated", result_rating="below", predikat="kurang"),
        Evaluation(plan=plan, period=periods[2], status="pending"),
    ]
    rows = [(p, evaluations[i] if i < 3 else None) for i, p in enumerate(periods)]
    new_history = Template("{% load performance_tables %}{% predikat_history_rows history %}")
    new_evaluations = Template("{% load performance_tables %}{% plan_evaluation_rows evaluation_rows %}")
    for lang in ("id", "en"):
        with translation.override(lang):
            ctx = Context({"history": records, "evaluation_rows": rows})
            assert new_history.render(ctx) == Template(_OLD_HISTORY).render(ctx), lang
            assert new_evaluations.render(ctx) == Template(_OLD_EVALUATIONS).render(ctx), lang
    html = new_history.render(Context({"history": records}))
    assert "Arsip &lt;BKN&gt;" in html and html.count(" · ") == 1
    assert "dari kinerja unit" in new_evaluations.render(Context({"evaluation_rows": rows}))


def test_calibration_computed_at_equals_the_summary_state(org: Any) -> None:
    """When the calibration counts were computed: the same as `summaries.computed_at` for an agency never
    computed, one computed, after a second refresh, and for no period."""
    from asn_portal import summaries
    from performance.calibration import summaries as calibration_summaries

    periods, foreign = f.periods(org.agency), f.periods(org.other_agency)
    assert calibration_selectors.computed_at(None) is None
    assert calibration_selectors.computed_at(periods[0]) is None
    for _ in range(2):
        summaries.refresh(calibration_summaries.KIND, org.agency.pk)
        for p in (periods[0], foreign[0]):
            expected = summaries.computed_at(calibration_summaries.KIND, p.agency_id)
            assert calibration_selectors.computed_at(p) == expected
    assert calibration_selectors.computed_at(periods[0]) is not None
    assert calibration_selectors.computed_at(foreign[0]) is None


def test_predikat_records_of_equals_the_orm_history_and_comes_in_the_timelines_round_trip(org: Any) -> None:
    """The predikat the profile's panel and the timeline's SKP source show (`predikat_records_of`, plain rows
    made into records) equal the ORM's records (`predikat_history`) field by field, with their labels, for an
    employee with records of every source, a note and a plan, and for one without; once the composed timeline
    has read them in its own round trip, the panel and the source read nothing more."""
    import datetime as dt

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from careers.timeline.selectors import timeline_for
    from people.selectors import employee_with_histories
    from performance.cards import timeline
    from performance.evaluation.selectors import PREDIKAT_ROWS, predikat_history, predikat_records_of
    from performance.models import PredikatRecord

    skp = f.plan(org.staff, year=2025, results=0)
    PredikatRecord.objects.create(employee=org.staff, year=2023, predikat="baik", source="import", note="Arsip <b>")
    PredikatRecord.objects.create(employee=org.staff, year=2025, predikat="sangat_baik", source="appraisal", plan=skp)
    PredikatRecord.objects.create(employee=org.staff, year=2024, predikat="kurang", source="appraisal")
    PredikatRecord.objects.create(employee=org.staff2, year=2022, predikat="butuh_perbaikan", source="import")
    fields = ("pk", "employee_id", "year", "predikat", "source", "plan_id", "note", "unit_id", "locked")
    for person, years in ((org.staff, [2025, 2024, 2023]), (org.head, [])):
        want = predikat_history(person.pk)
        got = predikat_records_of(employee_with_histories(user=org.admin.user, pk=person.pk))
        assert [r.year for r in got] == years
        assert [[getattr(r, n) for n in fields] for r in got] == [[getattr(r, n) for n in fields] for r in want]
        assert [(r.get_predikat_display(), r.get_source_display(), type(r)) for r in got] == [
            (r.get_predikat_display(), r.get_source_display(), type(r)) for r in want
        ]
    employee = employee_with_histories(user=org.admin.user, pk=org.staff.pk)
    with CaptureQueriesContext(connection) as trip:
        timeline_for(employee, today=dt.date(2026, 11, 23))
    select = PREDIKAT_ROWS.sql().split(" FROM ")[0]  # its column list: verbatim in the timeline's round trip
    reads = [q["sql"] for q in trip.captured_queries if select in q["sql"]]
    assert len(reads) == 1 and "careers_mentoringsession" in reads[0]
    with CaptureQueriesContext(connection) as after:
        records = predikat_records_of(employee)
        entries = list(timeline(employee))
    assert not after.captured_queries
    assert [r.year for r in records] == [2025, 2024, 2023]
    assert [e["url"] for e in entries] == [f"/kinerja/skp/{skp.pk}/", "", ""]
