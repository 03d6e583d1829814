"""Bench-only baselines (mounted only when settings.BENCH_VIEWS is true): the cheapest honest page and JSON
list of 50 joined employee rows, so every real page can be compared with what Django itself costs."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import engines
from rest_framework import generics, serializers

from people.models import Employee

_TEMPLATE = engines["django"].from_string(
    '<!doctype html><html lang="id"><head><title>bare</title></head><body><table>'
    "{% for e in rows %}<tr><td>{{ e.nip }}</td><td>{{ e.name }}</td><td>{{ e.unit.name }}</td>"
    "<td>{{ e.position.title }}</td><td>{{ e.rank.code }}</td></tr>{% endfor %}</table></body></html>"
)


def _rows():  # type: ignore[no-untyped-def]
    return Employee.objects.select_related("unit", "position", "rank").order_by("name")[:50]


def bare_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_TEMPLATE.render({"rows": _rows()}))


def bare_json(request: HttpRequest) -> JsonResponse:
    rows = list(_rows().values("id", "nip", "name", "unit__name", "position__title", "rank__code"))
    return JsonResponse({"count": len(rows), "results": rows})


def shell_page(request: HttpRequest) -> HttpResponse:
    """A logged-in empty portal page: the base layout (menu, notifications, language selector) and nothing else,
    so `make bench` shows what the shell itself costs."""
    from django.shortcuts import render

    return render(request, "bench/shell.html", {})


class _EmptySerializer(serializers.ModelSerializer[Employee]):
    class Meta:
        model = Employee
        fields = ["id", "nip", "name"]


class EmptyApiList(generics.ListAPIView[Employee]):
    """The API's fixed cost: a DRF list with the project's defaults (authentication, permission, throttles,
    content negotiation, the filter backends, the paginator, the JSON renderer) over no rows, to compare with
    `/bench/bare.json` (`make bench-profile`, `bench/profile_shell.py --path /bench/empty.json`)."""

    serializer_class = _EmptySerializer
    filterset_fields = ["unit", "gender"]

    def get_queryset(self) -> QuerySet[Employee]:
        return Employee.objects.filter(pk__lt=0).order_by("pk")


empty_api_list = EmptyApiList.as_view()
