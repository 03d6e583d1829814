"""Corrections through the BKD (pemutakhiran data; issue #16, UU PDP Pasal 6): the employee proposes with a
document, a BKD admin of their agency approves (written through the people service, audited) or rejects
with a reason, the employee is notified; heads see nothing; nobody approves their own."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from asn_portal.errors import ApplicationError
from asn_portal.models import AuditEntry, Notification
from people.choices import CorrectionStatus
from people.corrections import services
from people.models import CorrectionRequest, PositionHistory
from tests.asn_portal.upload_samples import HTML, PDF, TYPE_REFUSED, png, upload
from tests.conftest import api_as
from tests.pagetext import main_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _roots(settings: Any, tmp_path: Path) -> None:
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _form(emp: Any, **changes: Any) -> dict[str, Any]:
    data = {
        "front_title": emp.front_title,
        "name": emp.name,
        "back_title": emp.back_title,
        "birth_place": emp.birth_place,
        "birth_date": emp.birth_date.isoformat(),
        "education_level": emp.education_level,
        "education_field": emp.education_field,
        "reason": "Ijazah S2 baru terbit",
        "document": upload("ijazah.pdf", PDF, "application/pdf"),
        "idempotency_key": "klik-ganda-0001",
    }
    data.update(changes)
    return data


def test_whole_flow_on_pages_submit_review_diff_approve_notify(client: Any, org: Any) -> None:
    client.force_login(org.staff.user)
    r = client.post(
        reverse("people:my-corrections"),
        _form(org.staff, back_title="M.Si.", education_level="s2", education_field="Administrasi Publik"),
        follow=True,
    )
    assert "Usulan pemutakhiran data terkirim" in main_text(r)
    c = CorrectionRequest.objects.get(employee=org.staff)
    assert c.status == CorrectionStatus.SUBMITTED
    assert c.changes["education_level"] == {"old": "s1", "new": "s2"}
    assert c.changes["back_title"] == {"old": "", "new": "M.Si."}
    assert Notification.objects.filter(user=org.admin.user, title__startswith="Usulan pemutakhiran data").exists()

    client.force_login(org.admin.user)
    queue = main_text(client.get(reverse("people:correction-queue")))
    assert "Staf Satu" in queue
    detail = client.get(reverse("people:correction-detail", args=[c.pk]))
    text = main_text(detail)
    assert "Pendidikan terakhir" in text and "Gelar belakang" in text and "M.Si." in text
    assert "ijazah.pdf" in text
    doc = client.get(reverse("people:correction-document", args=[c.pk]))
    assert doc.status_code == 200
    r = client.post(
        reverse("people:correction-detail", args=[c.pk]),
        {"decision": "approve", "reason": "Sesuai ijazah"},
        follow=True,
    )
    assert "Usulan disetujui" in main_text(r)
    org.staff.refresh_from_db()
    assert (org.staff.back_title, org.staff.education_level, org.staff.education_field) == (
        "M.Si.",
        "s2",
        "Administrasi Publik",
    )
    # The same write path as the admin's edit form (its audit entry), plus the decision with before/after/why.
    assert AuditEntry.objects.filter(action="employee.update", object_id=str(org.staff.pk)).exists()
    entry = AuditEntry.objects.get(action="correction.approve", object_id=str(c.pk))
    assert entry.before["education_level"] == "s1" and entry.after["education_level"] == "s2"
    assert entry.reason == "Sesuai ijazah" and entry.actor == org.admin.user
    assert Notification.objects.filter(user=org.staff.user, title="Usulan pemutakhiran data Anda disetujui").exists()
    client.force_login(org.staff.user)
    assert "Disetujui" in main_text(client.get(reverse("people:my-corrections")))


def test_reject_needs_a_reason_and_notifies(org: Any) -> None:
    c, _ = services.correction_submit(
        employee=org.staff,
        data={"birth_place": "Binjai"},
        reason="Akta kelahiran",
        document=upload("akta.png", png(), "image/png"),
        actor=org.staff.user,
    )
    with pytest.raises(ApplicationError, match="Alasan penolakan wajib diisi"):
        services.correction_reject(correction=c, actor=org.admin.user, reason=" ")
    services.correction_reject(correction=c, actor=org.admin.user, reason="Akta tidak terbaca")
    c.refresh_from_db()
    assert c.status == CorrectionStatus.REJECTED and c.decision_reason == "Akta tidak terbaca"
    n = Notification.objects.get(user=org.staff.user, title="Usulan pemutakhiran data Anda ditolak")
    assert n.body == "Akta tidak terbaca"
    org.staff.refresh_from_db()
    assert org.staff.birth_place != "Binjai"
    with pytest.raises(ApplicationError, match="sudah diputus"):  # compare-and-set: decided once
        services.correction_approve(correction=c, actor=org.admin.user)


def test_admin_cannot_approve_their_own_correction(client: Any, org: Any) -> None:
    from tests.people.factories import make_hr_admin

    c, _ = services.correction_submit(
        employee=org.admin,
        data={"name": "Admin BKD Benar"},
        reason="Salah ketik",
        document=upload("ktp.pdf", PDF),
        actor=org.admin.user,
    )
    with pytest.raises(ApplicationError, match="data Anda sendiri") as exc:
        services.correction_approve(correction=c, actor=org.admin.user)
    assert exc.value.status == 403
    client.force_login(org.admin.user)
    assert "Setujui" not in main_text(client.get(reverse("people:correction-detail", args=[c.pk])))
    assert "Admin BKD" not in main_text(client.get(reverse("people:correction-queue")))
    r = api_as(org.admin).post(f"/api/v1/corrections/{c.pk}/approve/", {}, format="json")
    assert r.status_code == 403 and "data Anda sendiri" in r.json()["message"]
    second = make_hr_admin(org.agency, name="Admin Kedua")
    services.correction_approve(correction=c, actor=second.user)
    org.admin.refresh_from_db()
    assert org.admin.name == "Admin BKD Benar"


def test_another_agency_gets_404_and_heads_see_nothing(client: Any, org: Any) -> None:
    c, _ = services.correction_submit(
        employee=org.staff,
        data={"birth_place": "Binjai"},
        reason="Akta",
        document=upload("akta.pdf", PDF),
        actor=org.staff.user,
    )
    client.force_login(org.foreign_admin.user)
    assert client.get(reverse("people:correction-detail", args=[c.pk])).status_code == 404
    assert client.get(reverse("people:correction-document", args=[c.pk])).status_code == 404
    assert "Staf Satu" not in main_text(client.get(reverse("people:correction-queue")))
    assert api_as(org.foreign_admin).post(f"/api/v1/corrections/{c.pk}/approve/").status_code == 404
    assert api_as(org.foreign_admin).get("/api/v1/corrections/").json() == []
    for viewer in (org.head, org.staff2):
        client.force_login(viewer.user)
        assert client.get(reverse("people:correction-detail", args=[c.pk])).status_code == 404
        assert client.get(reverse("people:correction-queue")).status_code == 403
        assert api_as(viewer).get(f"/api/v1/corrections/{c.pk}/").status_code == 404
        assert api_as(viewer).get("/api/v1/corrections/").status_code == 403


def test_bad_document_type_refused_on_page_and_api(client: Any, org: Any) -> None:
    client.force_login(org.staff.user)
    r = client.post(
        reverse("people:my-corrections"), _form(org.staff, name="Nama Baru", document=upload("x.pdf", HTML))
    )
    assert TYPE_REFUSED in main_text(r)
    r = api_as(org.staff).post(
        "/api/v1/me/corrections/",
        {"changes": '{"name": "Nama Baru"}', "reason": "Salah ketik", "document": upload("x.pdf", HTML)},
        format="multipart",
    )
    assert r.status_code == 400 and r.json()["message"] == TYPE_REFUSED
    assert not CorrectionRequest.objects.exists()


def test_double_submit_makes_one_row(client: Any, org: Any) -> None:
    client.force_login(org.staff.user)
    for _ in range(2):
        client.post(reverse("people:my-corrections"), _form(org.staff, name="Staf Satu Benar"))
    assert CorrectionRequest.objects.filter(employee=org.staff).count() == 1
    # Without the form's key (another tab), the open proposal still blocks a second one.
    with pytest.raises(ApplicationError, match="belum diputus"):
        services.correction_submit(
            employee=org.staff,
            data={"name": "Lain"},
            reason="x",
            document=upload("a.pdf", PDF),
            actor=org.staff.user,
        )


def test_api_whole_flow_with_history_entry_and_withdraw(org: Any) -> None:
    entry = PositionHistory.objects.create(
        employee=org.staff,
        position=org.staff.position,
        position_title=org.staff.position.title,
        unit_name="Dinas Kesehatan",
        start_date=dt.date(2018, 1, 2),
        decree_number="821/12/BKD/2018",
    )
    api = api_as(org.staff)
    r = api.post(
        "/api/v1/me/corrections/",
        {
            "changes": f'{{"position_history": [{{"id": {entry.pk}, "decree_number": "821/123/BKD/2018"}}]}}',
            "reason": "Nomor SK salah",
            "document": upload("sk.pdf", PDF),
        },
        format="multipart",
        HTTP_IDEMPOTENCY_KEY="api-key-00000001",
    )
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["status"] == {"code": "submitted", "label": "Diajukan"}
    assert body["changes"][0]["new"] == "821/123/BKD/2018"
    admin_api = api_as(org.admin)
    queue = admin_api.get("/api/v1/corrections/").json()
    assert [c["id"] for c in queue] == [body["id"]]
    r = admin_api.post(f"/api/v1/corrections/{body['id']}/reject/", {"reason": ""}, format="json")
    assert r.status_code == 400 and "Alasan penolakan" in r.json()["message"]
    r = admin_api.post(f"/api/v1/corrections/{body['id']}/approve/", {"reason": "Sesuai SK"}, format="json")
    assert r.status_code == 200 and r.json()["status"]["code"] == "approved"
    entry.refresh_from_db()
    assert entry.decree_number == "821/123/BKD/2018"
    assert AuditEntry.objects.filter(action="position_history.update", object_id=str(org.staff.pk)).exists()

    r = api.post(
        "/api/v1/me/corrections/",
        {"changes": '{"birth_date": "2999-01-01"}', "reason": "x", "document": upload("a.pdf", PDF)},
        format="multipart",
    )
    assert r.status_code == 400 and "masa depan" in r.json()["message"]
    r = api.post(
        "/api/v1/me/corrections/",
        {"changes": '{"nip": "1"}', "reason": "x", "document": upload("a.pdf", PDF)},
        format="multipart",
    )
    assert r.status_code == 400 and "tidak dapat diusulkan" in r.json()["message"]
    r = api.post(
        "/api/v1/me/corrections/",
        {"changes": '{"birth_place": "Binjai"}', "reason": "Akta", "document": upload("a.pdf", PDF)},
        format="multipart",
    )
    pk = r.json()["id"]
    assert api_as(org.staff2).post(f"/api/v1/corrections/{pk}/withdraw/").status_code == 404
    r = api.post(f"/api/v1/corrections/{pk}/withdraw/")
    assert r.status_code == 200 and r.json()["status"]["code"] == "withdrawn"


def test_record_changed_since_proposal_is_not_overwritten(org: Any) -> None:
    from people.services import employee_update

    c, _ = services.correction_submit(
        employee=org.staff,
        data={"birth_place": "Binjai"},
        reason="Akta",
        document=upload("a.pdf", PDF),
        actor=org.staff.user,
    )
    employee_update(employee=org.staff, data={"birth_place": "Medan"}, actor=org.admin.user)
    with pytest.raises(ApplicationError, match="telah berubah"):
        services.correction_approve(correction=c, actor=org.admin.user)
    c.refresh_from_db()
    assert c.status == CorrectionStatus.SUBMITTED  # nothing written, still open


def test_only_the_person_proposes_for_their_record(org: Any) -> None:
    with pytest.raises(ApplicationError, match="data Anda sendiri"):
        services.correction_submit(
            employee=org.staff,
            data={"name": "X"},
            reason="x",
            document=upload("a.pdf", PDF),
            actor=org.head.user,
        )
    assert not CorrectionRequest.objects.exists()


def _queries(client: Any, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_bkd_queue_and_api_queries_do_not_grow_with_rows(client: Any, org: Any) -> None:
    from tests.people.factories import EmployeeFactory

    def submit(emp: Any) -> None:
        services.correction_submit(
            employee=emp, data={"birth_place": "Binjai"}, reason="Akta", document=upload("a.pdf", PDF), actor=emp.user
        )

    for emp in (org.staff, org.staff2):
        submit(emp)
    client.force_login(org.admin.user)
    api = api_as(org.admin)
    _queries(api, "/api/v1/corrections/")  # warm-up: the forced API user caches its scope on first use
    page_two = _queries(client, reverse("people:correction-queue"))
    with_api = _queries(api, "/api/v1/corrections/")
    for _ in range(8):
        submit(EmployeeFactory(unit=org.dinas))
    assert _queries(client, reverse("people:correction-queue")) == page_two
    assert _queries(api, "/api/v1/corrections/") == with_api
