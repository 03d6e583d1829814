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


# Limits that keep one upload from exhausting the web worker (a 433 KB XLSX can declare 3 million blank
# rows; a 1.3 MB one 5 million shared strings, which openpyxl loads into memory up front).
MAX_COLUMNS = 100
MAX_BLANK_RUN = 1000  # this many empty rows in a row end the table
MAX_XLSX_UNPACKED_BYTES = 60 * 1024 * 1024
MAX_XLSX_SHARED_STRINGS_BYTES = 20 * 1024 * 1024


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _decode(data: bytes) -> str:
    """Text of a CSV upload: UTF-8 (with or without BOM), UTF-16 (BOM), Windows-1252 (Excel on Windows:
    curly quotes and dashes), else what charset-normalizer detects. Binary content is refused."""
    text = _decode_any(data)
    if text is None or _CONTROL.search(text[: 1024 * 1024]):
        raise ApplicationError(
            _("Berkas ini bukan CSV teks yang dapat dibaca. Simpan dari Excel sebagai CSV (UTF-8) atau unggah XLSX.")
        )
    return text


def _decode_any(data: bytes) -> str | None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    elif b"\x00" in data:
        candidates = []  # UTF-16 without a byte-order mark, or binary: let charset-normalizer decide
    else:
        candidates = ["utf-8-sig", "cp1252"]
    for encoding in candidates:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return str(best) if best is not None else None


def _check_xlsx_package(stream: IO[bytes]) -> None:
    """Refuse an XLSX whose unpacked parts would not fit in a web worker, before openpyxl reads it."""
    import zipfile

    try:
        with zipfile.ZipFile(stream) as zf:
            infos = zf.infolist()
            _check_sizes(infos)
            _check_row_count(zf)
    except zipfile.BadZipFile as exc:
        raise ApplicationError(_("Berkas XLSX tidak dapat dibaca: bukan berkas Excel yang valid.")) from exc
    finally:
        stream.seek(0)


