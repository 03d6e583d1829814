"""API for the subject's rights (issue #16): my data exports and corrections, through the same services
and selectors as the pages."""

from __future__ import annotations

from typing import Any

from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from asn_portal.errors import ApplicationError
from asn_portal.idempotency import key_from_request
from asn_portal.uploads import (
    AnyAcceptNegotiation,
    DownloadUrlField,
    UploadKind,
    UploadSerializerField,
    serve_private_file,
)

from .. import selectors as people_selectors
from ..access import is_hr_admin
from ..choices import CorrectionStatus, DataExportStatus
from ..corrections import selectors as correction_selectors
from ..corrections import services as correction_services
from ..data_export import selectors as export_selectors
from ..data_export import services as export_services
from ..privacy_models import CorrectionRequest, DataExportRequest

ChoiceOut = inline_serializer("Choice", {"code": serializers.CharField(), "label": serializers.CharField()})


def _choice(value: str, label: Any) -> dict[str, str]:
    return {"code": value, "label": str(label)}


class DataExportSerializer(serializers.ModelSerializer[DataExportRequest]):
    status = serializers.SerializerMethodField()
    download_url = DownloadUrlField(view_name="api-data-export-download", file_attr="file")

    class Meta:
        model = DataExportRequest
        fields = ["id", "status", "progress", "size", "created_at", "finished_at", "expires_at", "download_url"]

    @extend_schema_field(ChoiceOut)
    def get_status(self, obj: DataExportRequest) -> dict[str, str]:
        return _choice(obj.status, obj.get_status_display())


def _me(request: Request) -> Any:
    emp = people_selectors.current_employee(request.user)
    if emp is None:
        raise ApplicationError(_("Akun Anda tidak terhubung dengan data pegawai."), status=404)
    return emp


class DataExportListView(APIView):
    """Your copies of your own data (UU PDP Pasal 7): GET lists them, POST asks for a new one (202; while one
    is pending the same one is returned with 200)."""

    @extend_schema(responses=DataExportSerializer(many=True))
    def get(self, request: Request) -> Response:
        rows = export_selectors.data_export_list_visible_to(user=request.user)[:50]
        return Response(DataExportSerializer(rows, many=True, context={"request": request}).data)

    @extend_schema(request=None, responses={202: DataExportSerializer, 200: DataExportSerializer})
    def post(self, request: Request) -> Response:
        req, created = export_services.data_export_request(employee=_me(request), actor=request.user)
        req.refresh_from_db()
        return Response(
            DataExportSerializer(req, context={"request": request}).data,
            status=status.HTTP_202_ACCEPTED if created else status.HTTP_200_OK,
        )


class DataExportDetailView(APIView):
    @extend_schema(responses=DataExportSerializer)
    def get(self, request: Request, pk: int) -> Response:
        req = export_selectors.data_export_get_visible(user=request.user, pk=pk)
        return Response(DataExportSerializer(req, context={"request": request}).data)


class DataExportDownloadView(APIView):
    content_negotiation_class = AnyAcceptNegotiation

    @extend_schema(responses={(200, "application/zip"): bytes})
    def get(self, request: Request, pk: int) -> HttpResponseBase:
        req = export_selectors.data_export_get_visible(user=request.user, pk=pk)
        if req.status != DataExportStatus.READY or not req.file:
            raise ApplicationError(_("Salinan ini tidak tersedia lagi; silakan minta salinan baru."), status=410)
        response = serve_private_file(request, req.file, req.download_name)
        export_services.data_export_downloaded(req=req, actor=request.user, via=request.path)
        return response


class CorrectionSerializer(serializers.ModelSerializer[CorrectionRequest]):
    status = serializers.SerializerMethodField()
    employee = serializers.IntegerField(source="employee_id", read_only=True)
    changes = serializers.SerializerMethodField()
    document_url = DownloadUrlField(view_name="api-correction-document", file_attr="document")

    class Meta:
        model = CorrectionRequest
        fields = [
            "id",
            "employee",
            "status",
            "changes",
            "reason",
            "document_name",
            "document_url",
            "decision_reason",
            "decided_at",
            "created_at",
        ]

    @extend_schema_field(ChoiceOut)
    def get_status(self, obj: CorrectionRequest) -> dict[str, str]:
        return _choice(obj.status, obj.get_status_display())

    @extend_schema_field(
        inline_serializer(
            "CorrectionChange",
            {
                "key": serializers.CharField(),
                "label": serializers.CharField(),
                "old": serializers.JSONField(allow_null=True),
                "new": serializers.JSONField(allow_null=True),
            },
            many=True,
        )
    )
    def get_changes(self, obj: CorrectionRequest) -> list[dict[str, Any]]:
        return correction_selectors.diff_rows(obj)


