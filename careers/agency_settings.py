"""Per-agency career settings and the talent scheme, falling back to the national defaults."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q

from careers import rules
from careers.models import (
    CareerSettings,
    TalentScheme,
)


def settings_for(agency_id: int | None) -> CareerSettings:
    """The agency's career settings, falling back to the national default row."""
    rows = {s.agency_id: s for s in CareerSettings.objects.filter(Q(agency_id=agency_id) | Q(agency_id=None))}
    found = rows.get(agency_id) or rows.get(None)
    return found or CareerSettings()


def scheme_for(agency_id: int | None) -> rules.Scheme:
    rows = {s.agency_id: s for s in TalentScheme.objects.filter(Q(agency_id=agency_id) | Q(agency_id=None))}
    row = rows.get(agency_id) or rows.get(None)
    if row is None:
        return rules.DEFAULT_SCHEME
    return rules.Scheme(
        predikat_points={k: Decimal(str(v)) for k, v in row.predikat_points.items()},
        performance_above=row.performance_above,
        performance_meets=row.performance_meets,
        potential_high=row.potential_high,
        potential_medium=row.potential_medium,
    )
