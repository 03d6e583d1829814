"""Home cards, the profile panel and the timeline source for training."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from asn_portal import registry
from asn_portal.precompiled import Param, Statement, rows_together
from asn_portal.templatetags.portal_builtins import fast_reverse
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
    """The year's JP and the last five trainings (`ledger_selectors.jp_and_last_trainings`' one read, as plain
    rows), and in the same round trip the verified trainings the profile's timeline lists (`timeline`, which then
    reads nothing): one query for the app's part of the profile (issue #13)."""
    year = timezone.localdate().year
    last_rows, verified = rows_together(
        (_PANEL_LAST_TRAININGS, {"employee_id": employee.pk, "year": year}),
        (_VERIFIED_LEARNING, {"employee_id": employee.pk}),
    )
    registry.shared(employee, _VERIFIED_KEY, lambda: verified)
    total = (last_rows[0][3] or ledger_selectors.ZERO) if last_rows else ledger_selectors.ZERO
    last = [{"date": date, "title": title, "jp": jp} for date, title, jp, _year_jp in last_rows]
    return {"jp": total, "percent": rules.jp_progress_percent(total), "year": year, "last": last}


_PANEL_LAST_TRAININGS = Statement(
    lambda employee_id, year: ledger_selectors._jp_and_last_trainings_qs(employee_id, year).values_list(  # type: ignore[misc]
        "date", "title", "jp", "year_jp"
    )[: ledger_selectors._LAST_TRAININGS_LIMIT],
    employee_id=Param(-13_000_202),
    year=Param(32_004),  # in the field's range: the ORM drops an impossible comparison
)
_VERIFIED_KEY = "training.verified_learning"


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
    rows = registry.shared(employee, _VERIFIED_KEY, lambda: _VERIFIED_LEARNING.rows(employee_id=employee.pk))
    if not rows:
        return
    url = fast_reverse("training:my-learning", [], None)
    kind, detail = _("Pelatihan"), _("%(jp)s JP")  # translated once, not once per row
    for date, title, jp in rows:
        yield {"date": date, "kind": kind, "label": kind, "title": title, "detail": detail % {"jp": jp}, "url": url}
