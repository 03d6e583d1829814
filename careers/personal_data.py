"""This app's sections of an employee's copy of their data (UU PDP Pasal 7/13; people.data_export).
Mentoring sessions are exported without the mentor's private notes: those are the mentor's own data."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from asn_portal import registry
from asn_portal.personal_data import rows


def _plans(employee: Any) -> list[dict[str, Any]]:
    from .models import CareerPlan, DevelopmentAction

    return [
        {**rows([plan])[0], "actions": rows(DevelopmentAction.objects.filter(plan=plan).order_by("pk"))}
        for plan in CareerPlan.objects.filter(employee=employee).order_by("pk")
    ]


def _mentoring(employee: Any) -> list[dict[str, Any]]:
    from .models import CompetencyObservation, MentoringSession, SessionMentee

    sessions = MentoringSession.objects.filter(participants__employee=employee).distinct().order_by("held_on", "pk")
    return (
        rows(sessions, exclude=("private_notes",))
        + rows(SessionMentee.objects.filter(employee=employee).order_by("pk"))
        + rows(CompetencyObservation.objects.filter(employee=employee).order_by("pk"))
    )


def _talent(employee: Any) -> list[dict[str, Any]]:
    from .models import AppraisalFollowUp, TalentPlacement

    return rows(TalentPlacement.objects.filter(employee=employee).order_by("pk")) + rows(
        AppraisalFollowUp.objects.filter(employee=employee).order_by("pk")
    )


def register() -> None:
    add = registry.register_personal_data_section
    add(registry.DataSection("careers.plans", _("Rencana pengembangan karier"), _plans, order=50))
    add(registry.DataSection("careers.mentoring", _("Bimbingan yang diterima"), _mentoring, order=51))
    add(registry.DataSection("careers.talent", _("Penempatan talenta dan tindak lanjut"), _talent, order=52))
