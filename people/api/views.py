"""People API: agencies, units, positions, ranks and employees, scoped exactly like the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from asn_portal import registry
from asn_portal.filters import FilterBackend as DjangoFilterBackend
from asn_portal.pagination import FALLBACK_ORDERING, KeysetPagination

from .. import selectors, services
from ..access import admin_agency_q, agency_for, agency_q, is_hr_admin, scope_for, unit_q
from ..access_log import AccessLoggedMixin
from ..choices import AccessPart
from ..filters import EmployeeFilterSet, trigram_name_search
from ..models import Agency, Employee, OrgUnit, PositionHistory, Rank, RankHistory
from .serializers import (
    POSITION_ROW_FIELDS,
    UNIT_ROW_FIELDS,
    AgencySerializer,
    EmployeeDetailSerializer,
    EmployeeRowSerializer,
    EmployeeWriteSerializer,
    PositionSerializer,
    RankSerializer,
    UnitSerializer,
)


class MeView(APIView):
    """The signed-in user: roles and linked employee."""

    @extend_schema(
        responses=inline_serializer(
            "Me",
            {
                "username": serializers.CharField(),
                "roles": serializers.ListField(child=serializers.CharField()),
                "employee_id": serializers.IntegerField(allow_null=True),
                "agency_id": serializers.IntegerField(allow_null=True),
            },
        )
    )
    def get(self, request: Request) -> Response:
        scope = scope_for(request.user)
        data: dict[str, Any] = {
            "username": request.user.get_username(),
            "roles": sorted(registry.roles_of(request.user)),
            "employee_id": scope.employee_id,
            "agency_id": scope.agency_id,
        }
        return Response(data)


class AgencyViewSet(viewsets.ReadOnlyModelViewSet[Agency]):
    """Agencies the user belongs to or administers."""

    serializer_class = AgencySerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Agency]:
        scope = scope_for(self.request.user)
        qs = Agency.objects.all() if scope.everything else Agency.objects.filter(pk__in=scope.agency_ids)
        return qs.order_by("name")


class _FilterOnlyWhenAsked:
    """`filterset_fields` applied only when the request names one of them: without, the FilterSet would filter
    nothing, and building it (a form and a deep copy of its fields) was a third of a short list's cost."""

    filterset_fields: list[str]
    request: Any

    def filter_names(self) -> list[str]:
        return self.filterset_fields

    def filter_queryset(self, queryset: Any) -> Any:
        params = self.request.query_params
        if not any(name in params for name in self.filter_names()):
            return queryset
        return super().filter_queryset(queryset)  # type: ignore[misc]


class UnitViewSet(_FilterOnlyWhenAsked, viewsets.ReadOnlyModelViewSet[OrgUnit]):
    """Units the user may see in detail (admins: their agency; heads: their subtrees), as on the org chart."""

    serializer_class = UnitSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["agency", "parent", "kind", "is_active"]

    def get_queryset(self) -> QuerySet[OrgUnit]:
        qs = OrgUnit.objects.filter(unit_q(self.request.user)).order_by("path")
        # the list: plain rows written directly by the serializer (no model instance per unit, issue #13)
        return qs.values(*UNIT_ROW_FIELDS) if self.action == "list" else qs  # type: ignore[return-value]


class PositionViewSet(_FilterOnlyWhenAsked, viewsets.ReadOnlyModelViewSet[Any]):
    """The position catalogue of the user's agencies."""

    serializer_class = PositionSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["agency", "unit", "kind", "is_key", "is_active"]

    def get_queryset(self) -> QuerySet[Any]:
        from ..models import Position

        qs = Position.objects.filter(agency_q(self.request.user)).order_by("unit__path", "title")
        return qs.values(*POSITION_ROW_FIELDS) if self.action == "list" else qs  # the list: plain rows (as units)


class RankViewSet(viewsets.ReadOnlyModelViewSet[Rank]):
    """The rank ladder (PNS golongan/ruang and PPPK grades)."""

    serializer_class = RankSerializer
    queryset = Rank.objects.all()
    pagination_class = None
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["scheme"]


class EmployeeKeysetPagination(KeysetPagination):
    """`KeysetPagination` for the employees list. A list ordered by rank (`?ordering=rank`, a rank may be NULL)
    falls back to newest first (`-pk`); narrowed by a name fragment (`?q=`, three characters or more), its rows are
    then sorted by `id + 0`: the same order (ids are unique), but not one PostgreSQL can read off the primary key,
    so it looks the fragment's matches up in the trigram index and sorts them, instead of walking the agency's
    employees newest first until a page of matches turns up (with ?q=siregar as a BKD admin: ~26,000 rows, 27-80
    ms, against 3-20 ms). The cursor and its `id < x` condition are unchanged."""

    def _start(self, queryset: Any, request: Request) -> tuple[QuerySet[Any], int, list[str] | None]:
        queryset, size, after = super()._start(queryset, request)
        if self.ordering == FALLBACK_ORDERING and trigram_name_search(request.query_params.get("q")):
            queryset = queryset.order_by((F("pk") + 0).desc())
        return queryset, size, after