def _check_sizes(infos: list[Any]) -> None:
    unpacked = sum(i.file_size for i in infos)
    shared = sum(i.file_size for i in infos if i.filename.lower() == "xl/sharedstrings.xml")
    if unpacked > MAX_XLSX_UNPACKED_BYTES or shared > MAX_XLSX_SHARED_STRINGS_BYTES:
        raise ApplicationError(
            _(
                "Isi berkas XLSX terlalu besar (%(mb)d MB setelah diekstrak). Hapus baris dan kolom kosong "
                "atau pecah menjadi beberapa berkas."
            )
            % {"mb": unpacked // (1024 * 1024)}
        )


def _first_sheet_part(zf: Any) -> str:
    """The zip path of the workbook's first sheet (the one read), from workbook.xml and its relations."""
    from xml.etree.ElementTree import fromstring

    try:
        workbook = fromstring(zf.read("xl/workbook.xml"))
        rels = fromstring(zf.read("xl/_rels/workbook.xml.rels"))
        sheet = next(e for e in workbook.iter() if e.tag.endswith("}sheet"))
        rid = next(v for k, v in sheet.attrib.items() if k.endswith("}id"))
        target = next(e.get("Target", "") for e in rels.iter() if e.get("Id") == rid)
    except (KeyError, StopIteration, SyntaxError):
        return "xl/worksheets/sheet1.xml"
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def _check_row_count(zf: Any) -> None:
    """Count the first sheet's <row> elements, streamed and stopping at the limit. openpyxl scans a whole
    sheet without a <dimension> before yielding a row, and skips empty rows silently, so a small file of
    millions of blank rows would otherwise keep the web worker busy for minutes."""
    from xml.etree.ElementTree import ParseError, iterparse

    limit = MAX_ROWS + MAX_BLANK_RUN
    count = 0
    try:
        with zf.open(_first_sheet_part(zf)) as src:
            for _event, element in iterparse(src):
                if element.tag.endswith("}row"):
                    count += 1
                    if count > limit:
                        raise ApplicationError(
                            _(
                                "Lembar pertama berisi lebih dari %(n)d baris (termasuk baris kosong berformat). "
                                "Hapus baris kosong di bawah data atau pecah menjadi beberapa berkas."
                            )
                            % {"n": MAX_ROWS}
                        )
                element.clear()
    except (KeyError, ParseError) as exc:
        raise ApplicationError(_("Berkas XLSX tidak dapat dibaca: %(err)s") % {"err": exc}) from exc


def _xlsx_rows(stream: IO[bytes]) -> Iterator[list[Any]]:
    """Rows of the first sheet, streamed (read-only). A formula without a stored result (a file written by
    a program, not saved in Excel) is refused by name instead of read as an empty cell."""
    import openpyxl

    _check_xlsx_package(stream)
    try:
        values_wb = openpyxl.load_workbook(stream, read_only=True, data_only=True)
        stream.seek(0)
        formulas_wb = openpyxl.load_workbook(stream, read_only=True, data_only=False)
    except Exception as exc:  # noqa: BLE001 - any parse failure is a bad upload
        raise ApplicationError(_("Berkas XLSX tidak dapat dibaca: %(err)s") % {"err": exc}) from exc
    values = values_wb.worksheets[0].iter_rows(values_only=True, max_col=MAX_COLUMNS)
    formulas = formulas_wb.worksheets[0].iter_rows(values_only=True, max_col=MAX_COLUMNS)
    try:
        for line, (row, source) in enumerate(zip(values, formulas, strict=False), start=1):
            for col, (value, formula) in enumerate(zip(row, source, strict=False), start=1):
                if value is None and isinstance(formula, str) and formula.startswith("="):
                    from openpyxl.utils import get_column_letter

                    raise ApplicationError(
                        _(
                            "Sel %(cell)s berisi rumus %(f)s tanpa hasil tersimpan. Buka berkas di Excel lalu "
                            "simpan ulang, atau salin dan tempel sebagai nilai."
                        )
                        % {"cell": f"{get_column_letter(col)}{line}", "f": formula[:60]}
                    )
            yield list(row)
    finally:
        values_wb.close()
        formulas_wb.close()


def _raw_rows(stream: IO[bytes], filename: str) -> Iterator[list[Any]]:
    name = filename.lower()
    if name.endswith(".xlsx"):
        return _xlsx_rows(stream)
    if name.endswith(".csv"):
        text = _decode(stream.read())
        lines = text.splitlines()
        first = lines[0] if lines else ""
        delimiter = max([",", ";", "\t"], key=first.count)
        # newline="": the csv module sees CR, LF and CRLF line endings itself (old Macs save CR only)
        return (list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    raise ApplicationError(_("Format berkas harus CSV atau XLSX."))


def read_grid(stream: IO[bytes], filename: str, *, max_rows: int = MAX_ROWS) -> list[list[str]]:
    """The header row and the data rows of a CSV or XLSX as lists of cell texts (header names as written),
    read with the same encodings and the same row, column, blank-run and size limits as `read_table`."""
    grid: list[list[str]] = []
    blank_run = 0
    try:
        for values in _raw_rows(stream, filename):
            cells = [_cell(v) for v in values[:MAX_COLUMNS]]
            if grid and not any(cells):
                blank_run += 1
                if blank_run >= MAX_BLANK_RUN:
                    break
                continue
            blank_run = 0
            grid.append(cells)
            if len(grid) > max_rows + 1:
                raise ApplicationError(
                    _("Berkas berisi lebih dari %(n)d baris; pecah menjadi beberapa berkas.") % {"n": max_rows}
                )
    except csv.Error as exc:
        raise ApplicationError(_("Berkas CSV tidak dapat dibaca: %(err)s") % {"err": exc}) from exc
    return grid


def read_table(stream: IO[bytes], filename: str) -> list[dict[str, str]]:
    """Rows of a CSV (comma, semicolon or tab; any line ending; UTF-8, UTF-16 or Windows-1252) or XLSX
    (first sheet, streamed) as dicts keyed by normalised header names. Raises ApplicationError for an
    unreadable or oversized file."""
    name = filename.lower()
    raw_rows: Iterator[list[Any]]
    if name.endswith(".xlsx"):
        raw_rows = _xlsx_rows(stream)
    elif name.endswith(".csv"):
        text = _decode(stream.read())
        lines = text.splitlines()
        first = lines[0] if lines else ""
        delimiter = max([",", ";", "\t"], key=first.count)
        # newline="": the csv module sees CR, LF and CRLF line endings itself (old Macs save CR only)
        raw_rows = (list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    else:
        raise ApplicationError(_("Format berkas harus CSV atau XLSX."))
    header: list[str] | None = None
    rows: list[dict[str, str]] = []
    blank_run = 0
    try:
        for values in raw_rows:
            if header is None:
                header = [_norm_header(v) for v in values[:MAX_COLUMNS]]
                continue
            cells = [_cell(v) for v in values[:MAX_COLUMNS]]
            if not any(cells):
                blank_run += 1
                if blank_run >= MAX_BLANK_RUN:
                    break
                continue
            blank_run = 0
            rows.append({h: (cells[i] if i < len(cells) else "") for i, h in enumerate(header) if h})
            if len(rows) > MAX_ROWS:
                raise ApplicationError(
                    _("Berkas berisi lebih dari %(n)d baris; pecah menjadi beberapa berkas.") % {"n": MAX_ROWS}
                )
    except csv.Error as exc:
        raise ApplicationError(_("Berkas CSV tidak dapat dibaca: %(err)s") % {"err": exc}) from exc
    if header is None:
        raise ApplicationError(_("Berkas kosong."))
    return rows


def missing_columns(kind: str, rows: list[dict[str, str]]) -> list[str]:
    present = set(rows[0]) if rows else set()
    return [c.name for c in COLUMNS[kind] if c.required and c.name not in present]
