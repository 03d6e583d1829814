"""Bulk import of employees, units and positions from CSV/XLSX (issue #3).

Two steps, both set-based (a handful of queries per 1,000 rows, never one per row):
1. `batch_create` parses the upload, validates every row against the database and the rest of the file,
   and stores the verdict per row (create / update / unchanged / reject with reasons) in an ImportBatch.
2. `batch_apply` re-validates the stored rows (the database may have changed since the preview) and writes
   everything in ONE transaction. If any row is rejected nothing is written unless the admin chose
   "impor hanya baris valid". Rows are keyed by NIP / unit code / position code, so re-importing the same
   file changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from asn_portal.errors import ApplicationError, ConflictError
from asn_portal.outbox import enqueue
from asn_portal.services import audit

from ..choices import ImportKind, ImportStatus, RowAction
from ..models import Agency, ImportBatch, Position
from .apply import APPLIERS, apply_employees, apply_positions, apply_units
from .columns import (
    COLUMNS,
    EMPLOYEE_COLUMNS,
    MAX_ROWS,
    POSITION_COLUMNS,
    UNIT_COLUMNS,
    Column,
    template_csv,
    template_xlsx,
)
from .reading import missing_columns, read_table
from .validate import VALIDATORS, parse_date, summarise, validate_employees, validate_positions, validate_units

__all__ = [
    "APPLIERS",
    "COLUMNS",
    "EMPLOYEE_COLUMNS",
    "MAX_ROWS",
    "POSITION_COLUMNS",
    "UNIT_COLUMNS",
    "VALIDATORS",
    "Column",
    "apply_employees",
    "apply_positions",
    "apply_units",
    "batch_apply",
    "batch_cancel",
    "batch_confirm",
    "batch_parse",
    "batch_upload",
    "batches_fail_stale",
    "parse_upload",
    "sample_row",
    "batch_create",
    "missing_columns",
    "parse_date",
    "read_table",
    "summarise",
    "template_csv",
    "template_xlsx",
    "validate_employees",
    "validate_positions",
    "validate_units",
]

# --- Services -----------------------------------------------------------------------------------------


def parse_upload(*, agency: Agency, kind: str, stream: IO[bytes], filename: str) -> list[dict[str, Any]]:
    """Read and validate an upload: the verdict per row for the preview. Raises ApplicationError for a file
    that cannot be read (nothing is written either way). Runs in the worker (`batch_parse`)."""
    if kind not in COLUMNS:
        raise ApplicationError(_("Jenis impor tidak dikenal."))
    raw = read_table(stream, filename)
    if not raw:
        raise ApplicationError(_("Berkas tidak berisi baris data."))
    missing = missing_columns(kind, raw)
    if missing:
        raise ApplicationError(
            _("Kolom wajib tidak ada: %(cols)s. Unduh templat untuk melihat susunan kolom.")
            % {"cols": ", ".join(missing)},
            {"missing": missing},
        )
    return VALIDATORS[kind](agency, raw, timezone.localdate())


def batch_create(*, agency: Agency, kind: str, stream: IO[bytes], filename: str, actor: Any) -> ImportBatch:
    """Parse and validate an upload in this process and store the preview (scripts and tests; the upload page
    and the API store the file and let the worker read it: `batch_upload`)."""
    rows = parse_upload(agency=agency, kind=kind, stream=stream, filename=filename)
    return ImportBatch.objects.create(
        agency=agency,
        kind=kind,
        filename=filename[:200],
        rows=rows,
        counts=summarise(rows),
        total=len(rows),
        created_by=actor if getattr(actor, "pk", None) else None,
    )


def sample_row(agency: Agency | None, kind: str) -> dict[str, str]:
    """Example values for the template's sample row: for employees, a pelaksana post of the agency whose formasi
    still has room (and its unit), so following the example never places anyone into a structural or full post."""
    if agency is None or kind != ImportKind.EMPLOYEES:
        return {}
    from django.db.models import Count, F, Q

    from ..choices import ACTIVE_STATUSES, PositionType

    post = (
        Position.objects.filter(agency=agency, kind=PositionType.PELAKSANA, is_active=True)
        .annotate(n=Count("holders", filter=Q(holders__status__in=ACTIVE_STATUSES)))
        .filter(n__lt=F("headcount"))
        .select_related("unit")
        .order_by("code")
        .first()
    )
    if post is None:
        return {}
    return {"kode_jabatan": post.code, "kode_unit": post.unit.code, "golongan": "III/a"}


def _undecided(rows: Iterable[dict[str, Any]], confirmed: set[int]) -> list[int]:
    return [r["line"] for r in rows if r.get("decisions") and r["line"] not in confirmed]


LINES_SHOWN = 20


def line_list(lines: list[int], shown: int = LINES_SHOWN) -> str:
    """Row numbers for a message: the first `shown`, then how many more (a 10,000-row file must not put
    10,000 numbers into one message)."""
    head = ", ".join(str(n) for n in lines[:shown])
    if len(lines) <= shown:
        return head
    return _("%(lines)s dan %(n)d baris lain") % {"lines": head, "n": len(lines) - shown}


def batch_confirm(
    *, batch: ImportBatch, only_valid: bool, actor: Any, confirmed_lines: Iterable[int] = ()
) -> ImportBatch:
    """Queue a previewed batch for writing (compare-and-set: a double click queues it once). A row placing
    someone into a full formasi or a post type above their golongan (people.rules.placement_issues) is written
    only when its line is in `confirmed_lines` (the explicit "tempatkan walau formasi penuh" decision), and the
    decision is recorded in the audit entry."""
    if batch.counts.get(RowAction.REJECT) and not only_valid:
        raise ApplicationError(
            _('Ada %(n)d baris ditolak. Perbaiki berkas, atau centang "impor hanya baris valid".')
            % {"n": batch.counts[RowAction.REJECT]}
        )
    confirmed = {int(x) for x in confirmed_lines}
    pending = _undecided(batch.rows, confirmed)
    if pending:
        raise ApplicationError(
            _(
                "%(n)d baris menempatkan pegawai ke jabatan yang formasinya penuh atau tidak sesuai golongan "
                '(baris %(lines)s). Centang "tempatkan walau formasi penuh" pada baris itu, atau perbaiki berkas.'
            )
            % {"n": len(pending), "lines": line_list(pending)},
            {"field": "confirm_lines", "lines": pending},
        )
    rows = [{**r, "confirmed": True} if r.get("decisions") else r for r in batch.rows]
    with transaction.atomic():  # the status change and its queued task are saved together, or neither
        changed = ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.PREVIEW).update(
            status=ImportStatus.QUEUED, only_valid=only_valid, rows=rows
        )
        if not changed:
            raise ConflictError(_("Impor ini sudah dikonfirmasi atau dibatalkan."))
        enqueue("people.tasks.import_batch_apply", batch.pk)
    batch.refresh_from_db()
    return batch


def batch_cancel(*, batch: ImportBatch, actor: Any) -> None:
    """Cancel a batch not yet being written: still being read, in preview, or queued and still waiting for
    the worker (the worker's claims are compare-and-sets on "parsing"/"queued", so a cancelled batch is never
    read into a preview nor written)."""
    changed = ImportBatch.objects.filter(
        pk=batch.pk, status__in=[ImportStatus.PARSING, ImportStatus.PREVIEW, ImportStatus.QUEUED]
    ).update(status=ImportStatus.CANCELLED, rows=[])
    if not changed:
        raise ConflictError(_("Impor ini sudah diproses."))


def batch_apply(batch_id: int) -> ImportBatch | None:
    """Write a queued batch in one transaction (called by the Celery task). Rows are re-validated first.

    The writing transaction holds the batch row's lock until the batch is marked done. A worker killed
    mid-write loses its transaction (nothing half-written) and its lock, so the redelivered task finds
    the batch still "running" and unlocked, and writes it; while a live worker holds the lock, a second
    delivery skips the batch."""
    with transaction.atomic():
        claimable = (
            ImportBatch.objects.select_for_update(skip_locked=True)
            .filter(pk=batch_id, status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING])
            .values_list("pk", flat=True)
            .first()
        )
        if claimable is None:
            return None
        ImportBatch.objects.filter(pk=batch_id).update(status=ImportStatus.RUNNING, processed=0)
    batch = ImportBatch.objects.select_related("agency", "created_by").get(pk=batch_id)
    try:
        with transaction.atomic():
            locked = (
                ImportBatch.objects.select_for_update(skip_locked=True)
                .filter(pk=batch_id, status=ImportStatus.RUNNING)
                .exists()
            )
            if not locked:
                return None
            # Batches of one agency are written one after another: the second re-validates against what
            # the first wrote (a new NIP becomes an update), so two admins confirming at once both succeed.
            Agency.objects.select_for_update().filter(pk=batch.agency_id).first()
            raw = [r["raw"] for r in batch.rows]
            rows = VALIDATORS[batch.kind](batch.agency, raw, timezone.localdate())
            counts = summarise(rows)
            if counts[RowAction.REJECT] and not batch.only_valid:
                raise ApplicationError(
                    _("Data berubah sejak pratinjau: %(n)d baris kini ditolak. Unggah ulang berkas.")
                    % {"n": counts[RowAction.REJECT]}
                )
            confirmed = {r["line"] for r in batch.rows if r.get("confirmed")}
            pending = _undecided(rows, confirmed)
            if pending:
                raise ApplicationError(
                    _(
                        "Data berubah sejak pratinjau: baris %(lines)s kini perlu keputusan penempatan. "
                        "Unggah ulang berkas."
                    )
                    % {"lines": line_list(pending)}
                )
            rows = [{**r, "confirmed": True} if r.get("decisions") else r for r in rows]
            todo = [r for r in rows if r["action"] in (RowAction.CREATE, RowAction.UPDATE)]
            APPLIERS[batch.kind](batch.agency, todo)
            audit(
                actor=batch.created_by,
                action=f"people.import.{batch.kind}",
                obj=batch,
                after={
                    **counts,
                    "placements_confirmed": [
                        {"line": r["line"], "nip": r["key"], "decisions": r["decisions"]}
                        for r in rows
                        if r.get("decisions") and r["action"] != RowAction.REJECT
                    ],
                },
                reason=batch.filename,
                agency_id=batch.agency_id,
            )
            ImportBatch.objects.filter(pk=batch_id).update(
                status=ImportStatus.DONE, rows=rows, counts=counts, processed=len(rows), finished_at=timezone.now()
            )
    except ApplicationError as exc:
        ImportBatch.objects.filter(pk=batch_id).update(
            status=ImportStatus.FAILED, error=exc.message, finished_at=timezone.now()
        )
        raise
    except IntegrityError as exc:
        message = _("Data bentrok dengan perubahan lain yang tersimpan lebih dulu; unggah ulang berkas.")
        ImportBatch.objects.filter(pk=batch_id).update(
            status=ImportStatus.FAILED, error=message, finished_at=timezone.now()
        )
        raise ApplicationError(message) from exc
    except Exception as exc:
        ImportBatch.objects.filter(pk=batch_id).update(
            status=ImportStatus.FAILED, error=repr(exc)[:2000], finished_at=timezone.now()
        )
        raise
    batch.refresh_from_db()
    return batch


# The upload page and the API store the file and let the worker read it (after parse_upload, which it uses).
from .parsing import batch_parse, batch_upload, batches_fail_stale  # noqa: E402
