"""Which agency an admin works on (issue #11): one function, `people.access.agency_for_request`, one
parameter name (`?agency=`) and one answer for another agency (404) on every page and endpoint."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.http import Http404
from django.test import Client

from people.access import agency_for_request
from people.choices import AgencyRoleKind
from people.models import AgencyRole
from tests.conftest import api_as
from tests.people.factories import AgencyFactory

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    "/pelatihan/kelola/pelatihan/baru/",
    "/pelatihan/kelola/angkatan/baru/",
    "/pelatihan/laporan/kepatuhan-jp/",
    "/pelatihan/laporan/kebutuhan/",
    "/kompetensi/impor/templat.csv",
    "/kinerja/periode/",
    "/kinerja/statistik/",
    "/karier/rencana/",
    "/karier/bimbingan/kadens/",
    "/karier/tindak-lanjut/",
    "/kenaikan-pangkat/",
]


def _fresh(user: Any) -> Any:
    return get_user_model().objects.get(pk=user.pk)  # no cached scope


def test_a_bkd_admin_works_on_their_own_agency_by_default_and_may_name_it(org: Any) -> None:
    user = org.admin.user
    assert agency_for_request(user) == org.agency
    assert agency_for_request(user, str(org.agency.pk)) == org.agency
    assert agency_for_request(user, org.agency.pk) == org.agency


@pytest.mark.parametrize("requested", ["other", "9999999", "abc", "-1", "1e3", "99999999999999999999999"])
def test_another_unknown_or_malformed_agency_is_not_found(org: Any, requested: str) -> None:
    value = str(org.other_agency.pk) if requested == "other" else requested
    with pytest.raises(Http404):
        agency_for_request(org.admin.user, value)


def test_staff_and_heads_work_on_no_agency(org: Any) -> None:
    for emp in (org.staff, org.head):
        with pytest.raises(Http404):
            agency_for_request(emp.user)
        with pytest.raises(Http404):
            agency_for_request(emp.user, org.agency.pk)


def test_an_admin_of_two_agencies_defaults_to_their_own_and_may_pick_the_other(org: Any) -> None:
    third = AgencyFactory(name="Pemerintah Kabupaten Deli Serdang", code="deliserdang")
    # Their own agency has the higher id: the old "lowest id" rule picked the wrong one.
    AgencyRole.objects.create(user=org.admin.user, agency=third, role=AgencyRoleKind.HR_ADMIN)
    third_first = AgencyFactory(name="Kabupaten X", code="kabx")
    assert third_first.pk > org.agency.pk
    user = _fresh(org.admin.user)
    assert agency_for_request(user) == org.agency
    assert agency_for_request(user, third.pk) == third
    with pytest.raises(Http404):
        agency_for_request(user, third_first.pk)


def test_a_superuser_may_pick_any_agency_and_defaults_to_the_lowest_id(org: Any) -> None:
    su = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    assert agency_for_request(su, org.other_agency.pk) == org.other_agency
    assert agency_for_request(su) == org.agency  # created first: lowest id
    with pytest.raises(Http404):
        agency_for_request(su, "999999")


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_every_admin_page_answers_404_for_another_agency_and_200_for_their_own(org: Any, url: str) -> None:
    c = Client()
    c.force_login(org.admin.user)
    sep = "&" if "?" in url else "?"
    assert c.get(f"{url}{sep}agency={org.other_agency.pk}").status_code == 404
    assert c.get(f"{url}{sep}agency=abc").status_code == 404
    assert c.get(f"{url}{sep}agency={org.agency.pk}").status_code == 200
    # The old careers parameter is not a back door to another agency (it is simply ignored).
    r = c.get(f"{url}{sep}instansi={org.other_agency.pk}")
    assert r.status_code == 200


def test_a_page_write_for_another_agency_is_404_and_writes_nothing(org: Any) -> None:
    from careers.models import TalentReview

    c = Client()
    c.force_login(org.admin.user)
    r = c.post(f"/karier/talenta/?agency={org.other_agency.pk}", {"name": "MT 2025", "year": 2025})
    assert r.status_code == 404
    assert not TalentReview.objects.exists()


def test_every_admin_write_endpoint_answers_404_for_another_agency(org: Any) -> None:
    from tests.promotions.factories import period

    client = api_as(org.admin)
    foreign = f"?agency={org.other_agency.pk}"
    course = {"code": "K1", "title": "Kursus", "mode": "klasikal", "format": "teknis", "provider": "BKD", "jp": 10}
    competency = {"code": "T-01", "name": "Pengelolaan Arsip", "definition": "x", "order": 1}
    for_each: list[tuple[str, dict[str, Any]]] = [
        ("/api/v1/courses/", course),
        ("/api/v1/offerings/", {"course": 1, "name": "A"}),
        ("/api/v1/competencies/", competency),
        ("/api/v1/talent-reviews/", {"name": "MT 2025", "year": 2025}),
        ("/api/v1/promotion-proposals/send/", {"period": period(dt.date(2026, 12, 1)).pk}),
        ("/api/v1/employees/", {}),
    ]
    for url, body in for_each:
        r = client.post(url + foreign, body, format="json")
        assert r.status_code == 404, (url, r.status_code, r.content[:300])
        assert set(r.json()) == {"message", "extra"}
        # The same name in the body means the same thing.
        r = client.post(url, {**body, "agency": org.other_agency.pk}, format="json")
        assert r.status_code == 404, (url, "body", r.status_code, r.content[:300])
    assert client.post("/api/v1/courses/" + f"?agency={org.agency.pk}", course, format="json").status_code == 201


def test_the_precompiled_default_agency_and_own_units_equal_the_orms(org: Any) -> None:
    """An admin's default agency and an actor's own units (the units they may not decide on) are read by
    statements compiled once: the same agency row, field by field, and the same units as the ORM's reads."""
    from people.access import scope_for
    from people.decisions import own_unit_ids
    from people.models import Agency, Employee

    other = AgencyFactory()
    AgencyRole.objects.create(user=org.foreign_admin.user, agency=other, role=AgencyRoleKind.HR_ADMIN)
    for admin in (org.admin, org.foreign_admin):
        got = agency_for_request(_fresh(admin.user))
        expected = Agency.objects.get(pk=admin.agency_id)  # their own agency, which they administer
        fields = [f.attname for f in Agency._meta.concrete_fields]
        assert [getattr(got, f) for f in fields] == [getattr(expected, f) for f in fields]
    for emp in (org.admin, org.head, org.bidang_head, org.staff, org.other_head):
        user = _fresh(emp.user)
        unit = Employee.objects.filter(pk=emp.pk).values_list("unit_id", flat=True).first()
        assert own_unit_ids(user) == frozenset(set(scope_for(user).head_unit_ids) | {unit})
