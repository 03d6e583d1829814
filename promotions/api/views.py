"""Promotions API: the same selectors and services as the pages."""

from __future__ import annotations

import builtins
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from asn_portal.filters import FilterBackend as DjangoFilterBackend
from asn_portal.pagination import KeysetPagination
from asn_portal.uploads import AnyAcceptNegotiation, serve_private_file
from people import access_log
from people.access import admin_agency_q, agency_for_request, is_hr_admin, requested_agency
from people.access_log import AccessLoggedMixin
from people.choices import AccessPart
from people.selectors import employee_get_visible, position_list_visible_to
from promotions.proposals import services as proposal_services
from promotions.vacancies import services as vacancy_services

from .. import selectors
from ..filters import ProposalFilter, QueueFilter
from ..models import (
    PositionVacancy,
    PromotionPeriod,
    PromotionProposal,
    ProposalBatch,
    ProposalDocument,
    QueueEntry,
)
from . import serializers as s


def _valid(serializer_class: Any, data: Any) -> dict[str, Any]:
    ser = serializer_class(data=data)
    ser.is_valid(raise_exception=True)
    return dict(ser.validated_data)


class PeriodViewSet(viewsets.ReadOnlyModelViewSet[PromotionPeriod]):
    """KP periods (Perban BKN 4/2023) with their submission windows."""

    serializer_class = s.PeriodSerializer
    queryset = PromotionPeriod.objects.order_by("period_date")


_QUEUE_FILTER_NAMES = tuple(QueueFilter.base_filters)
_FIRST_PAGE_PARAMS = {"period", "page_size"}  # no filter, no cursor: QueueViewSet._first_page


class QueueViewSet(AccessLoggedMixin, viewsets.ReadOnlyModelViewSet[QueueEntry]):
    """A period's KP queue (?period=<id>, default: the upcoming period), scoped to what the user may see."""

    serializer_class = s.QueueEntrySerializer
    access_part = AccessPart.PROMOTION
    pagination_class = KeysetPagination  # grows with the workforce: no COUNT, no OFFSET
    filter_backends = [DjangoFilterBackend]
    filterset_class = QueueFilter
    _period_read: PromotionPeriod | None  # set by _period()

    @extend_schema(parameters=[OpenApiParameter("period", int, description="ID periode")])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if set(request.query_params) <= _FIRST_PAGE_PARAMS and selectors.precompiled_scope(request.user) is not None:
            first = self._first_page(request)
            if first is not None:
                return first
        return self._list_rows(request)

    def _period(self) -> PromotionPeriod | None:
        """The period asked for (`?period=`: 400 if not a number, 404 if none), or the upcoming one; read once."""
        if "_period_read" not in self.__dict__:
            raw = self.request.query_params.get("period", "")
            if raw:
                if not raw.isdecimal():
                    raise ValidationError({"period": ["ID periode harus angka."]})
                self._period_read = selectors.period_get(int(raw))
            else:
                self._period_read = selectors.current_period()
        return self._period_read

    def get_queryset(self) -> QuerySet[QueueEntry]:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return QueueEntry.objects.none()
        period = self._period()
        if period is None:
            return QueueEntry.objects.none()
        return selectors.queue_visible_to(user=self.request.user, period=period)

    def _first_page(self, request: Request) -> Response | None:
        """The unfiltered first page of a one-agency BKD admin or a head (selectors.precompiled_scope) read by a
        statement compiled once: the rows `_list_rows` pages from the queryset, with the same next cursor."""
        period = self._period()
        paginator = self.paginator
        if period is None or not isinstance(paginator, KeysetPagination):
            return None
        size = paginator.page_size_for(request)
        rows = selectors.queue_first_rows(user=request.user, period=period, fields=s.QUEUE_ENTRY_VALUES, limit=size + 1)
        if rows is None:
            return None
        page = paginator.paginate_rows(rows, request, selectors.QUEUE_API_ORDERING)
        self._record(page, self.access_list_part or self.access_part)
        return paginator.get_paginated_response(s.queue_entry_rows(page, period))

    def access_subjects_of(self, obj: Any) -> builtins.list[Any]:
        return [obj["employee_id"]] if isinstance(obj, dict) else super().access_subjects_of(obj)

    def filter_queryset(self, queryset: Any) -> Any:
        # asn_portal.filters.FilterBackend never skips QueueFilter (its own __init__ only hands the unit picker the
        # user's units, read when a unit is chosen or drawn); with none of its parameters it filters nothing, so
        # the FilterSet, its form and their deep copies are skipped here by the backend's own rule.
        if not any(key.startswith(_QUEUE_FILTER_NAMES) for key in self.request.query_params):
            return queryset
        return super().filter_queryset(queryset)

    def _list_rows(self, request: Request) -> Response:
        """The list as `QueueEntrySerializer` writes it, from `values()` rows in one pass (s.queue_entry_rows: a
        test holds the two equal), without a model instance and 17 serializer fields per row."""
        rows = self.paginate_queryset(s.queue_entry_values(self.filter_queryset(self.get_queryset())))
        return self.get_paginated_response(s.queue_entry_rows(rows or [], self.__dict__.get("_period_read")))


