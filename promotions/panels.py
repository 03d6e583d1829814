"""Home card, profile panel and timeline entries registered into the shared pages."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import gettext as _

from asn_portal import registry
from asn_portal.i18n_text import rule_text
from asn_portal.precompiled import Param, Statement
from asn_portal.templatetags.portal_builtins import fast_reverse
from people.access import employee_q, is_hr_admin, scope_for
from people.models import Employee
from people.selectors import current_employee

from .choices import ProposalStatus, QueueStatus
from .models import PromotionPeriod, PromotionProposal, QueueCountSummary
from .selectors import current_period, promotion_outlook, queue_counts_for


def home_outlook(request: HttpRequest) -> dict[str, Any] | None:
    """Staff: my next rank promotion date and what is missing."""
    employee = current_employee(request.user)
    if employee is None:
        return None
    return {"outlook": promotion_outlook(employee), "url": reverse("promotions:my-outlook")}


def home_bkd(request: HttpRequest) -> dict[str, Any] | None:
    """BKD: the upcoming period's queue counts and proposals awaiting verification."""
    if not is_hr_admin(request.user):
        return None
    scope = scope_for(request.user)
    whole_agencies = scope.everything or (
        not scope.head_unit_paths and (not scope.employee_id or scope.agency_id in scope.admin_agency_ids)
    )
    if whole_agencies:  # the admin sees whole agencies: one statement of the summary rows
        return _bkd_figures(None if scope.everything else sorted(scope.admin_agency_ids))
    period = current_period()
    if period is None:
        return None
    counts = queue_counts_for(user=request.user, period=period).counts
    waiting = PromotionProposal.objects.filter(
        employee_q(request.user, "employee__"), status=ProposalStatus.PROPOSED
    ).count()
    return {"period": period, "counts": counts, "waiting": waiting}


@functools.cache
def _bkd_sql(every_agency: bool) -> str:
    agencies = "true" if every_agency else "{alias}.agency_id = ANY(%(agencies)s)"
    return f"""
SELECT per.id, per.period_date, per.submission_opens, per.submission_closes, q.statuses, q.ns,
    (SELECT count(*) FROM {PromotionProposal._meta.db_table} p JOIN {Employee._meta.db_table} e
      ON e.id = p.employee_id WHERE {agencies.format(alias="e")} AND p.status = %(proposed)s)
FROM (SELECT 1) AS one
LEFT JOIN LATERAL (
    SELECT id, period_date, submission_opens, submission_closes FROM {PromotionPeriod._meta.db_table}
    WHERE period_date >= %(today)s ORDER BY period_date LIMIT 1
) per ON true
LEFT JOIN LATERAL (
    SELECT coalesce(array_agg(s.status ORDER BY s.id), '{{}}') AS statuses,
        coalesce(array_agg(s.n ORDER BY s.id), '{{}}') AS ns
    FROM {QueueCountSummary._meta.db_table} s WHERE s.period_id = per.id AND {agencies.format(alias="s")}
) q ON true
"""


def _bkd_figures(agency_ids: list[int] | None) -> dict[str, Any] | None:
    """The BKD card of an admin who sees whole agencies (None: every agency), in one statement of plain SQL: the
    upcoming period (`current_period`), its queue figures from the summary rows (`queue_counts_for`, which reads
    `queue_summary` for such an admin) and the proposals waiting for verification (their `employee_q` is the
    agencies' employees)."""
    params = {"agencies": agency_ids, "proposed": ProposalStatus.PROPOSED.value, "today": timezone.localdate()}
    with connection.cursor() as cursor:
        cursor.execute(_bkd_sql(agency_ids is None), params)
        period_id, period_date, opens, closes, statuses, ns, waiting = cursor.fetchone()
    if period_id is None:
        return None
    period = PromotionPeriod.from_db(
        connection.alias,
        ["id", "period_date", "submission_opens", "submission_closes"],
        [period_id, period_date, opens, closes],
    )
    counts: dict[str, int] = dict.fromkeys(QueueStatus.values, 0)
    for status, n in zip(statuses, ns, strict=True):
        counts[status] = counts.get(status, 0) + n
    return {"period": period, "counts": counts, "waiting": waiting}


def profile_outlook(request: HttpRequest, employee: Any = None) -> dict[str, Any] | None:
    if employee is None:
        return None
    scope = scope_for(request.user)
    if not (
        scope.everything
        or employee.pk == scope.employee_id
        or is_hr_admin(request.user, employee.agency_id)
        or scope.head_unit_paths
    ):
        return None
    return {"outlook": promotion_outlook(employee), "employee": employee}


# The employee's proposals for the timeline, compiled once per process (asn_portal.precompiled, issue #13).
_PROPOSALS = Statement(
    lambda employee_id: PromotionProposal.objects.filter(employee_id=employee_id).values_list(
        "pk", "period__period_date", "target_rank__code", "status", "decree_number", "rejection_reason"
    ),
    employee_id=Param(-13_000_301),
)
PROPOSALS_KEY = "promotions.timeline_proposals"  # registered as a timeline read (apps.py)


def timeline(employee: Any) -> Iterable[dict[str, Any]]:
    """Approved rank promotions and the next eligible period for the career timeline."""
    out: list[dict[str, Any]] = []
    status_label = dict(PromotionProposal._meta.get_field("status").flatchoices)  # get_status_display()
    proposals = registry.shared(employee, PROPOSALS_KEY, lambda: _PROPOSALS.rows(employee_id=employee.pk))
    if proposals:
        label, title = _("Kenaikan pangkat"), _("Usulan KP ke %(rank)s: %(status)s")  # translated once
        for pk, period_date, rank_code, status, decree_number, rejection_reason in proposals:
            out.append(
                {
                    "date": period_date,
                    "kind": "promotion",
                    "label": label,
                    "title": title
                    % {"rank": rank_code, "status": force_str(status_label.get(status, status), strings_only=True)},
                    "detail": decree_number or rejection_reason,
                    "url": fast_reverse("promotions:proposal-detail", [pk], None),
                }
            )
    outlook = promotion_outlook(employee)
    if outlook.applicable and outlook.next_eligible_date and outlook.target_rank:
        # A future step: careers lists it under "Langkah berikutnya", not in the history.
        out.append(
            {
                "date": outlook.next_eligible_date,
                "kind": "kp",
                "label": _("Kenaikan pangkat"),
                "title": str(_("Kenaikan pangkat berikutnya %(t)s") % {"t": outlook.target_rank}),
                "detail": "; ".join(rule_text(f) for f in outlook.failing),
                "url": fast_reverse("promotions:my-outlook", [], None),
                "upcoming": True,
            }
        )
    return out
