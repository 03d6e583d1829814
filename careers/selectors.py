"""Reads for careers: scoped through people.access, N+1-safe, aggregated in the database."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from people.access import employee_q, scope_for, team_q
from people.choices import ACTIVE_STATUSES, PositionType
from people.models import Employee, OrgUnit, Position

from . import integrations, rules
from .choices import ActionStatus, FollowUpStatus, ItemStatus, PlanStatus, ReviewStatus
from .models import (
    ActionItem,
    AppraisalFollowUp,
    CareerPlan,
    CareerSettings,
    DevelopmentAction,
    MentorAssignment,
    MentoringSession,
    SessionMentee,
    TalentPlacement,
    TalentReview,
    TalentScheme,
)

KEY_POST_KINDS = (
    PositionType.JPT_UTAMA,
    PositionType.JPT_MADYA,
    PositionType.JPT_PRATAMA,
    PositionType.ADMINISTRATOR,
)

# --- Settings -----------------------------------------------------------------------------------


def settings_for(agency_id: int | None) -> CareerSettings:
    """The agency's career settings, falling back to the national default row."""
    rows = {s.agency_id: s for s in CareerSettings.objects.filter(Q(agency_id=agency_id) | Q(agency_id=None))}
    found = rows.get(agency_id) or rows.get(None)
    return found or CareerSettings()


def scheme_for(agency_id: int | None) -> rules.Scheme:
    rows = {s.agency_id: s for s in TalentScheme.objects.filter(Q(agency_id=agency_id) | Q(agency_id=None))}
    row = rows.get(agency_id) or rows.get(None)
    if row is None:
        return rules.DEFAULT_SCHEME
    return rules.Scheme(
        predikat_points={k: Decimal(str(v)) for k, v in row.predikat_points.items()},
        performance_above=row.performance_above,
        performance_meets=row.performance_meets,
        potential_high=row.potential_high,
        potential_medium=row.potential_medium,
    )


# --- Talent (contract for promotions) ---------------------------------------------------------


def published_boxes(employee_ids: Iterable[int]) -> dict[int, int]:
    """{employee_id: box} from each employee's latest published talent review (one query)."""
    rows = (
        TalentPlacement.objects.filter(employee_id__in=list(employee_ids), review__status=ReviewStatus.PUBLISHED)
        .order_by("employee_id", "-review__published_at", "-review_id")
        .values_list("employee_id", "box")
    )
    out: dict[int, int] = {}
    for emp_id, box in rows:
        out.setdefault(emp_id, box)
    return out


def published_placement_for(employee: Employee) -> TalentPlacement | None:
    return (
        TalentPlacement.objects.filter(employee=employee, review__status=ReviewStatus.PUBLISHED)
        .select_related("review")
        .order_by("-review__published_at", "-review_id")
        .first()
    )


def review_list_visible_to(*, user: Any) -> QuerySet[TalentReview]:
    """BKD admins see every review of their agencies; heads and staff only published ones of their agency."""
    scope = scope_for(user)
    if scope.everything:
        return TalentReview.objects.all()
    q = Q(agency_id__in=scope.admin_agency_ids)
    if scope.agency_id:
        q |= Q(agency_id=scope.agency_id, status=ReviewStatus.PUBLISHED)
    return TalentReview.objects.filter(q)


def review_get_visible(*, user: Any, pk: int) -> TalentReview:
    review = review_list_visible_to(user=user).filter(pk=pk).first()
    if review is None:
        raise Http404("Periode talenta tidak ditemukan.")
    return review


def placements_visible(*, user: Any, review: TalentReview) -> QuerySet[TalentPlacement]:
    """Placements of a review the user may see: BKD all, heads their units, staff themselves."""
    return (
        TalentPlacement.objects.filter(review=review)
        .filter(employee_q(user, "employee__"))
        .select_related("employee", "unit", "position", "employee__rank")
    )


