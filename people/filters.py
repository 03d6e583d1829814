"""The employee FilterSet shared by the directory page, its exports and the employees API."""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.models import ModelChoiceIterator
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from asn_portal.precompiled import Statement, rows_together

from .access import unit_options_read, unit_q
from .choices import EmployeeStatus, EmploymentType, PositionType
from .models import Employee, OrgUnit, Rank
from .rules import normalise_nip


def _units(request: Any) -> QuerySet[OrgUnit]:
    user = getattr(request, "user", None)
    return OrgUnit.objects.filter(unit_q(user)).only("id", "name", "path", "depth").order_by("path")


def _option_rows(field: Any, read: Callable[[], Iterable[tuple[Any, ...]]]) -> Iterable[tuple[Any, ...]]:
    """The option rows of a unit or rank field: those its FilterSet read for it (`FilterOptions`), else `read()`."""
    given = getattr(field, "option_rows", None)
    return given() if given is not None else read()


class _UnitChoices(ModelChoiceIterator):
    """The unit options as (id, indented name) from plain rows: the filter bar lists every unit the user may
    see (~250 for a city) on every directory page, and a model instance per option was most of its cost."""

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        rows = _option_rows(self.field, lambda: self.queryset.values_list("pk", "name", "depth", "path"))
        for pk, name, depth, _path in rows:
            yield (pk, f"{'— ' * depth}{name}")


class UnitChoiceField(django_filters.fields.ModelChoiceField):  # type: ignore[name-defined]
    iterator = _UnitChoices

    def label_from_instance(self, obj: OrgUnit) -> str:
        return f"{'— ' * obj.depth}{obj.name}"

    def to_python(self, value: Any) -> Any:
        """The chosen unit, found among the option rows its FilterSet read (`FilterOptions`: the same units as
        this field's queryset) without a query of its own: an unsaved `OrgUnit` with the id, name, depth and
        path `filter_unit` reads; a value that is not one of them is the field's own "invalid choice" error."""
        rows = getattr(self, "option_rows", None)
        if rows is None or self.to_field_name or value in self.empty_values or isinstance(value, OrgUnit):
            return super().to_python(value)
        try:
            pk = OrgUnit._meta.pk.to_python(value)  # type: ignore[union-attr]
        except ValidationError:
            pk = None
        for row_pk, name, depth, path in rows():
            if row_pk == pk:
                return OrgUnit(pk=row_pk, name=name, depth=depth, path=path)
        raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})


class UnitFilter(django_filters.ModelChoiceFilter):
    field_class = UnitChoiceField


class _RankChoices(ModelChoiceIterator):
    """The rank options as (id, `str(rank)`) from plain rows, not a model instance per rank."""

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for pk, code, name in _option_rows(self.field, lambda: self.queryset.values_list("pk", "code", "name")):
            yield (pk, f"{name} ({code})" if name else code)  # Rank.__str__


class RankChoiceField(django_filters.fields.ModelChoiceField):  # type: ignore[name-defined]
    iterator = _RankChoices


class RankFilter(django_filters.ModelChoiceFilter):
    field_class = RankChoiceField


_RANK_OPTIONS = Statement(lambda: Rank.objects.values_list("pk", "code", "name"))  # `RankFilter`'s queryset


def _options_key(field: Any, rows: Callable[[], list[tuple[Any, ...]]]) -> tuple[Any, ...]:
    """What a unit or rank field's choices are made of ({% filter_field %} keeps their markup by it): its
    iterator's code, its empty label in the active language and the option rows."""
    empty = field.empty_label
    return (type(field).iterator, None if empty is None else str(empty), tuple(rows()))


class FilterOptions:
    """The unit and rank options of one user's filter bar, read together in one round trip of two precompiled
    statements (`rows_together`) the first time either list is wanted: the same rows, in the same order, as the
    unit field's queryset (`unit_q`, by path) and the rank field's (`Rank`'s ordering) give (issue #13)."""

    def __init__(self, user: Any) -> None:
        self._user = user
        self._rows: tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]] | None = None

    def _read(self) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        if self._rows is None:
            units = unit_options_read(self._user)
            if units is None:
                self._rows = ([], rows_together((_RANK_OPTIONS, {}))[0])
            else:
                unit_rows, rank_rows = rows_together(units, (_RANK_OPTIONS, {}))
                self._rows = (unit_rows, rank_rows)
        return self._rows

    def units(self) -> list[tuple[Any, ...]]:
        return self._read()[0]

    def ranks(self) -> list[tuple[Any, ...]]:
        return self._read()[1]


class OrderingFilter(django_filters.OrderingFilter):
    descending_fmt = _("%s (menurun)")


ALL = _("Semua")


def _is_name_search(value: str | None) -> bool:
    """A search text that is not a NIP (digits, maybe with separators) searches names."""
    value = (value or "").strip()
    return bool(value) and not normalise_nip(value).isdigit()


def trigram_name_search(value: str | None) -> bool:
    """A name search (`_is_name_search`) of at least three characters: one the trigram index on UPPER(name)
    (people_empl_name_trgm) can answer by itself (a shorter fragment has no trigram to look up)."""
    return _is_name_search(value) and len((value or "").strip()) >= 3


