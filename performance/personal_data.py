"""This app's sections of an employee's copy of their data (UU PDP Pasal 7/13; people.data_export)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from asn_portal import registry
from asn_portal.personal_data import rows


def _plans(employee: Any) -> list[dict[str, Any]]:
    from .models import Indicator, PerformancePlan, PlannedResult, Progress

    plans = PerformancePlan.objects.filter(employee=employee).order_by("pk")
    out = []
    for plan in plans:
        results = PlannedResult.objects.filter(plan=plan).order_by("pk")
        out.append(
            {
                **rows([plan])[0],
                "results": rows(results),
                "indicators": rows(Indicator.objects.filter(result__plan=plan).order_by("pk")),
                "progress": rows(Progress.objects.filter(indicator__result__plan=plan).order_by("pk")),
            }
        )
    return out


def _ratings(employee: Any) -> list[dict[str, Any]]:
    from .models import Evaluation, PredikatRecord

    return rows(Evaluation.objects.filter(plan__employee=employee).order_by("pk")) + rows(
        PredikatRecord.objects.filter(employee=employee).order_by("pk")
    )


def _feedback(employee: Any) -> list[dict[str, Any]]:
    from .models import Feedback

    return rows(Feedback.objects.filter(plan__employee=employee).order_by("pk"))


def _objections(employee: Any) -> list[dict[str, Any]]:
    from .models import Objection

    return rows(Objection.objects.filter(plan__employee=employee).order_by("pk"))


def register() -> None:
    add = registry.register_personal_data_section
    add(registry.DataSection("performance.plans", _("SKP: rencana dan realisasi"), _plans, order=30))
    add(registry.DataSection("performance.ratings", _("Penilaian kinerja dan predikat"), _ratings, order=31))
    add(registry.DataSection("performance.feedback", _("Umpan balik kinerja"), _feedback, order=32))
    add(registry.DataSection("performance.objections", _("Keberatan atas predikat"), _objections, order=33))
