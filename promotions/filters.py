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


def _unit_rows(request: Any) -> list[tuple[int, str, str]]:
    """(id, name, path) of the units the user may see, in tree order: plain rows in one plain query (a model
    choice field built ~230 OrgUnit objects through a server-side cursor on every queue page)."""
    if request is None:
        return []
    return list(OrgUnit.objects.filter(unit_q(request.user)).order_by("path").values_list("pk", "name", "path"))


class _UnitChoiceField(django_filters.fields.ChoiceField):
    """The unit picker's field: its few hundred options read once per form as text pairs (`choice_pairs`, which
    the picker's template tag writes), and a chosen unit checked against them as a set (Django's `valid_value`
    walks and normalises every option)."""

    def choice_pairs(self) -> tuple[tuple[str, str], ...]:
        pairs = self.__dict__.get("_choice_pairs")
        if pairs is None:
            pairs = tuple((str(getattr(v, "value", v)), str(t)) for v, t in self.choices)
            self.__dict__["_choice_pairs"] = pairs
        return pairs

    def valid_value(self, value: Any) -> bool:
        return str(value) in {v for v, _text in self.choice_pairs()}

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        copied = super().__deepcopy__(memo)
        copied.__dict__.pop("_choice_pairs", None)  # each form reads its own options
        return copied


class _UnitFilter(django_filters.ChoiceFilter):
    field_class = _UnitChoiceField


class QueueFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=QueueStatus.choices, empty_label=_("Semua status"))
    kind = django_filters.ChoiceFilter(label=_("Jenis KP"), choices=PromotionKind.choices, empty_label=_("Semua jenis"))
    unit = _UnitFilter(label=_("Unit kerja"), method="filter_unit", empty_label=_("Semua unit"))
    q = django_filters.CharFilter(label=_("Nama/NIP"), method="filter_q")

    class Meta:
        model = QueueEntry
        fields = ["status", "kind", "unit"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Read when the picker is drawn or a unit is chosen (the API without ?unit= never reads it).
        self.filters["unit"].extra["choices"] = lambda: [(pk, name) for pk, name, _path in self._units()]

    def _units(self) -> list[tuple[int, str, str]]:
        if not hasattr(self, "_unit_cache"):
            self._unit_cache = _unit_rows(self.request)
        return self._unit_cache

    def filter_unit(self, qs: QuerySet[QueueEntry], name: str, value: str) -> QuerySet[QueueEntry]:
        path = next((p for pk, _name, p in self._units() if str(pk) == str(value)), None)
        # By the units' path, joined: PostgreSQL then walks the queue's (period, unit) index per unit of the subtree
        # and looks each row's employee up. A literal `unit_id IN (the subtree's ids)` gave it an exact row estimate
        # and it chose to hash every employee of the agency instead (35,000 rows, 36 ms against 3.5 ms).
        return qs.filter(unit__path__startswith=path) if path is not None else qs.none()

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
