"""Reads for the copy-of-my-data feature: a person sees only their own requests."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from ..privacy_models import DataExportRequest


def data_export_list_visible_to(*, user: Any) -> QuerySet[DataExportRequest]:
    """The user's own requests, newest first. Nobody else's: not a head's, not a BKD admin's (the copy is
    the subject's right; the admin has the record itself)."""
    if not getattr(user, "pk", None):
        return DataExportRequest.objects.none()
    return DataExportRequest.objects.filter(employee__user_id=user.pk).select_related("employee")


def data_export_get_visible(*, user: Any, pk: int) -> DataExportRequest:
    req = data_export_list_visible_to(user=user).filter(pk=pk).first()
    if req is None:
        raise Http404(_("Permintaan tidak ditemukan."))
    return req
