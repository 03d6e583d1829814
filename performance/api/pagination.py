"""Keyset pages of a list whose access rule is an OR of conditions, each with an index of its own (issue #13)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from rest_framework.request import Request

from asn_portal.pagination import KeysetPagination, _after, _value


class PartsKeysetPagination(KeysetPagination):
    """`KeysetPagination` for a view that names the ORed parts of its access rule (`view.keyset_parts`, a list
    of Q, each with the list's filters; None or one part: the plain keyset page). Each part's next page is read
    on its own index (`WHERE part AND after cursor ORDER BY … LIMIT n+1`), the parts' ids are merged (UNION)
    and the page is the first n+1 of them in the list's order: one query however many parts, each part reading
    at most n+1 index entries, where the ORed rule made PostgreSQL walk every agency's rows in list order and
    test each one. The rows are those of the view's queryset (it still carries the whole rule), in its order."""

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> list[Any]:
        parts: list[Q] | None = getattr(view, "keyset_parts", None)
        if not parts or len(parts) < 2:
            return super().paginate_queryset(queryset, request, view)
        queryset, size, after = self._start(queryset, request)
        precompiled = getattr(view, "keyset_first_page", None)
        rows = precompiled(size) if precompiled is not None and after is None else None
        if rows is None:
            rows = list(self.page_queryset(queryset, parts, size, after))
        last = rows[size - 1] if len(rows) > size else None
        self.next_values = None if last is None else [str(_value(last, f.lstrip("-"))) for f in self.ordering]
        return rows[:size]

    def page_queryset(self, queryset: QuerySet[Any], parts: list[Q], size: int, after: list[str] | None) -> Any:
        """The page's rows (and one more) of `queryset` (in its keyset order, `self.ordering`): each part from the
        bare table (the list's joins and columns are the outer query's), in the list order, merged."""
        base = queryset.model._default_manager.order_by(*self.ordering)
        if after is not None:
            base = base.filter(_after(self.ordering, after))
        pages: list[QuerySet[Any]] = [base.filter(part).values("pk")[: size + 1] for part in parts]
        ids = pages[0].union(*pages[1:])
        return queryset.filter(pk__in=ids)[: size + 1]
