"""`GET /api/v1/me/access-log/`: the signed-in employee's own access log, grouped by person and purpose."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from asn_portal.api import Pagination

from .. import selectors
from ..access_selectors import access_groups_for_subject, viewer_label
from ..choices import AccessPart, AccessPurpose


class AccessGroupSerializer(serializers.Serializer[Any]):
    viewer = serializers.CharField(help_text="Nama pengakses (atau nama akun bila bukan pegawai).")
    viewer_position = serializers.CharField(allow_null=True)
    viewer_unit = serializers.CharField(allow_null=True)
    purpose = serializers.CharField(help_text="Kode tujuan: " + ", ".join(AccessPurpose.values))
    purpose_label = serializers.CharField()
    parts = serializers.ListField(
        child=serializers.CharField(), help_text="Kode bagian: " + ", ".join(AccessPart.values)
    )
    part_labels = serializers.ListField(child=serializers.CharField())
    count = serializers.IntegerField()
    exports = serializers.IntegerField()
    last = serializers.DateTimeField()

    def to_representation(self, row: dict[str, Any]) -> dict[str, Any]:
        parts = dict(AccessPart.choices)
        return {
            "viewer": viewer_label(row),
            "viewer_position": row["viewer_employee__position__title"],
            "viewer_unit": row["viewer_employee__unit__name"],
            "purpose": row["purpose"],
            "purpose_label": str(dict(AccessPurpose.choices).get(row["purpose"], row["purpose"])),
            "parts": sorted(row["parts"]),
            "part_labels": sorted(str(parts.get(p, p)) for p in row["parts"]),
            "count": row["count"],
            "exports": row["exports"],
            "last": serializers.DateTimeField().to_representation(row["last"]),
        }


class MyAccessLogView(ListAPIView[Any]):
    """Who read my record: one row per (person, purpose) with the parts read, how often and when last."""

    serializer_class = AccessGroupSerializer
    pagination_class = Pagination
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        emp = selectors.current_employee(self.request.user)
        if emp is None:
            from django.http import Http404

            raise Http404
        return access_groups_for_subject(subject=emp)

    @extend_schema(responses=AccessGroupSerializer(many=True))
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)
