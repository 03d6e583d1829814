"""What the training pages share: breadcrumbs, the admin's agency and the year from the request, form errors."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from asn_portal.errors import ApplicationError
from asn_portal.exports import xlsx_response
from asn_portal.params import int_or_none
from people.access import agency_for, is_hr_admin


def crumbs(*items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(str(_("Pelatihan")), reverse("training:catalogue")), *items]


def admin_agency_id(request: HttpRequest) -> int:
    """The agency a BKD admin works on (`?agency=`; one rule for every page and endpoint)."""
    return int(agency_for(request).pk)


def form_errors(form: Any, exc: ApplicationError) -> None:
    """A refused write shown on the form: each field's message next to the field, the rest on top."""
    fields = exc.extra.get("fields") or {exc.extra.get("field"): exc.message}
    for field, message in fields.items():
        form.add_error(field if field in form.fields else None, message)


def require_admin(request: HttpRequest) -> None:
    if not is_hr_admin(request.user):
        raise PermissionDenied


def year_param(request: HttpRequest) -> int:
    year = int_or_none(request.GET.get("year")) or timezone.localdate().year
    return max(2000, min(2100, year))


def xlsx(filename: str, header: list[str], rows: list[list[Any]]) -> HttpResponse:
    return xlsx_response(filename, header, rows)
