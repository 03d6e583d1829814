"""Learning done outside the catalogue: the employee's record and the BKD admin's verification."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from asn_portal import uploads
from asn_portal.errors import ApplicationError, ConflictError, require_max_length
from asn_portal.services import audit, notify
from people import decisions
from people.access import is_hr_admin
from people.models import Employee
from training import rules
from training.choices import CourseFormat, LearningKind, VerificationStatus
from training.common import to_decimal, users_of
from training.ledger import compliance
from training.ledger.services import SOURCE_EXTERNAL
from training.models import JpRate, LearningRecord


def external_learning_record_once(
    *, employee: Employee, data: dict[str, Any], actor: Any, key: str
) -> tuple[LearningRecord, bool]:
    """`external_learning_record` from a form's or serializer's cleaned data, once per idempotency key (a double
    click or a retried request records it once). Returns the record and whether this call created it."""
    from asn_portal.idempotency import create_once

    return create_once(
        user=actor,
        key=key,
        scope="training.external",
        create=lambda: external_learning_record(
            employee=employee,
            title=data["title"],
            fmt=data["format"],
            provider=data["provider"],
            on_date=data["on_date"],
            hours=data.get("hours"),
            jp=data.get("jp"),
            certificate_number=data.get("certificate_number") or "",
            certificate_file=data.get("certificate_file"),
            note=data.get("note") or "",
            actor=actor,
        ),
        load=lambda pk: LearningRecord.objects.get(pk=pk, employee=employee),
    )


def external_learning_record(
    *,
    employee: Employee,
    title: str,
    fmt: str,
    provider: str,
    on_date: dt.date,
    hours: Decimal | None = None,
    jp: Decimal | None = None,
    certificate_number: str = "",
    certificate_file: Any = None,
    note: str = "",
    actor: Any,
) -> LearningRecord:
    """An employee reports learning done outside the catalogue (with certificate); it counts once BKD
    verifies it. Nonclassical JP comes from the configurable JpRate table when hours are given."""
    if on_date > timezone.localdate():
        raise ApplicationError(_("Tanggal kegiatan tidak boleh di masa depan."), {"field": "on_date"})
    title = require_max_length(str(title), limit=200, field="title", label=_("Judul kegiatan"))
    if not title:
        raise ApplicationError(_("Judul kegiatan wajib diisi."), {"field": "title"})
    if fmt not in CourseFormat.values:
        raise ApplicationError(_("Bentuk pembelajaran tidak dikenal."), {"field": "format"})
    if jp is None:
        if hours is None:
            raise ApplicationError(_("Isi JP atau durasi (jam)."), {"field": "hours"})
        hours = to_decimal(hours, "hours")
        if hours <= 0 or hours > 2000:
            raise ApplicationError(_("Durasi harus antara 0 dan 2000 jam."), {"field": "hours"})
        rate = JpRate.objects.filter(format=fmt).first()
        jp = rules.jp_for_hours(
            fmt=fmt, hours=hours, rate_per_hour=rate.jp_per_hour if rate else None, max_jp=rate.max_jp if rate else None
        )
    jp = to_decimal(jp)
    problem = rules.jp_problem(jp)
    if problem:
        raise ApplicationError(problem, {"field": "jp"})
    certificate = uploads.validate_upload(certificate_file, uploads.UploadKind.DOCUMENT) if certificate_file else None
    if not certificate_number and not certificate_file:
        raise ApplicationError(
            _("Lampirkan nomor atau berkas sertifikat sebagai bukti."), {"field": "certificate_number"}
        )
    record = LearningRecord.objects.create(
        employee=employee,
        agency_id=employee.agency_id,
        year=on_date.year,
        date=on_date,
        jp=jp,
        hours=hours,
        title=title,
        kind=LearningKind.EXTERNAL,
        format=fmt,
        provider=provider,
        source_type=SOURCE_EXTERNAL,
        source_id=uuid.uuid4().hex,
        status=VerificationStatus.PENDING,
        certificate_number=certificate_number,
        certificate_file=certificate_file or "",
        certificate_name=certificate.original_name if certificate else "",
        note=note,
    )
    audit(actor=actor, action="training.external_recorded", obj=record, after={"jp": jp, "title": title})
    return record


def learning_verify(*, record: LearningRecord, approve: bool, reason: str = "", actor: Any) -> LearningRecord:
    """BKD verifies (or rejects) reported external learning; only verified records count toward 20 JP."""
    if not is_hr_admin(actor, record.agency_id):
        raise ApplicationError(_("Hanya admin BKD yang dapat memverifikasi."), status=403)
    decisions.ensure_may_decide(actor, record.employee_id)
    if not approve and not reason.strip():
        raise ApplicationError(_("Alasan penolakan wajib diisi."), {"field": "reason"})
    to = VerificationStatus.VERIFIED if approve else VerificationStatus.REJECTED
    now = timezone.now()
    with transaction.atomic():
        changed = LearningRecord.objects.filter(pk=record.pk, status=VerificationStatus.PENDING).update(
            status=to, verified_by=actor, verified_at=now, note=reason or record.note
        )
        if not changed:
            raise ConflictError(_("Catatan ini sudah diverifikasi atau ditolak."))
        record.refresh_from_db()
        compliance.touch(record.agency_id, record.employee.agency_id)
        audit(
            actor=actor,
            action="training.external_verified" if approve else "training.external_rejected",
            obj=record,
            before={"status": VerificationStatus.PENDING},
            after={"status": to},
            reason=reason,
        )
        title = (
            _("Pembelajaran eksternal diverifikasi: %(t)s") if approve else _("Pembelajaran eksternal ditolak: %(t)s")
        ) % {"t": record.title}
        notify(users=users_of([record.employee_id]), title=title, body=reason, url=reverse("training:my-learning"))
    return record
