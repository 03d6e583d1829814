"""API foundation shared by every app: pagination, the one exception handler, scoped view mixins."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError as DatabaseInterfaceError
from django.db import OperationalError as DatabaseOperationalError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import ApplicationError

logger = logging.getLogger(__name__)


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


def _message_for(exc: exceptions.APIException) -> str:
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        return _("Autentikasi diperlukan: masuk atau sertakan token yang valid.")
    if isinstance(exc, exceptions.PermissionDenied):
        return _("Anda tidak berwenang melakukan tindakan ini.")
    if isinstance(exc, exceptions.NotFound):
        return _("Data tidak ditemukan.")
    if isinstance(exc, exceptions.MethodNotAllowed):
        return _("Metode tidak diizinkan.")
    if isinstance(exc, exceptions.ValidationError):
        return _("Data yang dikirim tidak valid.")
    if isinstance(exc, exceptions.Throttled):
        return _("Terlalu banyak permintaan; coba lagi nanti.")
    if isinstance(exc, exceptions.ParseError):
        return _("Format permintaan tidak dapat dibaca.")
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return _("Jenis konten tidak didukung.")
    return str(exc.detail) if isinstance(exc.detail, str) else _("Permintaan tidak dapat diproses.")


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every API error is JSON: {"message": ..., "extra": {...}} with the right status."""
    if isinstance(exc, ApplicationError):
        return Response({"message": exc.message, "extra": exc.extra}, status=exc.status)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return Response(
            {"message": _("Data yang dikirim tidak valid."), "extra": {"fields": detail}},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None and isinstance(exc, DatabaseOperationalError | DatabaseInterfaceError):
        logger.error("API: database unavailable: %s", str(exc).strip().splitlines()[0] if str(exc).strip() else exc)
        message = _(
            "Basis data portal sedang tidak dapat dihubungi. Ini gangguan sementara; data Anda aman. "
            "Coba lagi dalam beberapa menit."
        )
        return Response(
            {"message": message, "extra": {"temporary": True}},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": "60"},
        )
    if response is None:
        logger.exception("Unhandled API error", exc_info=exc)
        return Response(
            {"message": _("Terjadi kesalahan pada server."), "extra": {}},
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    assert isinstance(exc, exceptions.APIException)
    extra: dict[str, Any] = {}
    if isinstance(exc, exceptions.ValidationError):
        extra["fields"] = exc.detail
    response.data = {"message": _message_for(exc), "extra": extra}
    return response