class _FieldsOfOneForm(dict):  # type: ignore[type-arg]
    """The fields of a form class built for one FilterSet: they were made for it alone (`Filter.field` of its own
    filter copies), so the form's per-instance deep copy of its class's fields may be a plain copy."""

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, Any]:
        return dict(self)


def _own_copy(base: django_filters.Filter) -> django_filters.Filter:
    """A filter of the class's `base_filters` for one FilterSet: a shallow copy with its own `extra` (which
    `Filter.field` reads and a queryset filter writes the request's queryset into), no cached field and, for a
    `method=` filter, its own `FilterMethod` (which calls the method of the copy's parent)."""
    own = copy.copy(base)
    own.extra = dict(base.extra)
    own.__dict__.pop("_field", None)
    if own.method is not None:
        own.method = base.method  # a FilterMethod of its own, bound to this copy (its parent's `filter_q`)
    return own


class EmployeeFilterSet(django_filters.FilterSet):
    """Search by name or NIP; filter by unit (with its sub-units), position type, rank, status and employment
    type; order by name, NIP, rank or unit. The unit choices are the units the user may see.

    Built once per directory page, export and filtered API list: the filters are shallow copies (`_own_copy`)
    and the form does not deep-copy the fields made for it, where django-filter deep-copies both (its choice
    lists and lazy labels included), ~2 ms per request (issue #13); the filters keep no state between requests
    (tests/people/test_directory_filter.py)."""

    def __init__(
        self,
        data: QueryDict | dict[str, Any] | None = None,
        queryset: QuerySet[Employee] | None = None,
        *,
        request: Any = None,
        prefix: str | None = None,
        filter_bar: bool = False,
    ) -> None:
        # django_filters.filterset.BaseFilterSet.__init__ with `_own_copy` instead of a deep copy.
        if queryset is None:
            queryset = Employee.objects.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filter_bar = filter_bar  # the form is shown (the directory page): its options are read together
        self.filters = {name: _own_copy(f) for name, f in self.base_filters.items()}
        for filter_ in self.filters.values():
            filter_.model = queryset.model
            filter_.parent = self

    @property
    def form(self) -> forms.Form:
        """The filter form; shown as a filter bar (`filter_bar`) to a signed-in user, its unit and rank fields list
        the options `FilterOptions` reads (the API and the exports, which show no form, keep the fields' own
        querysets: one unit looked up when asked for)."""
        if not hasattr(self, "_form"):
            form: forms.Form = super().form
            user = getattr(self.request, "user", None)
            if self.filter_bar and user is not None and user.is_authenticated:
                options = FilterOptions(user)
                for name, rows in (("unit", options.units), ("rank", options.ranks)):
                    field = form.fields[name]
                    field.option_rows = rows  # type: ignore[attr-defined]
                    field.options_key = functools.partial(_options_key, field, rows)  # type: ignore[attr-defined]
        return self._form  # type: ignore[no-any-return]

    def get_form_class(self) -> type[forms.Form]:
        form_class: type[forms.Form] = super().get_form_class()
        form_class.base_fields = _FieldsOfOneForm(form_class.base_fields)
        return form_class

    q = django_filters.CharFilter(label=_("Cari nama atau NIP"), method="filter_q")
    unit = UnitFilter(label=_("Unit kerja (termasuk sub-unit)"), queryset=_units, method="filter_unit", empty_label=ALL)
    position_kind = django_filters.ChoiceFilter(
        label=_("Jenis jabatan"), field_name="position__kind", choices=PositionType.choices, empty_label=ALL
    )
    rank = RankFilter(label=_("Pangkat/golongan"), queryset=Rank.objects.all(), empty_label=ALL)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=EmployeeStatus.choices, empty_label=ALL)
    employment_type = django_filters.ChoiceFilter(
        label=_("Jenis kepegawaian"), choices=EmploymentType.choices, empty_label=ALL
    )
    ordering = OrderingFilter(
        empty_label=None,
        label=_("Urutkan"),
        fields=(("name", "name"), ("nip", "nip"), ("rank__order", "rank"), ("unit__path", "unit")),
        field_labels={"name": _("Nama"), "nip": _("NIP"), "rank__order": _("Pangkat"), "unit__path": _("Unit")},
    )

    class Meta:
        model = Employee
        fields = ["q", "unit", "position_kind", "rank", "status", "employment_type"]

    @property
    def searches_name(self) -> bool:
        """Whether the valid filter narrows the list by a name fragment (`filter_q`'s trigram search)."""
        return self.is_valid() and _is_name_search(self.form.cleaned_data.get("q"))

    def filter_q(self, queryset: QuerySet[Employee], name: str, value: str) -> QuerySet[Employee]:
        value = (value or "").strip()
        if not value:
            return queryset
        if not _is_name_search(value):
            return queryset.filter(nip__startswith=normalise_nip(value))
        # A NIP is 18 digits, so text with letters can only match a name (served by the trigram index on
        # UPPER(name), people_empl_name_trgm; an OR with the NIP would read every row of the agency).
        return queryset.filter(name__icontains=value)

    def filter_unit(self, queryset: QuerySet[Employee], name: str, value: OrgUnit | None) -> QuerySet[Employee]:
        if value is None:
            return queryset
        return queryset.filter(unit_id__in=OrgUnit.objects.filter(path__startswith=value.path).values("pk"))
