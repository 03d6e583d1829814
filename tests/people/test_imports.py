"""Bulk import: preview verdicts row by row, confirm in one transaction, idempotent re-import."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from people import imports
from people.choices import ImportStatus
from people.models import Employee, ImportBatch, OrgUnit, Position, PositionHistory, RankHistory
from people.rules import build_nip
from tests.people.factories import PositionFactory

pytestmark = pytest.mark.django_db

HEADER = [c.name for c in imports.EMPLOYEE_COLUMNS]


def emp_row(i, unit_code, pos_code="", **over):
    gender = "L" if i % 2 else "P"
    birth = dt.date(1980 + i % 15, 1 + i % 12, 1 + i % 28)
    row = {
        "nip": build_nip(birth, 2008 + i % 10, 3, gender, i % 1000),
        "nama": f"Pegawai Impor {i}",
        "jenis_kelamin": gender,
        "tanggal_lahir": birth.isoformat(),
        "pendidikan": "s1",
        "kode_unit": unit_code,
        "kode_jabatan": pos_code,
        "tmt_jabatan": "2020-01-02" if pos_code else "",
        "golongan": "III/a",
        "tmt_golongan": "2019-04-01",
        "tmt_cpns": f"{2008 + i % 10}-03-01",
        "jenis_kepegawaian": "pns",
    }
    row.update(over)
    return row


def to_csv(rows, header=HEADER):
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=header, delimiter=";")
    w.writeheader()
    for r in rows:
        w.writerow({k: r.get(k, "") for k in header})
    return buf.getvalue().encode("utf-8")


def to_xlsx(rows, header=HEADER):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append([r.get(k, "") for k in header])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def preview(org, data, name="pegawai.csv", kind="employees"):
    return imports.batch_create(
        agency=org.agency, kind=kind, stream=io.BytesIO(data), filename=name, actor=org.admin.user
    )


def confirm(org, batch, only_valid=False):
    with TestCase.captureOnCommitCallbacks(execute=True):  # the task is queued on commit (eager here)
        imports.batch_confirm(batch=batch, only_valid=only_valid, actor=org.admin.user)
    batch.refresh_from_db()
    return batch


def test_two_hundred_rows_import_then_reimport_changes_nothing(org):
    pos = PositionFactory(unit=org.dinas, code="JAB-1", headcount=300)
    rows = [emp_row(i, org.dinas.code, "JAB-1" if i % 2 else "") for i in range(200)]
    data = to_csv(rows)
    batch = preview(org, data)
    assert batch.counts["create"] == 200 and batch.counts["reject"] == 0
    assert not Employee.objects.filter(name__startswith="Pegawai Impor").exists()  # preview writes nothing
    batch = confirm(org, batch)
    assert batch.status == ImportStatus.DONE
    imported = Employee.objects.filter(name__startswith="Pegawai Impor")
    assert imported.count() == 200
    assert imported.filter(position=pos).count() == 100
    assert PositionHistory.objects.filter(employee__in=imported).count() == 100
    assert RankHistory.objects.filter(employee__in=imported).count() == 200
    assert imported.exclude(user=None).count() == 200
    # Same file again: every row unchanged, nothing written.
    again = preview(org, data)
    assert again.counts["unchanged"] == 200 and again.counts["create"] == 0
    confirm(org, again)
    assert Employee.objects.filter(name__startswith="Pegawai Impor").count() == 200
    assert RankHistory.objects.filter(employee__in=imported).count() == 200


def test_xlsx_upload_is_read_like_csv(org):
    batch = preview(org, to_xlsx([emp_row(1, org.dinas.code)]), name="pegawai.xlsx")
    assert batch.counts["create"] == 1, batch.rows[0]["errors"]


def test_a_numeric_nip_cell_is_refused_with_a_clear_reason(org):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    r = emp_row(1, org.dinas.code)
    ws.append([float(r[k]) if k == "nip" else r.get(k, "") for k in HEADER])
    out = io.BytesIO()
    wb.save(out)
    batch = preview(org, out.getvalue(), name="p.xlsx")
    assert batch.rows[0]["action"] == "reject"
    assert "sebagai teks" in " ".join(batch.rows[0]["errors"])


@pytest.mark.parametrize(
    ("over", "reason"),
    [
        ({"nip": "19800101200803100"}, "18 digit"),
        ({"nip": "198013012008031001"}, "digit 1–8"),
        ({"nip": "198001012008131001"}, "digit 9–14"),
        ({"nip": "198001012008035001"}, "digit 15"),
        ({"kode_unit": "TIDAK-ADA"}, "Kode unit TIDAK-ADA tidak dikenal"),
        ({"kode_jabatan": "NOPE"}, "Kode jabatan NOPE tidak dikenal"),
        ({"golongan": "V/z"}, "Golongan V/Z tidak dikenal"),
        ({"tanggal_lahir": "2999-01-01"}, "masa depan"),
        ({"tanggal_lahir": "31/02/1980"}, "tidak valid"),
        ({"jenis_kelamin": "X"}, "L atau P"),
        ({"pendidikan": "sma"}, "tidak dikenal"),
        ({"nama": ""}, "nama wajib"),
    ],
)
def test_bad_rows_are_rejected_with_the_reason(org, over, reason):
    batch = preview(org, to_csv([emp_row(1, org.dinas.code, **over)]))
    row = batch.rows[0]
    assert row["action"] == "reject"
    assert reason in " ".join(row["errors"])


def test_duplicate_nip_in_file_and_nip_of_another_agency_are_rejected(org):
    a = emp_row(1, org.dinas.code)
    rows = [a, dict(a, nama="Kembar"), emp_row(2, org.dinas.code, nip=org.foreign_staff.nip)]
    batch = preview(org, to_csv(rows))
    assert [r["action"] for r in batch.rows] == ["reject", "reject", "reject"]
    assert "ganda" in batch.rows[0]["errors"][0]
    assert "instansi lain" in " ".join(batch.rows[2]["errors"])


def test_nip_disagreement_is_a_warning_not_a_rejection(org):
    row = emp_row(1, org.dinas.code, jenis_kelamin="P")  # NIP digit 15 says laki-laki
    batch = preview(org, to_csv([row]))
    assert batch.rows[0]["action"] == "create"
    assert "jenis kelamin" in " ".join(batch.rows[0]["warnings"])


def test_any_rejected_row_blocks_the_whole_import_unless_only_valid(org):
    from asn_portal.errors import ApplicationError

    rows = [emp_row(1, org.dinas.code), emp_row(2, "TIDAK-ADA")]
    batch = preview(org, to_csv(rows))
    with pytest.raises(ApplicationError, match="ditolak"):
        imports.batch_confirm(batch=batch, only_valid=False, actor=org.admin.user)
    assert not Employee.objects.filter(name__startswith="Pegawai Impor").exists()
    batch = confirm(org, batch, only_valid=True)
    assert batch.status == ImportStatus.DONE
    assert list(Employee.objects.filter(name__startswith="Pegawai Impor").values_list("name", flat=True)) == [
        "Pegawai Impor 1"
    ]


def test_update_changes_fields_and_adds_a_history_entry_for_a_new_post(org):
    new_pos = PositionFactory(unit=org.other_dinas, code="JAB-NEW")
    row = emp_row(
        0,
        org.other_dinas.code,
        "JAB-NEW",
        nip=org.staff.nip,
        nama="Staf Satu",
        jenis_kelamin="L",
        tanggal_lahir="1985-05-17",
        tmt_cpns="2010-03-01",
        golongan="III/b",
        tmt_golongan="2019-04-01",
        tmt_jabatan="2024-07-01",
    )
    batch = preview(org, to_csv([row]))
    assert batch.rows[0]["action"] == "update", batch.rows[0]
    assert "position_id" in batch.rows[0]["changes"]
    confirm(org, batch)
    org.staff.refresh_from_db()
    assert org.staff.position_id == new_pos.pk and org.staff.unit_id == org.other_dinas.pk
    assert org.staff.position_history.filter(position=new_pos, start_date=dt.date(2024, 7, 1)).exists()


def test_confirm_is_one_transaction_and_a_double_click_is_refused(org):
    from asn_portal.errors import ConflictError

    batch = preview(org, to_csv([emp_row(1, org.dinas.code)]))
    confirm(org, batch)
    with pytest.raises(ConflictError):
        imports.batch_confirm(batch=batch, only_valid=False, actor=org.admin.user)


def test_units_then_positions_import_builds_the_tree(org):
    units = [
        {"kode": "NEW-OPD", "nama": "Dinas Baru", "jenis": "dinas", "kode_induk": ""},
        {"kode": "NEW-BID", "nama": "Bidang Baru", "jenis": "bidang", "kode_induk": "NEW-OPD"},
        {"kode": org.bidang.code, "nama": "Bidang Pelayanan", "jenis": "bidang", "kode_induk": "NEW-OPD"},
    ]
    header = [c.name for c in imports.UNIT_COLUMNS]
    batch = preview(org, to_csv(units, header), kind="units")
    assert [r["action"] for r in batch.rows] == ["create", "create", "update"]
    confirm(org, batch)
    opd = OrgUnit.objects.get(agency=org.agency, code="NEW-OPD")
    bid = OrgUnit.objects.get(agency=org.agency, code="NEW-BID")
    assert bid.path == f"{opd.path}{bid.pk}/"
    org.bidang.refresh_from_db()
    assert org.bidang.path.startswith(opd.path)  # moved with its subtree
    positions = [
        {"kode": "KADIS-NEW", "nama_jabatan": "Kepala Dinas Baru", "jenis": "jpt_pratama", "kode_unit": "NEW-OPD"},
        {
            "kode": "AN-NEW",
            "nama_jabatan": "Analis",
            "jenis": "fungsional_keahlian",
            "jenjang": "ahli_muda",
            "kode_unit": "NEW-BID",
            "kode_atasan": "KADIS-NEW",
            "formasi": "3",
        },
    ]
    header = [c.name for c in imports.POSITION_COLUMNS]
    batch = confirm(org, preview(org, to_csv(positions, header), kind="positions"))
    assert batch.status == ImportStatus.DONE
    an = Position.objects.get(agency=org.agency, code="AN-NEW")
    assert an.reports_to.code == "KADIS-NEW" and an.headcount == 3 and an.unit_id == bid.pk
    assert preview(org, to_csv(positions, header), kind="positions").counts["unchanged"] == 2


def test_a_unit_cycle_is_rejected(org):
    header = [c.name for c in imports.UNIT_COLUMNS]
    rows = [{"kode": "A1", "nama": "A", "kode_induk": "B1"}, {"kode": "B1", "nama": "B", "kode_induk": "A1"}]
    batch = preview(org, to_csv(rows, header), kind="units")
    assert all(r["action"] == "reject" for r in batch.rows)


def test_missing_columns_are_refused_before_any_row(org):
    from asn_portal.errors import ApplicationError

    with pytest.raises(ApplicationError, match="Kolom wajib"):
        preview(org, b"nip;nama\n1;2\n")


def test_pages_upload_preview_confirm(client, org):
    client.force_login(org.admin.user)
    upload = SimpleUploadedFile("pegawai.csv", to_csv([emp_row(5, org.dinas.code)]), content_type="text/csv")
    with TestCase.captureOnCommitCallbacks(execute=True):  # the worker reads the file (eager here)
        response = client.post("/pegawai/impor/", {"kind": "employees", "agency": org.agency.pk, "file": upload})
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    page = client.get(response["Location"])
    assert 'data-testid="count-create">1<' in page.content.decode()
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(f"/pegawai/impor/{batch.pk}/konfirmasi/")
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE
    assert Employee.objects.filter(name="Pegawai Impor 5").exists()
    status = client.get(f"/pegawai/impor/{batch.pk}/status/")
    assert "Impor selesai" in status.content.decode()


def test_templates_download_and_parse_back(client, org):
    client.force_login(org.admin.user)
    for kind in ("employees", "units", "positions"):
        xlsx = client.get(f"/pegawai/impor/templat/{kind}.xlsx")
        rows = imports.read_table(io.BytesIO(xlsx.content), "t.xlsx")
        assert not imports.missing_columns(kind, rows)
        body = client.get(f"/pegawai/impor/templat/{kind}.csv").content
        assert not imports.missing_columns(kind, imports.read_table(io.BytesIO(body), "t.csv"))
