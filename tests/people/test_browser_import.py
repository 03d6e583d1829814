"""Browser: a BKD admin imports employees (upload → preview → confirm), finds one in the directory and
opens the profile."""

import csv
import datetime as dt
import io

import pytest
from playwright.sync_api import expect

from people.imports import EMPLOYEE_COLUMNS
from people.rules import build_nip
from tests.browser.helpers import assert_accessible, login, open_menu
from tests.people.factories import OrgUnitFactory, PositionFactory, make_hr_admin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def csv_file(tmp_path, unit_code, pos_code):
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=[c.name for c in EMPLOYEE_COLUMNS])
    w.writeheader()
    base = {"pendidikan": "s1", "kode_unit": unit_code, "golongan": "III/a", "tmt_golongan": "2019-04-01"}
    w.writerow(
        {
            **base,
            "nip": build_nip(dt.date(1988, 7, 9), 2012, 3, "P", 4),
            "nama": "Sondang Marpaung",
            "jenis_kelamin": "P",
            "tanggal_lahir": "1988-07-09",
            "tmt_cpns": "2012-03-01",
            "kode_jabatan": pos_code,
            "tmt_jabatan": "2021-01-04",
        }
    )
    w.writerow(
        {
            **base,
            "nip": "19881309201203200",  # 17 digits: rejected
            "nama": "Baris Rusak",
            "jenis_kelamin": "L",
            "tanggal_lahir": "1988-01-01",
        }
    )
    path = tmp_path / "pegawai.csv"
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def test_admin_imports_then_finds_the_new_employee(live_server, page, tmp_path):
    admin = make_hr_admin(OrgUnitFactory().agency, name="Admin BKD")
    unit = OrgUnitFactory(agency=admin.agency, code="DISKES", name="Dinas Kesehatan")
    PositionFactory(unit=unit, code="PRW-01", title="Perawat Ahli Pertama")
    login(page, live_server, admin.nip)

    open_menu(page, "Instansi", "Impor data")
    page.get_by_label("Jenis data").select_option("employees")
    page.get_by_label("Berkas CSV atau XLSX").set_input_files(str(csv_file(tmp_path, "DISKES", "PRW-01")))
    page.get_by_role("button", name="Periksa dan tampilkan pratinjau").click()

    assert page.get_by_test_id("count-create").inner_text().strip() == "1"
    assert page.get_by_test_id("count-reject").inner_text().strip() == "1"
    assert page.get_by_text("NIP harus 18 digit").is_visible()
    assert_accessible(page)

    page.get_by_label("Impor hanya baris valid").check()
    page.get_by_role("button", name="Konfirmasi impor").click()
    page.get_by_text("Impor selesai").first.wait_for()

    open_menu(page, "Organisasi", "Pegawai")
    page.get_by_label("Cari nama atau NIP").fill("Sondang")
    page.get_by_role("button", name="Terapkan").click()
    assert_accessible(page)
    page.get_by_role("link", name="Sondang Marpaung").click()
    expect(page.get_by_role("heading", name="Sondang Marpaung")).to_be_visible()
    assert page.get_by_test_id("current-position").inner_text().startswith("Perawat Ahli Pertama")
    expect(page.get_by_test_id("timeline").get_by_text("Perawat Ahli Pertama")).to_be_visible()
    assert_accessible(page)
