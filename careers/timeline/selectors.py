"""The timeline read: one employee's career history and next steps from every registered source."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from careers import integrations, rules
from careers.choices import ActionStatus, PlanStatus, ReviewStatus
from careers.models import (
    DevelopmentAction,
    MentoringSession,
    TalentPlacement,
)
from people.models import Employee
from people.selectors import employee_histories

LIVE_PLAN_STATUSES = [s for s in PlanStatus.values if s != PlanStatus.ARCHIVED]

KIND_LABELS: dict[str, Any] = {
    "jabatan": _("Jabatan"),
    "pangkat": _("Pangkat"),
    "performance": _("SKP"),
    "asesmen": _("Asesmen"),
    "bimbingan": _("Bimbingan"),
    "pengembangan": _("Pengembangan"),
    "talenta": _("Talenta"),
}


def timeline_for(employee: Employee, *, today: dt.date) -> dict[str, Any]:
    """One chronological view (newest first) of posts, ranks, predikat, mentoring, plan actions, talent
    boxes and every registered timeline source, plus the next expected steps. Constant query count."""
    from competencies.models import CompetencyAssessment

    events: list[dict[str, Any]] = []
    positions, ranks = employee_histories(employee)  # the profile's prefetched lists: read once per page
    for h in positions:
        events.append(
            {"date": h.start_date, "kind": "jabatan", "title": h.position_title, "detail": h.unit_name, "url": ""}
        )
    for r in ranks:
        events.append(
            {"date": r.start_date, "kind": "pangkat", "title": str(r.rank), "detail": r.decree_number, "url": ""}
        )
    for asm in CompetencyAssessment.objects.filter(employee=employee).order_by("-assessed_on")[:20]:
        events.append(
            {
                "date": asm.assessed_on,
                "kind": "asesmen",
                "title": f"{_('Asesmen kompetensi')}: {asm.get_method_display()}",
                "detail": asm.assessor,
                "url": "",
            }
        )
    for s in MentoringSession.objects.filter(participants__employee=employee).select_related("coach"):
        events.append(
            {
                "date": s.held_on,
                "kind": "bimbingan",
                "title": f"{s.get_kind_display()}: {s.topics}",
                "detail": s.coach.name,
                "url": reverse("careers:session-detail", args=[s.pk]),
            }
        )
    done, planned = _plan_actions(employee, today=today)
    events += done
    placements = list(
        TalentPlacement.objects.filter(employee=employee, review__status=ReviewStatus.PUBLISHED)
        .select_related("review")
        .order_by("-review__published_at", "-review_id")
    )
    for tp in placements:
        events.append(
            {
                "date": tp.review.published_at.date() if tp.review.published_at else dt.date(tp.review.year, 12, 31),
                "kind": "talenta",
                "title": str(_("Kotak talenta %(b)s (%(r)s)") % {"b": tp.box, "r": tp.review.name}),
                "detail": rules.recommendation(tp.box),
                "url": "",
            }
        )
    upcoming: list[dict[str, Any]] = []
    for row in integrations.timeline_rows(employee):
        # Sources mark expected future steps (e.g. the next rank promotion) as upcoming, not history.
        if row.pop("upcoming", False):
            upcoming.append({"overdue": False, **row})
        else:
            events.append(row)
    events = [
        {**e, "label": KIND_LABELS.get(str(e.get("kind")), e.get("label") or e.get("kind"))}
        for e in events
        if e.get("date")
    ]
    events.sort(key=lambda e: e["date"], reverse=True)

    upcoming += planned
    upcoming.sort(key=lambda e: e["date"])
    # the latest published talent box (the profile panel shows it beside the timeline)
    return {"events": events, "upcoming": upcoming, "box": placements[0].box if placements else None}


def _plan_actions(employee: Employee, *, today: dt.date) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The plans' actions in one read: those done are history, those planned or under way (of a plan still in
    use) are next steps."""
    done: list[dict[str, Any]] = []
    planned: list[dict[str, Any]] = []
    actions = DevelopmentAction.objects.filter(plan__employee=employee).filter(
        Q(status=ActionStatus.DONE)
        | Q(status__in=[ActionStatus.PLANNED, ActionStatus.IN_PROGRESS], plan__status__in=LIVE_PLAN_STATUSES)
    )
    for a in actions.order_by("due_date", "pk"):
        if a.status == ActionStatus.DONE:
            done.append(
                {
                    "date": a.completed_on or a.due_date,
                    "kind": "pengembangan",
                    "title": a.title,
                    "detail": a.get_kind_display(),
                    "url": "",
                }
            )
        else:
            planned.append({"date": a.due_date, "kind": "rencana", "title": a.title, "overdue": a.due_date < today})
    return done, planned
