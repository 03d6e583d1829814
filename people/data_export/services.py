"""Writes for the copy-of-my-data feature: request, build (Celery), download log and expiry."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import zipfile
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from asn_portal import registry
from asn_portal.errors import ApplicationError
from asn_portal.outbox import enqueue
from asn_portal.services import audit, job_run, notify

from ..choices import DataExportStatus
from ..models import Employee
from ..privacy_models import PENDING_EXPORT, DataExportRequest

logger = logging.getLogger(__name__)

BUILD_TASK = "people.tasks.data_export_build"
# The PDF is a readable summary: the latest rows of each kind (WeasyPrint needs ~0.1 s per row table); the
# JSON files hold everything.
PDF_ROWS_PER_SECTION = 10


def ttl() -> dt.timedelta:
    return dt.timedelta(hours=int(getattr(settings, "DATA_EXPORT_TTL_HOURS", 72)))


def data_export_request(*, employee: Employee, actor: Any) -> tuple[DataExportRequest, bool]:
    """Ask for a copy of one's own data (UU PDP Pasal 7: hak mendapatkan akses dan salinan). Only the
    person themselves may ask; a request already queued or running is returned instead of a second one
    (a double click, a second tab or a retried API call start one job)."""
    if getattr(actor, "pk", None) is None or actor.pk != employee.user_id:
        raise ApplicationError(_("Salinan data hanya dapat diminta oleh pegawai yang bersangkutan."), status=403)
    pending = DataExportRequest.objects.filter(employee=employee, status__in=PENDING_EXPORT).first()
    if pending is not None:
        return pending, False
    try:
        with transaction.atomic():
            req = DataExportRequest.objects.create(employee=employee, requested_by=actor)
            audit(actor=actor, action="data_export.request", obj=req, agency_id=employee.agency_id)
            enqueue(BUILD_TASK, req.pk)
    except IntegrityError:
        # Lost the race against a concurrent request (the partial unique index): return the winner's.
        return DataExportRequest.objects.get(employee=employee, status__in=PENDING_EXPORT), False
    return req, True


def _progress(req: DataExportRequest, value: int) -> None:
    DataExportRequest.objects.filter(pk=req.pk, status=DataExportStatus.RUNNING).update(
        progress=max(0, min(100, value)), updated_at=timezone.now()
    )


def _summary_pdf(employee: Employee, sections: list[dict[str, Any]]) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "people/data_export/summary.html",
        {"employee": employee, "sections": sections, "generated_at": timezone.localtime()},
    )
    return bytes(HTML(string=html).write_pdf())


def data_export_build(request_id: int) -> DataExportRequest | None:
    """Build the ZIP: one JSON file per registered section, a readable PDF summary and a README, updating
    progress after each section. Idempotent: only a QUEUED request is claimed (compare-and-set), so a
    duplicate delivery does nothing. Failures mark the request failed with the reason kept for operators."""
    claimed = DataExportRequest.objects.filter(pk=request_id, status=DataExportStatus.QUEUED).update(
        status=DataExportStatus.RUNNING, progress=1, updated_at=timezone.now()
    )
    if not claimed:
        return None
    req = DataExportRequest.objects.select_related("employee__user", "employee__agency").get(pk=request_id)
    employee = req.employee
    sections = registry.registry.personal_data_sections
    try:
        # The files are written in the owner's reading language of the portal: Indonesian, the source.
        with translation.override(settings.LANGUAGE_CODE):
            buffer = io.BytesIO()
            summary: list[dict[str, Any]] = []
            with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
                for i, section in enumerate(sections, start=1):
                    data = section.export(employee)
                    payload = {"section": section.key, "label": str(section.label), "count": len(data), "rows": data}
                    zf.writestr(f"{section.key}.json", json.dumps(payload, ensure_ascii=False, indent=2))
                    summary.append(
                        {
                            "key": section.key,
                            "label": str(section.label),
                            "count": len(data),
                            "rows": data[-PDF_ROWS_PER_SECTION:],
                            "more": max(0, len(data) - PDF_ROWS_PER_SECTION),
                        }
                    )
                    _progress(req, int(90 * i / max(1, len(sections))))
                zf.writestr("ringkasan.pdf", _summary_pdf(employee, summary))
                zf.writestr(
                    "BACA-SAYA.txt",
                    _(
                        "Salinan data pribadi Anda dari %(portal)s, dibuat %(when)s.\n"
                        "Satu berkas JSON untuk setiap jenis data (tanggal dalam format ISO 8601; nilai pilihan "
                        "sebagai kode dan label) dan ringkasan.pdf yang dapat dibaca.\n"
                    )
                    % {"portal": settings.PORTAL_NAME, "when": timezone.localtime().strftime("%Y-%m-%d %H:%M")},
                )
    except Exception as exc:  # noqa: BLE001 - any failure is shown to the owner as "failed", logged in full
        logger.exception("Data export %s failed", request_id)
        DataExportRequest.objects.filter(pk=req.pk, status=DataExportStatus.RUNNING).update(
            status=DataExportStatus.FAILED, error=repr(exc)[:2000], finished_at=timezone.now()
        )
        notify(
            users=[employee.user],
            title=_("Salinan data Anda gagal disiapkan"),
            body=_("Silakan minta ulang; bila gagal lagi, hubungi admin BKD."),
            url=reverse("people:my-data"),
        )
        return DataExportRequest.objects.get(pk=req.pk)
    with transaction.atomic():
        req.file.save(f"{req.pk}.zip", ContentFile(buffer.getvalue()), save=False)
        now = timezone.now()
        done = DataExportRequest.objects.filter(pk=req.pk, status=DataExportStatus.RUNNING).update(
            status=DataExportStatus.READY,
            progress=100,
            file=req.file.name,
            size=len(buffer.getvalue()),
            finished_at=now,
            expires_at=now + ttl(),
        )
        if not done:  # expired or failed meanwhile: do not leave an orphan file
            req.file.storage.delete(str(req.file.name))
            return None
        notify(
            users=[employee.user],
            title=_("Salinan data Anda siap diunduh"),
            body=_("Tautan unduhan berlaku sampai %(when)s.")
            % {"when": timezone.localtime(now + ttl()).strftime("%d-%m-%Y %H:%M")},
            url=reverse("people:my-data"),
        )
    return DataExportRequest.objects.get(pk=req.pk)


def data_export_downloaded(*, req: DataExportRequest, actor: Any, via: str) -> None:
    """Log a download (UU PDP Pasal 31: rekam jejak pemrosesan): an audit entry and, when the access log
    (people.access_log) is present, an access record."""
    audit(actor=actor, action="data_export.download", obj=req, after={"via": via}, agency_id=req.employee.agency_id)
    try:
        from .. import access_log  # type: ignore[attr-defined]
    except ImportError:
        return
    record = getattr(access_log, "record", None)
    if callable(record):
        try:
            record(actor=actor, employee=req.employee, part="data_export", via=via)
        except TypeError:
            logger.debug("access_log.record has another signature; audit entry written instead")


def data_exports_expire() -> dict[str, int]:
    """Delete the files of copies past their expiry, set-based: one UPDATE claims the rows (status EXPIRED),
    then their files are removed. Re-running is a no-op."""
    with job_run("people.data_exports_expire") as run:
        now = timezone.now()
        with transaction.atomic():
            rows = list(
                DataExportRequest.objects.select_for_update(skip_locked=True)
                .filter(status=DataExportStatus.READY, expires_at__lte=now)
                .values_list("pk", "file")
            )
            DataExportRequest.objects.filter(pk__in=[pk for pk, _f in rows]).update(
                status=DataExportStatus.EXPIRED, file="", updated_at=now
            )
        storage = DataExportRequest._meta.get_field("file").storage  # type: ignore[attr-defined]
        for _pk, name in rows:
            if name:
                storage.delete(name)
        run.counts["expired"] = len(rows)
    return dict(run.counts)
