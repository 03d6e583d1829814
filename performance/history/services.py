"""Import of past years' predikat (NIP, tahun, predikat), read in the worker (issue #12).

`import_upload` (the page and the API) stores the file through the private storage, creates the batch "parsing"
with no rows and queues `performance.tasks.predikat_import_parse` through the durable outbox in the same
transaction, so the request answers at once whatever the file holds. `import_parse` (the task) reads it with the
shared streamed reader (row, cell and size limits) and validates every row into the preview, or fails the batch
with the reason; a compare-and-set on "parsing" makes a redelivered task, a cancelled or a swept batch a no-op.
`import_confirm` writes every row into PredikatRecord in one transaction (compare-and-set preview → confirmed, so
a double click writes once) with an audit entry, or nothing while any row is wrong. Predikat that come from an
SKP appraisal in the portal are never overwritten."""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO, Any

from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from asn_portal import uploads
from asn_portal.errors import ApplicationError, ConflictError
from asn_portal.outbox import enqueue
from asn_portal.services import audit
from people.access import is_hr_admin
from people.imports.reading import read_grid
from people.models import Employee
from performance.choices import Predikat, PredikatImportStatus, PredikatSource
from performance.models import PredikatImport, PredikatRecord
from performance.reports import summaries as statistics_summaries

PARSE_TASK = "performance.tasks.predikat_import_parse"
MAX_ROWS = 20000
FIRST_YEAR = 2000
Status = PredikatImportStatus

with translation.override("id"):  # files carry the Indonesian labels, whatever language imported this module
    LABEL_TO_PREDIKAT = {str(label).lower(): value for value, label in Predikat.choices}
LABEL_TO_PREDIKAT.update({v: v for v in Predikat.values})
LABEL_TO_PREDIKAT.update({"kurang": Predikat.KURANG, "misconduct": Predikat.KURANG, "cukup": Predikat.BUTUH_PERBAIKAN})


# --- Validation (pure over the rows, two queries) ----------------------------------------------------------


def _cells(raw: Sequence[Any]) -> tuple[str, str, str]:
    cells = [str(c).strip() if c is not None else "" for c in list(raw)[:3]] + ["", "", ""]
    return cells[0].replace(" ", ""), cells[1], cells[2]


def _row_error(nip: str, year_s: str, label: str) -> str:
    if nip.startswith("#NUM:"):
        return _("NIP tersimpan sebagai angka sehingga digit terakhir hilang; format kolom NIP sebagai teks.")
    year = int(year_s) if year_s.isdecimal() and year_s.isascii() else None
    if year is None or not FIRST_YEAR <= year <= timezone.localdate().year:
        return _("Tahun tidak valid: %(v)s (isi tahun %(first)s–%(last)s).") % {
            "v": year_s or "–",
            "first": FIRST_YEAR,
            "last": timezone.localdate().year,
        }
    if label.lower() not in LABEL_TO_PREDIKAT:
        return _('Predikat "%(p)s" tidak dikenal.') % {"p": label or "–"}
    return ""


def _parse_rows(lines: Sequence[tuple[int, Sequence[Any]]]) -> list[dict[str, Any]]:
    rows = []
    for line, raw in lines:
        nip, year_s, label = _cells(raw)
        if not (nip or year_s or label):
            continue
        error = _row_error(nip, year_s, label)
        rows.append(
            {
                "line": line,
                "nip": nip,
                "year": int(year_s) if not error else None,
                "year_text": year_s,
                "label": label,
                "predikat": LABEL_TO_PREDIKAT[label.lower()] if not error else "",
                "error": error,
            }
        )
    return rows


def validate_rows(*, agency_id: int, lines: Sequence[tuple[int, Sequence[Any]]]) -> list[dict[str, Any]]:
    """The verdict per data row, given as (line in the file, cells): NIP of this agency, a year 2000–this year, a known
    predikat, no duplicate (NIP, year) in the file, and no predikat from an SKP appraisal for that year (those are
    never overwritten). Each row's `error` is "" when it can be imported. Two queries."""
    rows = _parse_rows(lines)
    people = {
        nip: (pk, name)
        for nip, pk, name in Employee.objects.filter(agency_id=agency_id, nip__in={r["nip"] for r in rows}).values_list(
            "nip", "pk", "name"
        )
    }
    appraised = set(
        PredikatRecord.objects.filter(
            employee_id__in=[pk for pk, _name in people.values()], source=PredikatSource.APPRAISAL
        ).values_list("employee_id", "year")
    )
    seen: set[tuple[str, int | None]] = set()
    for row in rows:
        employee_id, row["name"] = people.get(row["nip"], (None, ""))
        row["employee_id"] = employee_id
        if row["error"]:
            pass
        elif employee_id is None:
            row["error"] = _("NIP tidak ditemukan di instansi ini: %(nip)s.") % {"nip": row["nip"] or "–"}
        elif (employee_id, row["year"]) in appraised:
            row["error"] = _("Sudah ada predikat hasil penilaian SKP untuk tahun ini; tidak ditimpa.")
        elif (row["nip"], row["year"]) in seen:
            row["error"] = _("Baris ganda: NIP dan tahun ini sudah ada di baris sebelumnya.")
        seen.add((row["nip"], row["year"]))
    return rows


def read_rows(stream: IO[bytes], name: str) -> list[tuple[int, list[str]]]:
    """The data rows as (line, cells), header dropped, streamed with the shared reader's row, cell and size
    limits; refused when the file has no data row."""
    grid = read_grid(stream, name, max_rows=MAX_ROWS)
    body = [(line, cells) for line, cells in enumerate(grid[1:], start=2) if any(c.strip() for c in cells)]
    if not body:
        raise ApplicationError(_("Berkas tidak berisi baris data (baris pertama adalah judul kolom)."))
    return body


