"""Writes for corrections: submit, withdraw, approve, reject. Each transition is a compare-and-set on status,
leaves an audit entry and notifies the other side."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from asn_portal.errors import ApplicationError
from asn_portal.idempotency import create_once
from asn_portal.services import audit, notify
from asn_portal.uploads import UploadKind, validate_upload

from .. import decisions, services
from ..access import is_hr_admin
from ..choices import CorrectionStatus, EducationLevel
from ..models import AgencyRole, Employee, PositionHistory, User
from ..privacy_models import CorrectionRequest

# The fields an employee may propose to correct, with their label (UU PDP Pasal 6: data yang tidak akurat).
IDENTITY_FIELDS: dict[str, Any] = {
    "front_title": gettext_lazy("Gelar depan"),
    "name": gettext_lazy("Nama"),
    "back_title": gettext_lazy("Gelar belakang"),
    "birth_place": gettext_lazy("Tempat lahir"),
    "birth_date": gettext_lazy("Tanggal lahir"),
    "education_level": gettext_lazy("Pendidikan terakhir"),
    "education_field": gettext_lazy("Jurusan"),
}
HISTORY_FIELDS: dict[str, Any] = {
    "position_title": gettext_lazy("Nama jabatan"),
    "unit_name": gettext_lazy("Unit kerja"),
    "start_date": gettext_lazy("TMT"),
    "end_date": gettext_lazy("Sampai"),
    "decree_number": gettext_lazy("Nomor SK"),
    "decree_date": gettext_lazy("Tanggal SK"),
}
_DATE_FIELDS = {"birth_date", "start_date", "end_date", "decree_date"}
_REQUIRED = {"name", "birth_date", "education_level", "position_title", "start_date"}
HISTORY_PREFIX = "position_history."


def field_label(key: str) -> str:
    """ "Nama", or "Riwayat jabatan (TMT 02-01-2018): Nomor SK" for a history entry's field."""
    if key.startswith(HISTORY_PREFIX):
        _p, entry_id, field = key.split(".", 2)
        return _("Riwayat jabatan #%(id)s: %(field)s") % {"id": entry_id, "field": HISTORY_FIELDS.get(field, field)}
    return str(IDENTITY_FIELDS.get(key, key))