def grid_counts(*, user: Any, review: TalentReview) -> dict[int, int]:
    """Employees per box (1–9) that the user may see: one grouped query."""
    counts = dict.fromkeys(range(1, 10), 0)
    rows = (
        TalentPlacement.objects.filter(review=review)
        .filter(employee_q(user, "employee__"))
        .values("box")
        .annotate(n=Count("pk"))
    )
    for r in rows:
        counts[r["box"]] = r["n"]
    return counts


def previous_review(review: TalentReview) -> TalentReview | None:
    return (
        TalentReview.objects.filter(agency_id=review.agency_id, status=ReviewStatus.PUBLISHED)
        .exclude(pk=review.pk)
        .filter(Q(year__lt=review.year) | Q(year=review.year, pk__lt=review.pk))
        .order_by("-year", "-pk")
        .first()
    )


def movement(*, user: Any, review: TalentReview, previous: TalentReview) -> dict[tuple[int, int], int]:
    """{(box before, box now): employees} for people placed in both reviews (one grouped join)."""
    rows = (
        TalentPlacement.objects.filter(review=review, employee__talent_placements__review=previous)
        .filter(employee_q(user, "employee__"))
        .values_list("employee__talent_placements__box", "box")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(before, now): n for before, now, n in rows}


POOL_ROWS_PER_FAMILY = 25


def talent_pool(*, user: Any, review: TalentReview) -> list[dict[str, Any]]:
    """Boxes 7–9 grouped by position family (the kind of post held): the size of each family and its best
    members (box, then potential). One grouped query plus one per family (at most the 8 post types)."""
    qs = placements_visible(user=user, review=review).filter(box__in=rules.TALENT_POOL_BOXES)
    sizes = list(qs.values_list("position__kind").annotate(n=Count("pk")).order_by("position__kind"))
    labels = dict(PositionType.choices)
    out = []
    for kind, n in sizes:
        family = qs.filter(position__kind=kind) if kind else qs.filter(position=None)
        rows = list(family.order_by("-box", "-potential_score", "employee__name")[:POOL_ROWS_PER_FAMILY])
        out.append({"family": str(labels.get(kind, "—")), "count": n, "rows": rows})
    return out


def key_positions_visible_to(*, user: Any) -> QuerySet[Position]:
    """Key posts (JPT and administrator, or marked key) of the agencies the user administers."""
    scope = scope_for(user)
    qs = Position.objects.filter(Q(kind__in=KEY_POST_KINDS) | Q(is_key=True), is_active=True)
    if not scope.everything:
        qs = qs.filter(agency_id__in=scope.admin_agency_ids)
    return qs.select_related("unit").order_by("unit__path", "title")


def succession(*, position: Position, limit: int = 10) -> list[dict[str, Any]]:
    """Ranked candidates for a key post from the latest published talent pool of its agency: readiness,
    JPM against that post and the competency gaps (set-based: one gap query for all candidates)."""
    review = (
        TalentReview.objects.filter(agency_id=position.agency_id, status=ReviewStatus.PUBLISHED)
        .order_by("-published_at", "-pk")
        .first()
    )
    if review is None:
        return []
    pool = list(
        TalentPlacement.objects.filter(review=review, box__in=rules.TALENT_POOL_BOXES)
        .exclude(position_id=position.pk)
        .select_related("employee", "employee__rank", "position", "unit")
    )
    if not pool:
        return []
    ids = [p.employee_id for p in pool]
    required = integrations.post_requirements(position.pk)
    levels = integrations.current_levels(ids)
    names = integrations.competency_names(required)
    out: list[dict[str, Any]] = []
    for p in pool:
        current = {cid: levels.get((p.employee_id, cid)) for cid in required}
        jpm = integrations.jpm(required, current) or Decimal("0")
        gaps = [
            {
                "competency": names.get(cid, str(cid)),
                "required": req,
                "current": current[cid],
                "gap": req - (current[cid] or 0),
            }
            for cid, req in required.items()
            if (current[cid] or 0) < req
        ]
        out.append(
            {
                "placement": p,
                "employee": p.employee,
                "box": p.box,
                "jpm": jpm,
                "readiness": rules.readiness(p.box, jpm),
                "gaps": gaps,
            }
        )
    order = {rules.READY_NOW: 0, rules.READY_1_2: 1, rules.READY_LATER: 2}
    out.sort(key=lambda c: (order[str(c["readiness"])], -int(c["box"]), -Decimal(c["jpm"]), str(c["employee"].name)))
    return out[:limit]


