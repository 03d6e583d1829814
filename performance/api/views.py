"""SKP API: the same services and scoping as the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Prefetch, Q, QuerySet
from django.http import Http404, HttpResponseBase
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from asn_portal.pagination import keyset_ordering
from asn_portal.precompiled import Param, Statement
from asn_portal.uploads import AnyAcceptNegotiation, serve_private_file
from people.access import Scope, employee_q, scope_for
from people.access_log import AccessLoggedMixin
from people.choices import AccessPart
from people.models import Employee
from people.selectors import current_employee, employee_get_visible
from performance.calibration import selectors as calibration_selectors
from performance.calibration import services as calibration_services
from performance.evaluation import selectors as evaluation_selectors
from performance.evaluation import services as evaluation_services
from performance.objections import services as objections_services
from performance.periods import selectors as periods_selectors
from performance.plans import selectors as plans_selectors
from performance.plans import services as plans_services
from performance.progress import selectors as progress_selectors
from performance.progress import services as progress_services

from .. import rules
from ..models import Evaluation, Feedback, Indicator, PerformancePlan, PlannedResult, Progress, UnitPerformance
from .pagination import PartsKeysetPagination
from .serializers import (
    PLAN_EXPANDABLE,
    CommentSerializer,
    ContentSerializer,
    EvaluateSerializer,
    ObjectSerializer,
    PlanCreateSerializer,
    PlanExpandedRowSerializer,
    PlanRowSerializer,
    PlanRowValuesSerializer,
    PlanSerializer,
    PredikatRecordSerializer,
    ProgressInputSerializer,
    UnitPerformanceRowSerializer,
    UnitPerformanceSerializer,
)


def _results_prefetch() -> Prefetch:
    return Prefetch(
        "results",
        queryset=PlannedResult.objects.prefetch_related(
            Prefetch(
                "indicators",
                queryset=Indicator.objects.prefetch_related(
                    Prefetch("progress", queryset=Progress.objects.select_related("period"))
                ),
            )
        ),
    )


_NESTED_PREFETCH = {
    "results": _results_prefetch,
    "feedback": lambda: Prefetch("feedback", queryset=Feedback.objects.order_by("-created_at")),
    "evaluations": lambda: Prefetch("evaluations", queryset=Evaluation.objects.order_by("period_id")),
}


_AGENCY_STAND_IN, _EMPLOYEE_STAND_IN = -13_000_801, -13_000_802  # ids no row holds


class _StandInAdmin:
    """The admin of one agency who works there (people.access.scope_for reads the cached `_portal_scope`): the
    first page's statement is compiled with this user's rule and run with the reader's agency and employee."""

    is_authenticated = True
    is_superuser = False
    _portal_scope = Scope(
        admin_agency_ids=frozenset({_AGENCY_STAND_IN}), agency_id=_AGENCY_STAND_IN, employee_id=_EMPLOYEE_STAND_IN
    )


_FIRST_PAGES: dict[int, Statement] = {}


