"""This app's sections of an employee's copy of their data (UU PDP Pasal 7/13; people.data_export)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from asn_portal import registry
from asn_portal.personal_data import rows


def _assessments(employee: Any) -> list[dict[str, Any]]:
    from .models import CompetencyAssessment

    return rows(CompetencyAssessment.objects.filter(employee=employee).order_by("pk"))


def _results(employee: Any) -> list[dict[str, Any]]:
    from .models import AssessmentResult

    return rows(AssessmentResult.objects.filter(employee=employee).select_related("employee").order_by("pk"))


def _levels(employee: Any) -> list[dict[str, Any]]:
    """Current levels per competency: with the position standard, the gaps the portal shows."""
    from .models import CurrentLevel

    return rows(CurrentLevel.objects.filter(employee=employee).select_related("employee").order_by("pk"))


def _jpm(employee: Any) -> list[dict[str, Any]]:
    from .models import EmployeeJpm, JpmSnapshot

    return rows(EmployeeJpm.objects.filter(employee=employee)) + rows(
        JpmSnapshot.objects.filter(employee=employee).order_by("pk")
    )


def register() -> None:
    add = registry.register_personal_data_section
    add(registry.DataSection("competencies.assessments", _("Penilaian kompetensi"), _assessments, order=20))
    add(registry.DataSection("competencies.results", _("Hasil penilaian kompetensi"), _results, order=21))
    add(registry.DataSection("competencies.current_levels", _("Level kompetensi dan kesenjangan"), _levels, order=22))
    add(registry.DataSection("competencies.jpm", _("Job Person Match"), _jpm, order=23))