# --- Career plans -----------------------------------------------------------------------------


def plan_list_visible_to(*, user: Any) -> QuerySet[CareerPlan]:
    return (
        CareerPlan.objects.filter(employee_q(user, "employee__"))
        .select_related("employee", "employee__unit", "employee__position", "target_position", "agreed_by")
        .prefetch_related("versions")
        .annotate(
            n_actions=Count("actions", filter=~Q(actions__status=ActionStatus.CANCELLED)),
            n_done=Count("actions", filter=Q(actions__status=ActionStatus.DONE)),
        )
    )


def plan_get_visible(*, user: Any, pk: int) -> CareerPlan:
    plan = plan_list_visible_to(user=user).filter(pk=pk).first()
    if plan is None:
        raise Http404("Rencana karier tidak ditemukan.")
    return plan


def plan_actions(plan: CareerPlan) -> QuerySet[DevelopmentAction]:
    return plan.actions.select_related("competency", "course_offering", "course_offering__course", "mentoring_session")


def current_plan_for(employee: Employee) -> CareerPlan | None:
    return (
        CareerPlan.objects.filter(employee=employee)
        .exclude(status=PlanStatus.ARCHIVED)
        .select_related("target_position", "agreed_by")
        .annotate(
            n_actions=Count("actions", filter=~Q(actions__status=ActionStatus.CANCELLED)),
            n_done=Count("actions", filter=Q(actions__status=ActionStatus.DONE)),
        )
        .first()
    )


def progress_of(plan: Any) -> int:
    n = getattr(plan, "n_actions", 0) or 0
    return round(100 * (getattr(plan, "n_done", 0) or 0) / n) if n else 0


def plan_coverage_by_unit(*, agency_id: int) -> list[dict[str, Any]]:
    """Per top-level unit (OPD): active staff, staff with a plan, agreed plans, and action progress."""
    units = list(OrgUnit.objects.filter(agency_id=agency_id, parent=None, is_active=True).order_by("name"))
    stats: dict[str, dict[str, int]] = {u.path: defaultdict(int) for u in units}

    def top(path: str) -> str | None:
        parts = path.strip("/").split("/")
        return f"/{parts[0]}/" if parts and parts[0] else None

    for path, n in (
        Employee.objects.filter(agency_id=agency_id, status__in=ACTIVE_STATUSES)
        .values_list("unit__path")
        .annotate(n=Count("pk"))
    ):
        t = top(path)
        if t in stats:
            stats[t]["staff"] += n
    for path, status, n in (
        CareerPlan.objects.filter(employee__agency_id=agency_id)
        .exclude(status=PlanStatus.ARCHIVED)
        .values_list("employee__unit__path", "status")
        .annotate(n=Count("pk"))
    ):
        t = top(path)
        if t in stats:
            stats[t]["plans"] += n
            if status == PlanStatus.AGREED:
                stats[t]["agreed"] += n
    for path, status, n in (
        DevelopmentAction.objects.filter(plan__employee__agency_id=agency_id)
        .exclude(plan__status=PlanStatus.ARCHIVED)
        .exclude(status=ActionStatus.CANCELLED)
        .values_list("plan__employee__unit__path", "status")
        .annotate(n=Count("pk"))
    ):
        t = top(path)
        if t in stats:
            stats[t]["actions"] += n
            if status == ActionStatus.DONE:
                stats[t]["done"] += n
    out = []
    for u in units:
        s = stats[u.path]
        out.append(
            {
                "unit": u,
                "staff": s["staff"],
                "plans": s["plans"],
                "agreed": s["agreed"],
                "coverage": round(100 * s["plans"] / s["staff"]) if s["staff"] else 0,
                "progress": round(100 * s["done"] / s["actions"]) if s["actions"] else 0,
            }
        )
    return out


