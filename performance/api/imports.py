"""Import of past years' predikat over the API, through the page's services: POST stores the file and answers
202 Accepted with the batch's URL (the worker reads it); GET follows it from "parsing" to the preview (each
refused row with its reason) or the refusal; POST …/confirm/ writes it once, POST …/cancel/ drops it."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse as api_reverse

from asn_portal.idempotency import create_once, key_from_request
from asn_portal.uploads import UploadKind, UploadSerializerField
from people.access import agency_for_request, is_hr_admin
from performance.history import selectors
from performance.history import services as history_services
from performance.models import PredikatImport

MAX_REJECTED_ROWS = 200


class PredikatImportUploadSerializer(serializers.Serializer):  # type: ignore[type-arg]
    agency = serializers.IntegerField(required=False)  # default: the agency the admin works on
    file = UploadSerializerField(kind=UploadKind.IMPORT)


class PredikatImportSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    row_count = serializers.SerializerMethodField()
    rejected_rows = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    page_url = serializers.SerializerMethodField()

    class Meta:
        model = PredikatImport
        fields = [
            "id", "agency", "file_name", "status", "status_label", "error", "row_count", "error_count",
            "rejected_rows", "created_count", "url", "page_url", "created_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_row_count(self, obj: PredikatImport) -> int:
        return len(obj.rows) if "rows" not in obj.get_deferred_fields() else 0

    def get_rejected_rows(self, obj: PredikatImport) -> list[dict[str, Any]]:
        """The refused rows with their reasons (line, nip, error), at most 200."""
        if "rows" in obj.get_deferred_fields():
            return []
        rejected = (r for r in obj.rows if r.get("error"))
        return [
            {"line": r["line"], "nip": r.get("nip", ""), "error": r["error"]}
            for _, r in zip(range(MAX_REJECTED_ROWS), rejected, strict=False)
        ]

    def get_url(self, obj: PredikatImport) -> str:
        return api_reverse("predikat-import-detail", kwargs={"pk": obj.pk}, request=self.context.get("request"))

    def get_page_url(self, obj: PredikatImport) -> str:
        return reverse("performance:import-preview", kwargs={"pk": obj.pk})


def _require_admin(request: Request) -> None:
    if not is_hr_admin(request.user):
        raise PermissionDenied


class PredikatImportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Predikat import batches of the agencies the user administers (another agency's batch is a 404)."""

    serializer_class = PredikatImportSerializer

    def get_queryset(self) -> QuerySet[PredikatImport]:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return PredikatImport.objects.none()
        _require_admin(self.request)
        return selectors.predikat_import_list_visible_to(user=self.request.user, with_rows=self.action != "list")

    @extend_schema(request=PredikatImportUploadSerializer, responses={202: PredikatImportSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Store an upload; 202 with the batch (status "parsing") and its URL. Idempotency-Key: stored once."""
        _require_admin(request)
        body = PredikatImportUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        agency = agency_for_request(request.user, body.validated_data.get("agency"))
        upload = body.validated_data["file"]
        batch, _created = create_once(
            user=request.user,
            key=key_from_request(request),
            scope="performance.predikat_import",
            create=lambda: history_services.import_upload(
                agency_id=agency.pk, name=upload.name, stream=upload, actor=request.user
            ),
            load=lambda pk: selectors.predikat_import_get_visible(user=request.user, pk=int(pk)),
        )
        data = PredikatImportSerializer(batch, context={"request": request}).data
        return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["url"]})

    @extend_schema(request=None, responses={200: PredikatImportSerializer})
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str | None = None) -> Response:
        """Write every row (all or nothing, once); 400 with the refused rows, 409 when already confirmed."""
        batch = self.get_object()
        history_services.import_confirm(batch=batch, actor=request.user)
        batch.refresh_from_db()
        return Response(PredikatImportSerializer(batch, context={"request": request}).data)

    @extend_schema(request=None, responses={200: PredikatImportSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        """Cancel a batch still being read or in preview; 409 once confirmed or cancelled."""
        batch = self.get_object()
        history_services.import_cancel(batch=batch, actor=request.user)
        batch.refresh_from_db()
        return Response(PredikatImportSerializer(batch, context={"request": request}).data)
