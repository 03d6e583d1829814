"""Spreadsheet formula injection: every CSV/XLSX download goes through asn_portal.exports, which turns
formula-like text into plain text and keeps numbers as numbers."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.test import Client

from asn_portal.exports import safe_cell, xlsx_bytes
from tests.careers import factories as cf
from tests.people.factories import EmployeeFactory

EVIL = '=HYPERLINK("http://x","y")'


@pytest.mark.parametrize("text", [EVIL, "+62 811", "-1+1", "@SUM(A1)", "\t=1", "\r=1"])
def test_formula_like_text_gets_an_apostrophe(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Budi", "199006072012031001", "a=b", "", 5, 2.5, dt.date(2026, 1, 2), None])
def test_other_values_are_left_alone(value: Any) -> None:
    assert safe_cell(value) == value


def test_xlsx_writes_text_as_text_and_numbers_as_numbers() -> None:
    content = xlsx_bytes([("S", ["a", "b", "c"], [[EVIL, 7, Decimal("1.50")]])])
    ws = openpyxl.load_workbook(io.BytesIO(content)).active
    text, number, decimal = ws[2]
    assert (text.value, text.data_type) == ("'" + EVIL, "s")
    assert (number.value, number.data_type) == (7, "n")
    assert (decimal.value, decimal.data_type) == (1.5, "n")


def _admin(org: Any) -> Client:
    c = Client()
    c.force_login(org.admin.user)
    return c


@pytest.mark.django_db
def test_directory_csv_does_not_carry_a_live_formula(org: Any) -> None:
    EmployeeFactory(unit=org.dinas, name=EVIL)
    response = _admin(org).get("/pegawai/ekspor.csv", {"q": "HYPERLINK"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 2
    name = rows[1][2]
    assert name == "'" + EVIL


@pytest.mark.django_db
def test_directory_xlsx_stores_the_name_as_text_not_a_formula(org: Any) -> None:
    emp = EmployeeFactory(unit=org.dinas, name=EVIL)
    response = _admin(org).get("/pegawai/ekspor.xlsx", {"q": "HYPERLINK"})
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    nip, _front, name = list(ws[2])[:3]
    assert (name.value, name.data_type) == ("'" + EVIL, "s")
    assert (nip.value, nip.data_type) == (emp.nip, "s")  # 18 digits kept exactly, as text


@pytest.mark.django_db
def test_mentoring_export_neutralises_names_and_topics(org: Any) -> None:
    from people.models import Employee

    Employee.objects.filter(pk=org.staff.pk).update(name="@cmd|' /C calc'!A0")
    cf.session(org.head, [org.staff], topics=EVIL)
    c = Client()
    c.force_login(org.head.user)
    response = c.get("/karier/bimbingan/ekspor.xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = {c.value: c.data_type for row in ws.iter_rows(min_row=2) for c in row if isinstance(c.value, str)}
    assert cells["'" + EVIL] == "s"
    assert cells["'@cmd|' /C calc'!A0"] == "s"
    assert not any(v.startswith(("=", "+", "-", "@")) for v in cells)
    assert ws.cell(row=2, column=4).value == 60  # duration stays a number


def test_a_streamed_csv_is_byte_for_byte_the_whole_file_in_chunks_of_rows() -> None:
    from django.utils.translation import gettext_lazy

    from asn_portal.exports import csv_bytes, csv_chunks, csv_row

    class Code(str):  # a str subclass (as TextChoices values are) takes the general path
        pass

    rows = [
        [EVIL, "Budi", "", None, 7, 2.5, True, Decimal("1.50"), dt.date(2026, 1, 2), Code("-x"), gettext_lazy("Ya")]
        for _i in range(7)
    ] + [["+62 811", "a,b", 'say "hi"', "\t=1", "\r=1", "@x", dt.datetime(2026, 1, 2, 3, 4)]]
    header = ["=H", "Nama"]
    chunks = list(csv_chunks(header, rows, chunk_rows=3))
    assert len(chunks) == 1 + 3  # the header at once, then 3 + 3 + 2 rows
    assert b"".join(chunks) == csv_bytes(header, rows)
    parsed = list(csv.reader(io.StringIO(b"".join(chunks).decode("utf-8-sig"))))
    assert parsed[0] == ["'=H", "Nama"]
    assert parsed[1][:4] == ["'" + EVIL, "Budi", "", ""] and parsed[1][9] == "'-x"
    assert parsed[-1][:6] == ["'+62 811", "a,b", 'say "hi"', "'\t=1", "'\r=1", "'@x"]
    # The fast path keeps what safe_cell did for every type
    assert csv_row(rows[0]) == ["" if (v := safe_cell(x)) is None else v for x in rows[0]]
