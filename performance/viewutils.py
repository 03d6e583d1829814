"""What the SKP pages share: the year and agency taken from the request, error flashes, breadcrumbs."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from asn_portal.errors import ApplicationError
from asn_portal.params import int_or_none
from people.access import agency_for, is_hr_admin

from .models import PerformancePlan


def year_param(request: HttpRequest) -> int:
    return int_or_none(request.GET.get("year")) or timezone.localdate().year


def admin_agency_id(request: HttpRequest) -> int:
    """The agency a BKD admin works on: `?agency=` or their own (people.access.agency_for)."""
    if not is_hr_admin(request.user):
        raise PermissionDenied
    return int(agency_for(request).pk)


def flash_error(request: HttpRequest, exc: ApplicationError) -> None:
    messages.error(request, exc.message)
    for extra in exc.extra.get("errors", [])[1:]:
        messages.error(request, extra)
    for w in exc.extra.get("warnings", []):
        messages.warning(request, w)


def plan_crumbs(request: HttpRequest, plan: PerformancePlan, *extra: tuple[str, str | None]) -> list[Any]:
    if plan.employee.user_id == request.user.pk:
        base = [(_("SKP Saya"), reverse("performance:my-skp"))]
    else:
        base = [(_("Kotak masuk SKP"), reverse("performance:inbox"))]
    label = _("SKP %(year)s · %(name)s") % {"year": plan.year, "name": plan.employee.full_name}
    if extra:
        return [*base, (label, reverse("performance:plan-detail", args=[plan.pk])), *extra]
    return [*base, (label, None)]
