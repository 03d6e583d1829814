"""Doing the SKP: recording progress (with evidence) per period and continuous feedback."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from asn_portal import uploads
from asn_portal.errors import ApplicationError
from performance import rules
from performance.choices import Approach, PeriodStatus, PlanStatus
from performance.models import (
    CoreValue,
    EvaluationPeriod,
    Feedback,
    Indicator,
    PerformancePlan,
    PlannedResult,
    Progress,
)
from performance.workflow import actor_employee_id, notify_on_commit, plan_url, require_role

PROGRESS_VALUE_MAX = 120  # Progress.value
EVIDENCE_LINK_MAX = 200  # Progress.evidence_link (URLField default)


@dataclass(frozen=True)
class ProgressInput:
    """One row of the realisation form: an indicator's value, note and evidence for the period."""

    indicator: Indicator
    value: str
    note: str = ""
    evidence_file: Any = None
    evidence_link: str = ""


def _check_period_open(plan: PerformancePlan, period: EvaluationPeriod) -> None:
    if plan.status != PlanStatus.APPROVED:
        raise ApplicationError(_("Realisasi hanya dapat diisi pada SKP yang sudah disetujui."))
    if period.agency_id != plan.agency_id or period.year != plan.year:
        raise ApplicationError(_("Periode tidak sesuai dengan SKP."))
    if period.status != PeriodStatus.OPEN:
        raise ApplicationError(_("Periode %(p)s sudah ditutup; realisasi tidak dapat diubah.") % {"p": period.name})
    if period.opened_at is None:
        raise ApplicationError(_("Periode %(p)s belum dibuka.") % {"p": period.name})


def _checked_value(plan: PerformancePlan, value: str) -> Decimal | None:
    """The realisation's text checked for the plan's approach; returns its number (None if not a number)."""
    if not value:
        raise ApplicationError(_("Isi nilai realisasi."), {"field": "value"})
    if len(value) > PROGRESS_VALUE_MAX:
        raise ApplicationError(_("Realisasi: maksimal %(n)d karakter.") % {"n": PROGRESS_VALUE_MAX}, {"field": "value"})
    number = rules.parse_number(value)
    if plan.approach == Approach.QUANTITATIVE and number is None:
        raise ApplicationError(_("Realisasi harus berupa angka (pendekatan kuantitatif)."), {"field": "value"})
    if rules.is_negative(number):
        raise ApplicationError(_("Realisasi tidak boleh negatif."), {"field": "value"})
    if number is not None and abs(number) >= rules.MAX_RECORDED_NUMBER:
        raise ApplicationError(_("Realisasi terlalu besar."), {"field": "value"})
    return number


def _check_evidence_link(evidence_link: str) -> None:
    if not evidence_link:
        return
    try:
        URLValidator(schemes=["http", "https"])(evidence_link)
    except ValidationError:
        raise ApplicationError(
            _("Tautan bukti dukung harus alamat web lengkap (http:// atau https://)."), {"field": "evidence_link"}
        ) from None
    if len(evidence_link) > EVIDENCE_LINK_MAX:
        raise ApplicationError(
            _("Tautan bukti dukung: maksimal %(n)d karakter.") % {"n": EVIDENCE_LINK_MAX},
            {"field": "evidence_link"},
        )


def _check_evidence_present(row: ProgressInput, period: EvaluationPeriod, evidence_link: str) -> None:
    """A row without a new file or link keeps the evidence stored earlier for the period; none at all is refused."""
    if row.evidence_file or evidence_link:
        return
    existing = Progress.objects.filter(indicator=row.indicator, period=period).first()
    if existing is None or not (existing.evidence_file or existing.evidence_link):
        raise ApplicationError(_("Lampirkan bukti dukung (berkas atau tautan)."), {"field": "evidence"})


