"""Factories for competencies: agency technical competencies, standards and assessments."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from factory.django import DjangoModelFactory

from competencies.models import Competency, CompetencyRequirement
from competencies.seed import ensure_reference_data
from tests.people.factories import AgencyFactory, PositionFactory


class CompetencyFactory(DjangoModelFactory[Competency]):
    class Meta:
        model = Competency

    agency = factory.SubFactory(AgencyFactory)
    kind = "technical"
    code = factory.Sequence(lambda n: f"T{n}")
    name = factory.Sequence(lambda n: f"Kompetensi Teknis {n}")


class RequirementFactory(DjangoModelFactory[CompetencyRequirement]):
    class Meta:
        model = CompetencyRequirement

    position = factory.SubFactory(PositionFactory)
    competency = factory.SubFactory(CompetencyFactory, agency=factory.SelfAttribute("..position.agency"))
    level = 3


def national() -> list[Competency]:
    """The 9 seeded national competencies (reloaded if a transactional test flushed them)."""
    ensure_reference_data()
    return list(Competency.objects.filter(agency__isnull=True).order_by("order"))


def set_standard(position: Any, levels: list[int], comps: list[Competency] | None = None) -> list[Competency]:
    comps = comps or national()
    for c, lvl in zip(comps, levels, strict=False):
        CompetencyRequirement.objects.update_or_create(position=position, competency=c, defaults={"level": lvl})
    return comps[: len(levels)]


def record(
    employee: Any,
    levels: dict[int, int],
    on: dt.date | None = None,
    method: str = "assessment_center",
    actor: Any = None,
) -> Any:
    from competencies.services import assessment_record

    return assessment_record(
        employee=employee,
        assessed_on=on or dt.date(2026, 1, 10),
        purpose="mapping",
        method=method,
        assessor="UPT Penilaian Kompetensi",
        levels=levels,
        actor=actor,
    )
