"""Summary rows of the 20 JP compliance report (`JpComplianceSummary`), kept current on change.

Every service that changes a verified JP line or an employee's unit/status calls
`summaries.touch(KIND, agency_id)`; the refresh rewrites the agency's rows from two aggregate queries
(headcount per unit; per unit and year the staff who reached 20 JP and their JP), rolled up to OPDs. The same
refresh keeps, per unit itself and year, how many reached 20 JP (`JpUnitMetSummary`, the head's home card).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import connection

from asn_portal import summaries
from people.choices import ACTIVE_STATUSES
from training import rules
from training.choices import VerificationStatus
from training.ledger.selectors import _unit_tree
from training.models import JpComplianceSummary, JpUnitMetSummary

KIND = "training.jp_compliance"
ZERO = Decimal("0")

_HEAD_SQL = """
    SELECT e.unit_id, COUNT(*) FROM people_employee e
    WHERE e.agency_id = %s AND e.status = ANY(%s) GROUP BY e.unit_id
"""
# Per employee and year the verified JP wherever it was recorded (a secondment's lines count), then per unit.
_JP_SQL = """
    SELECT e.unit_id, t.year, SUM(CASE WHEN t.jp >= CAST(%s AS numeric) THEN 1 ELSE 0 END), SUM(t.jp), COUNT(*)
    FROM (
        SELECT r.employee_id, r.year, SUM(r.jp) AS jp FROM training_learningrecord r
        JOIN people_employee re ON re.id = r.employee_id
        WHERE re.agency_id = %s AND re.status = ANY(%s) AND r.status = %s
        GROUP BY r.employee_id, r.year
    ) t
    JOIN people_employee e ON e.id = t.employee_id
    GROUP BY e.unit_id, t.year
"""


def touch(*agency_ids: int | None) -> None:
    summaries.touch_all([KIND], agency_ids)


def refresh(agency_id: int) -> None:
    """Replace the agency's rows (runs inside `summaries.refresh`'s transaction)."""
    statuses = sorted(str(s) for s in ACTIVE_STATUSES)
    with connection.cursor() as cur:
        cur.execute(_HEAD_SQL, [agency_id, statuses])
        heads: dict[int, int] = dict(cur.fetchall())
        cur.execute(_JP_SQL, [Decimal(rules.JP_TARGET), int(agency_id), statuses, str(VerificationStatus.VERIFIED)])
        jp_rows = cur.fetchall()
    tree = _unit_tree([agency_id])

    def opd(unit_id: int) -> int:
        return tree.get(unit_id, (unit_id, "", ""))[0]

    headcount: dict[int, int] = defaultdict(int)
    for unit_id, n in heads.items():
        headcount[opd(unit_id)] += n
    by_year: dict[int, dict[int, list[Any]]] = defaultdict(lambda: defaultdict(lambda: [0, ZERO, 0]))
    unit_met = [
        JpUnitMetSummary(agency_id=agency_id, unit_id=unit_id, year=year, met=int(met))
        for unit_id, year, met, _jp, _with_jp in jp_rows
        if unit_id is not None and met
    ]
    for unit_id, year, met, jp, with_jp in jp_rows:
        acc = by_year[year][opd(unit_id)]
        acc[0] += int(met or 0)
        acc[1] += Decimal(str(jp or 0))
        acc[2] += int(with_jp or 0)
    rows = [
        JpComplianceSummary(agency_id=agency_id, unit_id=unit_id, year=0, headcount=n)
        for unit_id, n in headcount.items()
    ]
    for year, per_opd in by_year.items():
        for unit_id, n in headcount.items():
            met, jp, with_jp = per_opd.get(unit_id, (0, ZERO, 0))
            rows.append(
                JpComplianceSummary(
                    agency_id=agency_id, unit_id=unit_id, year=year, headcount=n, met=met, jp=jp, with_jp=with_jp
                )
            )
    JpComplianceSummary.objects.filter(agency_id=agency_id).delete()
    JpComplianceSummary.objects.bulk_create(rows, batch_size=2000)
    JpUnitMetSummary.objects.filter(agency_id=agency_id).delete()
    JpUnitMetSummary.objects.bulk_create(unit_met, batch_size=2000)


def register() -> None:
    summaries.register(KIND, refresh)
