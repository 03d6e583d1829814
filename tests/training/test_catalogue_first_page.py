"""The catalogue as opened (no search, first page) is read by statements compiled once per process (issue #13): its
rows, "next page" flag and search-form competencies equal the ORM's for every kind of user, and the page itself is
the same HTML whichever path read it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from asn_portal.pagination import uncounted_page
from competencies.models import Competency
from tests.competencies.factories import national
from training.catalogue import selectors
from training.defaults import ensure_defaults
from training.filters import competency_choices

from .factories import CourseFactory, OfferingFactory, develops

pytestmark = pytest.mark.django_db


def _orm_rows(user: Any) -> tuple[list[tuple[Any, ...]], bool]:
    page = uncounted_page(selectors.catalogue_courses(user=user), None, selectors.CATALOGUE_PAGE_SIZE)
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
    return rows, page.has_next


def _catalogue(org: Any, n: int) -> None:
    comps = national()
    local = Competency.objects.create(
        agency=org.agency, name="Kompetensi Lokal Medan", code="LOKAL-1", order=99, kind=comps[0].kind
    )
    today = timezone.localdate()
    for i in range(n):
        course = CourseFactory(agency=org.agency, title=f"Pelatihan {i % 7} {i}", jp=Decimal("12.5") + i)
        for j, comp in enumerate(comps[i % 3 : i % 3 + (i % 4)]):
            develops(course, comp, 1 + (i + j) % 5)
        if i % 5 == 0:
            develops(course, local, 3)
        if i % 2 == 0:  # an open offering (the later one is the next start), a closed one, a draft
            for days, status in ((30 + i, "open"), (10 + i, "open"), (1, "draft")):
                start = today + dt.timedelta(days=days)
                OfferingFactory(course=course, status=status, start_date=start, end_date=start + dt.timedelta(2))
    CourseFactory(agency=org.agency, title="Pelatihan 0 nonaktif", is_active=False)
    CourseFactory(agency=org.other_agency, title="Pelatihan 0 Pontianak")


@pytest.mark.parametrize("courses", [0, 3, 20, 27])
def test_first_page_equals_the_orm_for_every_kind_of_user(org: Any, courses: int) -> None:
    _catalogue(org, courses)
    for emp in (org.staff, org.head, org.admin, org.foreign_admin, org.foreign_staff, org.bidang_staff):
        first = selectors.catalogue_first_page(user=emp.user)
        assert first is not None, emp.name
        rows, has_next = _orm_rows(emp.user)
        assert first.rows == rows and first.has_next == has_next, emp.name
        form = list(competency_choices(SimpleNamespace(user=emp.user)).values_list("pk", "name"))
        assert first.competencies == form, emp.name
        assert [type(v) for v in first.rows[0]] == [type(v) for v in rows[0]] if rows else True
    if courses >= 20:
        assert selectors.catalogue_first_page(user=org.staff.user).has_next == (courses > 20)  # type: ignore[union-attr]


def test_superuser_reads_the_catalogue_through_the_orm(org: Any, django_user_model: Any) -> None:
    root = django_user_model.objects.create_superuser(username="root", password="x")
    assert selectors.catalogue_first_page(user=root) is None


def test_catalogue_page_is_the_same_html_from_either_path(org: Any) -> None:
    ensure_defaults()
    _catalogue(org, 24)
    c = Client()
    c.force_login(org.staff.user)
    url = reverse("training:catalogue")
    fast = c.get(url).content.decode().split("<main", 1)[1]  # the rows rendered from the ORM's courses, kept
    again = c.get(url).content.decode().split("<main", 1)[1]  # the kept fragment, found by the statements' rows
    assert fast == again
    orm = c.get(url + "?page=1").content.decode()  # a bound (empty) search: the ORM's path
    table = fast[fast.index('<div class="table-responsive">') :]
    assert table[: table.index("</table>")] in orm and "Pelatihan 0 0" in table


def test_a_rows_competencies_keep_the_order_they_were_added_in_after_an_edit(org: Any) -> None:
    """Without an order PostgreSQL returns a course's competency lines as its plan reads them: by competency through
    the (course, competency) index, or in the table's order, where an edited line is a new row version at the end.
    Both paths list them in the order they were added, here the reverse of the competencies' own order, with the
    first line edited."""
    comps = sorted(national()[:3], key=lambda c: c.pk, reverse=True)
    course = CourseFactory(agency=org.agency, title="Pelatihan urutan")
    lines = [develops(course, comp, 2) for comp in comps]
    type(lines[0]).objects.filter(pk=lines[0].pk).update(target_level=4)
    expected = [(comps[0].name, 4), (comps[1].name, 2), (comps[2].name, 2)]
    first = selectors.catalogue_first_page(user=org.staff.user)
    assert first is not None
    (row,) = [r for r in first.rows if r[1] == "Pelatihan urutan"]
    assert row[6] == expected
    orm_rows, _ = _orm_rows(org.staff.user)
    (orm_row,) = [r for r in orm_rows if r[1] == "Pelatihan urutan"]
    assert orm_row[6] == expected
