"""People API views."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from asn_portal import registry

from ..access import scope_for


class MeView(APIView):
    """The signed-in user: roles and linked employee."""

    @extend_schema(
        responses=inline_serializer(
            "Me",
            {
                "username": serializers.CharField(),
                "roles": serializers.ListField(child=serializers.CharField()),
                "employee_id": serializers.IntegerField(allow_null=True),
                "agency_id": serializers.IntegerField(allow_null=True),
            },
        )
    )
    def get(self, request: Request) -> Response:
        scope = scope_for(request.user)
        data: dict[str, Any] = {
            "username": request.user.get_username(),
            "roles": sorted(registry.roles_of(request.user)),
            "employee_id": scope.employee_id,
            "agency_id": scope.agency_id,
        }
        return Response(data)
