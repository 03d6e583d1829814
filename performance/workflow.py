"""What every SKP write shares (PermenPANRB 6/2022 Pasal 5): the compare-and-set of a plan's status, the
role check (with the no-self-decision rule), the audit entry of a transition and notifications on commit."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from asn_portal.errors import ApplicationError, ConflictError
from asn_portal.services import audit, notify
from people import decisions
from people.access import scope_for
from people.models import Employee

from . import rules
from .models import PerformancePlan, PerformanceSetting
from .permissions import plan_roles
from .reports import summaries as statistics_summaries


def actor_employee_id(actor: Any) -> int | None:
    return scope_for(actor).employee_id


def users_of(employee_ids: Iterable[int | None]) -> list[Any]:
    ids = [i for i in employee_ids if i]
    if not ids:
        return []
    return [e.user for e in Employee.objects.filter(pk__in=ids).exclude(user=None).select_related("user")]


def notify_on_commit(employee_ids: Iterable[int | None], title: str, body: str = "", url: str = "") -> None:
    ids = list(employee_ids)
    transaction.on_commit(lambda: notify(users=users_of(ids), title=title, body=body, url=url))


def plan_url(plan: PerformancePlan) -> str:
    return reverse("performance:plan-detail", args=[plan.pk])


def settings_for(agency_id: int) -> PerformanceSetting:
    setting, _created = PerformanceSetting.objects.get_or_create(agency_id=agency_id)
    return setting


def plan_cas(plan: PerformancePlan, transition: str, **changes: Any) -> None:
    """Compare-and-set the plan's status for `transition`; ConflictError if it moved meanwhile."""
    sources, target, _who = rules.TRANSITIONS[transition]
    changes["status"] = target
    changes["updated_at"] = timezone.now()
    updated = PerformancePlan.objects.filter(pk=plan.pk, status__in=sources).update(**changes)
    if updated == 0:
        raise ConflictError(
            _("Status SKP sudah berubah (sekarang: %(status)s); muat ulang halaman.")
            % {"status": PerformancePlan.objects.get(pk=plan.pk).get_status_display()},
            extra={"status": PerformancePlan.objects.get(pk=plan.pk).status},
        )
    statistics_summaries.touch(plan.agency_id)  # the statistics count SKPs by status
    before = plan.status
    for key, value in changes.items():
        setattr(plan, key, value)
    plan._audit_before = before  # type: ignore[attr-defined]


def require_role(actor: Any, plan: PerformancePlan, allowed: set[str], message: str) -> set[str]:
    roles = plan_roles(actor, plan)
    if not roles & allowed:
        raise ApplicationError(message, status=403)
    if not allowed & {"owner"}:
        # A decision on the SKP: never by its owner, whatever other role they hold (issue #11).
        decisions.ensure_may_decide(actor, plan.employee_id)
    return roles


def audit_transition(plan: PerformancePlan, actor: Any, transition: str, reason: str = "") -> None:
    audit(
        actor=actor,
        action=f"performance.plan.{transition}",
        obj=plan,
        before={"status": getattr(plan, "_audit_before", "")},
        after={"status": plan.status, "predikat": plan.predikat},
        reason=reason,
    )
