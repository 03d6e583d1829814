"""The API's filter backend (asn_portal.filters.FilterBackend, issue #13) answers exactly what django-filter's
`DjangoFilterBackend` answers: the same rows for every filter parameter, the same 400 for a bad one; it only
builds an automatic FilterSet class once per view and skips a plain FilterSet when no parameter names it."""

from __future__ import annotations

from typing import Any

import django_filters
import pytest
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from asn_portal.filters import FilterBackend
from people.models import OrgUnit
from tests.conftest import api_as

pytestmark = pytest.mark.django_db


class _View:
    filterset_fields = ["agency", "parent", "kind", "is_active"]


def _request(query: str) -> Request:
    return Request(APIRequestFactory().get(f"/x/?{query}"))


@pytest.mark.parametrize(
    "query",
    ["", "page=2", "kind=bidang", "is_active=true", "is_active=false", "parent=1", "agency=1&kind=dinas", "kind="],
)
def test_same_rows_as_django_filter(org: Any, query: str) -> None:
    queryset = OrgUnit.objects.order_by("pk")
    if "parent=1" in query:
        query = f"parent={org.dinas.pk}"
    if "agency=1" in query:
        query = query.replace("agency=1", f"agency={org.agency.pk}")
    ours = FilterBackend().filter_queryset(_request(query), queryset, _View())
    theirs = DjangoFilterBackend().filter_queryset(_request(query), queryset, _View())
    assert list(ours) == list(theirs)


def test_a_bad_parameter_is_still_a_400_and_a_filter_still_filters(org: Any) -> None:
    client = api_as(org.admin)
    assert client.get("/api/v1/units/?agency=abc").status_code == 400
    every = client.get("/api/v1/units/").json()["results"]
    bidang = client.get("/api/v1/units/?kind=bidang").json()["results"]
    assert {u["id"] for u in bidang} == {u["id"] for u in every if u["kind"] == "bidang"} and len(bidang) < len(every)


def test_the_automatic_filterset_class_is_built_once_per_view() -> None:
    backend = FilterBackend()
    first = backend.get_filterset_class(_View(), OrgUnit.objects.all())
    assert FilterBackend().get_filterset_class(_View(), OrgUnit.objects.all()) is first
    assert set(first.base_filters) == {"agency", "parent", "kind", "is_active"}

    class _Other:
        filterset_fields = ["kind"]

    assert set(backend.get_filterset_class(_Other(), OrgUnit.objects.all()).base_filters) == {"kind"}


class _OwnQs(django_filters.FilterSet):
    class Meta:
        model = OrgUnit
        fields = ["kind"]

    @property
    def qs(self) -> Any:
        return super().qs.filter(kind="bidang")  # a FilterSet that filters by default


class _CustomFilter(django_filters.CharFilter):
    def filter(self, qs: Any, value: Any) -> Any:
        return qs.filter(is_active=True)


class _OwnFilter(django_filters.FilterSet):
    kind = _CustomFilter()

    class Meta:
        model = OrgUnit
        fields: list[str] = []


class _Required(django_filters.FilterSet):
    kind = django_filters.CharFilter(required=True)

    class Meta:
        model = OrgUnit
        fields: list[str] = []


class _Plain(django_filters.FilterSet):
    created = django_filters.DateFromToRangeFilter(field_name="created_at")
    q = django_filters.CharFilter(method="search")

    class Meta:
        model = OrgUnit
        fields = ["kind"]

    def search(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(name__icontains=value)


def _run(filterset_class: type[Any], query: str) -> Any:
    class View:
        pass

    View.filterset_class = filterset_class  # type: ignore[attr-defined]
    return FilterBackend().filter_queryset(_request(query), OrgUnit.objects.order_by("pk"), View())


def test_a_filterset_of_its_own_always_runs(org: Any) -> None:
    org.other_dinas.is_active = False
    org.other_dinas.save()
    assert {u.kind for u in _run(_OwnQs, "")} == {"bidang"}
    assert all(u.is_active for u in _run(_OwnFilter, "")) and not all(u.is_active for u in OrgUnit.objects.all())
    with pytest.raises(Exception, match="kind"):
        list(_run(_Required, ""))


def test_a_plain_filterset_is_skipped_only_without_its_parameters(org: Any) -> None:
    everything = list(OrgUnit.objects.order_by("pk"))
    assert list(_run(_Plain, "")) == everything
    assert list(_run(_Plain, "page=2&page_size=5")) == everything
    assert list(_run(_Plain, "q=bidang")) == [org.bidang]
    assert list(_run(_Plain, "created_after=2999-01-01")) == []  # a suffixed widget's parameter is seen
    assert list(_run(_Plain, "kind=bidang")) == [u for u in everything if u.kind == "bidang"]
