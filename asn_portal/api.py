"""API foundation shared by every app: pagination, the one exception handler, scoped view mixins."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Page
from django.core.paginator import Paginator as DjangoPaginator
from django.db import DataError, IntegrityError
from django.db import InterfaceError as DatabaseInterfaceError
from django.db import OperationalError as DatabaseOperationalError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import ApplicationError

logger = logging.getLogger(__name__)


class CountWhenNeededPaginator(DjangoPaginator):
    """Django's paginator that reads the requested page first and counts only when the page cannot tell: a page
    holding fewer rows than `per_page` is the last one, so the total is its offset plus its rows and the
    `SELECT COUNT(*)` is not sent (most lists of the portal fit on one page). A full page, an empty page past
    the first and anything Django refuses (`abc`, `0`) count and validate exactly as Django does, so `count`,
    `next`, `previous` and the 404 for a page out of range are the same."""

    def page(self, number: Any) -> Page:
        if self.orphans or "count" in self.__dict__:
            return super().page(number)
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            wanted = int(number)
        except (TypeError, ValueError):
            return super().page(number)  # PageNotAnInteger, as Django
        if wanted < 1:
            return super().page(number)  # EmptyPage, as Django
        bottom = (wanted - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page])
        if 0 < len(rows) < self.per_page or (wanted == 1 and not rows and self.allow_empty_first_page):
            self.__dict__["count"] = bottom + len(rows)  # the cached_property Django would compute
        return Page(rows, self.validate_number(wanted), self)


class Pagination(PageNumberPagination):
    django_paginator_class = CountWhenNeededPaginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class Router(DefaultRouter):
    """The API router: object ids in paths are numbers. A viewset looked up by pk only matches digits, so
    `/performance-plans/abc/approve/` or `/…/null,null/` is a plain 404 instead of a database error."""

    def get_lookup_regex(self, viewset: Any, lookup_prefix: str = "") -> str:
        lookup_field = getattr(viewset, "lookup_field", "pk")
        if getattr(viewset, "lookup_value_regex", None) is None and lookup_field in ("pk", "id"):
            kwarg = getattr(viewset, "lookup_url_kwarg", None) or lookup_field
            return f"(?P<{lookup_prefix}{kwarg}>[0-9]+)"
        return str(super().get_lookup_regex(viewset, lookup_prefix))


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


# PostgreSQL SQLSTATE -> (HTTP status, short code) for writes the database refused.
_DB_REFUSALS = {
    "23505": (409, "unique"),
    "23503": (400, "reference"),
    "23514": (400, "check"),
    "23502": (400, "required"),
}


def _db_refusal(exc: Exception) -> tuple[int, str]:
    pgcode = getattr(exc.__cause__, "pgcode", None) or getattr(exc, "pgcode", None) or ""
    if isinstance(exc, DataError) or pgcode.startswith("22"):
        return 400, "value"
    return _DB_REFUSALS.get(pgcode, (400, "integrity"))


def database_refusal_message(exc: Exception) -> str:
    """An Indonesian sentence for a write PostgreSQL refused (the last line of defence behind validation)."""
    kind = _db_refusal(exc)[1]
    if kind == "unique":
        return _("Data yang sama sudah ada; periksa isian yang harus unik (misalnya kode atau NIP).")
    if kind == "value":
        return _("Ada nilai di luar batas yang dapat disimpan (terlalu panjang, terlalu besar atau tidak valid).")
    if kind == "reference":
        return _("Data rujukan yang dipilih tidak ditemukan.")
    return _("Data tidak memenuhi aturan isian (misalnya tanggal akhir sebelum tanggal mulai).")


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every API error is JSON: {"message": ..., "extra": {...}} with the right status."""
    if isinstance(exc, ApplicationError):
        return Response({"message": exc.message, "extra": exc.extra}, status=exc.status)
    if isinstance(exc, IntegrityError | DataError):
        logger.warning("Database refused an API write: %s", exc)
        status_code, kind = _db_refusal(exc)
        return Response({"message": database_refusal_message(exc), "extra": {"code": kind}}, status=status_code)
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


ERROR_SCHEMA = {
    "type": "object",
    "description": "Every API error: a message for people (Indonesian) and machine-readable detail.",
    "properties": {
        "message": {"type": "string"},
        "extra": {"type": "object", "additionalProperties": True},
    },
    "required": ["message", "extra"],
}
_ERROR_DESCRIPTIONS = {
    "400": "Data tidak valid (extra.fields memuat galat per kolom).",
    "401": "Autentikasi diperlukan.",
    "403": "Tidak berwenang.",
    "404": "Data tidak ditemukan (atau di luar cakupan pengguna).",
    "409": "Data sudah diubah pihak lain atau bentrok dengan data yang ada.",
    "415": "Jenis konten tidak didukung.",
}


def document_error_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: every operation documents the `{"message", "extra"}` errors
    the exception handler can answer (400/401/403/404, plus 409 and 415 on writes), so clients and the
    schema fuzzer (tests/asn_portal/test_api_fuzz.py) see the real contract."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    error_body = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            codes = ["400", "401", "403", "404"]
            if method in ("post", "put", "patch", "delete"):
                codes.append("409")
            if "requestBody" in operation:
                codes.append("415")
            responses = operation.setdefault("responses", {})
            for code in codes:
                responses.setdefault(code, {"description": _ERROR_DESCRIPTIONS[code], "content": error_body})
    return result
