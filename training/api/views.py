"""Training API: the same selectors and services as the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from asn_portal.errors import ApplicationError
from people.access import admin_agency_q, is_hr_admin, scope_for
from people.selectors import current_employee, employee_get_visible

from .. import selectors, services
from ..filters import CourseFilter, EnrollmentFilter, OfferingFilter
from ..models import Course, CourseOffering, Enrollment, LearningRecord, Question, QuestionnaireResponse
from .serializers import (
    AnswerSubmitSerializer,
    CourseSerializer,
    EnrollmentCreateSerializer,
    EnrollmentSerializer,
    ExternalLearningSerializer,
    LearningRecordSerializer,
    OfferingSerializer,
    QuestionnaireSerializer,
    RecommendedCourseSerializer,
    TransitionSerializer,
    VerifySerializer,
    ensure_course_code_free,
)


def _admin_agency(request: Request) -> int:
    scope = scope_for(request.user)
    if scope.admin_agency_ids:
        return int(sorted(scope.admin_agency_ids)[0])
    emp = current_employee(request.user)
    if scope.everything and emp:
        return emp.agency_id
    raise PermissionDenied()


class CourseViewSet(viewsets.ModelViewSet):
    """The catalogue: everyone reads their agency's courses; BKD admins create and edit."""

    serializer_class = CourseSerializer
    filterset_class = CourseFilter
    ordering_fields = ["title", "jp"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Course]:
        return selectors.course_list_visible_to(user=self.request.user).order_by("title")

    def perform_create(self, serializer: Any) -> None:
        agency_id = _admin_agency(self.request)
        ensure_course_code_free(agency_id=agency_id, code=serializer.validated_data["code"])
        serializer.save(agency_id=agency_id)

    def perform_update(self, serializer: Any) -> None:
        if not is_hr_admin(self.request.user, serializer.instance.agency_id):
            raise PermissionDenied()
        if "code" in serializer.validated_data:
            ensure_course_code_free(
                agency_id=serializer.instance.agency_id,
                code=serializer.validated_data["code"],
                exclude_pk=serializer.instance.pk,
            )
        serializer.save()


