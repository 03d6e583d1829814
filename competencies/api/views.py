"""Competency API: dictionary, position standards, assessments and an employee's profile; scoped exactly
like the pages and writing through the same services."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from asn_portal.pagination import KeysetPagination
from competencies import services
from competencies.standards import services as standard_services
from people.access import admin_agency_q, agency_for, is_hr_admin
from people.access_log import AccessLoggedMixin
from people.choices import AccessPart
from people.models import Employee
from people.selectors import employee_get_visible

from .. import selectors
from ..filters import AssessmentFilterSet, CompetencyFilterSet, QueryFilterBackend, RequirementFilterSet
from ..models import Competency, CompetencyAssessment, CompetencyRequirement
from .serializers import (
    AssessmentCreateSerializer,
    AssessmentListSerializer,
    AssessmentSerializer,
    CompetencySerializer,
    ProfileSerializer,
    RequirementSerializer,
)


class CompetencyViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Competency],
):
    """The dictionary: national managerial/socio-cultural competencies and the agency's technical ones.
    BKD admins create and update their agency's technical competencies."""

    serializer_class = CompetencySerializer
    filter_backends = [QueryFilterBackend]
    filterset_class = CompetencyFilterSet

    def get_queryset(self) -> QuerySet[Competency]:
        return selectors.competency_list_visible_to(user=self.request.user).order_by("agency_id", "order", "name")

    def perform_create(self, serializer: Any) -> None:
        if not is_hr_admin(self.request.user):
            raise PermissionDenied
        agency = agency_for(self.request)  # `?agency=`; another agency is a 404
        serializer.instance = services.competency_create(
            actor=self.request.user, agency=agency, data=serializer.validated_data
        )

    def perform_update(self, serializer: Any) -> None:
        obj = serializer.instance
        if obj.agency_id is not None and not is_hr_admin(self.request.user, obj.agency_id):
            raise PermissionDenied
        serializer.instance = services.competency_update(
            actor=self.request.user, competency=obj, data=serializer.validated_data
        )


class RequirementViewSet(viewsets.ModelViewSet[CompetencyRequirement]):
    """Position standards (standar kompetensi jabatan). Writes are per-position overrides and refresh the
    holders' JPM."""

    serializer_class = RequirementSerializer
    filter_backends = [QueryFilterBackend]
    filterset_class = RequirementFilterSet
    # a standard per post and competency: 24,000 rows at 50,000 employees, so no COUNT, no OFFSET
    pagination_class = KeysetPagination

    def get_queryset(self) -> QuerySet[CompetencyRequirement]:
        return (
            selectors.requirement_list_visible_to(user=self.request.user)
            .select_related(None)
            .select_related("competency")  # the row names the competency; the post is its id
            .order_by("position_id", "competency__order", "pk")
        )

    def _position(self, position_id: int) -> Any:
        return selectors.position_get_admin(user=self.request.user, pk=position_id)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        position = self._position(ser.validated_data["position"].pk)
        cid = ser.validated_data["competency"].pk
        standard_services.requirement_set(
            position=position, levels={cid: int(ser.validated_data["level"])}, actor=request.user
        )
        obj = self.get_queryset().get(position=position, competency_id=cid)
        return Response(self.get_serializer(obj).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        obj = self.get_object()
        position = self._position(obj.position_id)
        ser = self.get_serializer(obj, data=request.data, partial=kwargs.get("partial", False))
        ser.is_valid(raise_exception=True)
        level = int(ser.validated_data.get("level", obj.level))
        standard_services.requirement_set(position=position, levels={obj.competency_id: level}, actor=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=obj.pk)).data)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        obj = self.get_object()
        position = self._position(obj.position_id)
        standard_services.requirement_set(position=position, levels={obj.competency_id: None}, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


_LIST_ROW_FIELDS = (
    "id",
    "employee",
    "employee__nip",
    "employee__name",
    "assessed_on",
    "purpose",
    "method",
    "assessor",
    "valid_until",
    "notes",
    "created_at",
)


class AssessmentViewSet(
    AccessLoggedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[Any],
):
    """Assessments of the employees the user may see; BKD admins record new ones (levels 1–5, not in the
    future, competencies of the employee's agency or national)."""

    serializer_class = AssessmentSerializer
    access_part = AccessPart.COMPETENCY
    filter_backends = [QueryFilterBackend]
    filterset_class = AssessmentFilterSet
    pagination_class = KeysetPagination  # grows with the workforce: no COUNT, no OFFSET

    def _expand_results(self) -> bool:
        return self.action != "list" or "results" in self.request.query_params.get("expand", "").split(",")

    def get_queryset(self) -> QuerySet[CompetencyAssessment]:
        qs = selectors.assessment_list_visible_to(user=self.request.user).order_by("-assessed_on", "-pk")
        if self._expand_results():
            return qs.prefetch_related("results__competency")
        # a lean list row: no results, no unit, and only the columns the row shows (the employee's nip and name)
        return qs.select_related(None).select_related("employee").only(*_LIST_ROW_FIELDS)

    def get_serializer_class(self) -> type[Any]:
        if self.action == "list" and not self._expand_results():
            return AssessmentListSerializer
        return AssessmentSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("expand", str, description="`results`: sertakan hasil per kompetensi di setiap baris")
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=AssessmentCreateSerializer, responses=AssessmentSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        ser = AssessmentCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = ser.validated_data
        employee = (
            Employee.objects.filter(admin_agency_q(request.user), pk=data["employee"]).select_related("user").first()
        )
        if employee is None:
            # Invisible or not administered: indistinguishable from missing.
            from django.http import Http404

            raise Http404
        a = services.assessment_record(
            employee=employee,
            assessed_on=data["assessed_on"],
            purpose=data["purpose"],
            method=data["method"],
            assessor=data["assessor"],
            notes=data["notes"],
            levels={r["competency"]: r["level"] for r in data["results"]},
            evidence={r["competency"]: r["evidence"] for r in data["results"]},
            actor=request.user,
        )
        obj = self.get_queryset().get(pk=a.pk)
        return Response(AssessmentSerializer(obj).data, status=status.HTTP_201_CREATED)


class EmployeeProfileView(APIView):
    """Current levels, the post's standard, gaps, JPM and both categories for an employee's current post
    or, with ?position=, another post (what-if)."""

    @extend_schema(
        parameters=[OpenApiParameter("position", int, description="id jabatan lain (simulasi)")],
        responses=ProfileSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        employee = employee_get_visible(user=request.user, pk=pk)
        position = None
        pos = request.query_params.get("position")
        if pos:
            if not pos.isdecimal():
                from asn_portal.errors import ApplicationError

                raise ApplicationError("Parameter position harus berupa id jabatan.", {"field": "position"})
            position = selectors.position_get_visible(user=request.user, pk=int(pos))
        profile = selectors.profile_for(employee, position)
        return Response(ProfileSerializer(profile).data)