class ProposalViewSet(AccessLoggedMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet[PromotionProposal]):
    """KP proposals with their transitions (verify, send, approve, reject), documents and the BKN export."""

    serializer_class = s.ProposalSerializer
    access_part = AccessPart.PROMOTION
    pagination_class = KeysetPagination  # grows with the workforce: no COUNT, no OFFSET
    filter_backends = [DjangoFilterBackend]
    filterset_class = ProposalFilter
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self) -> QuerySet[PromotionProposal]:
        return selectors.proposal_list_visible_to(user=self.request.user)

    def access_subjects_of(self, obj: Any) -> builtins.list[Any]:
        return [obj["employee_id"]] if isinstance(obj, dict) else super().access_subjects_of(obj)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The list as `ProposalSerializer` writes it, from `values()` rows in one pass (s.proposal_rows: a test
        holds the two equal), without a model instance with five related ones and a serializer per row."""
        rows = self.paginate_queryset(s.proposal_values(self.filter_queryset(self.get_queryset())))
        return self.get_paginated_response(s.proposal_rows(rows or []))

    @extend_schema(request=s.ProposalCreateSerializer, responses=s.ProposalSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = _valid(s.ProposalCreateSerializer, request.data)
        employee = employee_get_visible(user=request.user, pk=data["employee"])
        period = get_object_or_404(PromotionPeriod, pk=data["period"])
        proposal = proposal_services.proposal_create(
            employee=employee,
            period=period,
            actor=request.user,
            override_reason=data["override_reason"],
            late_reason=data["late_reason"],
        )
        return Response(s.ProposalSerializer(proposal).data, status=201)

    def _respond(self, proposal: PromotionProposal) -> Response:
        fresh = selectors.proposal_get_visible(user=self.request.user, pk=proposal.pk)
        return Response(s.ProposalSerializer(fresh).data)

    @extend_schema(request=None, responses=s.ProposalSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request: Request, pk: str) -> Response:
        return self._respond(proposal_services.proposal_verify(proposal=self.get_object(), actor=request.user))

    @extend_schema(request=s.ApproveSerializer, responses=s.ProposalSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        data = _valid(s.ApproveSerializer, request.data)
        return self._respond(proposal_services.proposal_approve(proposal=self.get_object(), actor=request.user, **data))

    @extend_schema(request=s.RejectSerializer, responses=s.ProposalSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str) -> Response:
        data = _valid(s.RejectSerializer, request.data)
        return self._respond(proposal_services.proposal_reject(proposal=self.get_object(), actor=request.user, **data))

    @extend_schema(request=s.UploadSerializer, responses=s.DocumentSerializer(many=True))
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def documents(self, request: Request, pk: str) -> Response:
        proposal = self.get_object()
        if request.method == "POST":
            data = _valid(s.UploadSerializer, request.data)
            proposal_services.document_upload(
                proposal=proposal, kind=data["kind"], upload=data["file"], actor=request.user
            )
        docs = proposal.documents.all()
        return Response(s.DocumentSerializer(docs, many=True, context={"request": request}).data)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(
        detail=True,
        methods=["get"],
        url_path=r"documents/(?P<document_id>\d+)/file",
        url_name="document-file",
        content_negotiation_class=AnyAcceptNegotiation,
    )
    def document_file(self, request: Request, pk: str, document_id: str) -> HttpResponseBase:
        """The document's file (PDF/image inline, otherwise an attachment); 404 outside the user's scope."""
        doc = get_object_or_404(ProposalDocument, proposal=self.get_object(), pk=int(document_id))
        return serve_private_file(request, doc.file, doc.original_name)

    @extend_schema(request=s.SendSerializer, responses={201: None})
    @action(detail=False, methods=["post"])
    def send(self, request: Request) -> Response:
        data = _valid(s.SendSerializer, request.data)
        period = get_object_or_404(PromotionPeriod, pk=data["period"])
        if not is_hr_admin(request.user):
            raise PermissionDenied
        # `?agency=` (or "agency" in the body); another agency is a 404 (people.access.agency_for_request).
        agency = agency_for_request(request.user, requested_agency(request)).pk
        batch = proposal_services.batch_send(period=period, agency_id=agency, actor=request.user)
        return Response({"batch": batch.pk, "number": batch.number, "proposals": batch.proposals.count()}, status=201)

    @extend_schema(
        parameters=[OpenApiParameter("batch", int, required=True)],
        responses={(200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): bytes},
    )
    @action(detail=False, methods=["get"])
    def export(self, request: Request) -> HttpResponse:
        raw = request.query_params.get("batch", "")
        if not raw.isdecimal():
            raise ValidationError({"batch": ["Sebutkan ID kiriman (batch)."]})
        batch = ProposalBatch.objects.filter(admin_agency_q(request.user), pk=int(raw)).first()
        if batch is None:
            raise NotFound
        content = proposal_services.export_xlsx(proposal_services.batch_proposals(batch))
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="usul-kp-{batch.pk}.xlsx"'
        return response


class VacancyViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet[PositionVacancy]):
    """Vacancies for promotion into posts, ranked candidates, committee decision and appointment."""

    serializer_class = s.VacancySerializer

    def get_queryset(self) -> QuerySet[PositionVacancy]:
        return selectors.vacancy_list_visible_to(user=self.request.user)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = _valid(s.VacancySerializer, request.data)
        position = position_list_visible_to(user=request.user).filter(pk=data["position"].pk).first()
        if position is None:
            raise NotFound
        vacancy = vacancy_services.vacancy_open(position=position, actor=request.user, notes=data.get("notes", ""))
        return Response(s.VacancySerializer(self.get_queryset().get(pk=vacancy.pk)).data, status=201)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The vacancy with `ranking`: whether its candidate list is a merit ranking and what is missing."""
        vacancy = self.get_object()
        status = selectors.vacancy_ranking_status(vacancy)
        return Response(
            {
                **s.VacancySerializer(vacancy).data,
                "ranking": {
                    "is_merit_ranking": status.is_merit_ranking,
                    "complete": status.complete,
                    "missing": status.missing,
                },
            }
        )

    @extend_schema(responses=s.CandidateSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def candidates(self, request: Request, pk: str) -> Response:
        vacancy = self.get_object()
        candidates = list(selectors.candidates_of(vacancy))
        access_log.record(request, [c.employee for c in candidates], AccessPart.PROMOTION)
        return Response(s.CandidateSerializer(candidates, many=True).data)

    @extend_schema(request=s.DecideSerializer, responses=s.VacancySerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str) -> Response:
        data = _valid(s.DecideSerializer, request.data)
        vacancy = vacancy_services.vacancy_decide(
            vacancy=self.get_object(),
            employee_id=data["employee"],
            justification=data["justification"],
            actor=request.user,
        )
        return Response(s.VacancySerializer(self.get_queryset().get(pk=vacancy.pk)).data)

    @extend_schema(request=s.AppointSerializer, responses=s.VacancySerializer)
    @action(detail=True, methods=["post"])
    def appoint(self, request: Request, pk: str) -> Response:
        data = _valid(s.AppointSerializer, request.data)
        vacancy = vacancy_services.vacancy_appoint(vacancy=self.get_object(), actor=request.user, **data)
        return Response(s.VacancySerializer(self.get_queryset().get(pk=vacancy.pk)).data)


class OutlookView(APIView):
    """An employee's next KP period, target rank and failing rules (404 outside the user's scope)."""

    @extend_schema(responses=dict)
    def get(self, request: Request, pk: int) -> Response:
        employee = employee_get_visible(user=request.user, pk=pk)
        return Response(selectors.promotion_outlook(employee).as_dict())