class EmployeeViewSet(
    _FilterOnlyWhenAsked,
    AccessLoggedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Employee],
):
    """Employees the user may see, filtered like the directory; BKD admins create/update through the same
    service as the pages (NIP validation: errors refuse, warnings are returned in `warnings`). The list is
    keyset-paginated `values()` rows (flat, no histories); the detail carries the histories."""

    filter_backends = [DjangoFilterBackend]
    filterset_class = EmployeeFilterSet
    pagination_class = EmployeeKeysetPagination  # grows with the workforce: no COUNT, no OFFSET
    access_part = AccessPart.PROFILE
    access_list_part = AccessPart.DIRECTORY
    access_subject = ""

    def filter_names(self) -> list[str]:
        return list(EmployeeFilterSet.base_filters)

    def get_queryset(self) -> QuerySet[Employee]:
        user = self.request.user
        if self.action == "list":
            return selectors.employee_rows_visible_to(user=user)  # type: ignore[return-value]
        return (
            selectors.employee_list_visible_to(user=user)
            .prefetch_related(
                Prefetch("position_history", queryset=PositionHistory.objects.order_by("-start_date", "-pk")),
                Prefetch("rank_history", queryset=RankHistory.objects.select_related("rank").order_by("-start_date")),
            )
            .order_by("pk")
        )

    def get_object(self) -> Employee:
        """The detail (a plain GET, no filters) from precompiled statements (people.employee_rows): the same employee,
        relations and histories as the queryset below gives, under the same `employee_q` rule (else 404)."""
        lookup = str(self.kwargs.get(self.lookup_url_kwarg or self.lookup_field, ""))
        if self.action != "retrieve" or self.request.GET or not lookup.isdecimal() or len(lookup) > 18:
            return super().get_object()  # type: ignore[no-any-return]
        emp = selectors.employee_with_histories(user=self.request.user, pk=int(lookup))
        self.check_object_permissions(self.request, emp)
        self._record([emp], self.access_part)
        return emp

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        if self.action == "list":
            return EmployeeRowSerializer
        if self.action in ("create", "update", "partial_update"):
            return EmployeeWriteSerializer
        return EmployeeDetailSerializer

    def _write_serializer(self, partial: bool = False) -> EmployeeWriteSerializer:
        """Input serializer whose choices are limited to what the user administers (others are "invalid pk")."""
        from ..models import Position

        user = self.request.user
        ser = EmployeeWriteSerializer(data=self.request.data, partial=partial)
        fields: Any = ser.fields
        fields["agency"].queryset = (
            Agency.objects.all()
            if scope_for(user).everything
            else Agency.objects.filter(pk__in=scope_for(user).admin_agency_ids)
        )
        fields["unit"].queryset = OrgUnit.objects.filter(admin_agency_q(user))
        fields["position"].queryset = Position.objects.filter(admin_agency_q(user))
        return ser

    def _detail(self, employee: Employee, warnings: list[str], code: int) -> Response:
        employee = self.get_queryset().get(pk=employee.pk)
        employee._warnings = warnings  # type: ignore[attr-defined]
        return Response(EmployeeDetailSerializer(employee, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=EmployeeWriteSerializer, responses={201: EmployeeDetailSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not is_hr_admin(request.user):
            raise PermissionDenied
        # `?agency=` or "agency" in the body, else the admin's own agency; another agency is a 404.
        agency = agency_for(request)
        ser = self._write_serializer()
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        data.pop("agency", None)
        employee, warnings = services.employee_create(agency=agency, data=data, actor=request.user)
        return self._detail(employee, warnings, status.HTTP_201_CREATED)

    @extend_schema(request=EmployeeWriteSerializer, responses={200: EmployeeDetailSerializer})
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        employee = self.get_object()  # 404 outside the user's scope
        if not is_hr_admin(request.user, employee.agency_id):
            raise PermissionDenied
        partial = kwargs.get("partial", False)
        ser = self._write_serializer(partial=partial)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        data.pop("agency", None)
        employee, warnings = services.employee_update(employee=employee, data=data, actor=request.user)
        return self._detail(employee, warnings, status.HTTP_200_OK)
