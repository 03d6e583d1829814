"""One write path (issue #11): a talent-review period opened on the page and through the API goes through
`review_create` for the same agency (people.access.agency_for), so both give the same row and audit."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from asn_portal.models import AuditEntry
from careers.models import TalentReview
from tests.conftest import api_as

pytestmark = pytest.mark.django_db


def _audit(r: TalentReview) -> list[tuple[str, Any, Any, Any]]:
    rows = AuditEntry.objects.filter(object_type="careers.talentreview", object_id=str(r.pk))
    return list(rows.values_list("action", "after", "actor_id", "agency_id"))


def test_a_talent_review_opened_on_the_page_and_through_the_api_gives_the_same_row_and_audit(org: Any) -> None:
    page = Client()
    page.force_login(org.admin.user)
    r = page.post("/karier/talenta/", {"name": "Manajemen Talenta 2025", "year": 2025})
    assert r.status_code == 302, r.content.decode()[:2000]
    r = api_as(org.admin).post("/api/v1/talent-reviews/", {"name": "Manajemen Talenta 2025", "year": 2025})
    assert r.status_code == 201, r.json()
    by_page, by_api = TalentReview.objects.order_by("pk")
    fields = ("agency_id", "name", "year", "status", "scheme")
    assert [getattr(by_page, f) for f in fields] == [getattr(by_api, f) for f in fields]
    assert by_page.agency_id == org.agency.pk
    assert (
        _audit(by_page)
        == _audit(by_api)
        == [("talent_review.create", {"year": 2025}, org.admin.user.pk, org.agency.pk)]
    )