# --- Batch workflow ----------------------------------------------------------------------------------------


def import_upload(*, agency_id: int, name: str, stream: IO[bytes], actor: Any) -> PredikatImport:
    """Store the upload and queue its reading in the worker; the batch is "parsing" with no rows until then."""
    if not is_hr_admin(actor, agency_id):
        raise ApplicationError(_("Hanya admin BKD yang dapat mengimpor predikat."), status=403)
    with transaction.atomic():
        batch = PredikatImport(
            agency_id=agency_id,
            uploaded_by=actor if getattr(actor, "pk", None) else None,
            file_name=name[:200],
            status=Status.PARSING,
        )
        batch.source.save(name, File(stream), save=False)
        batch.save()
        enqueue(PARSE_TASK, batch.pk)
    return batch


def _failed(message: str) -> dict[str, Any]:
    return {"status": Status.FAILED, "error": message}


def import_parse(batch_id: int) -> PredikatImport | None:
    """Read and validate a "parsing" upload into its preview (the worker's task). Idempotent: a batch no longer
    "parsing" (read, cancelled, swept as stale) is left alone."""
    batch = PredikatImport.objects.filter(pk=batch_id, status=Status.PARSING).first()
    if batch is None:
        return None

    def parse(stream: IO[bytes]) -> dict[str, Any]:
        rows = validate_rows(agency_id=batch.agency_id, lines=read_rows(stream, batch.file_name))
        return {"status": Status.PREVIEW, "rows": rows, "error_count": sum(1 for r in rows if r["error"])}

    uploads.read_stored(batch, reading=Status.PARSING, parse=parse, failed=_failed)
    batch.refresh_from_db()
    return batch


def imports_fail_stale(*, older_than_seconds: int | None = None) -> int:
    """Fail uploads still "parsing" long after any worker would have read them (run by the stale-job sweep)."""
    return uploads.fail_stale_reads(
        PredikatImport, reading=Status.PARSING, failed=_failed, older_than_seconds=older_than_seconds
    )


class _Changed(Exception):
    """Rows valid at the preview are refused now (an SKP appraisal or an employee changed since)."""

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        super().__init__(rows)
        self.rows = rows


def _write(batch: PredikatImport, actor: Any) -> int:
    claimed = PredikatImport.objects.filter(pk=batch.pk, status=Status.PREVIEW).update(status=Status.CONFIRMED)
    if not claimed:
        raise ConflictError(_("Impor ini sudah dikonfirmasi atau dibatalkan."))
    lines = [(r["line"], [r["nip"], r["year_text"], r["label"]]) for r in batch.rows]
    rows = validate_rows(agency_id=batch.agency_id, lines=lines)
    if any(r["error"] for r in rows):
        raise _Changed(rows)
    unit_of = dict(Employee.objects.filter(pk__in=[r["employee_id"] for r in rows]).values_list("pk", "unit_id"))
    statistics_summaries.touch(batch.agency_id)
    PredikatRecord.objects.bulk_create(
        [
            PredikatRecord(
                employee_id=r["employee_id"],
                year=r["year"],
                predikat=r["predikat"],
                source=PredikatSource.IMPORT,
                unit_id=unit_of.get(r["employee_id"]),
                locked=True,
                note=gettext_noop("Impor data lama"),  # stored in the working language, shown translated
            )
            for r in rows
        ],
        update_conflicts=True,
        unique_fields=["employee", "year"],
        update_fields=["predikat", "source", "note", "unit", "updated_at"],
        batch_size=2000,
    )
    PredikatImport.objects.filter(pk=batch.pk).update(created_count=len(rows))
    audit(
        actor=actor,
        action="performance.predikat.import",
        obj=batch,
        after={"file": batch.file_name, "rows": len(rows), "years": sorted({r["year"] for r in rows})},
        agency_id=batch.agency_id,
    )
    return len(rows)


def import_confirm(*, batch: PredikatImport, actor: Any) -> int:
    """Write every row of a previewed batch into PredikatRecord (source "import") in one transaction, with an audit
    entry; refused, nothing written, while any row is wrong. The rows are checked again against the database
    first; a double click or a second admin gets "sudah dikonfirmasi" (compare-and-set on the batch status)."""
    if batch.status == Status.PREVIEW and batch.error_count:
        raise ApplicationError(
            _("Impor ditolak: %(n)s baris salah; perbaiki berkas lalu unggah ulang.") % {"n": batch.error_count},
            {"rows": [{"line": r["line"], "error": r["error"]} for r in batch.rows if r["error"]][:50]},
        )
    try:
        with transaction.atomic():
            n = _write(batch, actor)
    except _Changed as changed:
        bad = [r for r in changed.rows if r["error"]]
        PredikatImport.objects.filter(pk=batch.pk, status=Status.PREVIEW).update(
            rows=changed.rows, error_count=len(bad)
        )
        raise ApplicationError(
            _("Data berubah sejak pratinjau: %(n)s baris kini ditolak; tidak ada yang ditulis.") % {"n": len(bad)},
            {"rows": [{"line": r["line"], "error": r["error"]} for r in bad][:50]},
        ) from None
    batch.refresh_from_db()
    return n


def import_cancel(*, batch: PredikatImport, actor: Any) -> None:
    """Cancel a batch still being read or in preview; nothing is written (a cancelled batch is never read)."""
    if uploads.finish_read(batch, reading=Status.PARSING, status=Status.CANCELLED):
        return
    changed = PredikatImport.objects.filter(pk=batch.pk, status=Status.PREVIEW).update(
        status=Status.CANCELLED, rows=[], error_count=0
    )
    if not changed:
        raise ConflictError(_("Impor ini sudah dikonfirmasi atau dibatalkan."))