# --- Mentoring --------------------------------------------------------------------------------


def mentee_ids_allowed_for(user: Any, today: dt.date) -> set[int]:
    """Whom the user may log a session with: their team (units they head) and assigned mentees."""
    scope = scope_for(user)
    ids = set(Employee.objects.filter(team_q(user)).values_list("pk", flat=True))
    if scope.employee_id:
        ids |= set(
            MentorAssignment.objects.filter(mentor_id=scope.employee_id, start_date__lte=today)
            .filter(Q(end_date=None) | Q(end_date__gte=today))
            .values_list("mentee_id", flat=True)
        )
    return ids


def session_list_visible_to(*, user: Any) -> QuerySet[MentoringSession]:
    """Sessions the user coached or attended; heads also see sessions of people in their units and
    BKD admins those of their agency."""
    scope = scope_for(user)
    base = MentoringSession.objects.all()
    if not scope.everything:
        q = Q(pk__in=SessionMentee.objects.filter(employee_q(user, "employee__")).values("session_id"))
        if scope.employee_id:
            q |= Q(coach_id=scope.employee_id)
        if scope.admin_agency_ids:
            q |= Q(agency_id__in=scope.admin_agency_ids)
        base = base.filter(q)
    return base.select_related("coach", "coach__position").prefetch_related(
        Prefetch("participants", queryset=SessionMentee.objects.select_related("employee"))
    )


def session_get_visible(*, user: Any, pk: int) -> MentoringSession:
    session = session_list_visible_to(user=user).filter(pk=pk).first()
    if session is None:
        raise Http404("Sesi bimbingan tidak ditemukan.")
    return session


def private_notes_for(user: Any, session: MentoringSession) -> str:
    """Private notes leave the database only for their author (pages, exports, API)."""
    return session.private_notes if user.pk == session.author_id else ""


def action_items_visible_to(*, user: Any) -> QuerySet[ActionItem]:
    return ActionItem.objects.filter(session__in=session_list_visible_to(user=user).values("pk")).select_related(
        "owner", "session"
    )


