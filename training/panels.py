"""Home cards, the profile panel and the timeline source for training."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from asn_portal.precompiled import Param, Statement
from people.access import agency_for_request, is_head, is_hr_admin
from people.models import Employee
from people.selectors import current_employee
from training.ledger import selectors as ledger_selectors

from . import home, rules
from .choices import VerificationStatus
from .models import LearningRecord


def staff_card(request: HttpRequest) -> dict[str, Any] | None:
    emp = current_employee(request.user)
    if emp is None:
        return None
    year = timezone.localdate().year
    total, due = home.staff_figures(emp.pk, year)  # one statement
    return {
        "jp": total,
        "percent": rules.jp_progress_percent(total),
        "target": rules.JP_TARGET,
        "due": due,
        "year": year,
    }


def head_card(request: HttpRequest) -> dict[str, Any] | None:
    if not is_head(request.user):
        return None
    year = timezone.localdate().year
    below, total, requests = home.head_figures(request.user, year)  # one statement
    return {"below": below, "total": total, "requests": requests, "year": year}


def admin_card(request: HttpRequest) -> dict[str, Any] | None:
    if not is_hr_admin(request.user):
        return None
    try:
        agency = agency_for_request(request.user)  # the same default agency as the admin pages
    except Http404:
        return None
    year = timezone.localdate().year
    total, pending = home.admin_figures(request.user, agency.pk, year)  # one statement of the summary rows
    return {"total": total, "pending": pending, "year": year}


def profile_panel(request: HttpRequest, employee: Employee) -> dict[str, Any] | None:
    year = timezone.localdate().year
    # One read of the ledger for both the year's JP and the last trainings.
    total, last = ledger_selectors.jp_and_last_trainings(employee_id=employee.pk, year=year)
    return {"jp": total, "percent": rules.jp_progress_percent(total), "year": year, "last": last}


# The verified trainings the timeline lists, compiled once per process (asn_portal.precompiled, issue #13).
_VERIFIED_LEARNING = Statement(
    lambda employee_id: (
        LearningRecord.objects.filter(employee_id=employee_id, status=VerificationStatus.VERIFIED)
        .order_by("-date")
        .values_list("date", "title", "jp")[:50]
    ),
    employee_id=Param(-13_000_201),
)


def timeline(employee: Employee) -> Iterable[dict[str, Any]]:
    url = reverse("training:my-learning")
    for date, title, jp in _VERIFIED_LEARNING.rows(employee_id=employee.pk):
        yield {
            "date": date,
            "kind": _("Pelatihan"),
            "label": _("Pelatihan"),
            "title": title,
            "detail": _("%(jp)s JP") % {"jp": jp},
            "url": url,
        }
