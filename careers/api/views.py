"""Careers API: the same selectors and services as the pages, scoped the same way (404 outside scope)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from asn_portal.errors import ApplicationError
from asn_portal.idempotency import create_once, key_from_request
from asn_portal.pagination import KeysetPagination
from careers.followups import selectors as followup_selectors
from careers.followups import services as followup_services
from careers.mentoring import selectors as mentoring_selectors
from careers.mentoring import services as mentoring_services
from careers.plans import selectors as plan_selectors
from careers.plans import services as plan_services
from careers.talent import selectors as talent_selectors
from careers.talent import services as talent_services
from careers.timeline import selectors as timeline_selectors
from people import access_log
from people.access import agency_for, is_hr_admin
from people.access_log import AccessLoggedMixin
from people.choices import AccessPart
from people.models import Employee
from people.selectors import employee_with_histories

from .. import rules
from ..models import ActionItem, AppraisalFollowUp, CareerPlan, DevelopmentAction, MentoringSession, TalentPlacement
from . import rows as flat
from . import serializers as s

# List rows built straight from values() (careers.api.rows); each equals its serializer's output (tested).
PLAN_ROWS = flat.FlatRows(
    s.CareerPlanRowSerializer,
    computed={"progress": lambda v: round(100 * (v["n_done"] or 0) / v["n_actions"]) if v["n_actions"] else 0},
)
SESSION_ROWS = flat.FlatRows(
    s.MentoringSessionSerializer,
    computed={"private_notes": lambda v: v["own_private_notes"], "participants": lambda v: v["participants"]},
    needs=("own_private_notes",),
)
PARTICIPANT_ROWS = flat.FlatRows(s.ParticipantSerializer)
_SESSION_KEYS = tuple(SESSION_ROWS.value_keys())
PLACEMENT_ROWS = flat.FlatRows(
    s.TalentPlacementSerializer, computed={"recommendation": lambda v: rules.recommendation(v["box"])}, needs=("box",)
)
FOLLOW_UP_ROWS = flat.FlatRows(s.FollowUpSerializer)


class CareerPlanViewSet(
    AccessLoggedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[CareerPlan],
):
    """Career plans (IDP) the user may see; create writes the signed-in employee's own plan."""

    serializer_class = s.CareerPlanSerializer
    access_part = AccessPart.CAREER_PLAN
    pagination_class = KeysetPagination  # grows with the workforce: no COUNT, no OFFSET

    def _lean_list(self) -> bool:
        """The list leaves out each plan's earlier versions unless asked for with `?expand=versions`."""
        expand = self.request.query_params.get("expand", "").split(",")
        return self.action == "list" and "versions" not in expand

    def get_serializer_class(self) -> type[s.CareerPlanSerializer]:
        return s.CareerPlanRowSerializer if self._lean_list() else s.CareerPlanSerializer

    def access_subjects_of(self, obj: Any) -> list[Any]:
        return [obj["employee"]] if isinstance(obj, dict) else super().access_subjects_of(obj)

    @extend_schema(
        parameters=[OpenApiParameter("expand", str, description="`versions`: each plan's earlier agreed versions")]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not self._lean_list():
            return super().list(request, *args, **kwargs)
        # Lean rows: one keyset page of values() with the action counts per row (no GROUP BY over the visible
        # plans), each row built flat.
        rows = plan_selectors.plan_values_visible_to(user=request.user, keys=PLAN_ROWS.value_keys())
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(PLAN_ROWS.rows(page or []))

    def get_queryset(self) -> QuerySet[CareerPlan]:
        qs = plan_selectors.plan_list_visible_to(user=self.request.user).order_by("pk")
        return qs.prefetch_related(None) if self._lean_list() else qs

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        employee = ser.validated_data.get("employee")
        if employee is None:
            raise ApplicationError("Pegawai wajib diisi.", {"field": "employee"})
        plan, created = create_once(
            user=request.user,
            key=key_from_request(request),
            scope="careers.plan",
            create=lambda: plan_services.plan_create(
                employee=employee,
                target_position=ser.validated_data.get("target_position"),
                target_family=ser.validated_data.get("target_family", ""),
                horizon_years=ser.validated_data.get("horizon_years", 2),
                aspiration=ser.validated_data.get("aspiration", ""),
                strengths=ser.validated_data.get("strengths", ""),
                actor=request.user,
            ),
            load=lambda pk: CareerPlan.objects.get(pk=pk),
        )
        return Response(
            self.get_serializer(plan_selectors.plan_get_visible(user=request.user, pk=plan.pk)).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(methods=["GET"], request=None, responses=s.DevelopmentActionSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=s.DevelopmentActionSerializer, responses={201: s.DevelopmentActionSerializer}
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def actions(self, request: Request, pk: str | None = None) -> Response:
        plan = self.get_object()
        if request.method == "POST":
            ser = s.DevelopmentActionSerializer(data=request.data)
            ser.is_valid(raise_exception=True)
            d = ser.validated_data
            created = plan_services.action_add(
                plan=plan,
                kind=d["kind"],
                title=d["title"],
                due_date=d["due_date"],
                actor=request.user,
                description=d.get("description", ""),
                competency_id=getattr(d.get("competency"), "pk", None),
                course_offering_id=getattr(d.get("course_offering"), "pk", None),
                mentoring_session_id=getattr(d.get("mentoring_session"), "pk", None),
            )
            return Response(s.DevelopmentActionSerializer(created).data, status=status.HTTP_201_CREATED)
        return Response(s.DevelopmentActionSerializer(plan_selectors.plan_actions(plan), many=True).data)

    @extend_schema(request=s.StatusSerializer, responses=s.DevelopmentActionSerializer)
    @action(detail=True, methods=["post"], url_path=r"actions/(?P<action_id>\d+)/status")
    def action_status(self, request: Request, pk: str | None = None, action_id: str | None = None) -> Response:
        plan = self.get_object()
        item = (
            DevelopmentAction.objects.filter(plan=plan, pk=int(action_id or 0)).select_related("plan__employee").first()
        )
        if item is None:
            raise Http404
        ser = s.StatusSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        plan_services.action_set_status(action=item, status=ser.validated_data["status"], actor=request.user)
        return Response(s.DevelopmentActionSerializer(item).data)

    @extend_schema(request=None, responses={201: s.DevelopmentActionSerializer(many=True)})
    @action(detail=True, methods=["post"], url_path="draft-from-gaps", pagination_class=None)
    def draft_from_gaps(self, request: Request, pk: str | None = None) -> Response:
        created = plan_services.plan_draft_from_gaps(plan=self.get_object(), actor=request.user)
        return Response(s.DevelopmentActionSerializer(created, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.CareerPlanSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        plan = self.get_object()
        plan_services.plan_submit(plan=plan, actor=request.user)
        return Response(self.get_serializer(plan_selectors.plan_get_visible(user=request.user, pk=plan.pk)).data)

    @extend_schema(request=s.PlanReviewSerializer, responses=s.CareerPlanSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: str | None = None) -> Response:
        plan = self.get_object()
        ser = s.PlanReviewSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        plan_services.plan_review(
            plan=plan, agree=ser.validated_data["agree"], comment=ser.validated_data["comment"], actor=request.user
        )
        return Response(self.get_serializer(plan_selectors.plan_get_visible(user=request.user, pk=plan.pk)).data)


class MentoringSessionViewSet(
    AccessLoggedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[MentoringSession]
):
    """Mentoring sessions the user coached or attended (heads: their units; BKD: their agency).
    Private notes are returned only to their author."""

    serializer_class = s.MentoringSessionSerializer
    access_part = AccessPart.MENTORING
    pagination_class = KeysetPagination  # grows with the workforce: no COUNT, no OFFSET

    def access_subjects_of(self, obj: Any) -> list[Any]:
        if isinstance(obj, dict):
            return [p["employee"] for p in obj["participants"]]
        return [p.employee_id for p in obj.participants.all()]

    def get_queryset(self) -> QuerySet[MentoringSession]:
        return mentoring_selectors.session_list_visible_to(user=self.request.user).order_by("-held_on", "-pk")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Flat rows from values(): the private notes leave the database only for their author's rows. The first
        page of a one-agency BKD admin is read by a statement compiled once (mentoring_selectors.
        session_api_first_rows: the same rows and next cursor as the queryset's page)."""
        paginator = self.paginator
        sessions: list[dict[str, Any]] | None = None
        if isinstance(paginator, KeysetPagination) and not request.query_params.get(paginator.cursor_query_param):
            size = paginator.page_size_for(request)
            rows = mentoring_selectors.session_api_first_rows(user=request.user, keys=_SESSION_KEYS, limit=size + 1)
            if rows is not None:
                sessions = paginator.paginate_rows(rows, request, mentoring_selectors.SESSION_API_ORDERING)
        if sessions is None:
            values = mentoring_selectors.session_api_rows(user=request.user).values(*_SESSION_KEYS)
            sessions = (paginator.paginate_queryset(values, request, view=self) if paginator else None) or []
        by_session = mentoring_selectors.participant_rows([v["id"] for v in sessions], PARTICIPANT_ROWS.value_keys())
        for v in sessions:
            v["participants"] = PARTICIPANT_ROWS.rows(by_session.get(v["id"], []))
        self._record(sessions, self.access_list_part or self.access_part)
        return self.get_paginated_response(SESSION_ROWS.rows(sessions))

    @extend_schema(request=s.SessionLogSerializer, responses=s.MentoringSessionSerializer)
    def create(self, request: Request) -> Response:
        ser = s.SessionLogSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        session, created = create_once(
            user=request.user,
            key=key_from_request(request),
            scope="careers.session",
            create=lambda: mentoring_services.session_log(
                actor=request.user,
                mentee_ids=d["mentees"],
                held_on=d["held_on"],
                duration_minutes=d["duration_minutes"],
                mode=d["mode"],
                kind=d["kind"],
                topics=d["topics"],
                shared_notes=d["shared_notes"],
                private_notes=d["private_notes"],
                action_items=[
                    {"title": i["title"], "owner_id": i["owner"], "due_date": i["due_date"]} for i in d["action_items"]
                ],
                planned_result_id=d["planned_result"],
                development_action_id=d["development_action"],
                talent_placement_id=d["talent_placement"],
            ),
            load=lambda pk: MentoringSession.objects.get(pk=pk),
        )
        obj = mentoring_selectors.session_get_visible(user=request.user, pk=session.pk)
        return Response(
            self.get_serializer(obj).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )

    @extend_schema(methods=["GET"], request=None, responses=s.ActionItemSerializer(many=True))
    @extend_schema(methods=["POST"], request=s.ActionItemSerializer, responses={201: s.ActionItemSerializer})
    @action(detail=True, methods=["get", "post"], url_path="action-items", pagination_class=None)
    def action_items(self, request: Request, pk: str | None = None) -> Response:
        session = self.get_object()
        if request.method == "POST":
            ser = s.ActionItemSerializer(data=request.data)
            ser.is_valid(raise_exception=True)
            d = ser.validated_data
            item = mentoring_services.session_add_item(
                session=session,
                title=d["title"],
                owner_id=getattr(d.get("owner"), "pk", None),
                due_date=d.get("due_date"),
                actor=request.user,
            )
            return Response(s.ActionItemSerializer(item).data, status=status.HTTP_201_CREATED)
        return Response(s.ActionItemSerializer(session.action_items.select_related("owner"), many=True).data)

    @extend_schema(request=s.ItemStatusSerializer, responses=s.ActionItemSerializer)
    @action(detail=True, methods=["post"], url_path=r"action-items/(?P<item_id>\d+)/status")
    def item_status(self, request: Request, pk: str | None = None, item_id: str | None = None) -> Response:
        session = self.get_object()
        item = (
            ActionItem.objects.filter(session=session, pk=int(item_id or 0)).select_related("session", "owner").first()
        )
        if item is None:
            raise Http404
        ser = s.ItemStatusSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        mentoring_services.action_item_set_status(item=item, status=ser.validated_data["status"], actor=request.user)
        return Response(s.ActionItemSerializer(item).data)

    @extend_schema(request=None, responses=s.ParticipantSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str | None = None) -> Response:
        part = mentoring_services.session_confirm(session=self.get_object(), actor=request.user)
        return Response(s.ParticipantSerializer(part).data)

    @extend_schema(request=s.FeedbackSerializer, responses=s.ParticipantSerializer)
    @action(detail=True, methods=["post"])
    def feedback(self, request: Request, pk: str | None = None) -> Response:
        ser = s.FeedbackSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        part = mentoring_services.session_feedback(
            session=self.get_object(),
            answers=ser.validated_data["answers"],
            comment=ser.validated_data["comment"],
            actor=request.user,
        )
        return Response(s.ParticipantSerializer(part).data)


class TalentReviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Any]):
    """Talent reviews: BKD sees all of its agency; others published ones. Placements are scoped per person."""

    serializer_class = s.TalentReviewSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return talent_selectors.review_list_visible_to(user=self.request.user).order_by("-year", "-pk")

    @extend_schema(request=s.TalentReviewCreateSerializer, responses={201: s.TalentReviewSerializer})
    def create(self, request: Request) -> Response:
        ser = s.TalentReviewCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        if not is_hr_admin(request.user):
            raise PermissionDenied
        # `?agency=` (or "agency" in the body); another agency is a 404 (people.access.agency_for).
        agency_id = agency_for(request).pk
        review = talent_services.review_create(
            agency_id=agency_id, name=ser.validated_data["name"], year=ser.validated_data["year"], actor=request.user
        )
        return Response(self.get_serializer(review).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=s.TalentPlacementSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=KeysetPagination)
    def placements(self, request: Request, pk: str | None = None) -> Response:
        """Keyset pages by unit and id (35,000 placements at Medan: no COUNT, no OFFSET, an index walk)."""
        review = self.get_object()
        qs = talent_selectors.placements_visible(user=request.user, review=review).order_by("unit_id", "pk")
        box = request.query_params.get("box")
        if box and box.isdecimal():
            qs = qs.filter(box=int(box))
        page = self.paginate_queryset(qs.values(*PLACEMENT_ROWS.value_keys(), "unit_id"))
        access_log.record(request, [p["employee"] for p in page or []], AccessPart.TALENT)
        return self.get_paginated_response(PLACEMENT_ROWS.rows(page or []))

    @extend_schema(responses={200: dict})
    @action(detail=True, methods=["get"])
    def grid(self, request: Request, pk: str | None = None) -> Response:
        review = self.get_object()
        counts = talent_selectors.grid_counts(user=request.user, review=review)
        return Response({str(b): {"count": n, "recommendation": rules.recommendation(b)} for b, n in counts.items()})

    @extend_schema(request=s.OverrideSerializer, responses=s.TalentPlacementSerializer)
    @action(detail=True, methods=["post"], url_path=r"placements/(?P<placement_id>\d+)/override")
    def override(self, request: Request, pk: str | None = None, placement_id: str | None = None) -> Response:
        review = self.get_object()
        placement = (
            talent_selectors.placements_visible(user=request.user, review=review)
            .filter(pk=int(placement_id or 0))
            .first()
        )
        if placement is None:
            raise Http404
        ser = s.OverrideSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        talent_services.placement_override(
            placement=placement, box=ser.validated_data["box"], reason=ser.validated_data["reason"], actor=request.user
        )
        return Response(s.TalentPlacementSerializer(TalentPlacement.objects.get(pk=placement.pk)).data)

    @extend_schema(request=None, responses={202: s.TalentReviewSerializer})
    @action(detail=True, methods=["post"])
    def compute(self, request: Request, pk: str | None = None) -> Response:
        review = self.get_object()
        talent_services.review_request_compute(review=review, actor=request.user)
        return Response(self.get_serializer(review).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses=s.TalentReviewSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        review = self.get_object()
        talent_services.review_publish(review=review, actor=request.user)
        review.refresh_from_db()
        return Response(self.get_serializer(review).data)


class SuccessionView(APIView):
    """Key posts with ranked successors (readiness, JPM against the post, gaps); BKD admins only."""

    @extend_schema(
        responses={
            200: OpenApiResponse(
                OpenApiTypes.ANY,
                description="Tanpa ?position=: daftar jabatan kunci. Dengan ?position=<id>: jabatan dan kandidatnya.",
            )
        }
    )
    def get(self, request: Request) -> Response:
        positions = talent_selectors.key_positions_visible_to(user=request.user)
        pid = request.query_params.get("position")
        if pid:
            position = positions.filter(pk=int(pid) if pid.isdecimal() else 0).first()
            if position is None:
                raise Http404
            rows = talent_selectors.succession(position=position)
            access_log.record(request, [c["employee"] for c in rows], AccessPart.TALENT)
            return Response(
                {
                    "position": position.pk,
                    "title": position.title,
                    "candidates": [
                        {
                            "employee": c["employee"].pk,
                            "name": c["employee"].name,
                            "box": c["box"],
                            "jpm": str(c["jpm"]),
                            "readiness": c["readiness"],
                            "gaps": c["gaps"],
                        }
                        for c in rows
                    ],
                }
            )
        return Response([{"id": p.pk, "title": p.title, "kind": p.kind, "unit": p.unit.name} for p in positions[:500]])


class FollowUpViewSet(
    AccessLoggedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[AppraisalFollowUp]
):
    """Appraisal follow-up items (tindak lanjut) the user may see; heads decide, heads/BKD mark done."""

    serializer_class = s.FollowUpSerializer
    access_part = AccessPart.CAREER_PLAN
    pagination_class = KeysetPagination  # grows with the workforce: no COUNT, no OFFSET

    def get_queryset(self) -> QuerySet[AppraisalFollowUp]:
        # Sorted by the unit's id, not its path: an index then answers each keyset page (no sort of the join).
        qs = followup_selectors.follow_up_list_visible_to(user=self.request.user).order_by("-year", "unit_id", "pk")
        year = self.request.query_params.get("year")
        return qs.filter(year=int(year)) if year and year.isdecimal() else qs

    def access_subjects_of(self, obj: Any) -> list[Any]:
        return [obj["employee"]] if isinstance(obj, dict) else super().access_subjects_of(obj)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset().values(*FOLLOW_UP_ROWS.value_keys(), "unit_id"))
        return self.get_paginated_response(FOLLOW_UP_ROWS.rows(page or []))

    @extend_schema(request=s.FollowUpDecisionSerializer, responses=s.FollowUpSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str | None = None) -> Response:
        item = self.get_object()
        ser = s.FollowUpDecisionSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        followup_services.follow_up_decide(
            item=item,
            decision=d["decision"],
            reason=d["reason"],
            actor=request.user,
            recognition_type_id=d["recognition_type"],
            opportunity=d["opportunity"],
            sessions_planned=d["sessions_planned"],
        )
        item.refresh_from_db()
        return Response(self.get_serializer(item).data)

    @extend_schema(request=None, responses=s.FollowUpSerializer)
    @action(detail=True, methods=["post"])
    def done(self, request: Request, pk: str | None = None) -> Response:
        item = self.get_object()
        followup_services.follow_up_mark_done(item=item, actor=request.user)
        item.refresh_from_db()
        return Response(self.get_serializer(item).data)


class TimelineView(APIView):
    """One employee's career timeline (newest first) and next expected steps."""

    @extend_schema(responses={200: dict})
    def get(self, request: Request, pk: int) -> Response:
        employee: Employee = employee_with_histories(user=request.user, pk=pk)
        data = timeline_selectors.timeline_for(employee, today=timezone.localdate())
        return Response(
            {
                "employee": employee.pk,
                "events": [{**e, "date": e["date"].isoformat()} for e in data["events"]],
                "upcoming": [{**u, "date": u["date"].isoformat()} for u in data["upcoming"]],
            }
        )
