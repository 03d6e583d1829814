"""This app's sections of an employee's copy of their data (UU PDP Pasal 7/13; people.data_export)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from asn_portal import registry
from asn_portal.personal_data import rows


def _enrollments(employee: Any) -> list[dict[str, Any]]:
    from .models import Enrollment

    return rows(Enrollment.objects.filter(employee=employee).order_by("pk"))


def _ledger(employee: Any) -> list[dict[str, Any]]:
    """Learning records (the JP ledger, external learning included) and yearly JP summaries."""
    from .models import LearningRecord, YearlyJpSummary

    return rows(LearningRecord.objects.filter(employee=employee).order_by("pk")) + rows(
        YearlyJpSummary.objects.filter(employee=employee).order_by("pk")
    )


def register() -> None:
    add = registry.register_personal_data_section
    add(registry.DataSection("training.enrollments", _("Pendaftaran pelatihan"), _enrollments, order=40))
    add(registry.DataSection("training.learning_records", _("Catatan pembelajaran (JP)"), _ledger, order=41))
