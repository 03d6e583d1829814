"""The one place careers calls the lower apps' contracts (docs/architecture.md, cross-app contracts).

Each call imports inside the function so the lower apps can evolve in parallel, and so a test can
replace one contract without patching the others."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any


def predikat_by_year(employee_ids: Iterable[int], years: Iterable[int]) -> dict[tuple[int, int], str]:
    """Final annual predikat per (employee, year) from performance."""
    from performance.evaluation.selectors import predikat_by_year as fn

    return fn(list(employee_ids), list(years))


def jpm_by_employee(employee_ids: Iterable[int]) -> dict[int, Decimal]:
    """Current JPM (%) per employee against their own post (competencies.EmployeeJpm)."""
    from competencies.models import EmployeeJpm

    return {
        e: Decimal(str(j))
        for e, j in EmployeeJpm.objects.filter(employee_id__in=list(employee_ids), jpm__isnull=False).values_list(
            "employee_id", "jpm"
        )
    }


def gap_rows(
    employee_ids: Iterable[int], position_id: int | None = None
) -> list[tuple[int, int, int, int | None, int]]:
    """(employee_id, competency_id, required, current, gap) rows against a post (set-based)."""
    from competencies.selectors import gap_rows as fn

    return [tuple(r) for r in fn(list(employee_ids), position_id=position_id)]  # type: ignore[misc]


def post_requirements(position_id: int) -> dict[int, int]:
    """{competency_id: required level} of a post's competency standard."""
    from competencies.models import CompetencyRequirement

    return dict(CompetencyRequirement.objects.filter(position_id=position_id).values_list("competency_id", "level"))


def current_levels(employee_ids: Iterable[int]) -> dict[tuple[int, int], int]:
    """{(employee_id, competency_id): current valid level} (set-based)."""
    from competencies.selectors import current_levels as fn

    return fn(list(employee_ids))


def jpm(required: dict[int, int], current: dict[int, int | None]) -> Decimal | None:
    """JPM (%) by the competencies app's rule (regulations.md §2.4)."""
    from competencies.rules import jpm as fn

    return fn(required, current)


def competency_names(ids: Iterable[int]) -> dict[int, str]:
    from competencies.models import Competency

    return dict(Competency.objects.filter(pk__in=list(ids)).values_list("pk", "name"))


def competency_choices(agency_id: int | None) -> list[tuple[int, str]]:
    """Active competencies an agency may use (national + its own), for the B.1.9 form."""
    from django.db.models import Q

    from competencies.models import Competency

    return list(
        Competency.objects.filter(Q(agency_id=None) | Q(agency_id=agency_id), is_active=True)
        .order_by("kind", "order", "name")
        .values_list("pk", "name")
    )


def recommended_courses(employee: Any, position: Any = None, limit: int = 10) -> list[Any]:
    from training.needs.selectors import recommended_courses as fn

    return list(fn(employee=employee, position=position, limit=limit))


def learning_credit(
    *, employee: Any, jp: Decimal, on_date: dt.date, title: str, source_type: str, source_id: Any, actor: Any
) -> Any:
    from training.ledger.services import learning_credit as fn

    return fn(
        employee=employee,
        jp=jp,
        on_date=on_date,
        title=title,
        source_type=source_type,
        source_id=source_id,
        actor=actor,
    )


def assessment_record(
    *, employee: Any, assessed_on: dt.date, levels: dict[int, int], evidence: str, assessor: str, actor: Any
) -> Any:
    """Record B.1.9 observations as competency evidence (method: observation by the coach)."""
    from competencies.choices import AssessmentMethod, AssessmentPurpose
    from competencies.services import assessment_record as fn

    return fn(
        employee=employee,
        assessed_on=assessed_on,
        purpose=AssessmentPurpose.MAPPING,
        method=AssessmentMethod.MENTORING_OBSERVATION,
        assessor=assessor,
        levels=levels,
        evidence=evidence,
        actor=actor,
    )


def timeline_rows(employee: Any) -> list[dict[str, Any]]:
    """Rows of every registered timeline source (other apps' assessments, training, SKP, promotions …).

    A failing source fails the page: a renamed or broken contract must show up in tests and logs, never as a
    silently shorter timeline."""
    from asn_portal import registry

    return registry.timeline_rows(employee)


def planned_result_owner(planned_result_id: int) -> int | None:
    """The employee whose SKP holds this planned result (RHK), or None when there is no such RHK."""
    from performance.models import PlannedResult

    return PlannedResult.objects.filter(pk=planned_result_id).values_list("plan__employee_id", flat=True).first()


def learning_credit_many(credits: Iterable[Mapping[str, Any]]) -> int:
    """Set-based JP credits (training.ledger.bulk): each mapping holds `learning_credit`'s keywords (employee_id and
    agency_id instead of the employee); same validation, kind rule and once-per-source guarantee."""
    from training.ledger.bulk import Credit
    from training.ledger.bulk import learning_credit_many as fn

    return fn(Credit(**c) for c in credits)
