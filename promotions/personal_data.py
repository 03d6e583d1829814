"""This app's sections of an employee's copy of their data (UU PDP Pasal 7/13; people.data_export)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from asn_portal import registry
from asn_portal.personal_data import rows


def _proposals(employee: Any) -> list[dict[str, Any]]:
    from .models import CivilServiceExam, PromotionProposal

    return rows(PromotionProposal.objects.filter(employee=employee).order_by("pk")) + rows(
        CivilServiceExam.objects.filter(employee=employee).order_by("pk")
    )


def _outlook(employee: Any) -> list[dict[str, Any]]:
    """The promotion queue entries (the outlook the portal computed) and vacancies the person stood for."""
    from .models import QueueEntry, VacancyCandidate

    return rows(QueueEntry.objects.filter(employee=employee).order_by("pk")) + rows(
        VacancyCandidate.objects.filter(employee=employee).order_by("pk")
    )


def register() -> None:
    add = registry.register_personal_data_section
    add(
        registry.DataSection("promotions.proposals", _("Usulan kenaikan pangkat dan ujian dinas"), _proposals, order=60)
    )
    add(registry.DataSection("promotions.outlook", _("Antrean kenaikan pangkat dan lowongan"), _outlook, order=61))
