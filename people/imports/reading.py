"""Reading CSV/XLSX uploads into rows keyed by normalised header names."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from typing import IO, Any

from django.utils.translation import gettext as _

from asn_portal.errors import ApplicationError

from .columns import COLUMNS, MAX_ROWS

# --- Reading files ------------------------------------------------------------------------------------


def _norm_header(value: Any) -> str:
    return re.sub(r"[^a-z0-9]+", "_", str(value or "").strip().lower()).strip("_")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        # Numbers longer than 15 digits (NIP) lose precision in a spreadsheet cell: flag it below.
        return f"#NUM:{int(value)}" if abs(value) >= 1e15 else str(int(value))
    return str(value).strip()


def read_table(stream: IO[bytes], filename: str) -> list[dict[str, str]]:
    """Rows of a CSV (comma, semicolon or tab; UTF-8 or Latin-1) or XLSX (first sheet) as dicts keyed by
    normalised header names. Raises ApplicationError for an unreadable or oversized file."""
    name = filename.lower()
    raw_rows: Iterator[list[Any]]
    if name.endswith(".xlsx"):
        import openpyxl

        try:
            wb = openpyxl.load_workbook(stream, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - any parse failure is a bad upload
            raise ApplicationError(_("Berkas XLSX tidak dapat dibaca: %(err)s") % {"err": exc}) from exc
        ws = wb.worksheets[0]
        raw_rows = (list(r) for r in ws.iter_rows(values_only=True))
    elif name.endswith(".csv"):
        data = stream.read()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
        first = text.split("\n", 1)[0]
        delimiter = max([",", ";", "\t"], key=first.count)
        raw_rows = (list(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter))
    else:
        raise ApplicationError(_("Format berkas harus CSV atau XLSX."))
    header: list[str] | None = None
    rows: list[dict[str, str]] = []
    for values in raw_rows:
        if header is None:
            header = [_norm_header(v) for v in values]
            continue
        cells = [_cell(v) for v in values]
        if not any(cells):
            continue
        rows.append({h: (cells[i] if i < len(cells) else "") for i, h in enumerate(header) if h})
        if len(rows) > MAX_ROWS:
            raise ApplicationError(
                _("Berkas berisi lebih dari %(n)d baris; pecah menjadi beberapa berkas.") % {"n": MAX_ROWS}
            )
    if header is None:
        raise ApplicationError(_("Berkas kosong."))
    return rows


def missing_columns(kind: str, rows: list[dict[str, str]]) -> list[str]:
    present = set(rows[0]) if rows else set()
    return [c.name for c in COLUMNS[kind] if c.required and c.name not in present]
