"""The API's filter backend (issue #13): django-filter's `DjangoFilterBackend` with its fixed cost taken out.

On every list request django-filter builds, before it filters anything: for a view with `filterset_fields`, a
new `FilterSet` class (the metaclass walks the model's fields and creates a filter per field); then a FilterSet
instance (a deep copy of every filter), a form class, the form (another deep copy of its fields) and its
validation. For a list requested without any filter parameter all of that yields `queryset.all()`: a filter
given no value filters nothing. `FilterBackend`

- builds each view's automatic FilterSet class once (per view class, model and `filterset_fields`) instead of
  once per request, and
- skips the FilterSet when the request names none of its parameters and the FilterSet is a plain one, so the
  skip cannot change the answer: the FilterSet class and its form are django-filter's own (no `__init__`,
  `qs`, `filter_queryset`, `is_valid`, `errors`, `form` or form class of its own), and every filter is one of
  django-filter's stock filters (whose `filter` returns the queryset untouched for the empty value an absent
  parameter cleans to; `method=` filters too) and not `required`. Any query parameter that starts with a
  filter's name (`date_after`, `unit_0` of multi-value widgets included) means the FilterSet runs as before.

A view picks it up from `REST_FRAMEWORK["DEFAULT_FILTER_BACKENDS"]`; a view that lists its backends names
`asn_portal.filters.FilterBackend` instead of `DjangoFilterBackend`."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django_filters import filterset as django_filterset
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.rest_framework import FilterSet as RestFilterSet
from django_filters.rest_framework import filters as rest_filters

# django-filter's filters whose `filter(qs, value)` returns `qs` itself for the value an absent parameter cleans
# to ("", None, [], an empty queryset): exact types only, a subclass may filter differently.
_STOCK_FILTERS: frozenset[type[Any]] = frozenset(
    {
        django_filters.Filter,
        django_filters.CharFilter,
        django_filters.BooleanFilter,
        django_filters.ChoiceFilter,
        django_filters.TypedChoiceFilter,
        django_filters.UUIDFilter,
        django_filters.MultipleChoiceFilter,
        django_filters.TypedMultipleChoiceFilter,
        django_filters.DateFilter,
        django_filters.DateTimeFilter,
        django_filters.IsoDateTimeFilter,
        django_filters.TimeFilter,
        django_filters.DurationFilter,
        django_filters.ModelChoiceFilter,
        django_filters.ModelMultipleChoiceFilter,
        django_filters.NumberFilter,
        django_filters.RangeFilter,
        django_filters.DateFromToRangeFilter,
        django_filters.DateTimeFromToRangeFilter,
        django_filters.IsoDateTimeFromToRangeFilter,
        django_filters.TimeRangeFilter,
        django_filters.OrderingFilter,
        rest_filters.BooleanFilter,
    }
)
# What a FilterSet runs per request; a FilterSet that defines any of them itself is never skipped.
_REQUEST_HOOKS = ("__init__", "is_valid", "errors", "qs", "filter_queryset", "form", "get_form_class")


def _is_plain(filterset_class: type[Any]) -> bool:
    for name in _REQUEST_HOOKS:
        ours = getattr(filterset_class, name)
        if ours is not getattr(django_filterset.BaseFilterSet, name) and ours is not getattr(RestFilterSet, name):
            return False
    if filterset_class._meta.form is not forms.Form:
        return False
    return all(type(f) in _STOCK_FILTERS and not f.extra.get("required") for f in filterset_class.base_filters.values())


class FilterBackend(DjangoFilterBackend):
    """`DjangoFilterBackend` without its per-request class building, and without a FilterSet at all for a
    request that names none of a plain FilterSet's parameters (see the module)."""

    _auto_classes: dict[tuple[Any, ...], type[Any]] = {}
    _plain: dict[type[Any], tuple[str, ...] | None] = {}

    def get_filterset_class(self, view: Any, queryset: QuerySet[Any] | None = None) -> Any:
        filterset_fields = getattr(view, "filterset_fields", None)
        if getattr(view, "filterset_class", None) or not filterset_fields or queryset is None:
            return super().get_filterset_class(view, queryset)
        key = (type(view), queryset.model, self.filterset_base, repr(filterset_fields))
        cached = self._auto_classes.get(key)
        if cached is None:
            cached = self._auto_classes[key] = super().get_filterset_class(view, queryset)
        return cached

    def _skippable_names(self, filterset_class: type[Any]) -> tuple[str, ...] | None:
        """The parameter names of a plain FilterSet (None when it is not plain), decided once per class."""
        try:
            return self._plain[filterset_class]
        except KeyError:
            names = tuple(filterset_class.base_filters) if _is_plain(filterset_class) else None
            self._plain[filterset_class] = names
            return names

    def filter_queryset(self, request: Any, queryset: QuerySet[Any], view: Any) -> QuerySet[Any]:
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None:
            return queryset
        names = self._skippable_names(filterset_class)
        if names is not None and not any(key.startswith(names) for key in request.query_params):
            return queryset  # what the FilterSet would answer: nothing to filter by
        return super().filter_queryset(request, queryset, view)  # type: ignore[no-any-return]
