"""Set-based JP crediting: the bulk twin of `training.ledger.services.learning_credit`, for callers that credit many
sources at once (the demo's background population, back-fills). Same invariants: each JP value passes
`rules.jp_problem`, the kind follows `rules.credit_kind`, the line is verified, and crediting a source again
credits nothing (the `uniq_learning_source` constraint on employee, source type and source id)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from asn_portal.errors import ApplicationError
from training import rules
from training.choices import LearningKind, VerificationStatus
from training.ledger import compliance
from training.models import LearningRecord


@dataclass(frozen=True)
class Credit:
    """One JP credit for one source (what `learning_credit` takes, minus the actor and the employee object)."""

    employee_id: int
    agency_id: int
    jp: Decimal
    on_date: dt.date
    title: str
    source_type: str
    source_id: str
    kind: str = LearningKind.OTHER


def learning_credit_many(credits: Iterable[Credit], *, batch_size: int = 5000) -> int:
    """Credit every line once (lines whose source is already credited are skipped); returns how many lines
    were asked for. A refused JP value raises before anything is written."""
    rows = list(credits)
    for c in rows:
        problem = rules.jp_problem(c.jp)
        if problem:
            raise ApplicationError(problem, {"field": "jp", "source_id": c.source_id})
    now = timezone.now()
    LearningRecord.objects.bulk_create(
        [
            LearningRecord(
                employee_id=c.employee_id,
                agency_id=c.agency_id,
                year=c.on_date.year,
                date=c.on_date,
                jp=c.jp,
                title=str(c.title)[:200],
                kind=rules.credit_kind(c.source_type, c.kind),
                source_type=c.source_type,
                source_id=str(c.source_id),
                status=VerificationStatus.VERIFIED,
                verified_at=now,
            )
            for c in rows
        ],
        batch_size=batch_size,
        ignore_conflicts=True,
    )
    compliance.touch(*{c.agency_id for c in rows})
    return len(rows)
