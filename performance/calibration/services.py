"""Organisational performance (unit ratings) and the calibration of a unit's predikat distribution."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from asn_portal.errors import ApplicationError, ConflictError
from asn_portal.services import audit
from people import decisions
from people.access import is_hr_admin, scope_for
from people.models import OrgUnit
from performance import rules
from performance.calibration.selectors import distribution_counts_live, rule_specs
from performance.choices import CalibrationStatus
from performance.models import EvaluationPeriod, UnitCalibration, UnitPerformance


def _is_unit_superior(actor: Any, unit: OrgUnit) -> bool:
    """The head of the unit above (or of the unit's tree) sets the unit's rating (SE MenPANRB 3/2023)."""
    scope = scope_for(actor)
    parent_path = unit.path.rsplit("/", 2)[0] + "/" if unit.parent_id else ""
    return bool(parent_path) and any(parent_path.startswith(p) for p in scope.head_unit_paths)


def unit_performance_set(
    *, unit: OrgUnit, period: EvaluationPeriod, rating: str, note: str = "", actor: Any
) -> UnitPerformance:
    """Set a unit's organisational rating for a period (BKD admin or the unit's superior)."""
    if unit.agency_id != period.agency_id:
        raise ApplicationError(_("Unit dan periode berasal dari instansi berbeda."))
    if not (is_hr_admin(actor, unit.agency_id) or _is_unit_superior(actor, unit)):
        raise ApplicationError(_("Predikat unit ditetapkan oleh admin BKD atau atasan unit."), status=403)
    decisions.ensure_may_decide_on_unit(actor, unit)
    from performance.choices import UnitRating

    if rating not in UnitRating.values:
        raise ApplicationError(_("Pilih predikat kinerja organisasi."))
    with transaction.atomic():
        before = UnitPerformance.objects.filter(unit=unit, period=period).values_list("rating", flat=True).first()
        obj, _c = UnitPerformance.objects.update_or_create(
            unit=unit, period=period, defaults={"rating": rating, "note": note, "set_by": actor}
        )
        audit(
            actor=actor,
            action="performance.unit_rating.set",
            obj=obj,
            before={"rating": before},
            after={"rating": rating},
            reason=note,
            agency_id=unit.agency_id,
        )
    return obj


def distribution_check_all(*, period: EvaluationPeriod, actor: Any) -> dict[str, int]:
    """Check every unit's distribution against its rating's curve and store it (set-based, idempotent).
    `actor` is who asked (None when the close-of-period job runs it); the figures are the same for anyone."""
    counts = distribution_counts_live(period=period)
    ratings = dict(UnitPerformance.objects.filter(period=period).values_list("unit_id", "rating"))
    specs = rule_specs()
    now = timezone.now()
    rows = []
    breaking = 0
    for unit_id in set(counts) | set(ratings):
        rating = ratings.get(unit_id, "")
        warnings = rules.check_distribution(counts.get(unit_id, {}), specs.get(rating, [])) if rating else []
        breaking += bool(warnings)
        rows.append(
            UnitCalibration(
                unit_id=unit_id,
                period=period,
                unit_rating=rating,
                distribution=counts.get(unit_id, {}),
                warnings=[w.message for w in warnings],
                breaks_rule=bool(warnings),
                checked_at=now,
            )
        )
    # Finalised calibrations are not touched: the conflict update only refreshes open ones' figures.
    final_ids = set(
        UnitCalibration.objects.filter(period=period, status=CalibrationStatus.FINAL).values_list("unit_id", flat=True)
    )
    rows = [r for r in rows if r.unit_id not in final_ids]
    UnitCalibration.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["unit", "period"],
        update_fields=["unit_rating", "distribution", "warnings", "breaks_rule", "checked_at"],
        batch_size=2000,
    )
    return {"units": len(rows), "breaking": breaking}


def calibration_finalise(
    *, unit: OrgUnit, period: EvaluationPeriod, justification: str = "", actor: Any
) -> UnitCalibration:
    """Finalise a unit's distribution; when it breaks the curve a written justification is required."""
    if not (is_hr_admin(actor, unit.agency_id) or _is_unit_superior(actor, unit)):
        raise ApplicationError(_("Kalibrasi difinalkan oleh admin BKD atau atasan unit."), status=403)
    decisions.ensure_may_decide_on_unit(actor, unit)
    rating = UnitPerformance.objects.filter(unit=unit, period=period).values_list("rating", flat=True).first()
    if not rating:
        raise ApplicationError(_("Tetapkan dahulu predikat kinerja organisasi unit ini."))
    counts = distribution_counts_live(period=period, unit_ids=[unit.pk]).get(unit.pk, {})
    warnings = rules.check_distribution(counts, rule_specs().get(rating, []))
    if warnings and not justification.strip():
        raise ApplicationError(
            _("Distribusi predikat menyimpang dari pola; tuliskan justifikasi."),
            extra={"warnings": [w.message for w in warnings]},
        )
    with transaction.atomic():
        cal, _c = UnitCalibration.objects.get_or_create(unit=unit, period=period)
        n = UnitCalibration.objects.filter(pk=cal.pk, status=CalibrationStatus.OPEN).update(
            status=CalibrationStatus.FINAL,
            unit_rating=rating,
            distribution=counts,
            warnings=[w.message for w in warnings],
            breaks_rule=bool(warnings),
            justification=justification.strip(),
            finalised_by=actor,
            finalised_at=timezone.now(),
            checked_at=timezone.now(),
        )
        if n == 0:
            raise ConflictError(_("Kalibrasi unit ini sudah difinalkan."))
        cal.refresh_from_db()
        audit(
            actor=actor,
            action="performance.calibration.finalise",
            obj=cal,
            after={"distribution": counts, "warnings": cal.warnings},
            reason=justification,
            agency_id=unit.agency_id,
        )
    return cal
