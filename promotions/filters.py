"""FilterSets shared by the queue page and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from people.access import unit_q
from people.models import OrgUnit

from .choices import PromotionKind, ProposalStatus, QueueStatus
from .models import PromotionProposal, QueueEntry


def _units(request: Any) -> QuerySet[OrgUnit]:
    if request is None:
        return OrgUnit.objects.none()
    return OrgUnit.objects.filter(unit_q(request.user)).order_by("path")


class QueueFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=QueueStatus.choices, empty_label=_("Semua status"))
    kind = django_filters.ChoiceFilter(label=_("Jenis KP"), choices=PromotionKind.choices, empty_label=_("Semua jenis"))
    unit = django_filters.ModelChoiceFilter(
        label=_("Unit kerja"), queryset=_units, method="filter_unit", empty_label=_("Semua unit")
    )
    q = django_filters.CharFilter(label=_("Nama/NIP"), method="filter_q")

    class Meta:
        model = QueueEntry
        fields = ["status", "kind", "unit"]

    def filter_unit(self, qs: QuerySet[QueueEntry], name: str, value: OrgUnit) -> QuerySet[QueueEntry]:
        return qs.filter(unit__path__startswith=value.path)

    def filter_q(self, qs: QuerySet[QueueEntry], name: str, value: str) -> QuerySet[QueueEntry]:
        value = value.strip()
        if value.isdigit():
            return qs.filter(employee__nip__startswith=value)
        return qs.filter(employee__name__icontains=value)


class ProposalFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ProposalStatus.choices, empty_label=_("Semua status")
    )
    period = django_filters.NumberFilter(field_name="period_id", label=_("Periode"))

    class Meta:
        model = PromotionProposal
        fields = ["status", "period"]
