"""Coverage of the access log (issue #16): every detail page and API endpoint per part of a person's record,
read by a head and by a BKD admin, leaves a row in that person's log; routes with an employee id are all
known to the logger."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from people import access_log
from people.choices import AccessPart
from people.models import RecordAccess
from tests.careers import factories as cf
from tests.conftest import api_as
from tests.performance import factories as pf

pytestmark = pytest.mark.django_db


def _client(emp: Any) -> Client:
    c = Client()
    c.force_login(emp.user)
    return c


def _cases(org: Any) -> list[tuple[str, str]]:
    """(url, part) for one subject (org.staff) per part of the record, pages and API."""
    from promotions.proposals import services as promotion_services
    from tests.promotions.factories import give_predikat, period, reference_data, set_rank
    from training.ledger import services as training_services

    s = org.staff
    skp = pf.plan(s)
    career = cf.plan(s)
    session = cf.session(org.head, [s])
    review = cf.review(org.agency.pk, status="published")
    cf.placement(review, s, 5)
    record = training_services.learning_credit(
        employee=s,
        jp=4,
        on_date=dt.date(2026, 3, 1),
        title="Webinar",
        source_type="manual",
        source_id=1,
        actor=org.admin.user,
    )
    reference_data()
    set_rank(org.head, "IV/a", dt.date(2018, 4, 1))
    give_predikat([s], [2023, 2024, 2025])
    with time_machine.travel(dt.datetime(2026, 11, 13, 9, 0, tzinfo=dt.UTC)):
        proposal = promotion_services.proposal_create(
            employee=s, period=period(dt.date(2026, 12, 1)), actor=org.admin.user
        )
    return [
        (f"/pegawai/{s.pk}/", AccessPart.PROFILE),
        (f"/kompetensi/pegawai/{s.pk}/", AccessPart.COMPETENCY),
        (f"/kinerja/skp/{skp.pk}/", AccessPart.SKP),
        (f"/kinerja/skp/{skp.pk}/cetak/skp/", AccessPart.SKP),
        (f"/karier/rencana/{career.pk}/", AccessPart.CAREER_PLAN),
        (f"/karier/bimbingan/{session.pk}/", AccessPart.MENTORING),
        (f"/karier/talenta/{review.pk}/kotak/5/", AccessPart.TALENT),
        (f"/karier/pegawai/{s.pk}/linimasa/", AccessPart.TIMELINE),
        (f"/kenaikan-pangkat/pegawai/{s.pk}/", AccessPart.PROMOTION),
        (f"/kenaikan-pangkat/usulan/{proposal.pk}/", AccessPart.PROMOTION),
        (f"/api/v1/employees/{s.pk}/", AccessPart.PROFILE),
        (f"/api/v1/employees/{s.pk}/competency-profile/", AccessPart.COMPETENCY),
        (f"/api/v1/employees/{s.pk}/predikat-history/", AccessPart.SKP),
        (f"/api/v1/employees/{s.pk}/jp-summary/", AccessPart.TRAINING),
        (f"/api/v1/employees/{s.pk}/recommendations/", AccessPart.TRAINING),
        (f"/api/v1/employees/{s.pk}/timeline/", AccessPart.TIMELINE),
        (f"/api/v1/employees/{s.pk}/promotion-outlook/", AccessPart.PROMOTION),
        (f"/api/v1/performance-plans/{skp.pk}/", AccessPart.SKP),
        (f"/api/v1/career-plans/{career.pk}/", AccessPart.CAREER_PLAN),
        (f"/api/v1/mentoring-sessions/{session.pk}/", AccessPart.MENTORING),
        (f"/api/v1/learning-records/{record.pk}/", AccessPart.TRAINING),
        (f"/api/v1/promotion-proposals/{proposal.pk}/", AccessPart.PROMOTION),
    ]


@pytest.mark.parametrize("viewer", ["head", "admin"])
def test_every_part_read_by_a_head_or_admin_is_in_the_persons_log(org: Any, viewer: str) -> None:
    cases = _cases(org)
    who = getattr(org, viewer)
    page, api = _client(who), api_as(who)
    missing = []
    for url, part in cases:
        RecordAccess.objects.all().delete()
        response = (api if url.startswith("/api/") else page).get(url)
        if response.status_code != 200:
            missing.append((url, response.status_code))
            continue
        if not RecordAccess.objects.filter(subject=org.staff, part=part, viewer=who.user).exists():
            missing.append((url, part))
    assert missing == []


def test_the_persons_own_reads_leave_nothing(org: Any) -> None:
    cases = _cases(org)
    page, api = _client(org.staff), api_as(org.staff)
    for url, _part in cases:
        if "/talenta/" in url:
            continue  # the 9-box review page is for heads and BKD
        (api if url.startswith("/api/") else page).get(url)
    assert not RecordAccess.objects.filter(subject=org.staff).exists()


def _routes() -> list[tuple[str, str]]:
    def walk(resolver: URLResolver, prefix: str, ns: str | None) -> Any:
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                yield from walk(p, prefix + str(p.pattern), p.namespace or ns)
            elif isinstance(p, URLPattern) and p.name:
                yield prefix + str(p.pattern), f"{ns}:{p.name}" if ns else p.name

    return list(walk(get_resolver(), "", None))


def test_every_route_with_an_employee_id_is_logged() -> None:
    """A new page or endpoint under /pegawai/<pk>/, …/pegawai/<pk>/… or /api/v1/employees/{id}/… must be
    added to people.access_log.EMPLOYEE_ROUTES (or record itself)."""
    employee_routes = {
        name
        for route, name in _routes()
        if ("pegawai/<int:pk>" in route or "employees/<int:pk>" in route or "employees/(?P<pk>" in route)
        and not route.startswith("admin/")
    }
    known = set(access_log.EMPLOYEE_ROUTES) | {"people:access-log"}  # the log itself records as log_akses
    assert employee_routes - known == set()
