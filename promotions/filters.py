"""FilterSets shared by the queue page and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db import connection
from django.db.models import F, QuerySet
from django.utils.translation import gettext_lazy as _

from asn_portal.precompiled import Param, Statement
from people.access import StartsWithAny, scope_for, unit_q
from people.models import OrgUnit

from .choices import PromotionKind, ProposalStatus, QueueStatus
from .models import PromotionProposal, QueueEntry

# The units of one agency in tree order (the picker of a BKD admin of one agency), compiled once per process.
_AGENCY_UNITS = Statement(
    lambda agency: OrgUnit.objects.filter(agency_id__in=[agency]).order_by("path").values_list("pk", "name", "path"),
    agency=Param(-13_000_408),
)
# The units under a head's headed paths (LIKE patterns, `path__startswith` each), compiled once per process.
_HEADED_UNITS = Statement(
    lambda patterns: (
        OrgUnit.objects.filter(StartsWithAny(F("path"), patterns)).order_by("path").values_list("pk", "name", "path")
    ),
    patterns=Param(["\x00units-head-stand-in%"]),
)


def _unit_rows(request: Any) -> list[tuple[int, str, str]]:
    """(id, name, path) of the units the user may see, in tree order: plain rows in one plain query (a model
    choice field built ~230 OrgUnit objects through a server-side cursor on every queue page). For a BKD admin
    of one agency who heads no unit (`unit_q` is then `agency_id IN (agency)`) and for a head who administers
    no agency (`unit_q`: the paths under theirs) the query is compiled once."""
    if request is None:
        return []
    scope = scope_for(request.user)
    if not scope.everything and not scope.head_unit_paths and len(scope.admin_agency_ids) == 1:
        (agency,) = scope.admin_agency_ids
        return _AGENCY_UNITS.rows(agency=agency)  # type: ignore[return-value]
    if not scope.everything and scope.head_unit_paths and not scope.admin_agency_ids:
        patterns = [connection.ops.prep_for_like_query(p) + "%" for p in scope.head_unit_paths]
        return _HEADED_UNITS.rows(patterns=patterns)  # type: ignore[return-value]
    return list(OrgUnit.objects.filter(unit_q(request.user)).order_by("path").values_list("pk", "name", "path"))


class _UnitChoiceField(django_filters.fields.ChoiceField):
    """The unit picker's field: its few hundred options read once per form as text pairs (`choice_pairs`, which
    the picker's template tag writes), and a chosen unit checked against them as a set (Django's `valid_value`
    walks and normalises every option). With `unit_pairs` (the FilterSet's plain (id, name) rows) the pairs are
    written from those rows directly: the same pairs the field's choices give (the empty label first), without
    normalising each of ~230 options through Django's choice iterators on every queue page (~3 ms)."""

    def __init__(self, *args: Any, unit_pairs: Any = None, **kwargs: Any) -> None:
        self._unit_pairs = unit_pairs
        super().__init__(*args, **kwargs)

    def choice_pairs(self) -> tuple[tuple[str, str], ...]:
        pairs = self.__dict__.get("_choice_pairs")
        if pairs is None:
            if self._unit_pairs is None:
                pairs = tuple((str(getattr(v, "value", v)), str(t)) for v, t in self.choices)
            else:
                head: list[tuple[str, str]] = []
                if self.empty_label is not None:
                    head.append(("", str(self.empty_label)))
                if self.null_label is not None:
                    head.append((str(self.null_value), str(self.null_label)))
                pairs = (*head, *((str(pk), str(name)) for pk, name in self._unit_pairs()))
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
        pairs = lambda: [(pk, name) for pk, name, _path in self._units()]  # noqa: E731
        self.filters["unit"].extra.update(choices=pairs, unit_pairs=pairs)

    def _units(self) -> list[tuple[int, str, str]]:
        if not hasattr(self, "_unit_cache"):
            self._unit_cache = _unit_rows(self.request)
        return self._unit_cache

    def unit_path(self, value: Any) -> str | None:
        """The path of the chosen unit among those the user may see (None: not one of them)."""
        return next((p for pk, _name, p in self._units() if str(pk) == str(value)), None)

    def filter_unit(self, qs: QuerySet[QueueEntry], name: str, value: str) -> QuerySet[QueueEntry]:
        path = self.unit_path(value)
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
