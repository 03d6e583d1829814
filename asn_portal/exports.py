"""Spreadsheet downloads: the one place every app's CSV and XLSX files are written.

Formula injection (CWE-1236): a cell whose text starts with ``= + - @``, a tab or a carriage return is read
by Excel and LibreOffice as a formula, so an employee named ``=HYPERLINK("http://x","y")`` would become a
live link in an HR officer's spreadsheet. Every text cell goes through `safe_cell`, which prefixes such text
with an apostrophe (the OWASP recommendation); XLSX text cells are also typed as strings (data_type "s")
so openpyxl never stores them as formulas. Numbers, dates and booleans stay typed values. The result is
deterministic (the same data gives the same bytes), which the BKN batch export relies on.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"  # Excel opens UTF-8 CSV correctly only with a byte-order mark


def safe_text(value: str) -> str:
    """Text that a spreadsheet shows as text: formula-like text gets a leading apostrophe."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def safe_cell(value: Any) -> Any:
    """One exported value: text neutralised, Decimals as numbers Excel can sum, None as empty."""
    if value is None:
        return None
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        return safe_text(value)
    if hasattr(value, "isoformat"):  # dates and datetimes stay dates
        return value
    return safe_text(str(value))  # lazy translations, enums, model instances


# --- CSV ---------------------------------------------------------------------------------------------------


_FORMULA_FIRST = frozenset(FORMULA_PREFIXES)  # every prefix is one character
_AS_IS = frozenset({int, float, bool, dt.date, dt.datetime})  # what safe_cell returns unchanged


def csv_row(row: Iterable[Any]) -> list[Any]:
    """One CSV row: text neutralised (a fast path for plain str, the commonest cell), None as empty."""
    return [
        ("'" + v if v[:1] in _FORMULA_FIRST else v)
        if v.__class__ is str
        else v
        if v.__class__ in _AS_IS
        else ("" if v is None else "" if (c := safe_cell(v)) is None else c)
        for v in row
    ]


def csv_bytes(header: Sequence[Any], rows: Iterable[Iterable[Any]]) -> bytes:
    """A whole CSV file (small files such as import templates), UTF-8 with BOM."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(csv_row(header))
    for row in rows:
        writer.writerow(csv_row(row))
    return (BOM + buf.getvalue()).encode("utf-8")


def csv_response(filename: str, header: Sequence[Any], rows: Iterable[Iterable[Any]]) -> HttpResponse:
    return attachment(filename, csv_bytes(header, rows), CSV_TYPE)


STREAM_CHUNK_ROWS = 500  # rows per streamed chunk (about 50-100 KB of CSV)


def csv_chunks(
    header: Sequence[Any], rows: Iterable[Iterable[Any]], chunk_rows: int = STREAM_CHUNK_ROWS
) -> Iterator[bytes]:
    """The CSV (UTF-8 with BOM) as encoded chunks of `chunk_rows` rows: the first chunk (the header) at once,
    then one `writerows` per chunk, so the per-chunk costs (encoding, the server's write, the response's
    iterator wrappers) are paid once per few hundred rows, not once per row."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(csv_row(header))
    yield (BOM + buf.getvalue()).encode("utf-8")
    batch: list[list[Any]] = []
    for row in rows:
        batch.append(csv_row(row))
        if len(batch) >= chunk_rows:
            buf.seek(0)
            buf.truncate()
            writer.writerows(batch)
            batch = []
            yield buf.getvalue().encode("utf-8")
    if batch:
        buf.seek(0)
        buf.truncate()
        writer.writerows(batch)
        yield buf.getvalue().encode("utf-8")


def csv_streaming_response(
    filename: str, header: Sequence[Any], rows: Iterable[Iterable[Any]]
) -> StreamingHttpResponse:
    """A CSV streamed in chunks of rows (large lists: the directory of 50,000 employees); the bytes are those
    of `csv_bytes` for the same rows."""
    response = StreamingHttpResponse(csv_chunks(header, rows), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- XLSX --------------------------------------------------------------------------------------------------


def xlsx_cells(ws: Any, row: Iterable[Any]) -> list[Any]:
    """Cells for `ws.append`: text typed as string (never a formula), control characters XML cannot hold
    removed, numbers and dates typed."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cells = []
    for value in row:
        v = safe_cell(value)
        if isinstance(v, str):
            cell = WriteOnlyCell(ws, value=ILLEGAL_CHARACTERS_RE.sub("", v))
            cell.data_type = "s"
        else:
            cell = WriteOnlyCell(ws, value=v)
        cells.append(cell)
    return cells


def xlsx_append(ws: Any, row: Iterable[Any]) -> None:
    """Append one row to a worksheet (write-only or normal) through the neutralising cells."""
    ws.append(xlsx_cells(ws, row))


def xlsx_bytes(sheets: Iterable[tuple[str | None, Sequence[Any], Iterable[Iterable[Any]]]]) -> bytes:
    """A write-only workbook with one sheet per (title, header, rows)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for title, header, rows in sheets:
        ws = wb.create_sheet(title=title)
        xlsx_append(ws, [str(h) for h in header])
        for row in rows:
            xlsx_append(ws, row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def attachment(filename: str, content: bytes, content_type: str = XLSX_TYPE) -> HttpResponse:
    """A download of bytes already built by this module (or by a service that used it)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(
    filename: str, header: Sequence[Any], rows: Iterable[Sequence[Any]], *, title: str | None = None
) -> HttpResponse:
    """An XLSX attachment with one header row; Decimals become numbers Excel can sum."""
    return attachment(filename, xlsx_bytes([(title, header, rows)]))
