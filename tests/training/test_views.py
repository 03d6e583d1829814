"""Pages: status codes per role, scoping (404 for another agency), query counts, the page journeys."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from asn_portal import summaries
from tests.pagetext import main_text, xlsx_rows
from training.defaults import ensure_defaults
from training.enrolment import services as enrolment_services
from training.ledger import services as ledger_services
from training.models import Enrollment, QuestionnaireResponse

from .factories import CourseFactory, OfferingFactory, enrolled

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _defaults(db: Any) -> None:
    ensure_defaults()


def client_for(emp: Any) -> Client:
    c = Client()
    c.force_login(emp.user)
    return c


# Each page a role may open shows its heading and the seeded course/people; the others are refused.
@pytest.mark.parametrize(
    ("who", "url", "status", "expected"),
    [
        ("staff", "training:catalogue", 200, ["Katalog pelatihan", "Analisis Kebijakan Publik"]),
        ("staff", "training:recommended", 200, ["Disarankan untuk Anda"]),
        ("staff", "training:my-learning", 200, ["Riwayat pembelajaran saya", "0 dari 20 JP", "Kurang 20 JP lagi"]),
        ("staff", "training:questionnaires", 200, ["Kuesioner evaluasi pelatihan", "Tidak ada kuesioner"]),
        ("staff", "training:external-new", 200, ["Catat pembelajaran eksternal", "Judul kegiatan"]),
        ("staff", "training:team", 403, []),
        ("staff", "training:manage", 403, []),
        ("staff", "training:report-compliance", 403, []),
        ("head", "training:team", 200, ["Pelatihan tim", "Staf Satu Dinas Kesehatan 0 di bawah 20 JP"]),
        ("admin", "training:manage", 200, ["Kelola pelatihan", "Analisis Kebijakan Publik"]),
        ("admin", "training:verify", 200, ["Verifikasi pembelajaran eksternal"]),
        ("admin", "training:report-compliance", 200, ["Kepatuhan 20 JP tahun", "Total instansi 8 0 8"]),
        ("admin", "training:report-questionnaires", 200, ["Hasil kuesioner evaluasi"]),
        ("admin", "training:report-needs", 200, ["Kebutuhan pelatihan per unit"]),
        ("admin", "training:course-new", 200, ["Pelatihan baru", "Judul pelatihan"]),
        ("admin", "training:offering-new", 200, ["Angkatan baru", "Kuota", "Analisis Kebijakan Publik"]),
    ],
)
def test_pages_per_role(org: Any, who: str, url: str, status: int, expected: list[str]) -> None:
    CourseFactory(agency=org.agency, title="Analisis Kebijakan Publik")
    CourseFactory(agency=org.other_agency, title="Kursus Pontianak")
    summaries.refresh_all([org.agency.pk])  # the factories' staff counted, as the nightly job would
    r = client_for(getattr(org, who)).get(reverse(url))
    assert r.status_code == status
    if status == 200:
        text = main_text(r)
        assert [e for e in expected if e not in text] == [], text
        assert "Kursus Pontianak" not in text and "Staf Pontianak" not in text


def test_home_cards_per_role(org: Any) -> None:
    assert b"card-training-staff" in client_for(org.staff).get("/").content
    assert b"card-training-head" in client_for(org.head).get("/").content
    assert b"card-training-admin" in client_for(org.admin).get("/").content


def test_another_agencys_course_and_offering_are_404(org: Any) -> None:
    offering = OfferingFactory(course__agency=org.other_agency)
    c = client_for(org.staff)
    assert c.get(reverse("training:course-detail", args=[offering.course_id])).status_code == 404
    assert c.get(reverse("training:offering-detail", args=[offering.pk])).status_code == 404
    assert c.post(reverse("training:offering-enrol", args=[offering.pk])).status_code == 404
    admin = client_for(org.admin)
    assert admin.get(reverse("training:offering-edit", args=[offering.pk])).status_code == 404


def test_catalogue_query_count_does_not_grow_with_rows(org: Any, django_assert_num_queries: Any) -> None:
    c = client_for(org.staff)
    CourseFactory.create_batch(2, agency=org.agency)
    c.get(reverse("training:catalogue") + "?q=Pelatihan")  # warm caches (session, content types)
    # 1 session, 2 user, 3 scope (roles, employee, units in one query), 4 unread notifications, 5 current
    # employee, 6 page of courses (one row more than the page, no count), 7 prefetch of competencies,
    # 8 competency choices for the filter
    with django_assert_num_queries(8) as small:
        c.get(reverse("training:catalogue") + "?q=Pelatihan")
    CourseFactory.create_batch(48, agency=org.agency)
    with django_assert_num_queries(len(small.captured_queries)):
        r = c.get(reverse("training:catalogue") + "?q=Pelatihan")
    assert r.status_code == 200


def test_catalogue_filters_by_format_and_jp(org: Any) -> None:
    CourseFactory(agency=org.agency, title="Seminar Digital", format="seminar", jp=Decimal("6"))
    CourseFactory(agency=org.agency, title="Teknis Anggaran", format="teknis", jp=Decimal("40"))
    r = client_for(org.staff).get(reverse("training:catalogue") + "?format=seminar&jp_max=10")
    assert b"Seminar Digital" in r.content and b"Teknis Anggaran" not in r.content


def test_staff_enrols_through_the_page(org: Any) -> None:
    offering = OfferingFactory(course__agency=org.agency)
    r = client_for(org.staff).post(reverse("training:offering-enrol", args=[offering.pk]), follow=True)
    assert "Anda terdaftar" in r.content.decode()
    assert Enrollment.objects.get(employee=org.staff).status == "enrolled"


def test_refused_enrolment_shows_a_message_and_writes_nothing(org: Any) -> None:
    offering = OfferingFactory(course__agency=org.agency, status="closed")
    r = client_for(org.staff).post(reverse("training:offering-enrol", args=[offering.pk]), follow=True)
    assert "tidak dibuka" in r.content.decode()
    assert not Enrollment.objects.exists()


def test_head_approves_from_the_team_page(org: Any) -> None:
    offering = OfferingFactory(course__agency=org.agency, requires_approval=True)
    e = enrolment_services.enrollment_request(employee=org.staff, offering=offering, actor=org.staff.user)
    c = client_for(org.head)
    assert org.staff.name.encode() in c.get(reverse("training:team")).content
    c.post(reverse("training:enrollment-action", args=[e.pk, "approve"]), {"next": "/pelatihan/tim/"})
    assert Enrollment.objects.get(pk=e.pk).status == "enrolled"


def test_staff_cannot_act_on_someone_elses_enrolment(org: Any) -> None:
    e = enrolled(OfferingFactory(course__agency=org.agency), org.staff2)
    r = client_for(org.staff).post(reverse("training:enrollment-action", args=[e.pk, "cancel"]))
    assert r.status_code == 404


def test_admin_completes_and_staff_answers_the_reaction_questionnaire(org: Any) -> None:
    offering = OfferingFactory(course__agency=org.agency, course__jp=Decimal("20"))
    e = enrolled(offering, org.staff)
    admin = client_for(org.admin)
    assert org.staff.name in main_text(admin.get(reverse("training:offering-detail", args=[offering.pk])))
    admin.post(reverse("training:enrollment-action", args=[e.pk, "complete"]), {"certificate_number": "BKD/7"})
    staff = client_for(org.staff)
    learning = main_text(staff.get(reverse("training:my-learning")))
    assert re.search(r"\b20(,0+)? dari 20 JP 100%", learning) and offering.course.title in learning, learning
    resp = QuestionnaireResponse.objects.get(enrollment=e)
    assert client_for(org.staff2).get(reverse("training:questionnaire-answer", args=[resp.pk])).status_code == 404
    data = {str(q.pk): ("4" if q.kind == "likert" else "Bagus") for q in resp.template.questions.all()}
    r = staff.post(reverse("training:questionnaire-answer", args=[resp.pk]), data, follow=True)
    assert "Terima kasih" in r.content.decode()


def test_compliance_report_and_xlsx_export(org: Any, django_capture_on_commit_callbacks: Any) -> None:
    from django.utils import timezone

    summaries.refresh_all([org.agency.pk])
    with django_capture_on_commit_callbacks(execute=True):  # the credit's refresh runs after its commit
        ledger_services.learning_credit(
            employee=org.staff,
            jp=Decimal("20"),
            on_date=timezone.localdate(),
            title="x",
            source_type="t",
            source_id=1,
            actor=None,
        )
    c = client_for(org.admin)
    r = c.get(reverse("training:report-compliance"))
    assert r.context["report"]["total"]["met"] == 1
    assert r.context["report"]["total"]["headcount"] == 8  # agency A only (the foreign agency is not counted)
    rows = xlsx_rows(c.get(reverse("training:report-compliance") + "?format=xlsx"))
    by_unit = {row[0]: row[1:] for row in rows if row and row[0]}
    # Dinas Kesehatan: 5 employees, Staf Satu's 20 JP meet the target; Pontianak is another agency
    assert by_unit["Dinas Kesehatan"][:3] == [5, 1, 4], rows
    assert not any("Pontianak" in str(cell) for row in rows for cell in row), rows


def test_compliance_report_constant_queries(org: Any, django_assert_num_queries: Any) -> None:
    from training.ledger.selectors import compliance_report

    summaries.refresh_all([org.agency.pk])
    with django_assert_num_queries(1):  # the agency's summary rows of that year (and year 0)
        small = compliance_report(agency_id=org.agency.pk, year=2026)
    from tests.people.factories import EmployeeFactory, OrgUnitFactory

    for i in range(10):
        unit = OrgUnitFactory(agency=org.agency, parent=org.dinas, name=f"Seksi {i}", kind="bidang")
        EmployeeFactory.create_batch(3, unit=unit)
    summaries.refresh_all([org.agency.pk])
    with django_assert_num_queries(1):  # still one with ten more units and thirty more employees
        large = compliance_report(agency_id=org.agency.pk, year=2026)
    assert (small["total"]["headcount"], large["total"]["headcount"]) == (8, 38)


def test_external_learning_form_and_verification(org: Any) -> None:
    from django.utils import timezone

    staff = client_for(org.staff)
    r = staff.post(
        reverse("training:external-new"),
        {
            "title": "Webinar",
            "format": "seminar",
            "provider": "USU",
            "on_date": timezone.localdate().isoformat(),
            "jp": "-3",
            "certificate_number": "A1",
        },
    )
    assert r.status_code == 200 and "lebih dari 0" in r.content.decode()
    staff.post(
        reverse("training:external-new"),
        {
            "title": "Webinar",
            "format": "seminar",
            "provider": "USU",
            "on_date": timezone.localdate().isoformat(),
            "jp": "4",
            "certificate_number": "A1",
        },
    )
    from training.models import LearningRecord

    rec = LearningRecord.objects.get(employee=org.staff)
    client_for(org.admin).post(reverse("training:verify"), {"record": rec.pk, "decision": "approve"})
    rec.refresh_from_db()
    assert rec.status == "verified"


def test_training_needs_aggregates_gaps_by_opd_with_courses(org: Any, django_assert_num_queries: Any) -> None:
    from tests.competencies.factories import national, record, set_standard
    from training.needs.selectors import training_needs

    m = national()
    set_standard(org.staff.position, [3], m[:1])  # staff and staff2 share the post
    record(org.staff, {m[0].pk: 1})  # gap 2; staff2 not assessed: gap 3
    course = CourseFactory(agency=org.agency, title="Integritas ASN")
    from .factories import develops

    develops(course, m[0], 3)
    with django_assert_num_queries(4):  # gap aggregate SQL, unit tree, competency names, courses
        rows = training_needs(agency_id=org.agency.pk)
    row = next(r for r in rows if r["unit"] == "Dinas Kesehatan" and r["competency_id"] == m[0].pk)
    assert (row["people"], row["gap_sum"]) == (2, 5)
    assert [c["course__title"] for c in row["courses"]] == ["Integritas ASN"]
    from tests.people.factories import EmployeeFactory

    for _ in range(20):
        EmployeeFactory(unit=org.dinas, position=org.staff.position)  # twenty more unassessed: gap 3 each
    for _ in range(5):
        develops(CourseFactory(agency=org.agency), m[0], 3)
    with django_assert_num_queries(4):  # the same four queries for 22 people and 6 courses
        rows = training_needs(agency_id=org.agency.pk)
    row = next(r for r in rows if r["unit"] == "Dinas Kesehatan" and r["competency_id"] == m[0].pk)
    assert (row["people"], row["gap_sum"]) == (22, 65)


def test_team_and_participant_pages_cost_the_same_for_2_and_50_rows(org: Any, django_assert_num_queries: Any) -> None:
    from tests.people.factories import EmployeeFactory

    offering = OfferingFactory(course__agency=org.agency, capacity=100)
    for _ in range(2):
        enrolled(offering, EmployeeFactory(unit=org.dinas, position=org.staff.position))
    head, admin = client_for(org.head), client_for(org.admin)
    team_url, part_url = reverse("training:team"), reverse("training:offering-detail", args=[offering.pk])
    head.get(team_url)
    admin.get(part_url)
    # team: 1 session, 2 user, 3 scope (agency roles, own employee, headed units: one query), 4 the page of
    # members with their JP and the whole team's met/under counts (one row more than the page, no separate
    # count), 5 current employee, 6 the team's gaps from the per-unit gap summary rows (none here: no standard
    # set, so no head's own gaps, names or courses), 7 pending requests, 8 notification badge, 9 the access
    # log's insert (Redis in production).
    with django_assert_num_queries(9) as team_small:
        head.get(team_url)
    # participants: 1-3 session and scope, 4 offering with course, 5 current employee, 6 own enrolment,
    # 7 count, 8 page of participants with employee and unit, 9 seats per status, 10 notification badge,
    # 11 the access log's insert for the participants shown (Redis in production).
    with django_assert_num_queries(11) as part_small:
        admin.get(part_url)
    for _ in range(48):
        enrolled(offering, EmployeeFactory(unit=org.dinas, position=org.staff.position))
    with django_assert_num_queries(len(team_small.captured_queries)):
        head.get(team_url)
    with django_assert_num_queries(len(part_small.captured_queries)):
        admin.get(part_url)


def test_profile_panel_reads_the_ledger_once_and_matches_the_separate_reads(
    org: Any, django_assert_num_queries: Any
) -> None:
    import datetime as dt

    from django.test import RequestFactory
    from django.utils import timezone

    from training import panels
    from training.ledger import selectors as ledger_selectors

    year = timezone.localdate().year
    for i, (on, jp) in enumerate(
        [(dt.date(year, 2, 1), 8), (dt.date(year, 3, 1), 6), (dt.date(year - 1, 5, 1), 30)]
        + [(dt.date(year - 2, m, 1), 2) for m in range(1, 7)]
    ):
        ledger_services.learning_credit(
            employee=org.staff,
            jp=jp,
            on_date=on,
            title=f"Kegiatan {i}",
            source_type="import",
            source_id=f"panel-{i}",
            actor=None,
        )
    from people.models import Employee

    request = RequestFactory().get("/")
    request.user = org.admin.user
    staff = Employee.objects.get(pk=org.staff.pk)
    with django_assert_num_queries(1):  # the panel's figures and the timeline's trainings in one round trip
        card = panels.profile_panel(request, staff)
        timeline = list(panels.timeline(staff))  # read with the panel: nothing more
    assert card is not None
    assert card["jp"] == ledger_selectors.jp_totals([org.staff.pk], year)[org.staff.pk] == Decimal("14")
    assert [(r["date"], r["title"], r["jp"]) for r in card["last"]] == [
        (r.date, r.title, r.jp) for r in ledger_selectors.last_trainings(employee_id=org.staff.pk)
    ]
    assert len(card["last"]) == 5 and all(isinstance(r["jp"], Decimal) for r in card["last"])
    assert timeline == list(panels.timeline(Employee.objects.get(pk=org.staff.pk)))  # as the source reads alone
    with django_assert_num_queries(1):
        empty = panels.profile_panel(request, org.staff2)
    assert empty is not None and empty["jp"] == 0 and empty["last"] == []


def test_reused_page_fragments_show_every_change_at_once(org: Any) -> None:
    from training.models import Course, CourseOffering

    course = CourseFactory(agency=org.agency, title="Judul Lama")
    offering = OfferingFactory(course=course, capacity=5)
    staff, admin = client_for(org.staff), client_for(org.admin)
    assert "Judul Lama" in main_text(staff.get(reverse("training:catalogue")))
    assert "0/5" in main_text(admin.get(reverse("training:manage")))
    Course.objects.filter(pk=course.pk).update(title="Judul Baru")
    CourseOffering.objects.filter(pk=offering.pk).update(seats_taken=3)
    catalogue = main_text(staff.get(reverse("training:catalogue")))
    assert "Judul Baru" in catalogue and "Judul Lama" not in catalogue
    manage = main_text(admin.get(reverse("training:manage")))
    assert "Judul Baru" in manage and "3/5" in manage and "Judul Lama" not in manage


def test_team_page_counts_the_whole_team_below_the_target_on_every_page(org: Any) -> None:
    """The "n dari m" line comes with the page's rows (window counts over the whole team): the same figures as
    `team_below_target_count`, on a later page, and on a page past the end."""
    from tests.people.factories import EmployeeFactory
    from training.ledger import selectors as ledger_selectors

    team = [EmployeeFactory(unit=org.dinas, position=org.staff.position) for _ in range(27)]
    for i, emp in enumerate(team[:4]):
        ledger_services.learning_credit(
            employee=emp,
            jp=Decimal("24"),
            on_date=timezone.localdate(),
            title="Diklat",
            source_type="test",
            source_id=i,
            actor=org.admin.user,
        )
    year = timezone.localdate().year
    below, total = ledger_selectors.team_below_target_count(user=org.head.user, year=year)
    assert total >= 27 and below == total - 4
    head = client_for(org.head)
    expected = f"{below} dari {total} anggota tim masih di bawah 20 JP."
    for page in ("", "?page=2", "?page=9"):
        html = head.get(reverse("training:team") + page).content.decode()
        assert expected in html, page
