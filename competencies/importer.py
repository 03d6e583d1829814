"""Bulk import of assessment-centre results (CSV or XLSX): parse → preview → confirm in one transaction.

File layout: one row per person; columns `nip`, `tanggal` (YYYY-MM-DD or DD/MM/YYYY), optional `asesor`
and `bukti`, then one column per competency code (M1 … M8, SK1, or the agency's technical codes) holding a
level 1–5 (empty = not assessed). Every error names the row and the field; nothing is written while any
row is wrong."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import IO, Any

from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from asn_portal import uploads
from asn_portal.errors import ApplicationError, require_max_length
from asn_portal.outbox import enqueue
from asn_portal.services import audit
from people.imports.reading import read_grid
from people.models import Employee

from .choices import AssessmentMethod, AssessmentPurpose, ImportStatus
from .models import AssessmentImport, AssessmentResult, Competency, CompetencyAssessment
from .services import _add_years, jpm_refresh, validity_years

MAX_ROWS = 5000
PARSE_TASK = "competencies.tasks.assessment_import_parse"
ASSESSOR_MAX = 200  # CompetencyAssessment.assessor
FIXED = {"nip", "tanggal", "asesor", "bukti", "nama"}


def _read_table(name: str, content: bytes) -> list[list[str]]:
    """Streamed, with the row, column and size limits of the people import (a small XLSX can declare millions
    of blank rows or shared strings)."""
    return read_grid(io.BytesIO(content), name, max_rows=MAX_ROWS)


def _parse_date(value: str) -> dt.date | None:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(value[:10], fmt).date()
        except ValueError:
            continue
    return None


@dataclass(frozen=True)
class _Sheet:
    """What every row of one uploaded sheet is checked against (read once, 3 queries)."""

    header: list[str]
    idx: dict[str, int]
    comp_cols: list[tuple[int, str]]
    competencies: dict[str, Competency]
    employees: dict[str, int]
    names: dict[str, str]
    today: dt.date


def _table(name: str, content: bytes) -> tuple[list[str], list[list[str]]]:
    """The header (lower case) and body rows; refused when empty, without 'nip'/'tanggal', or too long."""
    table = [r for r in _read_table(name, content) if any(c for c in r)]
    if not table:
        raise ApplicationError(_("Berkas kosong."), {"field": "file"})
    header = [h.strip().lower() for h in table[0]]
    if "nip" not in header or "tanggal" not in header:
        raise ApplicationError(_("Kolom wajib 'nip' dan 'tanggal' tidak ditemukan di baris judul."), {"field": "file"})
    body = table[1:]
    if len(body) > MAX_ROWS:
        raise ApplicationError(
            _("Terlalu banyak baris (%(n)s); maksimal %(max)s per berkas.") % {"n": len(body), "max": MAX_ROWS},
            {"field": "file"},
        )
    return header, body


def _sheet(agency_id: int, header: list[str], body: list[list[str]]) -> _Sheet:
    comp_cols = [(i, h) for i, h in enumerate(header) if h and h not in FIXED]
    competencies = {
        c.code.lower(): c
        for c in Competency.objects.filter(
            Q(agency__isnull=True) | Q(agency_id=agency_id),
            is_active=True,
            code__in=[h.upper() for _, h in comp_cols] + [h for _, h in comp_cols],
        )
    }
    idx = {h: i for i, h in enumerate(header)}
    nips = {r[idx["nip"]].replace(" ", "") for r in body if len(r) > idx["nip"]}
    employees = dict(Employee.objects.filter(agency_id=agency_id, nip__in=nips).values_list("nip", "pk"))
    names = dict(Employee.objects.filter(agency_id=agency_id, nip__in=nips).values_list("nip", "name"))
    return _Sheet(header, idx, comp_cols, competencies, employees, names, timezone.localdate())


def _level_of(value: str) -> int | None:
    """A level 1–5 written as a whole number (`3`, `3.0`, `3,0`); None otherwise."""
    try:
        level = int(float(value.replace(",", ".")))
        ok = str(level) == value or float(value.replace(",", ".")) == level
    except ValueError:
        return None
    return level if ok and 1 <= level <= 5 else None


def _row_levels(n: int, cells: list[str], sheet: _Sheet, row_errors: list[dict[str, Any]]) -> dict[str, int]:
    levels: dict[str, int] = {}
    for i, h in sheet.comp_cols:
        value = cells[i].strip()
        if not value or h not in sheet.competencies:
            continue
        level = _level_of(value)
        if level is None:
            row_errors.append({"row": n, "field": h, "message": _("Level harus 1–5, tertulis: %(v)s.") % {"v": value}})
        else:
            levels[str(sheet.competencies[h].pk)] = level
    return levels


def _row_date(n: int, cells: list[str], sheet: _Sheet, row_errors: list[dict[str, Any]]) -> dt.date | None:
    date = _parse_date(cells[sheet.idx["tanggal"]])
    if date is None:
        row_errors.append({"row": n, "field": "tanggal", "message": _("Tanggal tidak valid (pakai YYYY-MM-DD).")})
    elif date > sheet.today:
        row_errors.append({"row": n, "field": "tanggal", "message": _("Tanggal asesmen di masa depan.")})
    return date


def _parse_row(n: int, raw: list[str], sheet: _Sheet) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    cells = raw + [""] * (len(sheet.header) - len(raw))
    nip = cells[sheet.idx["nip"]].replace(" ", "")
    row_errors: list[dict[str, Any]] = []
    if nip not in sheet.employees:
        row_errors.append(
            {
                "row": n,
                "field": "nip",
                "message": _("NIP tidak dikenal di instansi ini: %(nip)s.") % {"nip": nip or "–"},
            }
        )
    date = _row_date(n, cells, sheet, row_errors)
    levels = _row_levels(n, cells, sheet, row_errors)
    row_assessor = cells[sheet.idx["asesor"]].strip() if "asesor" in sheet.idx else ""
    if len(row_assessor) > ASSESSOR_MAX:
        row_errors.append(
            {
                "row": n,
                "field": "asesor",
                "message": _("Asesor terlalu panjang: %(n)s karakter, paling banyak %(limit)s karakter.")
                % {"n": len(row_assessor), "limit": ASSESSOR_MAX},
            }
        )
    if not levels and not any(e["field"] in dict(sheet.comp_cols).values() for e in row_errors):
        row_errors.append({"row": n, "field": "level", "message": _("Tidak ada level kompetensi pada baris ini.")})
    row = {
        "row": n,
        "nip": nip,
        "name": sheet.names.get(nip, ""),
        "employee_id": sheet.employees.get(nip),
        "date": date.isoformat() if date else "",
        "assessor": row_assessor,
        "evidence": cells[sheet.idx["bukti"]] if "bukti" in sheet.idx else "",
        "levels": levels,
        "ok": not row_errors,
    }
    return row, row_errors


def parse_rows(*, agency_id: int, name: str, content: bytes) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Validate every row; return (rows ready to write, errors [{row, field, message}]). 3 queries."""
    header, body = _table(name, content)
    sheet = _sheet(agency_id, header, body)
    errors: list[dict[str, Any]] = [
        {"row": 1, "field": h, "message": _("Kode kompetensi tidak dikenal: %(code)s.") % {"code": h}}
        for _i, h in sheet.comp_cols
        if h not in sheet.competencies
    ]
    rows: list[dict[str, Any]] = []
    for n, raw in enumerate(body, start=2):
        row, row_errors = _parse_row(n, raw, sheet)
        errors.extend(row_errors)
        rows.append(row)
    return rows, errors


