"""API for the signed-in user's own personal tokens: list, create (token shown once), revoke."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .errors import ApplicationError
from .services import api_token_create, api_token_list_of, api_token_revoke


class ApiTokenSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    name = serializers.CharField(read_only=True)
    prefix = serializers.CharField(source="token_key", read_only=True)
    created = serializers.DateTimeField(read_only=True)
    expiry = serializers.DateTimeField(read_only=True)
    last_used_at = serializers.DateTimeField(read_only=True, allow_null=True)


class ApiTokenCreatedSerializer(ApiTokenSerializer):
    token = serializers.CharField(read_only=True, help_text="Shown once; only its digest is stored.")


class ApiTokenCreateSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=100)
    days = serializers.IntegerField(default=90, help_text="One of settings.API_TOKEN_EXPIRY_DAYS (30, 90, 365).")


class ApiTokenListView(APIView):
    """Your personal API tokens. Creating one needs a signed-in browser session: a token cannot mint more
    tokens for itself (a leaked token must not outlive its revocation)."""

    @extend_schema(responses=ApiTokenSerializer(many=True))
    def get(self, request: Request) -> Response:
        tokens = api_token_list_of(user=request.user)
        return Response(ApiTokenSerializer(tokens, many=True).data)

    @extend_schema(request=ApiTokenCreateSerializer, responses={201: ApiTokenCreatedSerializer})
    def post(self, request: Request) -> Response:
        if request.auth is not None:
            raise ApplicationError(
                _("Token API hanya dapat dibuat dari sesi login (halaman Akun), bukan dengan token lain."),
                status=403,
            )
        ser = ApiTokenCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        token, text = api_token_create(
            user=request.user, name=ser.validated_data["name"], days=ser.validated_data["days"]
        )
        data = dict(ApiTokenSerializer(token).data)
        data["token"] = text
        return Response(data, status=status.HTTP_201_CREATED)


class ApiTokenDetailView(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request: Request, public_id: Any) -> Response:
        api_token_revoke(user=request.user, public_id=public_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
