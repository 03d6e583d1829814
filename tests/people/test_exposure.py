"""Least exposure (issue #16): the field × role matrix of people.exposure, checked in page HTML, JSON and
exports for each role."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client

from people.exposure import Field, Relation, age_band, relation
from people.models import DisciplinarySanction, RecordAccess
from tests.conftest import api_as
from tests.people.factories import EmployeeFactory, OrgUnitFactory, make_head

pytestmark = pytest.mark.django_db

BIRTH = dt.date(1985, 5, 17)


def _client(emp: Any) -> Client:
    c = Client()
    c.force_login(emp.user)
    return c


@pytest.fixture
def person(org: Any) -> Any:
    s = org.staff
    s.birth_place, s.birth_date, s.email, s.phone = "Tebing Tinggi", BIRTH, "staf.satu@medan.go.id", "0812-7777-1234"
    s.save()
    DisciplinarySanction.objects.create(
        employee=s, level="ringan", description="Teguran lisan RAHASIA", start_date=dt.date(2025, 1, 6)
    )
    return s


def test_relations(org: Any) -> None:
    assert relation(org.staff.user, org.staff) == Relation.SELF
    assert relation(org.admin.user, org.staff) == Relation.HR_ADMIN
    assert relation(org.head.user, org.bidang_staff) == Relation.HEAD
    assert relation(org.other_head.user, org.staff) == Relation.OTHER
    assert relation(org.foreign_admin.user, org.staff) == Relation.OTHER
    assert age_band(BIRTH, dt.date(2026, 5, 16)) == "40–44 tahun"
    assert age_band(BIRTH, dt.date(2026, 5, 17)) == "40–44 tahun"
    assert age_band(dt.date(1981, 1, 1), dt.date(2026, 1, 1)) == "45–49 tahun"


def _dates(html: str) -> list[str]:
    import re

    return re.findall(r"17[ /-](?:Mei|05)[ /-]1985", html)


def test_profile_html_per_role(org: Any, person: Any) -> None:
    url = f"/pegawai/{person.pk}/"
    own = _client(person).get(url).content.decode()
    assert "Tebing Tinggi" in own and "17 Mei 1985" in own and "0812-7777-1234" in own
    assert "Teguran lisan RAHASIA" in own  # the person sees their own sanctions

    admin = _client(org.admin).get(url).content.decode()
    assert "Tebing Tinggi" in admin and "17 Mei 1985" in admin and "Teguran lisan RAHASIA" in admin

    head = _client(org.head).get(url).content.decode()
    assert "Tebing Tinggi" not in head and not {"17 Mei 1985", "17-05-1985", "17/05/1985"} & set(_dates(head))
    assert 'data-testid="age-band"' in head and "tahun" in head
    assert "staf.satu@medan.go.id" in head and "0812-7777-1234" in head  # work contacts
    assert "Teguran lisan RAHASIA" not in head

    assert _client(org.other_head).get(url).status_code == 404
    assert _client(org.foreign_admin).get(url).status_code == 404


def test_nip_checks_that_name_the_birth_date_are_not_shown_to_heads(org: Any, person: Any) -> None:
    from people.models import Employee

    Employee.objects.filter(pk=person.pk).update(birth_date=dt.date(1990, 2, 3))  # the NIP says 17 May 1985
    url = f"/pegawai/{person.pk}/"
    admin = _client(org.admin).get(url).content.decode()
    assert 'data-testid="nip-warnings"' in admin and "1990" in admin
    head = _client(org.head).get(url).content.decode()
    assert 'data-testid="nip-warnings"' not in head and "1990" not in head


def test_api_detail_per_role(org: Any, person: Any) -> None:
    url = f"/api/v1/employees/{person.pk}/"
    own = api_as(person).get(url).json()
    assert own["birth_date"] == "1985-05-17" and own["birth_place"] == "Tebing Tinggi"
    admin = api_as(org.admin).get(url).json()
    assert admin["birth_date"] == "1985-05-17" and admin["phone"] == "0812-7777-1234"
    head = api_as(org.head).get(url).json()
    assert "birth_date" not in head and "birth_place" not in head
    assert head["age_band"].endswith("tahun") and head["email"] == "staf.satu@medan.go.id"
    listed = api_as(org.head).get("/api/v1/employees/").json()["results"]
    row = next(r for r in listed if r["id"] == person.pk)
    assert not {"birth_date", "birth_place", "email", "phone"} & set(row)


def test_directory_lists_show_no_personal_fields(org: Any, person: Any) -> None:
    for viewer in (org.head, org.admin):
        html = _client(viewer).get("/pegawai/").content.decode()
        assert person.name in html
        assert "Tebing Tinggi" not in html and "0812-7777-1234" not in html and "17-05-1985" not in html


def _xlsx_rows(response: Any) -> list[tuple[Any, ...]]:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(response.content), read_only=True)
    return [tuple(r) for r in wb.worksheets[0].iter_rows(values_only=True)]


def test_a_personal_data_export_needs_the_bkd_role_and_a_stated_purpose(org: Any, person: Any) -> None:
    admin = _client(org.admin)
    refused = admin.get("/pegawai/ekspor.xlsx", {"lengkap": "1"}, follow=True)
    assert "Sebutkan tujuan ekspor data pribadi" in refused.content.decode()
    assert not RecordAccess.objects.filter(export_id__isnull=False).exists()
    short = admin.get("/pegawai/ekspor.xlsx", {"lengkap": "1", "purpose": "cek"}, follow=True)
    assert "Tujuan ekspor terlalu singkat" in short.content.decode()

    purpose = "Verifikasi data usulan kenaikan pangkat periode Desember"
    response = admin.get("/pegawai/ekspor.xlsx", {"lengkap": "1", "purpose": purpose})
    assert response.status_code == 200
    rows = _xlsx_rows(response)
    assert "Tanggal lahir" in rows[0] and "Telepon" in rows[0]
    assert any("Tebing Tinggi" in r for r in rows)
    logged = RecordAccess.objects.get(subject=person, export_id__isnull=False)
    assert logged.stated_purpose == purpose and logged.purpose == "ekspor"

    # A head asking for the full export gets the reduced one (no personal fields, no purpose needed).
    head = _client(org.head).get("/pegawai/ekspor.xlsx", {"lengkap": "1"})
    head_rows = _xlsx_rows(head)
    assert "Tanggal lahir" not in head_rows[0] and not any("Tebing Tinggi" in r for r in head_rows)
    # Only BKD admins are offered the form.
    assert 'data-testid="sensitive-export"' in admin.get("/pegawai/").content.decode()
    assert 'data-testid="sensitive-export"' not in _client(org.head).get("/pegawai/").content.decode()


def test_objection_texts_only_for_objector_appraisers_and_bkd(org: Any) -> None:
    from performance.models import Objection
    from tests.performance import factories as pf

    seksi = OrgUnitFactory(agency=org.agency, parent=org.bidang, name="Seksi Gizi", kind="subbidang")
    seksi_head = make_head(seksi, name="Kasi Gizi", position__reports_to=org.bidang_head.position)
    seksi.head_position.reports_to = org.bidang_head.position
    seksi.head_position.save()
    member = EmployeeFactory(unit=seksi, name="Staf Gizi", position__reports_to=seksi.head_position)
    plan = pf.plan(member)
    plan.appraiser, plan.appraiser_superior = seksi_head, org.bidang_head
    plan.save(update_fields=["appraiser", "appraiser_superior"])
    Objection.objects.create(plan=plan, reason="ALASAN-KEBERATAN-PRIBADI")
    url = f"/kinerja/skp/{plan.pk}/"
    for who in (member, seksi_head, org.bidang_head, org.admin):
        assert "ALASAN-KEBERATAN-PRIBADI" in _client(who).get(url).content.decode(), who.name
    response = _client(org.head).get(url)  # the dinas head opens the SKP but does not decide the objection
    assert response.status_code == 200
    assert "ALASAN-KEBERATAN-PRIBADI" not in response.content.decode()


def test_the_matrix_has_a_documented_row_per_field() -> None:
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "privacy-exposure.md").read_text()
    for field in Field:
        assert f"`{field.value}`" in doc
