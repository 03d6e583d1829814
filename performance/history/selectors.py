"""Reads of predikat import batches, scoped to the agencies the user administers."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from people.access import admin_agency_q
from performance.models import PredikatImport


def predikat_import_list_visible_to(
    *, user: Any, agency_id: int | None = None, with_rows: bool = False
) -> QuerySet[PredikatImport]:
    """Batches of the agencies the user administers (optionally one of them), newest first; without their rows
    unless asked (a list never needs 20,000 rows per batch)."""
    qs = PredikatImport.objects.filter(admin_agency_q(user)).order_by("-created_at")
    if agency_id is not None:
        qs = qs.filter(agency_id=agency_id)
    return qs if with_rows else qs.defer("rows")


def predikat_import_get_visible(*, user: Any, pk: int, with_rows: bool = True) -> PredikatImport:
    """One batch the user administers; another agency's batch is a 404 (indistinguishable from a missing one)."""
    qs = PredikatImport.objects.filter(admin_agency_q(user))
    obj = (qs if with_rows else qs.defer("rows")).filter(pk=pk).first()
    if obj is None:
        raise Http404(_("Impor tidak ditemukan."))
    return obj
