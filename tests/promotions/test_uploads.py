"""KP proposal documents (issue 11): refused types on the page and the API, private storage, and the
document download scoped like the proposal page."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from promotions.models import PromotionProposal, ProposalDocument
from promotions.proposals import services as proposal_services
from tests.asn_portal.upload_samples import PDF, REFUSED_DOCUMENTS, TYPE_REFUSED, png, upload
from tests.conftest import api_as
from tests.promotions.factories import give_predikat, period, set_rank

pytestmark = pytest.mark.django_db
DEC = dt.date(2026, 12, 1)


@pytest.fixture
def proposal(org: Any, today: dt.date, refdata: None) -> PromotionProposal:
    set_rank(org.head, "IV/a", dt.date(2018, 4, 1))
    give_predikat([org.staff], [2023, 2024, 2025])
    return proposal_services.proposal_create(employee=org.staff, period=period(DEC), actor=org.admin.user)


def _client(employee: Any) -> Client:
    c = Client()
    c.force_login(employee.user)
    return c


def _upload_page(org: Any, proposal: PromotionProposal, file: Any) -> Any:
    url = reverse("promotions:proposal-action", args=[proposal.pk, "upload"])
    return _client(org.admin).post(url, {"kind": "sk_pangkat", "file": file}, follow=True)


def _document(org: Any, proposal: PromotionProposal) -> ProposalDocument:
    r = _upload_page(org, proposal, upload("SK Pangkat Terakhir.pdf", PDF))
    assert "Dokumen diunggah." in r.content.decode()
    return ProposalDocument.objects.get(proposal=proposal)


@pytest.mark.parametrize("case", list(REFUSED_DOCUMENTS))
def test_proposal_page_refuses_each_dangerous_type_in_indonesian(org: Any, proposal: Any, case: str) -> None:
    r = _upload_page(org, proposal, upload(*REFUSED_DOCUMENTS[case]))
    assert TYPE_REFUSED in r.content.decode()
    assert not ProposalDocument.objects.exists()


def test_proposal_page_refuses_an_oversized_document(org: Any, proposal: Any, settings: Any) -> None:
    settings.MAX_DOCUMENT_BYTES = 1024 * 1024
    r = _upload_page(org, proposal, upload("besar.pdf", PDF + b"0" * 1024 * 1024))
    assert "Ukuran berkas melebihi batas 1 MB." in r.content.decode()
    assert not ProposalDocument.objects.exists()


@pytest.mark.parametrize("case", list(REFUSED_DOCUMENTS))
def test_documents_api_refuses_each_dangerous_type_with_json_400(org: Any, proposal: Any, case: str) -> None:
    r = api_as(org.admin).post(
        f"/api/v1/promotion-proposals/{proposal.pk}/documents/",
        {"kind": "sk_pangkat", "file": upload(*REFUSED_DOCUMENTS[case])},
        format="multipart",
    )
    assert r.status_code == 400
    assert r.json()["message"] == TYPE_REFUSED
    assert r.json()["extra"]["fields"] == {"file": [TYPE_REFUSED]}
    assert not ProposalDocument.objects.exists()


def test_document_is_stored_privately_under_a_random_name(org: Any, proposal: Any, settings: Any) -> None:
    doc = _document(org, proposal)
    assert doc.original_name == "SK Pangkat Terakhir.pdf"
    assert re.fullmatch(r"kenaikan-pangkat/\d{4}/[0-9a-f]{32}\.pdf", doc.file.name)
    assert Path(settings.PRIVATE_MEDIA_ROOT, doc.file.name).read_bytes() == PDF
    html = _client(org.admin).get(reverse("promotions:proposal-detail", args=[proposal.pk])).content.decode()
    assert reverse("promotions:proposal-document", args=[proposal.pk, doc.pk]) in html
    assert doc.file.name not in html


@pytest.mark.parametrize("who", ["admin", "staff", "head"])
def test_bkd_the_employee_and_their_head_download_the_document(org: Any, proposal: Any, who: str) -> None:
    doc = _document(org, proposal)
    r = _client(getattr(org, who)).get(reverse("promotions:proposal-document", args=[proposal.pk, doc.pk]))
    assert r.status_code == 200
    assert r["Content-Disposition"] == 'inline; filename="SK Pangkat Terakhir.pdf"'
    assert r["X-Content-Type-Options"] == "nosniff"
    assert b"".join(r.streaming_content) == PDF


@pytest.mark.parametrize("who", ["foreign_admin", "staff2", "other_head"])
def test_other_agencies_and_other_staff_get_404_for_the_document(org: Any, proposal: Any, who: str) -> None:
    doc = _document(org, proposal)
    url = reverse("promotions:proposal-document", args=[proposal.pk, doc.pk])
    assert _client(getattr(org, who)).get(url).status_code == 404
    api = api_as(getattr(org, who))
    assert api.get(f"/api/v1/promotion-proposals/{proposal.pk}/documents/{doc.pk}/file/").status_code == 404


def test_a_document_id_of_another_proposal_is_a_404(org: Any, proposal: Any) -> None:
    doc = _document(org, proposal)
    give_predikat([org.staff2], [2023, 2024, 2025])
    other = proposal_services.proposal_create(employee=org.staff2, period=period(DEC), actor=org.admin.user)
    url = reverse("promotions:proposal-document", args=[other.pk, doc.pk])
    assert _client(org.admin).get(url).status_code == 404


def test_anonymous_is_sent_to_login_for_the_document(org: Any, proposal: Any) -> None:
    doc = _document(org, proposal)
    r = Client().get(reverse("promotions:proposal-document", args=[proposal.pk, doc.pk]))
    assert r.status_code == 302 and reverse("login") in r["Location"]
    r = Client().get(f"/api/v1/promotion-proposals/{proposal.pk}/documents/{doc.pk}/file/")
    assert r.status_code in (401, 403)


def test_the_api_lists_download_urls_and_serves_the_file(org: Any, proposal: Any) -> None:
    api = api_as(org.admin)
    r = api.post(
        f"/api/v1/promotion-proposals/{proposal.pk}/documents/",
        {"kind": "ijazah", "file": upload("ijazah.png", png())},
        format="multipart",
    )
    assert r.status_code == 200, r.json()
    doc = ProposalDocument.objects.get(proposal=proposal)
    url = f"http://testserver/api/v1/promotion-proposals/{proposal.pk}/documents/{doc.pk}/file/"
    assert r.json() == [
        {
            "id": doc.pk,
            "kind": "ijazah",
            "original_name": "ijazah.png",
            "size": len(png()),
            "uploaded_at": r.json()[0]["uploaded_at"],
            "file": url,
        }
    ]
    d = api.get(url)
    assert d.status_code == 200 and d["Content-Type"] == "image/png"
    assert b"".join(d.streaming_content) == png()
