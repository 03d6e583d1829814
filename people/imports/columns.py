"""Column layouts of the import files and the downloadable templates."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.utils.translation import gettext as _

from asn_portal.exports import csv_bytes, xlsx_append

from ..choices import (
    ImportKind,
)

MAX_ROWS = 20000
CHUNK = 900  # rows per bulk statement


@dataclass(frozen=True)
class Column:
    name: str
    label: str
    required: bool = False
    example: str = ""


EMPLOYEE_COLUMNS = [
    Column("nip", "NIP (18 digit, format teks)", True, "198505172010031001"),
    Column("gelar_depan", "Gelar depan", False, ""),
    Column("nama", "Nama tanpa gelar", True, "Budi Santoso"),
    Column("gelar_belakang", "Gelar belakang", False, "S.E."),
    Column("jenis_kelamin", "L atau P", True, "L"),
    Column("tempat_lahir", "Tempat lahir", False, "Medan"),
    Column("tanggal_lahir", "Tanggal lahir (TTTT-BB-HH)", True, "1985-05-17"),
    Column("jenis_kepegawaian", "pns, cpns atau pppk", False, "pns"),
    Column("pendidikan", "Kode pendidikan (sd … s3)", True, "s1"),
    Column("jurusan", "Jurusan", False, "Akuntansi"),
    Column("kode_unit", "Kode unit kerja", True, "BKD"),
    # The sample row places the person into a pelaksana post with free formasi (filled in per agency by
    # `imports.sample_row`); left empty when the agency has none, never a structural post.
    Column("kode_jabatan", "Kode jabatan (jabatan pelaksana pada contoh)", False, ""),
    Column("tmt_jabatan", "TMT jabatan", False, "2020-01-02"),
    Column("golongan", "Golongan/ruang (III/a) atau golongan PPPK", False, "III/b"),
    Column("tmt_golongan", "TMT golongan", False, "2019-04-01"),
    Column("tmt_cpns", "TMT CPNS", False, "2010-03-01"),
    Column("tmt_pns", "TMT PNS", False, "2011-03-01"),
    Column("status", "Status (active, leave, …)", False, "active"),
    Column("email", "Email", False, ""),
    Column("telepon", "Telepon", False, ""),
]
UNIT_COLUMNS = [
    Column("kode", "Kode unit", True, "DISKOMINFO-3"),
    Column("nama", "Nama unit", True, "Bidang Persandian"),
    Column("jenis", "Jenis (dinas, badan, bidang, …)", False, "bidang"),
    Column("kode_induk", "Kode unit induk", False, "KOMINFO"),
    Column("kode_jabatan_kepala", "Kode jabatan kepala unit", False, ""),
]
POSITION_COLUMNS = [
    Column("kode", "Kode jabatan", True, "P90001"),
    Column("nama_jabatan", "Nama jabatan", True, "Analis SDM Aparatur Ahli Pertama"),
    Column("jenis", "Jenis jabatan", True, "fungsional_keahlian"),
    Column("jenjang", "Jenjang fungsional", False, "ahli_pertama"),
    Column("kelas", "Kelas jabatan", False, "8"),
    Column("kode_unit", "Kode unit kerja", True, "BKD"),
    Column("kode_atasan", "Kode jabatan atasan", False, ""),
    Column("formasi", "Formasi (jumlah pemangku)", False, "2"),
    Column("kunci", "Jabatan kunci (ya/tidak)", False, "tidak"),
]
COLUMNS: dict[str, list[Column]] = {
    ImportKind.EMPLOYEES: EMPLOYEE_COLUMNS,
    ImportKind.UNITS: UNIT_COLUMNS,
    ImportKind.POSITIONS: POSITION_COLUMNS,
}


# --- Template files -----------------------------------------------------------------------------------


def _example(kind: str, sample: dict[str, str] | None) -> list[str]:
    return [(sample or {}).get(c.name, c.example) for c in COLUMNS[kind]]


def template_csv(kind: str, sample: dict[str, str] | None = None) -> bytes:
    return csv_bytes([c.name for c in COLUMNS[kind]], [_example(kind, sample)])


def template_xlsx(kind: str, sample: dict[str, str] | None = None) -> bytes:
    import openpyxl
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = str(ImportKind(kind).label)
    cols = COLUMNS[kind]
    xlsx_append(ws, [c.name for c in cols])
    xlsx_append(ws, _example(kind, sample))
    for i, c in enumerate(cols, start=1):
        cell = ws.cell(row=1, column=i)
        cell.font = Font(bold=True)
        letter = cell.column_letter
        ws.column_dimensions[letter].width = max(14, len(c.label) + 2)
        # Text format keeps 18-digit NIPs and codes exact (a number cell keeps only 15 digits).
        ws.column_dimensions[letter].number_format = "@"
        ws.cell(row=2, column=i).number_format = "@"
    notes = wb.create_sheet(_("Petunjuk"))
    xlsx_append(notes, [_("Kolom"), _("Keterangan"), _("Wajib")])
    for c in cols:
        xlsx_append(notes, [c.name, c.label, _("ya") if c.required else ""])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
