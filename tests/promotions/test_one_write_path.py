"""One write path (issue #11): a vacancy opened on the page and through the API goes through
`vacancy_open`, so both give the same vacancy row, the same ranked candidates and the same audit entry."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from asn_portal.models import AuditEntry
from promotions.models import PositionVacancy
from tests.conftest import api_as
from tests.people.factories import PositionFactory
from tests.promotions.factories import give_predikat, set_rank

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(org: Any, today: dt.date, refdata: None) -> Any:
    for head in (org.head, org.bidang_head, org.other_head):
        set_rank(head, "IV/a", dt.date(2018, 4, 1))
    give_predikat([org.staff, org.staff2, org.bidang_staff, org.other_staff], [2024, 2025])
    return org


def _row(v: PositionVacancy) -> tuple[Any, ...]:
    cands = [(c.employee_id, c.rank) for c in v.candidates.order_by("rank")]
    return v.agency_id, v.status, v.notes, v.opened_by_id, v.weights, cands


def test_a_vacancy_opened_on_the_page_and_through_the_api_gives_the_same_rows_and_audit(setup: Any) -> None:
    kw = {"unit": setup.dinas, "kind": "pengawas", "headcount": 1, "reports_to": setup.head.position}
    by_page_post, by_api_post = PositionFactory(**kw), PositionFactory(**kw)
    page = Client()
    page.force_login(setup.admin.user)
    r = page.post("/kenaikan-pangkat/lowongan/", {"position": by_page_post.pk, "notes": "Formasi 2026"})
    assert r.status_code == 302, r.content.decode()[:2000]
    r = api_as(setup.admin).post("/api/v1/vacancies/", {"position": by_api_post.pk, "notes": "Formasi 2026"})
    assert r.status_code == 201, r.json()
    by_page = PositionVacancy.objects.get(position=by_page_post)
    by_api = PositionVacancy.objects.get(position=by_api_post)
    assert _row(by_page) == _row(by_api)
    assert _row(by_page)[5], "candidates were ranked"
    audits = [
        list(
            AuditEntry.objects.filter(object_type="promotions.positionvacancy", object_id=str(v.pk)).values_list(
                "action", "actor_id", "agency_id"
            )
        )
        for v in (by_page, by_api)
    ]
    assert audits[0] == audits[1] == [("vacancy.open", setup.admin.user.pk, setup.agency.pk)]
