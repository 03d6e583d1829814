"""External learning has no natural key (two webinars may share a title and a day), so its form and its API
carry an idempotency key: a double click or a retried request records it once (issue #12)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from asn_portal.models import AuditEntry
from tests.concurrency import at_once
from training.models import LearningRecord

pytestmark = pytest.mark.django_db(transaction=True)

BODY = {
    "title": "Webinar Manajemen ASN",
    "format": "seminar",
    "provider": "BPSDM Provinsi",
    "jp": "4",
    "certificate_number": "BPSDM/2026/0042",
}


def _body() -> dict[str, str]:
    return {**BODY, "on_date": timezone.localdate().isoformat()}


def test_the_form_posted_twice_at_once_records_one_learning(org: Any) -> None:
    def post(i: int) -> Any:
        c = Client()
        c.force_login(org.staff.user)
        return c.post("/pelatihan/saya/eksternal/", {**_body(), "idempotency_key": "eksternal-ganda-01"})

    responses = at_once(post)
    assert [r.status_code for r in responses] == [302, 302]  # both land on "Riwayat pembelajaran saya"
    assert {r["Location"] for r in responses} == {"/pelatihan/saya/"}
    assert LearningRecord.objects.filter(employee=org.staff, title=BODY["title"]).count() == 1
    assert AuditEntry.objects.filter(action="training.external_recorded").count() == 1


def test_the_form_carries_its_key(org: Any) -> None:
    c = Client()
    c.force_login(org.staff.user)
    assert 'name="idempotency_key"' in c.get("/pelatihan/saya/eksternal/").content.decode()


def test_the_api_retried_with_its_key_at_once_answers_201_and_200_with_one_record(org: Any) -> None:
    def post(i: int) -> Any:
        api = APIClient()
        api.force_authenticate(org.staff.user)
        return api.post("/api/v1/learning-records/", _body(), format="json", HTTP_IDEMPOTENCY_KEY="eksternal-api-01")

    responses = at_once(post)
    assert sorted(r.status_code for r in responses) == [200, 201]
    assert responses[0].json()["id"] == responses[1].json()["id"]
    assert LearningRecord.objects.filter(employee=org.staff, title=BODY["title"]).count() == 1
