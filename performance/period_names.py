"""Evaluation period names in the reader's language. Periods are stored with their Indonesian name
(rules.period_specs: "Triwulan I", "Semester II/Akhir", "Desember (Akhir)"); a generated name is shown
translated, one an admin typed is shown as written."""

from __future__ import annotations

from django.utils.dates import MONTHS
from django.utils.translation import pgettext

from .rules import PERIOD_MONTHS, ROMAN, period_specs


def period_display_name(kind: str, number: int, stored: str) -> str:
    if kind not in PERIOD_MONTHS or not 1 <= number <= 12 // PERIOD_MONTHS[kind]:
        return stored
    spec = period_specs(kind)[number - 1]
    if stored != spec.name:
        return stored
    numeral = ROMAN[number - 1]
    if kind == "monthly":
        name = str(MONTHS[number])
        return pgettext("periode SKP", "%(name)s (Akhir)") % {"name": name} if spec.is_annual else name
    if kind == "quarterly":
        name = pgettext("periode SKP", "Triwulan %(n)s") % {"n": numeral}
    else:
        name = pgettext("periode SKP", "Semester %(n)s") % {"n": numeral}
    return pgettext("periode SKP", "%(name)s/Akhir") % {"name": name} if spec.is_annual else name