def team_cadence(*, user: Any, today: dt.date) -> QuerySet[Employee]:
    """The head's team: per member the last session date and open / overdue action items (one query)."""
    open_items = (
        ActionItem.objects.filter(owner_id=OuterRef("pk"), status=ItemStatus.OPEN)
        .order_by()
        .values("owner_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    overdue_items = (
        ActionItem.objects.filter(owner_id=OuterRef("pk"), status=ItemStatus.OPEN, due_date__lt=today)
        .order_by()
        .values("owner_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Employee.objects.filter(team_q(user), status__in=ACTIVE_STATUSES)
        .select_related("unit", "position")
        .annotate(
            last_session=Max("session_participations__session__held_on"),
            open_items=Coalesce(Subquery(open_items), 0),
            overdue_items=Coalesce(Subquery(overdue_items), 0),
        )
        .order_by("unit__path", "name")
    )


def cadence_by_unit(*, agency_id: int, today: dt.date, days: int) -> list[dict[str, Any]]:
    """Per unit: active staff, staff met in the last `days` days, and the unit head (who has not met whom).
    Two grouped queries: staff per unit, and distinct mentees per unit from the (small) session table."""
    since = today - dt.timedelta(days=days)
    staff = dict(
        Employee.objects.filter(agency_id=agency_id, status__in=ACTIVE_STATUSES)
        .values_list("unit_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    met = dict(
        SessionMentee.objects.filter(
            session__agency_id=agency_id,
            session__held_on__gte=since,
            session__held_on__lte=today,
            employee__status__in=ACTIVE_STATUSES,
            employee__agency_id=agency_id,
        )
        .values_list("employee__unit_id")
        .annotate(n=Count("employee_id", distinct=True))
        .order_by()
    )
    units = OrgUnit.objects.filter(pk__in=staff).select_related("head_position").order_by("path")
    out = []
    for u in units:
        total, seen = staff[u.pk], min(met.get(u.pk, 0), staff[u.pk])
        out.append(
            {
                "unit": u,
                "staff": total,
                "met": seen,
                "not_met": total - seen,
                "percent": round(100 * seen / total) if total else 0,
            }
        )
    return out


def unmet_in_unit(*, unit: OrgUnit, today: dt.date, days: int) -> QuerySet[Employee]:
    since = today - dt.timedelta(days=days)
    met = SessionMentee.objects.filter(employee_id=OuterRef("pk"), session__held_on__gte=since).values("pk")[:1]
    return (
        Employee.objects.filter(unit=unit, status__in=ACTIVE_STATUSES)
        .annotate(met=Subquery(met))
        .filter(met=None)
        .select_related("position")
        .order_by("name")
    )


# --- Appraisal follow-up ----------------------------------------------------------------------


def follow_up_list_visible_to(*, user: Any) -> QuerySet[AppraisalFollowUp]:
    return AppraisalFollowUp.objects.filter(employee_q(user, "employee__")).select_related(
        "employee", "employee__unit", "unit", "recognition_type", "employee__position"
    )


def follow_up_get_visible(*, user: Any, pk: int) -> AppraisalFollowUp:
    item = follow_up_list_visible_to(user=user).filter(pk=pk).first()
    if item is None:
        raise Http404("Tindak lanjut tidak ditemukan.")
    return item


def follow_up_progress_by_unit(*, agency_id: int, year: int) -> list[dict[str, Any]]:
    """Per unit: items, confirmed by the head, carried out (done), cancelled."""
    rows = (
        AppraisalFollowUp.objects.filter(agency_id=agency_id, year=year)
        .values("unit_id", "unit__name", "unit__path")
        .annotate(
            total=Count("pk"),
            proposed=Count("pk", filter=Q(status=FollowUpStatus.PROPOSED)),
            done=Count("pk", filter=Q(status=FollowUpStatus.DONE)),
            cancelled=Count("pk", filter=Q(status=FollowUpStatus.CANCELLED)),
        )
        .order_by("unit__path")
    )
    out = []
    for r in rows:
        live = r["total"] - r["cancelled"]
        out.append({**r, "percent": round(100 * r["done"] / live) if live else 0})
    return out


def follow_up_years(*, user: Any) -> list[int]:
    return list(follow_up_list_visible_to(user=user).values_list("year", flat=True).distinct().order_by("-year"))


# --- Timeline ---------------------------------------------------------------------------------

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
    for h in employee.position_history.all().order_by("-start_date"):
        events.append(
            {"date": h.start_date, "kind": "jabatan", "title": h.position_title, "detail": h.unit_name, "url": ""}
        )
    for r in employee.rank_history.select_related("rank").order_by("-start_date"):
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
    for a in DevelopmentAction.objects.filter(plan__employee=employee, status=ActionStatus.DONE):
        events.append(
            {
                "date": a.completed_on or a.due_date,
                "kind": "pengembangan",
                "title": a.title,
                "detail": a.get_kind_display(),
                "url": "",
            }
        )
    for tp in TalentPlacement.objects.filter(employee=employee, review__status=ReviewStatus.PUBLISHED).select_related(
        "review"
    ):
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

    for a in DevelopmentAction.objects.filter(
        plan__employee=employee, status__in=[ActionStatus.PLANNED, ActionStatus.IN_PROGRESS]
    ).exclude(plan__status=PlanStatus.ARCHIVED):
        upcoming.append({"date": a.due_date, "kind": "rencana", "title": a.title, "overdue": a.due_date < today})
    upcoming.sort(key=lambda e: e["date"])
    return {"events": events, "upcoming": upcoming}
