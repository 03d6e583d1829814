"""The timeline read: one employee's career history and next steps from every registered source."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _

from asn_portal import registry
from asn_portal.precompiled import Param, Statement, rows_together
from asn_portal.templatetags.portal_builtins import fast_reverse
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
    boxes and every registered timeline source, plus the next expected steps. Constant query count: this app's
    reads are one query (`rows_together`), the other apps' sources are shared per employee object."""
    from competencies.models import CompetencyAssessment

    events: list[dict[str, Any]] = []
    assessments, sessions, actions, placements = _read_lists(employee)
    positions, ranks = employee_histories(employee)  # the profile's prefetched lists: read once per page
    for h in positions:
        events.append(
            {"date": h.start_date, "kind": "jabatan", "title": h.position_title, "detail": h.unit_name, "url": ""}
        )
    for r in ranks:
        events.append(
            {"date": r.start_date, "kind": "pangkat", "title": str(r.rank), "detail": r.decree_number, "url": ""}
        )
    method_label = _choice_labels(CompetencyAssessment, "method")
    assessment = str(_("Asesmen kompetensi"))  # translated once, not once per row
    for assessed_on, method, assessor in assessments:
        events.append(
            {
                "date": assessed_on,
                "kind": "asesmen",
                "title": f"{assessment}: {method_label(method)}",
                "detail": assessor,
                "url": "",
            }
        )
    session_kind = _choice_labels(MentoringSession, "kind")
    for pk, held_on, kind, topics, coach_name in sessions:
        events.append(
            {
                "date": held_on,
                "kind": "bimbingan",
                "title": f"{session_kind(kind)}: {topics}",
                "detail": coach_name,
                "url": fast_reverse("careers:session-detail", [pk], None),
            }
        )
    done, planned = _plan_actions(actions, today=today)
    events += done
    for box, published_at, year, review_name in placements:
        events.append(
            {
                "date": published_at.date() if published_at else dt.date(year, 12, 31),
                "kind": "talenta",
                "title": str(_("Kotak talenta %(b)s (%(r)s)") % {"b": box, "r": review_name}),
                "detail": rules.recommendation(box),
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
    labels: dict[str, Any] = {}  # each kind's label translated once per call, not once per event
    for e in events:
        kind = str(e.get("kind"))
        if kind in KIND_LABELS and kind not in labels:
            labels[kind] = str(KIND_LABELS[kind])
    events = [
        {**e, "label": labels.get(str(e.get("kind")), e.get("label") or e.get("kind"))} for e in events if e.get("date")
    ]
    events.sort(key=lambda e: e["date"], reverse=True)

    upcoming += planned
    upcoming.sort(key=lambda e: e["date"])
    # the latest published talent box (the profile panel shows it beside the timeline)
    return {"events": events, "upcoming": upcoming, "box": placements[0][0] if placements else None}


def _read_lists(employee: Employee) -> list[list[tuple[Any, ...]]]:
    """The four lists of this app's own reads in one round trip (each still its own ORM statement), with the reads
    the other apps' timeline sources registered (`registry.register_timeline_read`) and have not made yet: those
    rows are left where the sources look for them (`registry.shared`), so the sources read nothing."""
    pending = registry.timeline_reads_pending(employee)
    own = (_ASSESSMENTS, _SESSIONS, _ACTIONS, _PLACEMENTS)
    lists = rows_together(
        *((statement, {"employee_id": employee.pk}) for statement in (*own, *(st for _key, st in pending)))
    )
    for (key, _statement), rows in zip(pending, lists[len(own) :], strict=True):
        registry.shared(employee, key, lambda rows=rows: rows)  # type: ignore[misc]
    return lists[: len(own)]


def _plan_actions(
    actions: list[tuple[Any, ...]], *, today: dt.date
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The plans' actions (`_ACTIONS`' rows): those done are history, those planned or under way (of a plan still
    in use) are next steps."""
    done: list[dict[str, Any]] = []
    planned: list[dict[str, Any]] = []
    kind_label = _choice_labels(DevelopmentAction, "kind")
    for status, completed_on, due_date, title, kind in actions:
        if status == ActionStatus.DONE:
            done.append(
                {
                    "date": completed_on or due_date,
                    "kind": "pengembangan",
                    "title": title,
                    "detail": kind_label(kind),
                    "url": "",
                }
            )
        else:
            planned.append({"date": due_date, "kind": "rencana", "title": title, "overdue": due_date < today})
    return done, planned


def _choice_labels(model: type[Model], field: str) -> Callable[[Any], Any]:
    """`get_<field>_display()` for a raw value (Django's own rule: the choice's label, else the value)."""
    labels = dict(model._meta.get_field(field).flatchoices)  # type: ignore[union-attr]
    return lambda value: force_str(labels.get(value, value), strings_only=True)


# The timeline's own reads, compiled once per process (asn_portal.precompiled): the same querysets, without
# rebuilding their SQL on every profile, timeline page and API request (issue #13).
_EMPLOYEE = Param(-13_000_101)


def _assessments_qs(employee_id: int) -> QuerySet[Any]:
    from competencies.models import CompetencyAssessment

    return (
        CompetencyAssessment.objects.filter(employee_id=employee_id)
        .order_by("-assessed_on")
        .values_list("assessed_on", "method", "assessor")[:20]
    )


_ASSESSMENTS = Statement(_assessments_qs, employee_id=_EMPLOYEE)
_SESSIONS = Statement(
    lambda employee_id: MentoringSession.objects.filter(participants__employee_id=employee_id).values_list(
        "pk", "held_on", "kind", "topics", "coach__name"
    ),
    employee_id=_EMPLOYEE,
)
_ACTIONS = Statement(
    lambda employee_id: (
        DevelopmentAction.objects.filter(plan__employee_id=employee_id)
        .filter(
            Q(status=ActionStatus.DONE)
            | Q(status__in=[ActionStatus.PLANNED, ActionStatus.IN_PROGRESS], plan__status__in=LIVE_PLAN_STATUSES)
        )
        .order_by("due_date", "pk")
        .values_list("status", "completed_on", "due_date", "title", "kind")
    ),
    employee_id=_EMPLOYEE,
)
_PLACEMENTS = Statement(
    lambda employee_id: (
        TalentPlacement.objects.filter(employee_id=employee_id, review__status=ReviewStatus.PUBLISHED)
        .order_by("-review__published_at", "-review_id")
        .values_list("box", "review__published_at", "review__year", "review__name")
    ),
    employee_id=_EMPLOYEE,
)
