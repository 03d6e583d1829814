"""The JP ledger (PermenPANRB 38/2017, 20 JP a year): crediting learning hours to an employee."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from asn_portal.errors import ApplicationError
from asn_portal.services import audit
from people.models import Employee
from training import rules
from training.choices import LearningKind, VerificationStatus
from training.common import to_decimal
from training.ledger import compliance
from training.models import Course, LearningRecord

SOURCE_ENROLLMENT = "training.enrollment"


SOURCE_EXTERNAL = "training.external"


def learning_credit(
    *,
    employee: Employee,
    jp: Decimal | int | str,
    on_date: dt.date,
    title: str,
    source_type: str,
    source_id: str | int,
    actor: Any,
    kind: str = LearningKind.OTHER,
    course: Course | None = None,
    fmt: str = "",
    provider: str = "",
    certificate_number: str = "",
) -> LearningRecord:
    """Credit JP to an employee's ledger for one source (course completion, mentoring, verified
    external learning). Idempotent: crediting the same (employee, source_type, source_id) again returns
    the existing record and credits nothing (PP 11/2017 jo. PP 17/2020 Pasal 203 (4): 20 JP a year)."""
    value = to_decimal(jp)
    problem = rules.jp_problem(value)
    if problem:
        raise ApplicationError(problem, {"field": "jp"})
    existing = LearningRecord.objects.filter(
        employee=employee, source_type=source_type, source_id=str(source_id)
    ).first()
    if existing is not None:
        return existing
    kind = rules.credit_kind(source_type, kind)  # the same rule as the set-based training.ledger.bulk
    try:
        with transaction.atomic():
            record = LearningRecord.objects.create(
                employee=employee,
                agency_id=employee.agency_id,
                year=on_date.year,
                date=on_date,
                jp=value,
                title=str(title)[:200],
                kind=kind,
                format=fmt,
                provider=provider,
                course=course,
                source_type=source_type,
                source_id=str(source_id),
                status=VerificationStatus.VERIFIED,
                verified_by=actor if getattr(actor, "pk", None) else None,
                verified_at=timezone.now(),
                certificate_number=certificate_number,
            )
    except IntegrityError:
        # A concurrent credit of the same source won: return it (still exactly once).
        return LearningRecord.objects.get(employee=employee, source_type=source_type, source_id=str(source_id))
    compliance.touch(employee.agency_id)
    audit(actor=actor, action="training.learning_credit", obj=record, after={"jp": value, "source": source_type})
    return record
