"""Training API: the same selectors and services as the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpResponseBase
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import filters, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from asn_portal.errors import ApplicationError
from asn_portal.idempotency import key_from_request
from asn_portal.pagination import KeysetPagination
from asn_portal.uploads import AnyAcceptNegotiation, serve_private_file
from competencies.filters import QueryFilterBackend
from people.access import admin_agency_q, agency_for, is_hr_admin, scope_for
from people.access_log import AccessLoggedMixin
from people.choices import AccessPart
from people.selectors import current_employee, employee_get_visible, employee_get_visible_by_id
from training.catalogue import selectors as catalogue_selectors
from training.catalogue import services as catalogue_services
from training.enrolment import selectors as enrolment_selectors
from training.enrolment import services as enrolment_services
from training.external import services as external_services
from training.ledger import selectors as ledger_selectors
from training.needs import selectors as needs_selectors
from training.questionnaires import services as questionnaires_services

from ..filters import CourseFilter, EnrollmentFilter, OfferingFilter
from ..models import (
    Course,
    CourseOffering,
    Enrollment,
    LearningRecord,
    Question,
    QuestionnaireResponse,
)
from . import rows
from .serializers import (
    AnswerSubmitSerializer,
    CourseSerializer,
    EnrollmentCreateSerializer,
    EnrollmentSerializer,
    ExternalLearningSerializer,
    LearningRecordSerializer,
    OfferingSerializer,
    OfferingStatusSerializer,
    QuestionnaireSerializer,
    RecommendedCourseSerializer,
    TransitionSerializer,
    VerifySerializer,
)

# django-filter only when the request names one of the FilterSet's filters (an unfiltered list builds no
# FilterSet and form), then DRF's ordering.
FILTER_BACKENDS = [QueryFilterBackend, filters.OrderingFilter]


def _require_catalogue_admin(request: Request) -> None:
    if not is_hr_admin(request.user):
        raise PermissionDenied()


class CatalogueWritesMixin:
    """Create and partial update of catalogue rows through the app's services (serializers check shapes
    only): `write_services` = (create service, update service, scoped admin fetch, the update's keyword)."""

    write_services: tuple[Any, Any, Any, str]

    def _detail(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        view: Any = self
        return Response(view.get_serializer(view.get_queryset().get(pk=pk)).data, status=code)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        create_service = self.write_services[0]
        _require_catalogue_admin(request)
        agency = agency_for(request)
        ser = self.get_serializer(data=request.data)  # type: ignore[attr-defined]
        ser.is_valid(raise_exception=True)
        obj = create_service(actor=request.user, agency=agency, data=ser.validated_data)
        return self._detail(obj.pk, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        _create, update_service, admin_get, noun = self.write_services
        _require_catalogue_admin(request)
        obj = admin_get(user=request.user, pk=kwargs.get("pk"))
        ser = self.get_serializer(obj, data=request.data, partial=True)  # type: ignore[attr-defined]
        ser.is_valid(raise_exception=True)
        update_service(actor=request.user, data=ser.validated_data, **{noun: obj})
        return self._detail(obj.pk)


class ValuesListMixin:
    """A list read as `values()` dicts of `row_columns` (through the viewset's scoped queryset, filters and keyset
    cursor) and written straight into the serializer's JSON by `build_rows` (`training.api.rows`): no model
    instance and no serializer walk per row (issue #13). Detail, create and update still use the serializer."""

    row_columns: tuple[str, ...]

    def build_rows(self, values: list[dict[str, Any]]) -> list[dict[str, Any]]:
        raise NotImplementedError

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        view: Any = self
        page = view.paginate_queryset(rows.row_values(view.filter_queryset(view.get_queryset()), self.row_columns))
        return view.get_paginated_response(self.build_rows(page))  # type: ignore[no-any-return]


class ValuesAccessLoggedMixin(AccessLoggedMixin):
    """`AccessLoggedMixin` for a list of `values()` dicts: each row's subject is its `employee_id`."""

    def access_subjects_of(self, obj: Any) -> list[Any]:
        if isinstance(obj, dict):
            return [obj["employee_id"]]
        return super().access_subjects_of(obj)


class CourseViewSet(ValuesListMixin, CatalogueWritesMixin, viewsets.ModelViewSet):
    """The catalogue: everyone reads their agency's courses; BKD admins create and edit (through the same
    services as the pages: `course_create`, `course_update`). `?agency=` picks the agency a superuser or a
    multi-agency admin adds the course to."""

    filter_backends = FILTER_BACKENDS
    serializer_class = CourseSerializer
    filterset_class = CourseFilter
    ordering_fields = ["title", "jp"]
    pagination_class = KeysetPagination  # no COUNT, no OFFSET: `{"next", "results"}`
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Course]:
        if self.action == "list":  # a row shows no next open date; its competencies are read for the page
            return catalogue_selectors.course_rows_visible_to(user=self.request.user).order_by("title", "pk")
        return catalogue_selectors.course_list_visible_to(user=self.request.user).order_by("title", "pk")

    row_columns = rows.COURSE_COLUMNS

    def build_rows(self, values: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return rows.course_rows(values)

    # One write path: the admin's agency, the service and the scoped fetch for edits.
    write_services = (
        catalogue_services.course_create,
        catalogue_services.course_update,
        catalogue_selectors.course_admin_get,
        "course",
    )


class OfferingViewSet(ValuesListMixin, CatalogueWritesMixin, viewsets.ModelViewSet):
    """Offerings (angkatan): BKD admins create and edit them through `offering_create` / `offering_update`
    and move them along their life cycle with POST /offerings/{id}/status/ (`offering_set_status`)."""

    filter_backends = FILTER_BACKENDS
    serializer_class = OfferingSerializer
    filterset_class = OfferingFilter
    ordering_fields = ["start_date", "enrol_close"]
    pagination_class = KeysetPagination  # no COUNT, no OFFSET: `{"next", "results"}`
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[CourseOffering]:
        return catalogue_selectors.offering_list_visible_to(user=self.request.user).order_by("start_date", "pk")

    row_columns = rows.OFFERING_COLUMNS

    def build_rows(self, values: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return rows.offering_rows(values)

    write_services = (
        catalogue_services.offering_create,
        catalogue_services.offering_update,
        catalogue_selectors.offering_admin_get,
        "offering",
    )

    @extend_schema(request=OfferingStatusSerializer, responses=OfferingSerializer)
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request: Request, pk: str | None = None) -> Response:
        _require_catalogue_admin(request)
        offering = catalogue_selectors.offering_admin_get(user=request.user, pk=pk)
        body = OfferingStatusSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        catalogue_services.offering_set_status(
            offering=offering,
            status=body.validated_data["status"],
            reason=body.validated_data["reason"],
            actor=request.user,
        )
        return self._detail(offering.pk)


class EnrollmentViewSet(
    ValuesListMixin, ValuesAccessLoggedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Enrolments the user may see; POST enrols (self, a team member, or anyone by BKD); transitions
    are POST /enrollments/{id}/{approve|decline|cancel|attend|no-show|complete|fail}/."""

    filter_backends = FILTER_BACKENDS
    serializer_class = EnrollmentSerializer
    access_part = AccessPart.TRAINING
    filterset_class = EnrollmentFilter
    pagination_class = KeysetPagination  # grows with the workforce: no COUNT, no OFFSET

    row_columns = rows.ENROLLMENT_COLUMNS

    def get_queryset(self) -> QuerySet[Enrollment]:
        return enrolment_selectors.enrollment_list_visible_to(user=self.request.user).order_by("-created_at", "pk")

    def build_rows(self, values: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return rows.enrollment_rows(values)

    def create(self, request: Request) -> Response:
        data = EnrollmentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        offering = catalogue_selectors.offering_get_visible(user=request.user, pk=data.validated_data["offering"])
        emp_id = data.validated_data.get("employee")
        me = current_employee(request.user)
        if emp_id and (me is None or emp_id != me.pk):
            employee = employee_get_visible(user=request.user, pk=emp_id)
            nominated_by = me
        else:
            if me is None:
                raise ApplicationError("Akun Anda tidak terhubung dengan data pegawai.")
            employee, nominated_by = me, None
        enrollment = enrolment_services.enrollment_request(
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
        enrolment_services.TRANSITION_SERVICES[name](enrollment=enrollment, actor=request.user, **kwargs)
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


class LearningRecordViewSet(
    ValuesListMixin, ValuesAccessLoggedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The JP ledger the user may see; POST records external learning for BKD to verify."""

    filter_backends = FILTER_BACKENDS
    serializer_class = LearningRecordSerializer
    access_part = AccessPart.TRAINING
    filterset_fields = ["employee", "year", "status", "kind"]
    pagination_class = KeysetPagination  # grows with the workforce: no COUNT, no OFFSET

    row_columns = rows.LEARNING_RECORD_COLUMNS

    def get_queryset(self) -> QuerySet[LearningRecord]:
        return ledger_selectors.learning_record_list_visible_to(user=self.request.user).order_by("-date", "-pk")

    def build_rows(self, values: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return rows.learning_record_rows(values, self.request)

    def create(self, request: Request) -> Response:
        body = ExternalLearningSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        me = current_employee(request.user)
        if me is None:
            raise ApplicationError("Akun Anda tidak terhubung dengan data pegawai.")
        d = body.validated_data
        record, created = external_services.external_learning_record_once(  # Idempotency-Key: a retry once
            employee=me, data=d, actor=request.user, key=key_from_request(request)
        )
        return Response(
            LearningRecordSerializer(record, context={"request": request}).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], content_negotiation_class=AnyAcceptNegotiation)
    def certificate(self, request: Request, pk: str | None = None) -> HttpResponseBase:
        """The certificate file of a record the user may see (PDF/image inline, otherwise an attachment)."""
        record = self.get_object()
        return serve_private_file(request, record.certificate_file, record.certificate_name)

    @action(detail=True, methods=["post"])
    def verify(self, request: Request, pk: str | None = None) -> Response:
        record = self.get_object()
        body = VerifySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        external_services.learning_verify(
            record=record,
            approve=body.validated_data["approve"],
            reason=body.validated_data["reason"],
            actor=request.user,
        )
        return Response(LearningRecordSerializer(record, context={"request": request}).data)


class QuestionnaireViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Questionnaires issued to the user (BKD: their agency's); POST .../answer/ submits once."""

    filter_backends = FILTER_BACKENDS
    serializer_class = QuestionnaireSerializer
    filterset_fields = ["kind", "respondent_role", "offering"]
    pagination_class = KeysetPagination  # grows with the workforce: no COUNT, no OFFSET

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
        questionnaires_services.questionnaire_answer(
            response=response, answers=body.validated_data["answers"], actor=request.user
        )
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
        employee = employee_get_visible_by_id(user=request.user, pk=pk)
        position = request.query_params.get("position")
        if position and not position.isdecimal():
            raise ApplicationError("Parameter position harus berupa id jabatan.", {"field": "position"})
        # Serialised once per language and per state of the ranking's inputs (which cover every value shown).
        data = needs_selectors.recommended_courses_rendered(
            employee=employee,
            position=int(position) if position else None,
            name="api",
            render=lambda courses: RecommendedCourseSerializer(courses, many=True).data,
        )
        return Response({"employee": employee.pk, "results": data})


@extend_schema(responses={200: OpenApiTypes.OBJECT})
class EmployeeJpSummaryView(APIView):
    """GET /api/v1/employees/{id}/jp-summary/?year=: JP this year against the 20 JP target."""

    def get(self, request: Request, pk: int) -> Response:
        employee = employee_get_visible(user=request.user, pk=pk)
        raw = request.query_params.get("year") or str(timezone.localdate().year)
        if not raw.isdecimal() or not 2000 <= int(raw) <= 2100:
            raise ApplicationError("Tahun tidak valid.", {"field": "year"})
        return Response(ledger_selectors.jp_summary(employee=employee, year=int(raw)))
