"""Bulk import over the API: POST stores the file and answers 202 Accepted with the batch's URL at once (the
worker reads it, as for the upload page); GET on that URL follows it from "parsing" to the preview or the
refusal. Confirming stays on the page, where the placement decisions are shown."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse as api_reverse

from asn_portal.idempotency import create_once, key_from_request
from asn_portal.uploads import UploadKind, UploadSerializerField

from .. import imports, permissions
from ..access import admin_agency_ids, admin_agency_q, is_hr_admin
from ..choices import ImportKind, RowAction
from ..models import Agency, ImportBatch


class ImportUploadSerializer(serializers.Serializer):  # type: ignore[type-arg]
    kind = serializers.ChoiceField(choices=ImportKind.choices)
    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all(), required=False)
    file = UploadSerializerField(kind=UploadKind.IMPORT)


class ImportBatchSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    url = serializers.SerializerMethodField()
    page_url = serializers.SerializerMethodField()
    rejected_rows = serializers.SerializerMethodField()

    class Meta:
        model = ImportBatch
        fields = [
            "id", "kind", "kind_label", "agency", "filename", "status", "status_label", "total", "counts", "error",
            "rejected_rows", "url", "page_url", "created_at", "finished_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_url(self, obj: ImportBatch) -> str:
        return api_reverse("import-batch-detail", kwargs={"pk": obj.pk}, request=self.context.get("request"))

    def get_page_url(self, obj: ImportBatch) -> str:
        return reverse("people:import-preview", kwargs={"pk": obj.pk})

    def get_rejected_rows(self, obj: ImportBatch) -> list[dict[str, Any]]:
        """The refused rows with their reasons (line, key, errors), at most 200."""
        rejected = (r for r in obj.rows if r.get("action") == RowAction.REJECT)
        return [
            {"line": r["line"], "key": r.get("key", ""), "errors": r.get("errors", [])}
            for _, r in zip(range(200), rejected, strict=False)
        ]


class ImportBatchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Import batches of the agencies the user administers (another agency's batch is a 404)."""

    serializer_class = ImportBatchSerializer

    def get_queryset(self) -> QuerySet[ImportBatch]:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return ImportBatch.objects.none()
        if not permissions.can_import(self.request.user):
            raise PermissionDenied
        return ImportBatch.objects.filter(admin_agency_q(self.request.user)).order_by("-created_at")

    @extend_schema(request=ImportUploadSerializer, responses={202: ImportBatchSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Store an upload; 202 with the batch (status "parsing") and its URL. Idempotency-Key: stored once."""
        if not permissions.can_import(request.user):
            raise PermissionDenied
        body = ImportUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        agency = body.validated_data.get("agency")
        if agency is None:
            ids = admin_agency_ids(request.user)
            if ids is None or len(ids) != 1:
                raise serializers.ValidationError({"agency": [_("Instansi wajib dipilih.")]})
            agency = Agency.objects.get(pk=next(iter(ids)))
        if not is_hr_admin(request.user, agency.pk):
            raise PermissionDenied
        upload = body.validated_data["file"]
        batch, _created = create_once(
            user=request.user,
            key=key_from_request(request),
            scope="people.import",
            create=lambda: imports.batch_upload(
                agency=agency, kind=body.validated_data["kind"], stream=upload, filename=upload.name, actor=request.user
            ),
            load=lambda pk: ImportBatch.objects.get(pk=pk),
        )
        data = ImportBatchSerializer(batch, context={"request": request}).data
        return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["url"]})