class OfferingViewSet(viewsets.ModelViewSet):
    serializer_class = OfferingSerializer
    filterset_class = OfferingFilter
    ordering_fields = ["start_date", "enrol_close"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[CourseOffering]:
        return selectors.offering_list_visible_to(user=self.request.user).order_by("start_date", "pk")

    def perform_create(self, serializer: Any) -> None:
        agency_id = _admin_agency(self.request)
        if serializer.validated_data["course"].agency_id != agency_id:
            raise ApplicationError("Pelatihan bukan milik instansi Anda.", {"field": "course"})
        serializer.save(agency_id=agency_id)

    def perform_update(self, serializer: Any) -> None:
        if not is_hr_admin(self.request.user, serializer.instance.agency_id):
            raise PermissionDenied()
        cap = serializer.validated_data.get("capacity")
        if cap is not None and cap < serializer.instance.seats_taken:
            raise ApplicationError("Kuota tidak boleh di bawah jumlah peserta terdaftar.", {"field": "capacity"})
        serializer.save()


class EnrollmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Enrolments the user may see; POST enrols (self, a team member, or anyone by BKD); transitions
    are POST /enrollments/{id}/{approve|decline|cancel|attend|no-show|complete|fail}/."""

    serializer_class = EnrollmentSerializer
    filterset_class = EnrollmentFilter

    def get_queryset(self) -> QuerySet[Enrollment]:
        return selectors.enrollment_list_visible_to(user=self.request.user).order_by("-created_at", "pk")

    def create(self, request: Request) -> Response:
        data = EnrollmentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        offering = selectors.offering_get_visible(user=request.user, pk=data.validated_data["offering"])
        emp_id = data.validated_data.get("employee")
        me = current_employee(request.user)
        if emp_id and (me is None or emp_id != me.pk):
            employee = employee_get_visible(user=request.user, pk=emp_id)
            nominated_by = me
        else:
            if me is None:
                raise ApplicationError("Akun Anda tidak terhubung dengan data pegawai.")
            employee, nominated_by = me, None
        enrollment = services.enrollment_request(
            employee=employee, offering=offering, actor=request.user, nominated_by=nominated_by
        )
        return Response(EnrollmentSerializer(enrollment).data, status=status.HTTP_201_CREATED)

    def _transition(self, request: Request, name: str) -> Response:
        enrollment = self.get_object()
        body = TransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        kwargs: dict[str, Any] = {}
        if name in ("decline", "cancel", "fail"):
            kwargs["reason"] = body.validated_data["reason"]
        if name == "complete":
            kwargs.update(
                certificate_number=body.validated_data["certificate_number"],
                completed_on=body.validated_data["completed_on"],
                score=body.validated_data["score"],
            )
        services.TRANSITION_SERVICES[name](enrollment=enrollment, actor=request.user, **kwargs)
        return Response(EnrollmentSerializer(enrollment).data)

    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, "approve")

    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, "decline")

    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, "cancel")

    @action(detail=True, methods=["post"])
    def attend(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, "attend")

    @action(detail=True, methods=["post"], url_path="no-show")
    def no_show(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, "no-show")

    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, "complete")

    @action(detail=True, methods=["post"])
    def fail(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, "fail")


class LearningRecordViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The JP ledger the user may see; POST records external learning for BKD to verify."""

    serializer_class = LearningRecordSerializer
    filterset_fields = ["employee", "year", "status", "kind"]

    def get_queryset(self) -> QuerySet[LearningRecord]:
        return selectors.learning_record_list_visible_to(user=self.request.user).order_by("-date", "-pk")

    def create(self, request: Request) -> Response:
        body = ExternalLearningSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        me = current_employee(request.user)
        if me is None:
            raise ApplicationError("Akun Anda tidak terhubung dengan data pegawai.")
        d = body.validated_data
        record = services.external_learning_record(
            employee=me,
            title=d["title"],
            fmt=d["format"],
            provider=d["provider"],
            on_date=d["on_date"],
            hours=d.get("hours"),
            jp=d.get("jp"),
            certificate_number=d.get("certificate_number", ""),
            note=d.get("note", ""),
            actor=request.user,
        )
        return Response(LearningRecordSerializer(record).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def verify(self, request: Request, pk: str | None = None) -> Response:
        record = self.get_object()
        body = VerifySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.learning_verify(
            record=record,
            approve=body.validated_data["approve"],
            reason=body.validated_data["reason"],
            actor=request.user,
        )
        return Response(LearningRecordSerializer(record).data)


class QuestionnaireViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Questionnaires issued to the user (BKD: their agency's); POST .../answer/ submits once."""

    serializer_class = QuestionnaireSerializer
    filterset_fields = ["kind", "respondent_role", "offering"]

    def get_queryset(self) -> QuerySet[QuestionnaireResponse]:
        from django.db.models import Q

        scope = scope_for(self.request.user)
        q = Q(respondent_id=scope.employee_id) if scope.employee_id else Q(pk__in=[])
        q |= admin_agency_q(self.request.user, "enrollment__agency")
        return (
            QuestionnaireResponse.objects.filter(q)
            .select_related("template", "offering__course")
            .prefetch_related(Prefetch("template__questions", queryset=Question.objects.order_by("order")))
            .order_by("-issued_on", "-pk")
        )

    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: str | None = None) -> Response:
        response = self.get_object()
        body = AnswerSubmitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.questionnaire_answer(response=response, answers=body.validated_data["answers"], actor=request.user)
        response.refresh_from_db()
        return Response(QuestionnaireSerializer(response).data)


@extend_schema(
    responses={
        200: inline_serializer(
            "EmployeeRecommendations",
            {"employee": serializers.IntegerField(), "results": RecommendedCourseSerializer(many=True)},
        )
    }
)
class EmployeeRecommendationsView(APIView):
    """GET /api/v1/employees/{id}/recommendations/?position=: gap-closing courses."""

    def get(self, request: Request, pk: int) -> Response:
        employee = employee_get_visible(user=request.user, pk=pk)
        position = request.query_params.get("position")
        if position and not position.isdecimal():
            raise ApplicationError("Parameter position harus berupa id jabatan.", {"field": "position"})
        courses = selectors.recommended_courses(employee=employee, position=int(position) if position else None)
        return Response({"employee": employee.pk, "results": RecommendedCourseSerializer(courses, many=True).data})


@extend_schema(responses={200: OpenApiTypes.OBJECT})
class EmployeeJpSummaryView(APIView):
    """GET /api/v1/employees/{id}/jp-summary/?year=: JP this year against the 20 JP target."""

    def get(self, request: Request, pk: int) -> Response:
        employee = employee_get_visible(user=request.user, pk=pk)
        raw = request.query_params.get("year") or str(timezone.localdate().year)
        if not raw.isdecimal() or not 2000 <= int(raw) <= 2100:
            raise ApplicationError("Tahun tidak valid.", {"field": "year"})
        return Response(selectors.jp_summary(employee=employee, year=int(raw)))
