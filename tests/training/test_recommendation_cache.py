"""Recommendations are read from the cache while their inputs are unchanged, and are recomputed as soon as any
of them changes: the employee's gaps, the catalogue (a course, its competencies, an offering's seats or dates)
or the employee's completions. Each step compares the cached answer with the live ranking."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from training.defaults import ensure_defaults
from training.ledger import services as ledger_services
from training.models import Course, CourseOffering
from training.needs import selectors as needs_selectors

from .factories import CourseFactory, OfferingFactory, develops, enrolled

pytestmark = pytest.mark.django_db


def _shown(employee: Any) -> list[tuple[str, int, bool, Any]]:
    return [
        (c.title, c.gap_closed, c.available, c.next_start)  # type: ignore[attr-defined]
        for c in needs_selectors.recommended_courses(employee=employee)
    ]


def _live(employee: Any) -> list[tuple[str, int, bool, Any]]:
    return [
        (c.title, c.gap_closed, c.available, c.next_start)  # type: ignore[attr-defined]
        for c in needs_selectors.rank_recommended_courses(employee=employee)
    ]


@pytest.fixture
def gaps(org: Any) -> list[Any]:
    from tests.competencies.factories import national, record, set_standard

    cache.clear()
    ensure_defaults()
    m = national()
    set_standard(org.staff.position, [4, 3], m[:2])
    record(org.staff, {m[0].pk: 1, m[1].pk: 2})  # gaps: 3 and 1
    return m


def test_a_repeated_read_comes_from_the_cache_and_equals_the_live_ranking(
    org: Any, gaps: list[Any], django_assert_num_queries: Any
) -> None:
    develops(CourseFactory(agency=org.agency, title="Kebijakan"), gaps[0], 4)
    develops(CourseFactory(agency=org.agency, title="Pelayanan"), gaps[1], 3)
    first = _shown(org.staff)
    assert [t for t, *_ in first] == ["Kebijakan", "Pelayanan"]
    with django_assert_num_queries(4):  # gap rows (3) and the inputs' digest: no ranking query
        again = _shown(org.staff)
    assert again == first == _live(org.staff)


def test_catalogue_changes_are_seen_at_once(org: Any, gaps: list[Any]) -> None:
    policy = CourseFactory(agency=org.agency, title="Kebijakan")
    develops(policy, gaps[0], 2)
    assert [t for t, *_ in _shown(org.staff)] == ["Kebijakan"]
    # a new course closing a bigger gap goes first
    develops(CourseFactory(agency=org.agency, title="Kebijakan Lanjut"), gaps[0], 4)
    assert [t for t, *_ in _shown(org.staff)] == ["Kebijakan Lanjut", "Kebijakan"] == [t for t, *_ in _live(org.staff)]
    # a course's target level raised: it closes more of the gap
    policy.course_competencies.update(target_level=4)
    assert ("Kebijakan", 3) in [(t, g) for t, g, *_ in _shown(org.staff)]
    # a course withdrawn from the catalogue disappears
    Course.objects.filter(pk=policy.pk).update(is_active=False)
    assert [t for t, *_ in _shown(org.staff)] == ["Kebijakan Lanjut"] == [t for t, *_ in _live(org.staff)]


def test_offering_seats_and_dates_are_seen_at_once(org: Any, gaps: list[Any]) -> None:
    course = CourseFactory(agency=org.agency, title="Kebijakan")
    develops(course, gaps[0], 4)
    assert _shown(org.staff)[0][2:] == (False, None)  # no offering yet
    offering = OfferingFactory(course=course, capacity=1)
    assert _shown(org.staff)[0][2:] == (True, offering.start_date)  # open with a seat
    enrolled(offering, org.staff2)  # the last seat taken
    assert _shown(org.staff)[0][2] is False
    assert _shown(org.staff) == _live(org.staff)
    later = timezone.localdate() + dt.timedelta(days=40)
    CourseOffering.objects.filter(pk=offering.pk).update(start_date=later, end_date=later)
    assert _shown(org.staff)[0][3] == timezone.localdate() + dt.timedelta(days=40)


def test_the_employees_completions_and_gaps_are_seen_at_once(org: Any, gaps: list[Any]) -> None:
    from tests.competencies.factories import record

    policy = CourseFactory(agency=org.agency, title="Kebijakan")
    develops(policy, gaps[0], 4)
    service = CourseFactory(agency=org.agency, title="Pelayanan")
    develops(service, gaps[1], 3)
    assert [t for t, *_ in _shown(org.staff)] == ["Kebijakan", "Pelayanan"]
    # a completion credited to the ledger for the course: it is no longer recommended
    ledger_services.learning_credit(
        employee=org.staff,
        jp=24,
        on_date=timezone.localdate(),
        title=policy.title,
        source_type="import",
        source_id="riwayat-cache",
        course=policy,
        actor=None,
    )
    assert [t for t, *_ in _shown(org.staff)] == ["Pelayanan"]
    # the gap closed by a new assessment: nothing left to recommend
    record(org.staff, {gaps[0].pk: 4, gaps[1].pk: 3}, on=timezone.localdate())
    assert _shown(org.staff) == [] == _live(org.staff)


def test_each_employee_gets_their_own_recommendations(org: Any, gaps: list[Any]) -> None:
    develops(CourseFactory(agency=org.agency, title="Kebijakan"), gaps[0], 4)
    # same post, same catalogue: the assessed employee closes 3 levels, the one never assessed 4
    assert [(t, g) for t, g, *_ in _shown(org.staff)] == [("Kebijakan", 3)]
    assert [(t, g) for t, g, *_ in _shown(org.staff2)] == [("Kebijakan", 4)]
    assert _shown(org.staff2) == _live(org.staff2)


def test_the_api_shows_a_changed_recommendation_at_once(org: Any, gaps: list[Any]) -> None:
    from tests.conftest import api_as

    course = CourseFactory(agency=org.agency, title="Kebijakan")
    develops(course, gaps[0], 4)
    url = f"/api/v1/employees/{org.staff.pk}/recommendations/"
    client = api_as(org.admin)
    assert [(c["title"], c["gap_closed"], c["available"]) for c in client.get(url).json()["results"]] == [
        ("Kebijakan", 3, False)
    ]
    Course.objects.filter(pk=course.pk).update(title="Kebijakan Publik")
    OfferingFactory(course=course)
    assert [(c["title"], c["gap_closed"], c["available"]) for c in client.get(url).json()["results"]] == [
        ("Kebijakan Publik", 3, True)
    ]


def test_the_api_rows_equal_the_live_ranking_after_each_change(org: Any, gaps: list[Any]) -> None:
    import json

    from rest_framework.renderers import JSONRenderer

    from competencies.models import Competency
    from tests.conftest import api_as
    from training.api.serializers import RecommendedCourseSerializer
    from training.models import CourseCompetency

    course = CourseFactory(agency=org.agency, title="Kebijakan", description="Lama")
    link = develops(course, gaps[0], 4)
    develops(CourseFactory(agency=org.agency, title="Pelayanan"), gaps[1], 3)
    url = f"/api/v1/employees/{org.staff.pk}/recommendations/"
    client = api_as(org.admin)

    def same() -> None:
        live = RecommendedCourseSerializer(needs_selectors.rank_recommended_courses(employee=org.staff), many=True)
        assert client.get(url).json()["results"] == json.loads(JSONRenderer().render(live.data))

    same()
    same()  # from the cache
    Course.objects.filter(pk=course.pk).update(description="Baru")  # a column the rows show
    same()
    Competency.objects.filter(pk=gaps[0].pk).update(name="Nama Baru")  # a competency's name on the rows
    same()
    CourseCompetency.objects.filter(pk=link.pk).update(target_level=3)  # the gap it closes
    same()
    OfferingFactory(course=course)  # now available
    same()
