"""Reads of evaluations and predikat: the annual-rating gate and the predikat history."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import DEFAULT_DB_ALIAS
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from asn_portal import registry
from asn_portal.precompiled import Param, Statement
from performance import rules
from performance.models import EvaluationPeriod, Indicator, PerformancePlan, PredikatRecord


def predikat_by_year(employee_ids: Iterable[int], years: Iterable[int]) -> dict[tuple[int, int], str]:
    """Final annual predikat per (employee_id, year), one query (the contract promotions/talent read)."""
    ids = list(employee_ids)
    yrs = list(years)
    if not ids or not yrs:
        return {}
    rows = PredikatRecord.objects.filter(employee_id__in=ids, year__in=yrs).values_list(
        "employee_id", "year", "predikat"
    )
    return {(e, y): p for e, y, p in rows}


def annual_rating_gate(plan: PerformancePlan, period: EvaluationPeriod, today: Any = None) -> rules.AnnualRatingGate:
    """Whether the annual rating of `plan` may be recorded for `period` now (two counting queries)."""
    indicators = Indicator.objects.filter(result__plan=plan)
    return rules.annual_rating_gate(
        today=today or timezone.localdate(),
        period_end=period.end_date,
        indicators=indicators.count(),
        indicators_realised=indicators.filter(progress__period=period).distinct().count(),
    )


def annual_gate_message(gate: rules.AnnualRatingGate, period: EvaluationPeriod) -> str:
    """The Indonesian sentence that says why the annual rating is not open yet ("" when it is)."""
    if gate.is_open:
        return ""
    if gate.too_early:
        return _("Penilaian tahunan (%(period)s) baru dibuka mulai %(date)s, setelah tahun penilaian berakhir.") % {
            "period": period.name,
            "date": date_format(gate.opens_on, "j F Y"),
        }
    if gate.indicators == 0:
        return _("SKP ini belum memiliki indikator kinerja; penilaian tahunan tidak dapat dicatat.")
    return _(
        "Realisasi %(period)s belum diisi untuk %(n)s dari %(total)s indikator; "
        "isi realisasi sebelum penilaian tahunan."
    ) % {"period": period.name, "n": gate.missing_realisation, "total": gate.indicators}


def predikat_records_of(employee: Any) -> list[Any]:
    """The employee's predikat history, newest year first, read once per employee object: the profile's panel,
    its timeline entries and the timeline API share it. The composed timeline reads it in its own round trip
    (`registry.register_timeline_read`, key PREDIKAT_KEY) when it comes first; else one query here. The records
    carry the fields the panel and the timeline show (PREDIKAT_FIELDS; any other field is deferred: read when
    asked for, as with `only()`)."""
    rows = registry.shared(employee, PREDIKAT_KEY, lambda: PREDIKAT_ROWS.rows(employee_id=employee.pk))
    return [PredikatRecord.from_db(DEFAULT_DB_ALIAS, PREDIKAT_FIELDS, row) for row in rows]


def predikat_history(employee_id: int) -> list[Any]:
    """One employee's predikat records, newest year first (a statement compiled once per process: the profile,
    the timeline and the predikat-history API read it on every request)."""
    return _PREDIKAT_HISTORY.instances(employee_id=employee_id)


PREDIKAT_KEY = "performance.predikat_records"
# in the model's field order (`Model.from_db` pairs a partial row's values with the fields in that order)
PREDIKAT_FIELDS = ["id", "employee_id", "year", "predikat", "source", "plan_id", "note"]
# The same records as `predikat_history` as plain rows (values_list), so that the timeline's round trip
# (`rows_together`) can carry them (issue #13: the timeline API's predikat query joins its other reads).
PREDIKAT_ROWS = Statement(
    lambda employee_id: (
        PredikatRecord.objects.filter(employee_id=employee_id).order_by("-year").values_list(*PREDIKAT_FIELDS)
    ),
    employee_id=Param(-13_000_602),
)
_PREDIKAT_HISTORY = Statement(
    lambda employee_id: PredikatRecord.objects.filter(employee_id=employee_id).order_by("-year"),
    employee_id=Param(-13_000_601),
)