def _progress_check(*, row: ProgressInput, period: EvaluationPeriod, actor: Any) -> dict[str, Any]:
    """Every refusal of one realisation row, before anything is written; returns what to store."""
    value, evidence_link = str(row.value).strip(), row.evidence_link.strip()
    plan = row.indicator.result.plan
    require_role(actor, plan, {"owner"}, _("Hanya pegawai yang bersangkutan yang dapat mengisi realisasi."))
    _check_period_open(plan, period)
    number = _checked_value(plan, value)
    _check_evidence_link(evidence_link)
    evidence = uploads.validate_upload(row.evidence_file, uploads.UploadKind.DOCUMENT) if row.evidence_file else None
    _check_evidence_present(row, period, evidence_link)
    return {"value": value, "number": number, "link": evidence_link, "evidence": evidence}


def _progress_write(*, row: ProgressInput, period: EvaluationPeriod, checked: dict[str, Any]) -> Progress:
    obj, _created = Progress.objects.update_or_create(
        indicator=row.indicator,
        period=period,
        defaults={"value": checked["value"], "value_number": checked["number"], "note": row.note},
    )
    changed = []
    if row.evidence_file and checked["evidence"] is not None:
        obj.evidence_file = row.evidence_file
        obj.evidence_name = checked["evidence"].original_name
        changed += ["evidence_file", "evidence_name"]
    if checked["link"]:
        obj.evidence_link = checked["link"]
        changed.append("evidence_link")
    if changed:
        obj.save(update_fields=changed)
    return obj


def progress_record(
    *,
    indicator: Indicator,
    period: EvaluationPeriod,
    value: str,
    note: str = "",
    evidence_file: Any = None,
    evidence_link: str = "",
    actor: Any,
) -> Progress:
    """The employee records realisation on an indicator for an open period, with evidence."""
    row = ProgressInput(indicator, value, note, evidence_file, evidence_link)
    checked = _progress_check(row=row, period=period, actor=actor)
    with transaction.atomic():
        return _progress_write(row=row, period=period, checked=checked)


def progress_record_many(*, period: EvaluationPeriod, rows: list[ProgressInput], actor: Any) -> int:
    """The realisation form: every row is checked first; all rows are stored in one transaction, or none.
    A refusal carries each refused row's message in ``extra["rows"]`` (indicator id → message)."""
    errors: dict[int, str] = {}
    checked: list[tuple[ProgressInput, dict[str, Any]]] = []
    for row in rows:
        try:
            checked.append((row, _progress_check(row=row, period=period, actor=actor)))
        except ApplicationError as exc:
            errors[row.indicator.pk] = exc.message
    if errors:
        raise ApplicationError(_("Tidak ada realisasi yang disimpan; perbaiki isian bertanda merah."), {"rows": errors})
    with transaction.atomic():
        for row, data in checked:
            _progress_write(row=row, period=period, checked=data)
    return len(checked)


def feedback_give(
    *,
    plan: PerformancePlan,
    text: str,
    actor: Any,
    result: PlannedResult | None = None,
    core_value: CoreValue | None = None,
    period: EvaluationPeriod | None = None,
) -> Feedback:
    """The appraiser gives continuous feedback on a result or a BerAKHLAK value."""
    require_role(actor, plan, {"appraiser"}, _("Hanya pejabat penilai yang dapat memberi umpan balik."))
    if plan.status not in (PlanStatus.APPROVED, PlanStatus.EVALUATED):
        raise ApplicationError(_("Umpan balik diberikan pada SKP yang sudah disetujui."))
    if not text.strip():
        raise ApplicationError(_("Tuliskan umpan balik."))
    if result is not None and result.plan_id != plan.pk:
        raise ApplicationError(_("RHK bukan bagian dari SKP ini."))
    with transaction.atomic():
        fb = Feedback.objects.create(
            plan=plan,
            text=text.strip(),
            result=result,
            core_value=core_value,
            period=period,
            given_by_id=actor_employee_id(actor),
        )
        notify_on_commit([plan.employee_id], _("Umpan balik baru pada SKP Anda"), text[:200], plan_url(plan))
    return fb
