"""Former employees (issue #16; UU PDP Pasal 16 ayat 2 and 43-44): the account is deactivated with the
status change (sessions and API tokens stop working), and after PSEUDONYMISE_AFTER_DAYS the personal
fields are pseudonymised while HR decisions and audit entries keep their rows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.shortcuts import resolve_url
from django.urls import reverse

from asn_portal.models import ApiToken, AuditEntry, JobRun, Notification
from people import lifecycle
from people.choices import EmployeeStatus
from people.corrections.services import correction_approve, correction_submit
from people.models import Employee, RankHistory, User
from people.services import employee_update
from tests.asn_portal.upload_samples import PDF, upload
from tests.conftest import api_token_for
from tests.people.factories import rank

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "status", [EmployeeStatus.RETIRED, EmployeeStatus.RESIGNED, EmployeeStatus.TRANSFERRED, EmployeeStatus.DECEASED]
)
def test_status_change_deactivates_account_sessions_and_tokens_at_once(
    client: Any, org: Any, settings: Any, status: str
) -> None:
    from rest_framework.test import APIClient

    client.force_login(org.staff.user)
    assert client.get(reverse("people:me")).status_code == 200
    header = api_token_for(org.staff)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=header)
    assert api.get("/api/v1/me/").status_code == 200

    employee_update(employee=org.staff, data={"status": status}, actor=org.admin.user)

    r = client.get(reverse("people:me"))
    assert r.status_code == 302 and r["Location"].startswith(resolve_url(settings.LOGIN_URL))
    assert api.get("/api/v1/me/").status_code == 401
    assert not ApiToken.objects.filter(user=org.staff.user).exists()
    org.staff.refresh_from_db()
    assert not org.staff.user.is_active and org.staff.separated_on is not None
    assert AuditEntry.objects.filter(action="account.deactivate", object_id=str(org.staff.pk)).exists()


def test_status_change_through_the_edit_page_deactivates(client: Any, org: Any) -> None:
    from people.views import FORM_FIELDS

    client.force_login(org.admin.user)
    data = {f: getattr(org.staff, f) for f in FORM_FIELDS if getattr(org.staff, f, None) is not None}
    data = {k: (v.pk if hasattr(v, "pk") else v) for k, v in data.items()}
    data["status"] = EmployeeStatus.RETIRED
    r = client.post(reverse("people:employee-edit", args=[org.staff.pk]), data)
    assert r.status_code == 302, r.content.decode()[:2000]
    assert not User.objects.get(pk=org.staff.user_id).is_active


def test_leave_or_study_does_not_deactivate(org: Any) -> None:
    employee_update(employee=org.staff, data={"status": EmployeeStatus.STUDY}, actor=org.admin.user)
    assert User.objects.get(pk=org.staff.user_id).is_active


def test_pseudonymised_after_the_period_decisions_and_audit_keep_their_rows(
    org: Any, settings: Any, tmp_path: Path
) -> None:
    settings.PSEUDONYMISE_AFTER_DAYS = 1826
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    staff = org.staff
    staff_nip, staff_name = staff.nip, staff.name
    RankHistory.objects.create(employee=staff, rank=rank("III/c"), start_date=dt.date(2023, 4, 1), decree_number="SK-1")
    employee_update(employee=staff, data={"phone": "08123", "email": "staf@contoh.go.id"}, actor=org.admin.user)
    correction, _ = correction_submit(
        employee=staff,
        data={"birth_place": "Binjai"},
        reason="Akta",
        document=upload("akta.pdf", PDF),
        actor=staff.user,
    )
    correction_approve(correction=correction, actor=org.admin.user, reason="Sesuai akta")
    document = Path(settings.PRIVATE_MEDIA_ROOT, correction.document.name)
    assert document.exists()
    with time_machine.travel(dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)):
        employee_update(employee=staff, data={"status": EmployeeStatus.RETIRED}, actor=org.admin.user)
    staff.refresh_from_db()
    assert staff.separated_on == dt.date(2026, 1, 5)

    with time_machine.travel(dt.datetime(2030, 1, 1, 9, 0, tzinfo=dt.UTC)):
        assert lifecycle.former_employees_pseudonymise()["pseudonymised"] == 0  # not yet five years
    with time_machine.travel(dt.datetime(2031, 1, 6, 9, 0, tzinfo=dt.UTC)):
        counts = lifecycle.former_employees_pseudonymise()
        assert counts["pseudonymised"] == 1
        assert lifecycle.former_employees_pseudonymise()["pseudonymised"] == 0  # a rerun is a no-op

    staff.refresh_from_db()
    assert staff.name == f"Mantan Pegawai #{staff.pk}"
    assert staff.birth_date == dt.date(staff.birth_date.year, 1, 1)
    assert (staff.birth_place, staff.phone, staff.email, staff.front_title, staff.back_title) == ("", "", "", "", "")
    # The NIP is a keyed hash BKD can recompute from a decree, never the NIP itself.
    assert staff.nip == lifecycle.pseudonymous_nip(staff_nip) and staff.nip.startswith("X") and len(staff.nip) == 18
    assert Employee.objects.filter(nip=lifecycle.pseudonymous_nip(staff_nip)).get() == staff
    user = User.objects.get(pk=staff.user_id)
    assert user.username == f"mantan-{user.pk}" and not user.has_usable_password() and not user.is_active
    # History rows of the record carry no personal data either.
    for h in staff.history.all():
        assert h.name == f"Mantan Pegawai #{staff.pk}" and h.nip == staff.nip and h.phone == ""
    # HR decisions stay; audit rows keep ids, not names.
    assert RankHistory.objects.filter(employee=staff, decree_number="SK-1").exists()
    entries = AuditEntry.objects.filter(object_type="people.employee", object_id=str(staff.pk))
    assert entries.filter(action="employee.update").exists()
    for e in entries:
        assert staff_name not in e.object_repr and staff_nip not in str(e.before) + str(e.after)
        assert "phone" not in e.after and "email" not in e.after
    assert entries.filter(action="employee.update", after__status="retired").exists()
    assert JobRun.objects.filter(job="people.former_employees_pseudonymise", status="success").exists()
    # The correction keeps its decision, not the personal values or the scanned document.
    correction.refresh_from_db()
    assert correction.status == "approved" and correction.decided_by == org.admin.user
    assert correction.changes == {} and not correction.document and not document.exists()
    approval = AuditEntry.objects.get(action="correction.approve", object_id=str(correction.pk))
    assert approval.before == {} and approval.after == {} and approval.actor == org.admin.user
    assert not Notification.objects.filter(user_id=staff.user_id).exists()
    # Others are untouched.
    org.staff2.refresh_from_db()
    assert org.staff2.name == "Staf Dua"


def test_sweep_deactivates_former_employees_written_by_import(org: Any) -> None:
    Employee.objects.filter(pk=org.staff.pk).update(status=EmployeeStatus.RESIGNED)  # a bulk write
    counts = lifecycle.former_employees_pseudonymise()
    assert counts["accounts_deactivated"] == 1
    assert not User.objects.get(pk=org.staff.user_id).is_active