def _first_page_statement(size: int) -> Statement:
    """The SKP list's first unfiltered page of `size` rows (and one more) for `_StandInAdmin`, as the view and
    `PartsKeysetPagination` read it, compiled once per process and page size."""
    statement = _FIRST_PAGES.get(size)
    if statement is not None:
        return statement

    def build(agency: int, employee: int) -> QuerySet[Any]:
        user = _StandInAdmin()
        paginator = PartsKeysetPagination()
        queryset = plans_selectors.plan_row_values_visible_to(user=user).filter(Q())
        paginator.ordering = keyset_ordering(queryset)
        parts = plans_selectors.plan_q_parts(user) or []
        page = paginator.page_queryset(queryset.order_by(*paginator.ordering), parts, size, None)
        return page.values_list(*plans_selectors.PLAN_ROW_VALUES)  # type: ignore[no-any-return]

    return _FIRST_PAGES.setdefault(
        size, Statement(build, agency=Param(_AGENCY_STAND_IN), employee=Param(_EMPLOYEE_STAND_IN))
    )


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("year", int),
            OpenApiParameter("status", str),
            OpenApiParameter("employee", int),
            OpenApiParameter("expand", str, description="results,feedback,evaluations: nested parts per row"),
        ]
    )
)
class PerformancePlanViewSet(
    AccessLoggedMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet[PerformancePlan]
):
    """SKPs the user may see. The list is lean keyset-paginated rows, newest first (`?expand=` adds results →
    indicators → progress, feedback or evaluations); the detail carries them all and the allowed transitions."""

    serializer_class = PlanSerializer
    access_part = AccessPart.SKP
    pagination_class = PartsKeysetPagination  # grows with the workforce: no COUNT, no OFFSET
    keyset_parts: list[Q] | None = None  # the access rule's ORed parts, each paged on its own index

    def _expand(self) -> tuple[str, ...]:
        """The nested parts a list row should carry (`?expand=results,feedback,evaluations`); unknown names
        are ignored."""
        asked = self.request.query_params.get("expand", "").split(",")
        return tuple(p for p in PLAN_EXPANDABLE if p in asked)

    def get_queryset(self) -> QuerySet[PerformancePlan, Any]:
        qs: QuerySet[Any]
        if self.action == "list" and not self._expand():
            # Lean rows: one indexed page query of plain `values()` rows (PlanRowValuesSerializer).
            qs = plans_selectors.plan_row_values_visible_to(user=self.request.user)
        elif self.action == "list":
            # Nested parts only when `?expand=` asks for them.
            qs = plans_selectors.plan_rows_visible_to(user=self.request.user)
            qs = qs.prefetch_related(*(_NESTED_PREFETCH[p]() for p in self._expand()))
        else:
            qs = plans_selectors.plan_list_visible_to(user=self.request.user)
            qs = qs.prefetch_related(*(_NESTED_PREFETCH[p]() for p in PLAN_EXPANDABLE))
        params = self.request.query_params
        filters = Q()
        if params.get("year", "").isdecimal():
            filters &= Q(year=int(params["year"]))
        if params.get("status"):
            filters &= Q(status=params["status"])
        if params.get("employee", "").isdecimal():
            filters &= Q(employee_id=int(params["employee"]))
        if self.action == "list":
            # The keyset page reads each part of the access rule (with the filters) on its own index.
            parts = plans_selectors.plan_q_parts(self.request.user)
            self.keyset_parts = None if parts is None else [part & filters for part in parts]
        return qs.filter(filters)

    def keyset_first_page(self, size: int) -> list[dict[str, Any]] | None:
        """The lean list's first page for the admin of one agency who works there (the common reader: their
        agency's SKPs and those they appraise or sign above), unfiltered: `PartsKeysetPagination.page_queryset`
        of the same querysets, compiled once per process and page size (`_first_page_statement`). None otherwise."""
        if self._expand() or any(self.request.query_params.get(k) for k in ("year", "status", "employee")):
            return None
        scope = scope_for(self.request.user)
        if scope.everything or len(scope.admin_agency_ids) != 1 or scope.head_unit_paths:
            return None
        if not scope.employee_id or scope.agency_id not in scope.admin_agency_ids:
            return None
        rows = _first_page_statement(size).rows(agency=scope.agency_id, employee=scope.employee_id)
        return [dict(zip(plans_selectors.PLAN_ROW_VALUES, row, strict=True)) for row in rows]

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        if self.action == "list":
            if self._expand():
                return PlanExpandedRowSerializer
            # The schema documents the row as PlanRowSerializer (same keys and values as the lean rows).
            return PlanRowSerializer if getattr(self, "swagger_fake_view", False) else PlanRowValuesSerializer
        return PlanSerializer

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "expand": self._expand()}

    def access_subjects_of(self, obj: Any) -> list[Any]:
        if isinstance(obj, dict):  # a lean list row
            return [obj["employee"]]
        return super().access_subjects_of(obj)

    def _get(self, pk: Any) -> PerformancePlan:
        return plans_selectors.plan_get_visible(user=self.request.user, pk=int(pk))

    def _done(self, plan: PerformancePlan, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=plan.pk)
        return Response(PlanSerializer(fresh, context={"request": self.request}).data, status=code)

    @extend_schema(request=PlanCreateSerializer, responses=PlanSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        ser = PlanCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        emp_id = ser.validated_data.get("employee")
        emp = employee_get_visible(user=request.user, pk=emp_id) if emp_id else current_employee(request.user)
        if emp is None:
            raise Http404
        plan = plans_services.plan_create(employee=emp, year=ser.validated_data["year"], actor=request.user)
        return self._done(plan, status.HTTP_201_CREATED)

    @extend_schema(request=ContentSerializer, responses=PlanSerializer)
    @action(detail=True, methods=["put"])
    def content(self, request: Request, pk: Any = None) -> Response:
        """Replace the draft's approach, results (RHK) and indicators (IKI)."""
        plan = self._get(pk)
        ser = ContentSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        results = [
            plans_services.ResultInput(
                kind=r["kind"],
                text=r["text"],
                id=r.get("id"),
                parent_result_id=r.get("parent_result"),
                perspective=r.get("perspective", ""),
                indicators=[
                    plans_services.IndicatorInput(i["aspect"], i["text"], i["target"], i.get("unit", ""))
                    for i in r["indicators"]
                ],
            )
            for r in ser.validated_data["results"]
        ]
        plans_services.plan_save_content(
            plan=plan, approach=ser.validated_data["approach"], results=results, actor=request.user
        )
        return self._done(plan)

    @extend_schema(request=None, responses=PlanSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: Any = None) -> Response:
        plan = self._get(pk)
        plans_services.plan_submit(plan=plan, actor=request.user)
        return self._done(plan)

    @extend_schema(request=None, responses=PlanSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: Any = None) -> Response:
        plan = self._get(pk)
        plans_services.plan_approve(plan=plan, actor=request.user)
        return self._done(plan)

    @extend_schema(request=CommentSerializer, responses=PlanSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request: Request, pk: Any = None) -> Response:
        plan = self._get(pk)
        ser = CommentSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        plans_services.plan_return(plan=plan, comment=ser.validated_data["comment"], actor=request.user)
        return self._done(plan)

    @extend_schema(request=EvaluateSerializer, responses=PlanSerializer)
    @action(detail=True, methods=["post"])
    def evaluate(self, request: Request, pk: Any = None) -> Response:
        plan = self._get(pk)
        ser = EvaluateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        period = periods_selectors.period_get_visible(user=request.user, pk=ser.validated_data["period"])
        evaluation_services.evaluation_record(
            plan=plan,
            period=period,
            result_rating=ser.validated_data["result_rating"],
            behaviour_rating=ser.validated_data["behaviour_rating"],
            comment=ser.validated_data["comment"],
            actor=request.user,
        )
        return self._done(plan)

    @extend_schema(request=None, responses=PlanSerializer)
    @action(detail=True, methods=["post"])
    def finalise(self, request: Request, pk: Any = None) -> Response:
        plan = self._get(pk)
        evaluation_services.plan_finalise(plan=plan, actor=request.user)
        return self._done(plan)

    @extend_schema(request=ObjectSerializer, responses=PlanSerializer)
    @action(detail=True, methods=["post"], url_path="object")
    def object_(self, request: Request, pk: Any = None) -> Response:
        plan = self._get(pk)
        ser = ObjectSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        objections_services.objection_lodge(plan=plan, reason=ser.validated_data["reason"], actor=request.user)
        return self._done(plan)

    @extend_schema(
        parameters=[OpenApiParameter("progress_id", int, OpenApiParameter.PATH)],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    @action(
        detail=False,
        methods=["get"],
        url_path=r"evidence/(?P<progress_id>\d+)",
        url_name="evidence",
        content_negotiation_class=AnyAcceptNegotiation,
    )
    def evidence(self, request: Request, progress_id: str) -> HttpResponseBase:
        """The evidence file of a realisation whose SKP the user may see (PDF/image inline, otherwise an
        attachment); 404 otherwise."""
        progress = progress_selectors.progress_get_visible(user=request.user, pk=int(progress_id))
        return serve_private_file(request, progress.evidence_file, progress.evidence_name)

    @extend_schema(request=ProgressInputSerializer, responses=PlanSerializer)
    @action(detail=True, methods=["post"])
    def progress(self, request: Request, pk: Any = None) -> Response:
        plan = self._get(pk)
        ser = ProgressInputSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        indicator = (
            Indicator.objects.select_related("result__plan")
            .filter(pk=ser.validated_data["indicator"], result__plan=plan)
            .first()
        )
        if indicator is None:
            raise Http404
        period = periods_selectors.period_get_visible(user=request.user, pk=ser.validated_data["period"])
        progress_services.progress_record(
            indicator=indicator,
            period=period,
            value=ser.validated_data["value"],
            note=ser.validated_data["note"],
            evidence_file=ser.validated_data.get("evidence_file"),
            evidence_link=ser.validated_data["evidence_link"],
            actor=request.user,
        )
        return self._done(plan)


class UnitPerformanceViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet[UnitPerformance]):
    """Organisational ratings of the units the user may see; POST sets one (admin or unit's superior)."""

    serializer_class = UnitPerformanceSerializer

    def get_queryset(self) -> QuerySet[UnitPerformance, Any]:
        from people.access import unit_q

        qs: QuerySet[UnitPerformance, Any] = UnitPerformance.objects.filter(unit_q(self.request.user, "unit"))
        if self.request.query_params.get("period", "").isdecimal():
            qs = qs.filter(period_id=int(self.request.query_params["period"]))
        if self.action == "list":  # plain rows with the two names joined (UnitPerformanceRowSerializer)
            qs = qs.values(
                "id",
                "unit",
                "period",
                "rating",
                "note",
                "updated_at",
                unit_name=F("unit__name"),
                period_name=F("period__name"),
            )
        else:
            qs = qs.select_related("unit", "period")
        return qs.order_by("period_id", "unit__path")

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        if self.action == "list" and not getattr(self, "swagger_fake_view", False):
            return UnitPerformanceRowSerializer
        return UnitPerformanceSerializer

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        ser = UnitPerformanceSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        unit = (
            calibration_selectors.units_for_rating(user=request.user).filter(pk=ser.validated_data["unit"].pk).first()
        )
        if unit is None:
            raise Http404
        period = periods_selectors.period_get_visible(user=request.user, pk=ser.validated_data["period"].pk)
        obj = calibration_services.unit_performance_set(
            unit=unit,
            period=period,
            rating=ser.validated_data["rating"],
            note=ser.validated_data.get("note", ""),
            actor=request.user,
        )
        return Response(UnitPerformanceSerializer(obj).data, status=status.HTTP_201_CREATED)


class PredikatHistoryView(APIView):
    """An employee's final annual predikat across years (404 outside the user's scope)."""

    @extend_schema(responses=PredikatRecordSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        if not Employee.objects.filter(employee_q(request.user), pk=pk).exists():
            raise Http404
        return Response(PredikatRecordSerializer(evaluation_selectors.predikat_history(pk), many=True).data)


class DistributionCheckView(APIView):
    """A unit's predikat distribution for a period against the curve for its rating."""

    @extend_schema(
        parameters=[OpenApiParameter("unit", int, required=True), OpenApiParameter("period", int, required=True)],
        responses=inline_serializer(
            "DistributionCheck",
            {
                "unit": serializers.IntegerField(),
                "period": serializers.IntegerField(),
                "unit_rating": serializers.CharField(allow_blank=True),
                "counts": serializers.DictField(child=serializers.IntegerField()),
                "total": serializers.IntegerField(),
                "follows_rule": serializers.BooleanField(),
                "warnings": serializers.ListField(child=serializers.DictField()),
            },
        ),
    )
    def get(self, request: Request) -> Response:
        from asn_portal.errors import ApplicationError

        unit_s, period_s = request.query_params.get("unit", ""), request.query_params.get("period", "")
        if not (unit_s.isdecimal() and period_s.isdecimal()):
            raise ApplicationError("Parameter unit dan period wajib berupa angka.")
        unit = calibration_selectors.units_for_rating(user=request.user).filter(pk=int(unit_s)).first()
        if unit is None:
            raise Http404
        period = periods_selectors.period_get_visible(user=request.user, pk=int(period_s))
        if period.agency_id != unit.agency_id:
            raise Http404
        counts = calibration_selectors.distribution_counts_live(period=period, unit_ids=[unit.pk]).get(unit.pk, {})
        rating = UnitPerformance.objects.filter(unit=unit, period=period).values_list("rating", flat=True).first() or ""
        warnings = (
            rules.check_distribution(counts, calibration_selectors.rule_specs().get(rating, [])) if rating else []
        )
        return Response(
            {
                "unit": unit.pk,
                "period": period.pk,
                "unit_rating": rating,
                "counts": counts,
                "total": sum(counts.values()),
                "follows_rule": bool(rating) and not warnings,
                "warnings": [
                    {"message": w.message, "actual": w.actual, "required": w.required, "comparator": w.comparator}
                    for w in warnings
                ],
            }
        )