def _clean(key: str, field: str, raw: Any) -> Any:
    """The proposed value in its stored type; bad input is a clear refusal naming the field."""
    value = raw.strip() if isinstance(raw, str) else raw
    if value in (None, ""):
        if field in _REQUIRED:
            raise ApplicationError(_("%(field)s wajib diisi.") % {"field": field_label(key)}, {"field": key})
        return None if field in _DATE_FIELDS else ""
    if field in _DATE_FIELDS:
        if not isinstance(value, dt.date):
            try:
                value = dt.date.fromisoformat(str(value))
            except ValueError as exc:
                raise ApplicationError(
                    _("%(field)s: tanggal tidak valid (format TTTT-BB-HH).") % {"field": field_label(key)},
                    {"field": key},
                ) from exc
        if value > timezone.localdate():
            raise ApplicationError(_("Tanggal tidak boleh di masa depan."), {"field": key})
        return value
    if field == "education_level" and value not in EducationLevel.values:
        raise ApplicationError(_("Pendidikan terakhir tidak dikenal."), {"field": key})
    model = PositionHistory if key.startswith(HISTORY_PREFIX) else Employee
    limit = getattr(model._meta.get_field(field), "max_length", None)
    if limit and len(str(value)) > limit:
        raise ApplicationError(
            _("%(field)s: maksimal %(n)d karakter.") % {"field": field_label(key), "n": limit}, {"field": key}
        )
    return str(value)


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _differences(key_prefix: str, obj: Any, fields: Any, values: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """{key: {"old", "new"}} for each of `fields` present in `values` whose cleaned value differs from `obj`."""
    changes: dict[str, dict[str, Any]] = {}
    for field in fields:
        if field not in values:
            continue
        key = f"{key_prefix}{field}"
        new = _clean(key, field, values[field])
        old = getattr(obj, field)
        if new != old:
            changes[key] = {"old": _json(old), "new": _json(new)}
    return changes


def _history_entry(entries: dict[int, Any], item: dict[str, Any]) -> Any:
    try:
        return entries[int(item.get("id"))]  # type: ignore[arg-type]
    except (TypeError, ValueError, KeyError) as exc:
        raise ApplicationError(_("Riwayat jabatan tidak ditemukan."), {"field": "position_history"}) from exc


def proposed_changes(employee: Employee, data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """{key: {"old", "new"}} for every allow-listed field whose proposed value differs from the record.
    `data` holds identity fields by name and `position_history`: [{"id": …, <field>: …}, …]."""
    unknown = set(data) - set(IDENTITY_FIELDS) - {"position_history"}
    if unknown:
        raise ApplicationError(
            _("Data ini tidak dapat diusulkan untuk diperbaiki: %(f)s.") % {"f": ", ".join(sorted(unknown))},
            {"field": sorted(unknown)[0]},
        )
    changes = _differences("", employee, IDENTITY_FIELDS, data)
    entries = {e.pk: e for e in employee.position_history.all()}
    for item in data.get("position_history") or []:
        entry = _history_entry(entries, item)
        changes.update(_differences(f"{HISTORY_PREFIX}{entry.pk}.", entry, HISTORY_FIELDS, item))
    if not changes:
        raise ApplicationError(_("Tidak ada perubahan yang diusulkan."), {"field": "__all__"})
    return changes


def _bkd_admins(agency_id: int, *, exclude: Any = None) -> list[User]:
    ids = AgencyRole.objects.filter(agency_id=agency_id, role="hr_admin").values_list("user_id", flat=True)
    qs = User.objects.filter(pk__in=ids, is_active=True)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return list(qs)


def correction_submit(
    *,
    employee: Employee,
    data: dict[str, Any],
    reason: str,
    document: Any,
    actor: Any,
    idempotency_key: str = "",
) -> tuple[CorrectionRequest, bool]:
    """Propose corrections to one's own record (UU PDP Pasal 6). Only the person themselves; allow-listed
    fields only; a supporting document (PDF/JPEG/PNG) and a reason are required; one open proposal at a
    time (a double click returns the first)."""
    if getattr(actor, "pk", None) is None or actor.pk != employee.user_id:
        raise ApplicationError(_("Usulan pemutakhiran hanya untuk data Anda sendiri."), status=403)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Alasan wajib diisi."), {"field": "reason"})
    if not document:
        raise ApplicationError(_("Dokumen pendukung wajib dilampirkan."), {"field": "document"})
    info = validate_upload(document, UploadKind.DOCUMENT)
    changes = proposed_changes(employee, data)

    def create() -> CorrectionRequest:
        if CorrectionRequest.objects.filter(employee=employee, status=CorrectionStatus.SUBMITTED).exists():
            raise ApplicationError(
                _("Anda masih memiliki usulan yang belum diputus; tarik usulan itu dahulu bila ingin mengubahnya."),
                {"field": "__all__"},
                status=409,
            )
        try:
            with transaction.atomic():
                c = CorrectionRequest(
                    employee=employee,
                    agency_id=employee.agency_id,
                    submitted_by=actor,
                    changes=changes,
                    reason=reason,
                    document_name=info.original_name,
                )
                c.document.save(document.name, document, save=False)
                c.save()
        except IntegrityError as exc:
            raise ApplicationError(_("Anda masih memiliki usulan yang belum diputus."), status=409) from exc
        audit(actor=actor, action="correction.submit", obj=c, after={"changes": changes}, reason=reason)
        notify(
            users=_bkd_admins(employee.agency_id, exclude=actor),
            title=_("Usulan pemutakhiran data dari %(name)s") % {"name": employee.full_name},
            url=reverse("people:correction-detail", args=[c.pk]),
        )
        return c

    with transaction.atomic():
        return create_once(
            user=actor,
            key=idempotency_key,
            scope="people.correction",
            create=create,
            load=lambda pk: CorrectionRequest.objects.get(pk=int(pk)),
        )


def _transition(correction: CorrectionRequest, to: str, **fields: Any) -> None:
    changed = CorrectionRequest.objects.filter(pk=correction.pk, status=CorrectionStatus.SUBMITTED).update(
        status=to, updated_at=timezone.now(), **fields
    )
    if not changed:
        raise ApplicationError(_("Usulan ini sudah diputus atau ditarik."), status=409)
    correction.refresh_from_db()


@transaction.atomic
def correction_withdraw(*, correction: CorrectionRequest, actor: Any) -> CorrectionRequest:
    """The employee withdraws their own open proposal."""
    if getattr(actor, "pk", None) != correction.employee.user_id:
        raise ApplicationError(_("Hanya pengusul yang dapat menarik usulan ini."), status=403)
    _transition(correction, CorrectionStatus.WITHDRAWN)
    audit(actor=actor, action="correction.withdraw", obj=correction)
    return correction


def _ensure_decider(correction: CorrectionRequest, actor: Any) -> None:
    if not is_hr_admin(actor, correction.agency_id):
        raise ApplicationError(_("Hanya admin BKD instansi pegawai yang dapat memutus usulan ini."), status=403)
    # Separation of duties (issue #11): an admin never approves a correction of their own record.
    decisions.ensure_may_decide(actor, correction.employee)


def _apply(correction: CorrectionRequest, actor: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """Write the approved values through the same services as the admin's edit form; refuse when the
    record changed since the proposal (the BKD decides on what the employee saw)."""
    employee = Employee.objects.select_for_update().get(pk=correction.employee_id)
    identity: dict[str, Any] = {}
    history: dict[int, dict[str, Any]] = {}
    before: dict[str, Any] = {}
    for key, change in correction.changes.items():
        if key.startswith(HISTORY_PREFIX):
            _p, entry_id, field = key.split(".", 2)
            entry = PositionHistory.objects.filter(pk=int(entry_id), employee=employee).first()
            if entry is None:
                raise ApplicationError(_("Riwayat jabatan yang diusulkan sudah tidak ada."), status=409)
            current, target = getattr(entry, field), history.setdefault(entry.pk, {})
        else:
            field, current, target = key, getattr(employee, key), identity
        if _json(current) != change["old"]:
            raise ApplicationError(
                _("%(field)s telah berubah sejak usulan diajukan; tolak usulan ini agar pegawai mengajukan ulang.")
                % {"field": field_label(key)},
                status=409,
            )
        before[key] = change["old"]
        target[field] = _clean(key, field, change["new"])
    if identity:
        services.employee_update(employee=employee, data=identity, actor=actor)
    for entry_id, fields in history.items():
        services.position_history_update(
            entry=PositionHistory.objects.get(pk=entry_id), data=fields, actor=actor, reason=correction.reason
        )
    return before, {k: c["new"] for k, c in correction.changes.items()}


@transaction.atomic
def correction_approve(*, correction: CorrectionRequest, actor: Any, reason: str = "") -> CorrectionRequest:
    """A BKD admin of the employee's agency approves: the changes are written through the people services
    (audit entries there), the decision itself is audited with before/after/why, the employee is notified."""
    _ensure_decider(correction, actor)
    _transition(
        correction,
        CorrectionStatus.APPROVED,
        decided_by=actor,
        decided_at=timezone.now(),
        decision_reason=(reason or "").strip(),
    )
    before, after = _apply(correction, actor)
    audit(
        actor=actor,
        action="correction.approve",
        obj=correction,
        before=before,
        after=after,
        reason=correction.decision_reason or correction.reason,
    )
    notify(
        users=[correction.employee.user],
        title=_("Usulan pemutakhiran data Anda disetujui"),
        body=correction.decision_reason,
        url=reverse("people:my-corrections"),
    )
    return correction


@transaction.atomic
def correction_reject(*, correction: CorrectionRequest, actor: Any, reason: str) -> CorrectionRequest:
    """A BKD admin rejects with a reason (required: the employee must learn what to fix)."""
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Alasan penolakan wajib diisi."), {"field": "reason"})
    _ensure_decider(correction, actor)
    _transition(
        correction, CorrectionStatus.REJECTED, decided_by=actor, decided_at=timezone.now(), decision_reason=reason
    )
    audit(actor=actor, action="correction.reject", obj=correction, reason=reason)
    notify(
        users=[correction.employee.user],
        title=_("Usulan pemutakhiran data Anda ditolak"),
        body=reason,
        url=reverse("people:my-corrections"),
    )
    return correction
