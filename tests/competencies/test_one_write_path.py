"""One write path (issue #11): the dictionary page and the API create and edit technical competencies
through the same services, so the same input gives the same row and the same audit entries."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from asn_portal.models import AuditEntry
from competencies.models import Competency
from tests.conftest import api_as

pytestmark = pytest.mark.django_db

FIELDS = ("name", "definition", "level_1", "level_2", "level_3", "level_4", "level_5", "order", "is_active")
BODY = {
    "name": "Pengelolaan Arsip Dinamis",
    "definition": "Mengelola arsip aktif dan inaktif.",
    "level_1": "Mengenal",
    "level_2": "Menerapkan",
    "level_3": "Mengembangkan",
    "level_4": "Mengevaluasi",
    "level_5": "Merumuskan kebijakan",
    "order": 3,
    "is_active": True,
}


def _audit(c: Competency) -> list[tuple[str, Any, Any]]:
    rows = AuditEntry.objects.filter(object_type="competencies.competency", object_id=str(c.pk)).order_by("pk")
    return [(a.action, a.before, {k: v for k, v in a.after.items() if k != "code"}) for a in rows]


def test_a_competency_created_and_edited_on_the_page_and_through_the_api_gives_the_same_rows_and_audit(
    org: Any,
) -> None:
    page = Client()
    page.force_login(org.admin.user)
    r = page.post("/kompetensi/kamus/tambah/", {**BODY, "code": "ARS-P"})
    assert r.status_code == 302, r.content.decode()[:2000]
    r = api_as(org.admin).post("/api/v1/competencies/", {**BODY, "code": "ARS-A"}, format="json")
    assert r.status_code == 201, r.json()
    by_page, by_api = Competency.objects.get(code="ARS-P"), Competency.objects.get(code="ARS-A")

    edit = {"name": "Pengelolaan Arsip", "order": 4}
    r = page.post(f"/kompetensi/kamus/{by_page.pk}/ubah/", {**BODY, "code": "ARS-P", **edit})
    assert r.status_code == 302, r.content.decode()[:2000]
    r = api_as(org.admin).patch(f"/api/v1/competencies/{by_api.pk}/", edit, format="json")
    assert r.status_code == 200, r.json()

    by_page.refresh_from_db()
    by_api.refresh_from_db()
    assert [getattr(by_page, f) for f in FIELDS] == [getattr(by_api, f) for f in FIELDS]
    assert (by_page.agency_id, by_page.kind) == (by_api.agency_id, by_api.kind) == (org.agency.pk, "technical")
    assert _audit(by_page) == _audit(by_api)
    # The edit says what changed, before and after (the old entry only listed the new name).
    assert _audit(by_api)[1] == (
        "competencies.competency_update",
        {"name": "Pengelolaan Arsip Dinamis", "order": 3},
        {"name": "Pengelolaan Arsip", "order": 4},
    )
