"""Import files as offices really send them (issue 12): old-Mac CR line endings, UTF-16, Windows-1252
quotes and dashes, binary content, formula cells, and XLSX files built to exhaust the web worker."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile
from typing import Any

import openpyxl
import pytest

from asn_portal.errors import ApplicationError
from people import imports
from people.models import OrgUnit
from tests.people.test_imports import HEADER, emp_row, preview, to_csv

pytestmark = pytest.mark.django_db

UNIT_HEADER = ["kode_unit", "nama_unit", "jenis_unit", "kode_unit_induk"]


def unit_csv(rows: list[list[str]], newline: str = "\n", delimiter: str = ";") -> str:
    return newline.join(delimiter.join(r) for r in [UNIT_HEADER, *rows]) + newline


def test_old_mac_cr_line_endings_are_read_as_rows(org: Any) -> None:
    data = to_csv([emp_row(i, org.dinas.code) for i in range(3)]).replace(b"\r\n", b"\r").replace(b"\n", b"\r")
    batch = preview(org, data)
    assert batch.total == 3 and batch.counts["create"] == 3


def test_utf16_csv_from_excel_unicode_text_is_read(org: Any) -> None:
    text = to_csv([emp_row(1, org.dinas.code, nama="Dra. Ñoman Süryani")]).decode("utf-8")
    batch = preview(org, text.encode("utf-16"))
    assert batch.total == 1 and batch.rows[0]["raw"]["nama"] == "Dra. Ñoman Süryani"


def test_windows_1252_quotes_and_dashes_are_stored_as_typed(org: Any) -> None:
    text = unit_csv([["U-77", "Bidang \u201cPelayanan\u201d \u2013 Terpadu", "bidang", org.dinas.code]])
    raw = imports.read_table(io.BytesIO(text.encode("cp1252")), "unit.csv")
    assert raw[0]["nama_unit"] == "Bidang \u201cPelayanan\u201d \u2013 Terpadu"


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 20,
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)) * 20,
    ],
    ids=["png", "zip"],
)
def test_binary_content_named_csv_is_refused_clearly(org: Any, content: bytes) -> None:
    with pytest.raises(ApplicationError, match="bukan CSV teks"):
        preview(org, content)


def test_a_formula_cell_without_a_stored_result_is_named_not_called_empty(org: Any) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    row = emp_row(1, org.dinas.code)
    ws.append([row.get(k, "") for k in HEADER])
    ws["B2"] = '=CONCATENATE("Pegawai ", "Satu")'  # nama, written by a program: no cached value
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(ApplicationError) as err:
        preview(org, out.getvalue(), name="pegawai.xlsx")
    assert "B2" in err.value.message and "rumus" in err.value.message
    assert "wajib" not in err.value.message


def _xlsx_with_sheet_xml(sheet_xml: bytes, shared_strings: bytes | None = None) -> bytes:
    """A minimal XLSX package around a hand-written (streamed) sheet."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
            'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+'
            'xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/>'
            + (
                '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                'officedocument.spreadsheetml.sharedStrings+xml"/>'
                if shared_strings
                else ""
            )
            + "</Types>",
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        z.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
            '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            + (
                '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                'sharedStrings" Target="sharedStrings.xml"/>'
                if shared_strings
                else ""
            )
            + "</Relationships>",
        )
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        if shared_strings:
            z.writestr("xl/sharedStrings.xml", shared_strings)
    return out.getvalue()


def _sheet(rows_xml: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        f'2006/main"><sheetData>{rows_xml}</sheetData></worksheet>'
    ).encode()


def test_an_xlsx_of_three_million_blank_rows_is_read_quickly(org: Any) -> None:
    header = "".join(f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{h}</t></is></c>' for i, h in enumerate(UNIT_HEADER))
    blank = "<row/>" * 3_000_000
    data = _xlsx_with_sheet_xml(_sheet(f'<row r="1">{header}</row>{blank}'))
    assert len(data) < 1024 * 1024  # a small upload that unpacks to ~50 MB of empty rows
    started = time.monotonic()
    with pytest.raises(ApplicationError, match="lebih dari 20000 baris"):
        imports.batch_create(
            agency=org.agency, kind="units", stream=io.BytesIO(data), filename="unit.xlsx", actor=org.admin.user
        )
    assert time.monotonic() - started < 10


def test_an_xlsx_of_millions_of_shared_strings_is_refused_before_it_fills_memory(org: Any) -> None:
    count = 2_000_000
    strings = "".join(f"<si><t>{i}</t></si>" for i in range(count))
    shared = (
        '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
        f'main" count="{count}" uniqueCount="{count}">{strings}</sst>'
    ).encode()
    data = _xlsx_with_sheet_xml(_sheet('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'), shared)
    tracemalloc.start()
    try:
        with pytest.raises(ApplicationError, match="terlalu besar"):
            imports.read_table(io.BytesIO(data), "unit.xlsx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 50 * 1024 * 1024
    assert not OrgUnit.objects.filter(code="U-77").exists()
