"""Import of past years' predikat from a spreadsheet: preview, then confirm."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from asn_portal.errors import ApplicationError
from asn_portal.services import audit
from people.access import is_hr_admin
from people.models import Employee
from performance.choices import Predikat, PredikatSource
from performance.models import PredikatRecord

LABEL_TO_PREDIKAT = {str(label).lower(): value for value, label in Predikat.choices}
LABEL_TO_PREDIKAT.update({v: v for v in Predikat.values})
LABEL_TO_PREDIKAT.update({"kurang": Predikat.KURANG, "misconduct": Predikat.KURANG, "cukup": Predikat.BUTUH_PERBAIKAN})


@dataclass
class ImportRow:
    line: int
    nip: str
    year: int | None
    predikat: str
    employee_id: int | None = None
    error: str = ""


def predikat_import_preview(*, agency_id: int, rows: Sequence[Sequence[Any]], actor: Any) -> list[ImportRow]:
    """Validate rows (NIP, tahun, predikat) of a past-years file; nothing is written."""
    if not is_hr_admin(actor, agency_id):
        raise ApplicationError(_("Hanya admin BKD yang dapat mengimpor predikat."), status=403)
    parsed: list[ImportRow] = []
    for i, row in enumerate(rows, start=2):
        cells = [str(c).strip() if c is not None else "" for c in list(row) + ["", "", ""]][:3]
        nip, year_s, label = cells
        year = int(year_s) if year_s.isdecimal() else None
        item = ImportRow(i, nip.replace(" ", ""), year, LABEL_TO_PREDIKAT.get(label.lower(), ""))
        if not item.nip and not year_s and not label:
            continue
        if year is None or not 2000 <= year <= timezone.localdate().year:
            item.error = _("Tahun tidak valid.")
        elif not item.predikat:
            item.error = _('Predikat "%(p)s" tidak dikenal.') % {"p": label}
        parsed.append(item)
    emp = dict(Employee.objects.filter(agency_id=agency_id, nip__in=[r.nip for r in parsed]).values_list("nip", "pk"))
    appraised = set(
        PredikatRecord.objects.filter(employee_id__in=emp.values(), source=PredikatSource.APPRAISAL).values_list(
            "employee_id", "year"
        )
    )
    seen: set[tuple[str, int | None]] = set()
    for item in parsed:
        item.employee_id = emp.get(item.nip)
        if not item.error and item.employee_id is None:
            item.error = _("NIP tidak ditemukan di instansi ini.")
        elif not item.error and (item.employee_id, item.year) in appraised:
            item.error = _("Sudah ada predikat hasil penilaian SKP untuk tahun ini.")
        elif not item.error and (item.nip, item.year) in seen:
            item.error = _("Baris ganda.")
        seen.add((item.nip, item.year))
    return parsed


def predikat_import_confirm(*, agency_id: int, rows: Sequence[Sequence[Any]], actor: Any) -> int:
    """Write the valid rows into PredikatRecord (source: import); refuse if any row is invalid."""
    parsed = predikat_import_preview(agency_id=agency_id, rows=rows, actor=actor)
    bad = [r for r in parsed if r.error]
    if bad:
        raise ApplicationError(
            _("%(n)s baris tidak valid; perbaiki berkas lalu unggah ulang.") % {"n": len(bad)},
            extra={"rows": [{"line": r.line, "error": r.error} for r in bad[:50]]},
        )
    unit_of = dict(Employee.objects.filter(pk__in=[r.employee_id for r in parsed]).values_list("pk", "unit_id"))
    with transaction.atomic():
        PredikatRecord.objects.bulk_create(
            [
                PredikatRecord(
                    employee_id=r.employee_id,
                    year=r.year,
                    predikat=r.predikat,
                    source=PredikatSource.IMPORT,
                    unit_id=unit_of.get(r.employee_id),
                    locked=True,
                    note=gettext_noop("Impor data lama"),  # stored in the working language, shown translated
                )
                for r in parsed
                if r.employee_id and r.year
            ],
            update_conflicts=True,
            unique_fields=["employee", "year"],
            update_fields=["predikat", "source", "note", "updated_at"],
            batch_size=2000,
        )
        from people.models import Agency

        audit(
            actor=actor,
            action="performance.predikat.import",
            obj=Agency.objects.get(pk=agency_id),
            after={"rows": len(parsed)},
            agency_id=agency_id,
        )
    return len(parsed)
