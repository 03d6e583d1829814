"""Every people page and API endpoint, as every role, against another agency's and another unit's objects."""

import pytest

from people.choices import ImportKind
from people.models import ImportBatch
from tests.people.access_walk import Case, assert_walk

pytestmark = pytest.mark.django_db

EVERYONE = {"staff", "bidang_staff", "head", "bidang_head", "other_head", "admin", "foreign_admin", "foreign_staff"}


def batch_for(agency):
    return ImportBatch.objects.create(agency=agency, kind=ImportKind.EMPLOYEES, filename="x.csv", rows=[], total=0)


def test_pages_are_scoped_for_every_role(org):
    foreign_unit = org.foreign_staff.unit
    own_batch, foreign_batch = batch_for(org.agency), batch_for(org.other_agency)
    assert_walk(
        org,
        [
            Case("/pegawai/", allowed={"head", "bidang_head", "other_head", "admin", "foreign_admin"}),
            Case("/pegawai/ekspor.csv", allowed={"head", "bidang_head", "other_head", "admin", "foreign_admin"}),
            Case("/pegawai/ekspor.xlsx", allowed={"head", "bidang_head", "other_head", "admin", "foreign_admin"}),
            Case("/pegawai/saya/", allowed=EVERYONE),
            Case(f"/pegawai/{org.foreign_staff.pk}/", allowed={"foreign_admin", "foreign_staff"}),
            Case(f"/pegawai/{org.other_staff.pk}/", allowed={"admin", "other_head"}),
            Case(f"/pegawai/{org.bidang_staff.pk}/", allowed={"admin", "head", "bidang_head", "bidang_staff"}),
            Case(f"/pegawai/{org.staff2.pk}/", allowed={"admin", "head"}),
            Case("/pegawai/baru/", allowed={"admin", "foreign_admin"}),
            Case(f"/pegawai/{org.other_staff.pk}/ubah/", allowed={"admin"}),
            Case(f"/pegawai/{org.foreign_staff.pk}/ubah/", allowed={"foreign_admin"}),
            Case(f"/pegawai/{org.foreign_staff.pk}/ubah/", method="post", data={}, roles=("admin", "head", "staff")),
            Case("/pegawai/organisasi/", allowed={"head", "bidang_head", "other_head", "admin", "foreign_admin"}),
            Case(f"/pegawai/organisasi/?agency={org.other_agency.pk}", allowed={"foreign_admin"}),
            Case(f"/pegawai/unit/{org.other_dinas.pk}/", allowed={"admin", "other_head"}),
            Case(f"/pegawai/unit/{org.dinas.pk}/", allowed={"admin", "head"}),
            Case(f"/pegawai/unit/{foreign_unit.pk}/", allowed={"foreign_admin"}),
            Case("/pegawai/impor/", allowed={"admin", "foreign_admin"}),
            Case("/pegawai/impor/templat/employees.csv", allowed={"admin", "foreign_admin"}),
            Case(f"/pegawai/impor/{own_batch.pk}/", allowed={"admin"}),
            Case(f"/pegawai/impor/{foreign_batch.pk}/", allowed={"foreign_admin"}),
            Case(f"/pegawai/impor/{foreign_batch.pk}/status/", allowed={"foreign_admin"}),
            Case(
                f"/pegawai/impor/{foreign_batch.pk}/konfirmasi/",
                method="post",
                roles=tuple(EVERYONE - {"foreign_admin"}),
            ),
            Case(f"/pegawai/impor/{foreign_batch.pk}/batal/", method="post", roles=tuple(EVERYONE - {"foreign_admin"})),
        ],
    )


def test_api_is_scoped_for_every_role(org):
    foreign_unit = org.foreign_staff.unit
    payload = {
        "agency": org.other_agency.pk,
        "nip": "198001012005011001",
        "name": "Penyusup",
        "gender": "L",
        "birth_date": "1980-01-01",
        "education_level": "s1",
        "unit": foreign_unit.pk,
    }
    assert_walk(
        org,
        [
            Case("/api/v1/me/", allowed=EVERYONE),
            Case("/api/v1/employees/", allowed=EVERYONE),
            Case(f"/api/v1/employees/{org.foreign_staff.pk}/", allowed={"foreign_admin", "foreign_staff"}),
            Case(f"/api/v1/employees/{org.other_staff.pk}/", allowed={"admin", "other_head"}),
            Case(f"/api/v1/employees/{org.bidang_staff.pk}/", allowed={"admin", "head", "bidang_head", "bidang_staff"}),
            Case(f"/api/v1/employees/{org.other_staff.pk}/", method="patch", data={}, allowed={"admin"}),
            Case(
                f"/api/v1/employees/{org.foreign_staff.pk}/",
                method="patch",
                data={},
                roles=tuple(EVERYONE - {"foreign_admin"}),
            ),
            Case("/api/v1/employees/", method="post", data=payload, roles=tuple(EVERYONE - {"foreign_admin"})),
            Case(f"/api/v1/units/{org.other_dinas.pk}/", allowed={"admin", "other_head"}),
            Case(f"/api/v1/units/{foreign_unit.pk}/", allowed={"foreign_admin"}),
            Case(f"/api/v1/positions/{org.foreign_staff.position_id}/", allowed={"foreign_admin", "foreign_staff"}),
            Case(
                f"/api/v1/positions/{org.other_staff.position_id}/",
                allowed=EVERYONE - {"foreign_admin", "foreign_staff"},
            ),
            Case(f"/api/v1/agencies/{org.other_agency.pk}/", allowed={"foreign_admin", "foreign_staff"}),
            Case(f"/api/v1/agencies/{org.agency.pk}/", allowed=EVERYONE - {"foreign_admin", "foreign_staff"}),
            Case("/api/v1/ranks/", allowed=EVERYONE),
        ],
    )


def test_lists_never_leak_other_agencies(org):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_login(org.admin.user)
    ids = {r["id"] for r in client.get("/api/v1/employees/?page_size=500").json()["results"]}
    assert org.foreign_staff.pk not in ids and org.other_staff.pk in ids
    units = {r["id"] for r in client.get("/api/v1/units/?page_size=500").json()["results"]}
    assert org.foreign_staff.unit_id not in units