class CorrectionInputSerializer(serializers.Serializer[Any]):
    changes = serializers.JSONField(
        help_text='{"name": "…", "birth_date": "YYYY-MM-DD", "position_history": [{"id": 1, "decree_number": "…"}]}'
    )
    reason = serializers.CharField()
    document = UploadSerializerField(kind=UploadKind.DOCUMENT)

    def validate_changes(self, value: Any) -> Any:
        if isinstance(value, str):
            import json

            try:
                value = json.loads(value)
            except ValueError as exc:
                raise serializers.ValidationError(_("JSON tidak valid.")) from exc
        if not isinstance(value, dict):
            raise serializers.ValidationError(_("Harus berupa objek JSON."))
        return value


class DecisionInputSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class MyCorrectionListView(APIView):
    """Your correction proposals (GET) and a new one (POST, multipart with the supporting document)."""

    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(responses=CorrectionSerializer(many=True))
    def get(self, request: Request) -> Response:
        rows = correction_selectors.correction_own_list(user=request.user)[:50]
        return Response(CorrectionSerializer(rows, many=True, context={"request": request}).data)

    @extend_schema(request=CorrectionInputSerializer, responses={201: CorrectionSerializer})
    def post(self, request: Request) -> Response:
        ser = CorrectionInputSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        c, created = correction_services.correction_submit(
            employee=_me(request),
            data=ser.validated_data["changes"],
            reason=ser.validated_data["reason"],
            document=ser.validated_data["document"],
            actor=request.user,
            idempotency_key=key_from_request(request),
        )
        return Response(
            CorrectionSerializer(c, context={"request": request}).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class CorrectionQueueView(APIView):
    """BKD admins: proposals of their agencies (`?status=submitted` by default)."""

    @extend_schema(responses=CorrectionSerializer(many=True))
    def get(self, request: Request) -> Response:
        if not is_hr_admin(request.user):
            raise PermissionDenied
        wanted = request.query_params.get("status", CorrectionStatus.SUBMITTED)
        if wanted not in CorrectionStatus.values:
            raise ApplicationError(_("Status tidak dikenal."), {"field": "status"})
        rows = correction_selectors.correction_queue(user=request.user, status=wanted)[:200]
        return Response(CorrectionSerializer(rows, many=True, context={"request": request}).data)


class CorrectionDetailView(APIView):
    @extend_schema(responses=CorrectionSerializer)
    def get(self, request: Request, pk: int) -> Response:
        c = correction_selectors.correction_get_visible(user=request.user, pk=pk)
        return Response(CorrectionSerializer(c, context={"request": request}).data)


class CorrectionActionView(APIView):
    """POST …/approve/, …/reject/ (BKD admin; reason required to reject) or …/withdraw/ (the proposer)."""

    action = ""

    @extend_schema(request=DecisionInputSerializer, responses=CorrectionSerializer)
    def post(self, request: Request, pk: int) -> Response:
        c = correction_selectors.correction_get_visible(user=request.user, pk=pk)
        ser = DecisionInputSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        reason = ser.validated_data["reason"]
        if self.action == "approve":
            c = correction_services.correction_approve(correction=c, actor=request.user, reason=reason)
        elif self.action == "reject":
            c = correction_services.correction_reject(correction=c, actor=request.user, reason=reason)
        else:
            c = correction_services.correction_withdraw(correction=c, actor=request.user)
        return Response(CorrectionSerializer(c, context={"request": request}).data)


class CorrectionDocumentView(APIView):
    content_negotiation_class = AnyAcceptNegotiation

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    def get(self, request: Request, pk: int) -> HttpResponseBase:
        c = correction_selectors.correction_get_visible(user=request.user, pk=pk)
        return serve_private_file(request, c.document, c.document_name)