def _check_choices(*, purpose: str, method: str, assessor: str) -> str:
    if purpose not in AssessmentPurpose.values:
        raise ApplicationError(_("Tujuan asesmen tidak dikenal."), {"field": "purpose"})
    if method not in AssessmentMethod.values:
        raise ApplicationError(_("Metode asesmen tidak dikenal."), {"field": "method"})
    return require_max_length(assessor, limit=ASSESSOR_MAX, field="assessor", label=_("Asesor/lembaga"))


def import_upload(
    *, agency_id: int, name: str, stream: IO[bytes], purpose: str, method: str, assessor: str, actor: Any
) -> AssessmentImport:
    """Store the upload and queue its reading in the worker (`import_parse`); the batch is "parsing" with no rows
    until then, so the request answers at once whatever the file holds."""
    assessor = _check_choices(purpose=purpose, method=method, assessor=assessor)
    with transaction.atomic():
        batch = AssessmentImport(
            agency_id=agency_id,
            uploaded_by=actor if getattr(actor, "pk", None) else None,
            file_name=name[:200],
            purpose=purpose,
            method=method,
            assessor=assessor,
            status=ImportStatus.PARSING,
        )
        batch.source.save(name, File(stream), save=False)
        batch.save()
        enqueue(PARSE_TASK, batch.pk)
    return batch


def _failed(message: str) -> dict[str, Any]:
    return {"status": ImportStatus.FAILED, "errors": [{"row": 0, "field": "file", "message": message}]}


