"""The API's page-number paginator counts only when a page cannot tell the total (issue #13): a page with fewer
rows than the page size is the last one, so no `SELECT COUNT(*)` is sent; every page, every refusal (`abc`, `0`,
a page past the end) and every figure (`count`, `num_pages`, the rows) are the ones Django's paginator gives."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.paginator import InvalidPage, Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from asn_portal.api import CountWhenNeededPaginator
from people.models import OrgUnit
from tests.conftest import api_as

pytestmark = pytest.mark.django_db


def _outcome(paginator_class: type[Paginator], number: Any, per_page: int) -> tuple[Any, ...]:
    paginator = paginator_class(OrgUnit.objects.order_by("pk"), per_page)
    try:
        page = paginator.page(number)
    except InvalidPage as exc:
        return (type(exc), str(exc), paginator.count)
    rows = [u.pk for u in page]
    return (
        rows,
        page.number,
        paginator.count,
        paginator.num_pages,
        page.has_next(),
        page.has_previous(),
        page.start_index(),
        page.end_index(),
    )


def test_every_page_and_refusal_is_djangos(org: Any) -> None:
    total = OrgUnit.objects.count()
    assert 3 <= total < 50  # full, partial and empty pages all occur across the page sizes below
    for per_page in (1, 2, 3, total, 50):
        for number in (1, 2, 3, 4, "1", "2", 7, 0, -1, "abc", "1.0", 1.0, 2.5, None, ""):
            ours = _outcome(CountWhenNeededPaginator, number, per_page)
            assert ours == _outcome(Paginator, number, per_page), (per_page, number)


def test_a_partial_page_is_one_query_and_a_full_page_still_counts(org: Any) -> None:
    total = OrgUnit.objects.count()
    queryset = OrgUnit.objects.order_by("pk")
    with CaptureQueriesContext(connection) as partial:
        paginator = CountWhenNeededPaginator(queryset, total + 5)
        assert len(list(paginator.page(1))) == total and paginator.count == total and paginator.num_pages == 1
    assert len(partial.captured_queries) == 1
    assert not partial.captured_queries[0]["sql"].upper().startswith("SELECT COUNT(")
    with CaptureQueriesContext(connection) as full:
        paginator = CountWhenNeededPaginator(queryset, total)
        assert len(list(paginator.page(1))) == total and paginator.count == total
    assert len(full.captured_queries) == 2  # a full page cannot tell whether more rows follow: it counts
    with CaptureQueriesContext(connection) as empty:
        paginator = CountWhenNeededPaginator(OrgUnit.objects.filter(pk__lt=0), 50)
        assert list(paginator.page(1)) == [] and paginator.count == 0 and paginator.num_pages == 1
    assert len(empty.captured_queries) == 1  # an empty first page is a valid page of nothing, as in Django


def test_an_api_list_on_one_page_answers_the_same_count_without_counting(org: Any) -> None:
    client = api_as(org.admin)
    with CaptureQueriesContext(connection) as ctx:
        body = client.get("/api/v1/units/").json()
    # the access log's write (with its roll-ups) is not the list's query
    counts = [q["sql"] for q in ctx.captured_queries if q["sql"].upper().startswith("SELECT COUNT(")]
    assert not counts, counts
    visible = OrgUnit.objects.filter(agency=org.agency).count()
    assert body["count"] == visible == len(body["results"]) and body["next"] is None and body["previous"] is None
    paged = client.get("/api/v1/units/?page_size=2&page=2").json()
    assert paged["count"] == visible and len(paged["results"]) == min(2, visible - 2) and paged["previous"]
    assert bool(paged["next"]) == (visible > 4)
    assert client.get("/api/v1/units/?page=9").status_code == 404
    assert client.get("/api/v1/units/?page=last&page_size=2").json()["count"] == visible
