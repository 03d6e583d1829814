"""Reading an upload happens in the worker, never in the web request (issue #12).

`batch_upload` (the upload page and the API) stores the file through the private storage, creates the batch
"parsing" with no rows, and queues `people.tasks.import_batch_parse` through the durable outbox in the same
transaction, so the request answers at once whatever the file holds (3 million blank XLSX rows, millions of
shared strings). `batch_parse` (the task) reads and validates it with the streamed reader's row, cell and size
limits and turns the batch into a preview, or "failed" with the reason, by a compare-and-set on "parsing":
a redelivered task (worker killed mid-read) reads it again and writes the result once; a cancelled batch is
never read. `batches_fail_stale` (the stale-job sweep) fails a batch whose reading outlived any worker.
"""

from __future__ import annotations

import logging
from typing import IO, Any

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from asn_portal import uploads
from asn_portal.errors import ApplicationError
from asn_portal.outbox import enqueue

from ..choices import ImportStatus
from ..models import Agency, ImportBatch
from .columns import COLUMNS
from .validate import summarise

logger = logging.getLogger(__name__)

PARSE_TASK = "people.tasks.import_batch_parse"


def batch_upload(*, agency: Agency, kind: str, stream: IO[bytes], filename: str, actor: Any) -> ImportBatch:
    """Store the upload and queue its reading; the batch is "parsing" with no rows until the worker has read it."""
    if kind not in COLUMNS:
        raise ApplicationError(_("Jenis impor tidak dikenal."), {"field": "kind"})
    with transaction.atomic():
        batch = ImportBatch(
            agency=agency,
            kind=kind,
            filename=filename[:200],
            status=ImportStatus.PARSING,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        batch.source.save(filename, File(stream), save=False)
        batch.save()
        enqueue(PARSE_TASK, batch.pk)
    return batch


def _failed(message: str) -> dict[str, Any]:
    return {"status": ImportStatus.FAILED, "error": message, "finished_at": timezone.now()}


def batch_parse(batch_id: int) -> ImportBatch | None:
    """Read and validate a "parsing" batch into its preview (the worker's task). Idempotent: a batch no longer
    "parsing" (read already, cancelled, swept as stale) is left alone; two deliveries at once both read and the
    first to finish writes the preview."""
    from . import parse_upload

    batch = ImportBatch.objects.select_related("agency").filter(pk=batch_id, status=ImportStatus.PARSING).first()
    if batch is None:
        return None

    def parse(stream: IO[bytes]) -> dict[str, Any]:
        rows = parse_upload(agency=batch.agency, kind=batch.kind, stream=stream, filename=batch.filename)
        if not rows:
            raise ApplicationError(_("Berkas tidak berisi baris data."))
        return {"status": ImportStatus.PREVIEW, "rows": rows, "counts": summarise(rows), "total": len(rows)}

    uploads.read_stored(batch, reading=ImportStatus.PARSING, parse=parse, failed=_failed)
    batch.refresh_from_db()
    return batch


def batches_fail_stale(*, older_than_seconds: int | None = None) -> int:
    """Fail batches still "parsing" long after any worker would have read them (their worker died and the
    message was lost, or the outbox row could not be sent for that long): the admin is told to upload again."""
    return uploads.fail_stale_reads(
        ImportBatch, reading=ImportStatus.PARSING, failed=_failed, older_than_seconds=older_than_seconds
    )