def import_parse(batch_id: int) -> AssessmentImport | None:
    """Read and validate a "parsing" upload into its preview (the worker's task). Idempotent: a batch no longer
    "parsing" is left alone, so a redelivered message (worker killed mid-read) or a late one does nothing twice."""
    batch = AssessmentImport.objects.filter(pk=batch_id, status=ImportStatus.PARSING).first()
    if batch is None:
        return None

    def parse(stream: IO[bytes]) -> dict[str, Any]:
        rows, errors = parse_rows(agency_id=batch.agency_id, name=batch.file_name, content=stream.read())
        return {"status": ImportStatus.PREVIEW, "rows": rows, "errors": errors}

    uploads.read_stored(batch, reading=ImportStatus.PARSING, parse=parse, failed=_failed)
    batch.refresh_from_db()
    return batch


def imports_fail_stale(*, older_than_seconds: int | None = None) -> int:
    """Fail uploads still "parsing" long after any worker would have read them (run by the stale-job sweep)."""
    return uploads.fail_stale_reads(
        AssessmentImport, reading=ImportStatus.PARSING, failed=_failed, older_than_seconds=older_than_seconds
    )


def import_preview(
    *, agency_id: int, name: str, content: bytes, purpose: str, method: str, assessor: str, actor: Any
) -> AssessmentImport:
    """Read and validate in this process (scripts and tests; the upload page uses `import_upload`)."""
    assessor = _check_choices(purpose=purpose, method=method, assessor=assessor)
    rows, errors = parse_rows(agency_id=agency_id, name=name, content=content)
    return AssessmentImport.objects.create(
        agency_id=agency_id,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
        file_name=name[:200],
        purpose=purpose,
        method=method,
        assessor=assessor,
        rows=rows,
        errors=errors,
        status=ImportStatus.PREVIEW,
    )


@transaction.atomic
def import_confirm(*, batch: AssessmentImport, actor: Any) -> int:
    """Write every row as one assessment, all in one transaction; refused (nothing written) while any
    row has an error. Compare-and-set on the batch status so a double click imports once."""
    if batch.errors:
        raise ApplicationError(
            _("Impor ditolak: %(n)s kesalahan harus diperbaiki dulu.") % {"n": len(batch.errors)},
            {"errors": batch.errors[:50]},
        )
    claimed = AssessmentImport.objects.filter(pk=batch.pk, status=ImportStatus.PREVIEW).update(
        status=ImportStatus.CONFIRMED
    )
    if not claimed:
        from asn_portal.errors import ConflictError

        raise ConflictError(_("Impor ini sudah diproses."))
    today = timezone.localdate()
    years = validity_years(batch.method)
    created_by = actor if getattr(actor, "pk", None) else None
    assessments = []
    for r in batch.rows:
        day = dt.date.fromisoformat(r["date"])
        if day > today:  # the date passed since the preview? keep the rule
            raise ApplicationError(_("Baris %(row)s: tanggal di masa depan.") % {"row": r["row"]}, {"row": r["row"]})
        assessments.append(
            CompetencyAssessment(
                employee_id=r["employee_id"],
                assessed_on=day,
                purpose=batch.purpose,
                method=batch.method,
                assessor=r.get("assessor") or batch.assessor,
                valid_until=_add_years(day, years),
                created_by=created_by,
                import_batch=batch,
            )
        )
    created = CompetencyAssessment.objects.bulk_create(assessments, batch_size=1000)
    if any(a.pk is None for a in created):  # backends without RETURNING
        created = list(CompetencyAssessment.objects.filter(import_batch=batch).order_by("pk"))
    results = []
    for a, r in zip(created, batch.rows, strict=True):
        for cid, level in r["levels"].items():
            results.append(
                AssessmentResult(
                    assessment=a,
                    competency_id=int(cid),
                    level=int(level),
                    evidence=r.get("evidence", ""),
                    employee_id=a.employee_id,
                    assessed_on=a.assessed_on,
                    valid_until=a.valid_until,
                )
            )
    AssessmentResult.objects.bulk_create(results, batch_size=2000)
    AssessmentImport.objects.filter(pk=batch.pk).update(created_count=len(created))
    audit(
        actor=actor,
        action="competencies.assessment_import",
        obj=batch,
        after={"file": batch.file_name, "assessments": len(created), "results": len(results)},
        agency_id=batch.agency_id,
    )
    jpm_refresh({a.employee_id for a in created})
    return len(created)
