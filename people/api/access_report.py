"""BKD access-log API (issue #16): one person's log entry by entry, the agency access report and its exports.

Same selectors and the same filter form as the pages (`people.privacy_views`). Reading a person's log is recorded
in that person's log as a read of their *access log* (part `log_akses`, purpose `pengawasan`), never as a read of
their record; the report lists only aggregates of viewers and is not a read of anyone's record. A download of the
report (the page's CSV) is audited."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from asn_portal.api import Pagination
from asn_portal.pagination import KeysetPagination

from .. import selectors
from ..access import agency_for, is_hr_admin
from ..access_selectors import (
    access_report,
    entries_for_subject,
    export_list,
    is_off_hours,
    is_unusual,
    viewer_label,
    with_viewer_labels,
)
from ..choices import AccessPart, AccessPurpose
from ..privacy_forms import AccessReportForm, report_filters


def _choice(value: str, choices: Any) -> dict[str, str]:
    return {"code": value, "label": str(dict(choices).get(value, value))}


def _entry_viewer(obj: Any) -> dict[str, Any]:
    emp = obj.viewer_employee
    return {
        "viewer__username": getattr(obj.viewer, "username", None),
        "viewer_employee__name": getattr(emp, "name", None),
        "viewer_employee__front_title": getattr(emp, "front_title", None),
        "viewer_employee__back_title": getattr(emp, "back_title", None),
    }


class AccessEntrySerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    at = serializers.DateTimeField()
    viewer = serializers.CharField(help_text="Nama pengakses (atau nama akun bila bukan pegawai).")
    viewer_unit = serializers.CharField(allow_null=True)
    part = serializers.DictField(help_text="{code, label}; kode: " + ", ".join(AccessPart.values))
    purpose = serializers.DictField(help_text="{code, label}; kode: " + ", ".join(AccessPurpose.values))
    via = serializers.CharField(help_text="Halaman atau endpoint yang menampilkan data.")
    export_id = serializers.UUIDField(allow_null=True, help_text="Sama untuk semua baris dari satu ekspor.")
    stated_purpose = serializers.CharField(allow_blank=True)
    outside_unit = serializers.BooleanField(help_text="Pegawai berada di luar unit pengakses saat dibaca.")

    def to_representation(self, obj: Any) -> dict[str, Any]:
        unit = getattr(obj.viewer_employee, "unit", None)
        return {
            "id": obj.pk,
            "at": serializers.DateTimeField().to_representation(obj.at),
            "viewer": viewer_label(_entry_viewer(obj)),
            "viewer_unit": getattr(unit, "name", None),
            "part": _choice(obj.part, AccessPart.choices),
            "purpose": _choice(obj.purpose, AccessPurpose.choices),
            "via": obj.via,
            "export_id": str(obj.export_id) if obj.export_id else None,
            "stated_purpose": obj.stated_purpose,
            "outside_unit": obj.outside_unit,
        }


class EmployeeAccessLogView(ListAPIView[Any]):
    """BKD admins: one person's access log, entry by entry, newest first (keyset pages: follow `next`).

    Another agency's person is a 404; a user who administers no agency gets 403, a head or staff member
    reading a colleague's log 404 (as the page). The person's own log is `/api/v1/me/access-log/`."""

    serializer_class = AccessEntrySerializer
    pagination_class = KeysetPagination
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        user = self.request.user
        if not is_hr_admin(user):
            raise PermissionDenied
        emp = selectors.employee_get_visible(user=user, pk=int(self.kwargs["pk"]))
        if not is_hr_admin(user, emp.agency_id):
            raise Http404
        return entries_for_subject(subject=emp)


_REPORT_PARAMS = [
    OpenApiParameter("date_from", OpenApiTypes.DATE, description="Awal rentang (bawaan: 29 hari sebelum akhir)"),
    OpenApiParameter("date_to", OpenApiTypes.DATE, description="Akhir rentang, inklusif (bawaan: hari ini)"),
    OpenApiParameter("viewer", OpenApiTypes.STR, description="Nama pegawai atau akun pengakses memuat teks ini"),
    OpenApiParameter("part", OpenApiTypes.STR, enum=AccessPart.values, description="Bagian data"),
    OpenApiParameter("unusual", OpenApiTypes.BOOL, description="Hanya pola tidak biasa (laporan per pengakses)"),
    OpenApiParameter("agency", OpenApiTypes.INT, description="Instansi yang dikelola (bawaan: instansi sendiri)"),
]


def _report_filters(request: Request) -> tuple[Any, dict[str, Any]]:
    if not is_hr_admin(request.user):
        raise PermissionDenied
    agency = agency_for(request)
    form = AccessReportForm(request.query_params)
    if not form.is_valid():
        raise ValidationError(form.errors.get_json_data())
    return agency, report_filters(form.cleaned_data)


class AccessReportRowSerializer(serializers.Serializer[Any]):
    viewer_id = serializers.IntegerField(allow_null=True)
    viewer = serializers.CharField()
    viewer_unit = serializers.CharField(allow_null=True)
    reads = serializers.IntegerField(help_text="Jumlah akses (baris log)")
    people = serializers.IntegerField(help_text="Jumlah pegawai berbeda yang dibaca")
    outside = serializers.IntegerField(help_text="Pegawai berbeda di luar unit pengakses")
    exports = serializers.IntegerField()
    night_exports = serializers.IntegerField(help_text="Ekspor di luar jam kerja atau pada akhir pekan")
    last = serializers.DateTimeField()
    unusual = serializers.BooleanField()

    def to_representation(self, row: dict[str, Any]) -> dict[str, Any]:
        return {
            "viewer_id": row["viewer_id"],
            "viewer": viewer_label(row),
            "viewer_unit": row["viewer_employee__unit__name"],
            **{k: row[k] for k in ("reads", "people", "outside", "exports", "night_exports")},
            "last": serializers.DateTimeField().to_representation(row["last"]),
            "unusual": is_unusual(row),
        }


class AccessReportView(ListAPIView[Any]):
    """BKD admins: the agency access report, one row per viewer, the most unusual first (as the page). Read from
    the daily roll-up; the window is at most ACCESS_LOG_REPORT_MAX_DAYS days (400 otherwise)."""

    serializer_class = AccessReportRowSerializer
    pagination_class = Pagination
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        agency, filters = _report_filters(self.request)
        return access_report(agency_id=agency.pk, **filters)

    def paginate_queryset(self, queryset: Any) -> Any:
        page = super().paginate_queryset(queryset)
        return None if page is None else with_viewer_labels(list(page))

    @extend_schema(parameters=_REPORT_PARAMS, responses=AccessReportRowSerializer(many=True))
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class AccessExportSerializer(serializers.Serializer[Any]):
    export_id = serializers.UUIDField()
    at = serializers.DateTimeField()
    viewer_id = serializers.IntegerField(allow_null=True)
    viewer = serializers.CharField()
    part = serializers.DictField(help_text="{code, label}")
    people = serializers.IntegerField(help_text="Jumlah pegawai dalam ekspor (instansi ini)")
    stated_purpose = serializers.CharField(allow_blank=True)
    off_hours = serializers.BooleanField()


class AccessExportListView(ListAPIView[Any]):
    """BKD admins: the exports of people's data in the window, newest first (keyset pages: follow `next`)."""

    serializer_class = AccessExportSerializer
    pagination_class = KeysetPagination
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        agency, filters = _report_filters(self.request)
        filters.pop("unusual_only")
        return export_list(agency_id=agency.pk, **filters)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset()) or []
        labels = {r["viewer_id"]: r for r in with_viewer_labels([{"viewer_id": x.viewer_id} for x in page])}
        data = [
            {
                "export_id": str(x.export_id),
                "at": serializers.DateTimeField().to_representation(x.at),
                "viewer_id": x.viewer_id or None,
                "viewer": viewer_label(labels.get(x.viewer_id, {})),
                "part": _choice(x.part, AccessPart.choices),
                "people": x.people,
                "stated_purpose": x.stated_purpose,
                "off_hours": is_off_hours(x.at),
            }
            for x in page
        ]
        return self.get_paginated_response(data)

    @extend_schema(parameters=_REPORT_PARAMS[:4] + _REPORT_PARAMS[5:], responses=AccessExportSerializer(many=True))
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)
