"""Demo data for careers: career plans in several states, a year of mentoring sessions with action items
(some overdue), two talent reviews (the latest published) and last year's follow-up list partly done.
Bulk operations only; scales to 50,000 employees on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from asn_portal.demo import DemoContext, bulk_insert, copy_insert
from asn_portal.errors import ConflictError
from careers.followups import services as followup_services
from careers.mentoring import services as mentoring_services
from careers.plans import services as plan_services
from careers.talent import services as talent_services
from people.choices import ACTIVE_STATUSES
from people.models import Employee, OrgUnit, Position, User
from people.selectors import supervisor_ids_for

from . import agency_settings, credits, rules
from .choices import (
    ActionKind,
    ActionSource,
    ActionStatus,
    FollowUpStatus,
    ItemStatus,
    PlanStatus,
    ReviewStatus,
    SessionKind,
    SessionMode,
)
from .defaults import ensure_all
from .models import (
    ActionItem,
    AppraisalFollowUp,
    CareerPlan,
    DevelopmentAction,
    MentoringSession,
    SessionMentee,
    TalentPlacement,
    TalentReview,
)

logger = logging.getLogger(__name__)

SESSIONS_PER_MONTH = 1  # the head's year of bimbingan with the team: 13 sessions through the services

TOPICS = [
    "Capaian RHK triwulan dan kendala lapangan",
    "Rencana pengembangan kompetensi tahun ini",
    "Umpan balik penyusunan laporan",
    "Persiapan penugasan lintas bidang",
    "Aspirasi karier dan jabatan target",
    "Perbaikan ketepatan waktu layanan",
    "Koordinasi dengan OPD lain",
]
ITEMS = [
    "Menyusun draf SOP layanan",
    "Mendaftar pelatihan teknis yang relevan",
    "Menyelesaikan laporan bulanan tepat waktu",
    "Membaca pedoman teknis terbaru",
    "Mendampingi rekan baru selama satu bulan",
    "Menyiapkan bahan paparan rapat pimpinan",
]
ACTIONS = [
    (ActionKind.TRAINING, "Pelatihan teknis bidang tugas"),
    (ActionKind.MENTORING, "Mentoring bulanan dengan atasan"),
    (ActionKind.ASSIGNMENT, "Penugasan sebagai koordinator kegiatan"),
    (ActionKind.ROTATION, "Rotasi ke bidang perencanaan"),
    (ActionKind.EDUCATION, "Persiapan tugas belajar S2"),
    (ActionKind.SELF_STUDY, "E-learning kepemimpinan mandiri"),
]


def seed_careers(ctx: DemoContext) -> None:
    ensure_all()
    demo = ctx.data.get("people", {})
    for code, info in demo.items():
        agency_id = info["agency_id"]
        head = Employee.objects.select_related("unit", "user").get(pk=info["head_employee_id"])
        staff_id = info["staff_employee_id"]
        admin_user = Employee.objects.get(pk=info["admin_employee_id"]).user
        team = _team_of(head)
        _seed_plans(ctx, agency_id, head, staff_id, team)
        _seed_sessions(ctx, agency_id, head, staff_id, team)
        _seed_reviews(ctx, agency_id, admin_user)
        _seed_follow_ups(ctx, agency_id, head, admin_user)
        _reagree_changed_plan(ctx, staff_id, head)
        ctx.data.setdefault("careers", {})[code] = {"head_team_size": len(team)}


def _reagree_changed_plan(ctx: DemoContext, staff_id: int, head: Employee) -> None:
    """The head's follow-up decision added coaching to the staff member's agreed plan, which opened version 2
    (rules.plan_change_effect); she submits it and the head agrees it again, so her plan is agreed with a
    version history."""
    plan = CareerPlan.objects.select_related("employee").filter(employee_id=staff_id).first()
    if plan is None or plan.status != PlanStatus.DRAFT or plan.version == 1:
        return
    plan_services.plan_submit(plan=plan, actor=_user(staff_id))
    plan_services.plan_review(
        plan=plan,
        agree=True,
        comment="Sepakat; bimbingan kinerja masuk rencana.",
        actor=_user(head.pk),
        today=ctx.today,
    )


def _team_of(head: Employee) -> list[int]:
    paths = list(
        OrgUnit.objects.filter(Q(head_position_id=head.position_id) | Q(acting_head_id=head.pk)).values_list(
            "path", flat=True
        )
    )
    q = Q(pk__in=[])
    for p in paths:
        q |= Q(unit__path__startswith=p)
    return list(
        Employee.objects.filter(q, status__in=ACTIVE_STATUSES)
        .exclude(pk=head.pk)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _user(employee_id: int) -> Any:
    """The account of an employee, fresh (scope caches live on the user object)."""
    return User.objects.get(employee__pk=employee_id)


# The demo staff member's plan and her teammates' plans are written by their owners and agreed or returned by
# the demo head through the services (audited, notified); the sample elsewhere is inserted set-wise with the
# same shape: an agreed plan names the owner's direct superior and a date, a returned one the head's comment.
TEAM_PLAN_STATES = [
    PlanStatus.SUBMITTED,
    PlanStatus.REVISION,
    PlanStatus.AGREED,
    PlanStatus.DRAFT,
    PlanStatus.SUBMITTED,
]


def _seed_plans(ctx: DemoContext, agency_id: int, head: Employee, staff_id: int, team: list[int]) -> None:
    posts = list(
        Position.objects.filter(agency_id=agency_id, kind__in=["administrator", "pengawas", "fungsional_keahlian"])
        .order_by("pk")
        .values_list("pk", flat=True)[:200]
    )
    head_user = _user(head.pk)
    _story_plan(ctx, staff_id, head_user, posts, PlanStatus.AGREED, done=2)
    mates = [t for t in team if t != staff_id][: len(TEAM_PLAN_STATES)]
    for emp_id, state in zip(mates, TEAM_PLAN_STATES, strict=False):
        _story_plan(ctx, emp_id, head_user, posts, state, done=1)
    others = list(
        Employee.objects.filter(agency_id=agency_id, status__in=ACTIVE_STATUSES)
        .exclude(pk__in=[head.pk, *team])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    sample = ctx.rng.sample(others, k=min(len(others), max(20, len(others) // 5)))
    _bulk_plans(ctx, sample, posts)


def _story_plan(ctx: DemoContext, emp_id: int, head_user: Any, posts: list[int], state: str, done: int) -> None:
    """One plan through the services: the owner writes and (unless a draft) submits it, the head agrees or
    returns it; on an agreed plan the owner then marks `done` actions finished."""
    rng, today = ctx.rng, ctx.today
    owner = _user(emp_id)
    employee = Employee.objects.select_related("unit", "agency").get(pk=emp_id)
    plan = plan_services.plan_create(
        employee=employee,
        target_position=Position.objects.get(pk=rng.choice(posts)) if posts else None,
        target_family="" if posts else "Jabatan fungsional keahlian",
        horizon_years=rng.choice([1, 2, 3]),
        aspiration="Menjadi pejabat yang menguasai perencanaan dan pelayanan publik.",
        strengths="Teliti, komunikatif, menguasai pengolahan data.",
        actor=owner,
    )
    actions = [
        plan_services.action_add(
            plan=plan,
            kind=kind,
            title=title,
            due_date=today + dt.timedelta(days=rng.randint(30, 300)),
            actor=owner,
            today=today,
        )
        for kind, title in rng.sample(ACTIONS, k=3)
    ]
    if state == PlanStatus.DRAFT:
        return
    plan_services.plan_submit(plan=plan, actor=owner)
    if state == PlanStatus.SUBMITTED:
        return
    agree = state == PlanStatus.AGREED
    comment = "Sepakat; fokus pada pelatihan teknis tahun ini." if agree else "Perjelas target waktu tiap kegiatan."
    plan_services.plan_review(plan=plan, agree=agree, comment=comment, actor=head_user, today=today)
    for action in actions[:done] if agree else []:
        plan_services.action_set_status(action=action, status=ActionStatus.DONE, actor=owner, on=today)


def _bulk_plans(ctx: DemoContext, owners: list[int], posts: list[int]) -> None:
    rng, today = ctx.rng, ctx.today
    sup = supervisor_ids_for(owners)
    states = [PlanStatus.AGREED, PlanStatus.SUBMITTED, PlanStatus.DRAFT, PlanStatus.AGREED, PlanStatus.REVISION]
    plans = []
    for i, emp_id in enumerate(owners):
        if rng.random() < 0.25:
            continue
        status = states[i % len(states)]
        if status in (PlanStatus.AGREED, PlanStatus.REVISION) and not sup.get(emp_id):
            status = PlanStatus.SUBMITTED  # nobody above to agree or return it
        plans.append(_bulk_plan(rng, today, emp_id, status, sup.get(emp_id), posts))
    created = bulk_insert(CareerPlan, plans)
    actions = []
    for plan in created:
        for kind, title in rng.sample(ACTIONS, k=rng.randint(2, 4)):
            actions.append(_bulk_action(rng, today, plan, kind, title))
    bulk_insert(DevelopmentAction, actions)


def _bulk_plan(
    rng: Any, today: dt.date, emp_id: int, status: str, superior: int | None, posts: list[int]
) -> CareerPlan:
    agreed = today - dt.timedelta(days=rng.randint(30, 300)) if status == PlanStatus.AGREED else None
    return CareerPlan(
        employee_id=emp_id,
        target_position_id=rng.choice(posts) if posts else None,
        target_family="" if posts else "Jabatan fungsional keahlian",
        horizon_years=rng.choice([1, 2, 3]),
        aspiration="Menjadi pejabat yang menguasai perencanaan dan pelayanan publik.",
        strengths="Teliti, komunikatif, menguasai pengolahan data.",
        status=status,
        submitted_at=timezone.now() if status != PlanStatus.DRAFT else None,
        agreed_by_id=superior if agreed else None,
        agreed_on=agreed,
        head_comment={
            PlanStatus.AGREED: "Sepakat; fokus pada pelatihan teknis tahun ini.",
            PlanStatus.REVISION: "Perjelas target waktu tiap kegiatan.",
        }.get(PlanStatus(status), ""),
        next_review_on=agreed + dt.timedelta(days=365) if agreed else None,
    )


def _bulk_action(rng: Any, today: dt.date, plan: CareerPlan, kind: str, title: str) -> DevelopmentAction:
    due = today + dt.timedelta(days=rng.randint(-200, 300))
    action_status = ActionStatus.PLANNED
    if plan.status == PlanStatus.AGREED:
        action_status = rng.choice(
            [ActionStatus.DONE, ActionStatus.DONE, ActionStatus.IN_PROGRESS, ActionStatus.PLANNED]
        )
    return DevelopmentAction(
        plan=plan,
        kind=kind,
        title=title,
        due_date=due,
        status=action_status,
        completed_on=min(due, today) if action_status == ActionStatus.DONE else None,
        source=ActionSource.MANUAL,
    )


def _seed_sessions(ctx: DemoContext, agency_id: int, head: Employee, staff_id: int, team: list[int]) -> None:
    """A year of sessions by the demo head with their team (logged, confirmed and answered through the
    services), plus a sample by other heads inserted set-wise and credited through careers.credits."""
    _story_sessions(ctx, head, staff_id, team)
    _bulk_sessions(ctx, agency_id, head)


def _story_sessions(ctx: DemoContext, head: Employee, staff_id: int, team: list[int]) -> None:
    rng, today = ctx.rng, ctx.today
    head_user = _user(head.pk)
    members = team[:40] or [staff_id]
    users: dict[int, Any] = {}
    for month in range(12, -1, -1):
        for n in range(SESSIONS_PER_MONTH):
            day = min(today, today - dt.timedelta(days=30 * month + rng.randint(0, 10) + 12 * n))
            mentees = sorted(set([staff_id] if month % 2 == 0 else []) | set(rng.sample(members, k=1)))
            owner = rng.choice(mentees)
            due = day + dt.timedelta(days=rng.randint(14, 60))
            try:
                session = mentoring_services.session_log(
                    actor=head_user,
                    mentee_ids=mentees,
                    held_on=day,
                    duration_minutes=rng.choice([30, 45, 60, 90]),
                    mode=rng.choice(SessionMode.values),
                    kind=rng.choice(SessionKind.values),
                    topics=rng.choice(TOPICS),
                    shared_notes="Disepakati langkah perbaikan dan jadwal pemantauan berikutnya.",
                    private_notes="Catatan pribadi pembimbing: perlu dorongan kepercayaan diri.",
                    action_items=[{"title": rng.choice(ITEMS), "owner_id": owner, "due_date": due}],
                    today=today,
                )
            except ConflictError:
                continue  # the same meeting drawn twice: logged once
            for m in mentees:
                users.setdefault(m, _user(m))
            _story_follow_through(ctx, session, users)


def _story_follow_through(ctx: DemoContext, session: MentoringSession, users: dict[int, Any]) -> None:
    """Mentees confirm sessions older than a week (and some recent ones), half answer the feedback form, and
    the owner closes most action items that are due."""
    rng, today = ctx.rng, ctx.today
    confirmed = (today - session.held_on).days > 7 or rng.random() < 0.4
    for m in session.participants.values_list("employee_id", flat=True):
        if not confirmed:
            continue
        mentoring_services.session_confirm(session=session, actor=users[m])
        if rng.random() < 0.5:
            answers = {k: rng.choice([3, 4]) for k, _t in rules.FEEDBACK_ITEMS}
            mentoring_services.session_feedback(session=session, answers=answers, comment="", actor=users[m])
    for item in session.action_items.select_related("session"):
        if item.due_date < today and rng.random() < 0.6:
            mentoring_services.action_item_set_status(
                item=item,
                status=ItemStatus.DONE,
                actor=users.get(item.owner_id) or _user(item.owner_id),
                today=item.due_date,
            )


def _bulk_sessions(ctx: DemoContext, agency_id: int, head: Employee) -> None:
    """Other heads of the agency: a handful of sessions each with their own unit's staff (capped so 50,000
    employees stay fast). One meeting per (coach, day, topic, mentee); confirmed ones earn the JP of the
    agency's settings and reach the ledger through careers.credits."""
    rng, today = ctx.rng, ctx.today
    heads = list(
        Employee.objects.filter(agency_id=agency_id, position__headed_units__isnull=False, user__isnull=False)
        .exclude(pk=head.pk)
        .values_list("pk", "user_id", "unit_id")
        .distinct()[:300]
    )
    staff_by_unit: dict[int, list[int]] = {}
    for pk, unit_id in Employee.objects.filter(
        agency_id=agency_id, unit_id__in=[h[2] for h in heads], status__in=ACTIVE_STATUSES
    ).values_list("pk", "unit_id"):
        staff_by_unit.setdefault(unit_id, []).append(pk)
    sessions: dict[tuple[int, dt.date, str, int], MentoringSession] = {}
    for pk, user_id, unit_id in heads:
        pool = [s for s in staff_by_unit.get(unit_id, []) if s != pk]
        for _n in range(rng.randint(0, 4) if pool else 0):
            s = _session(rng, agency_id, pk, user_id, today - dt.timedelta(days=rng.randint(0, 360)))
            sessions.setdefault((pk, s.held_on, s.topics, rng.choice(pool)), s)
    created = bulk_insert(MentoringSession, list(sessions.values()))
    settings = agency_settings.settings_for(agency_id)
    parts, items = [], []
    for session, key in zip(created, sessions, strict=True):
        confirmed = (today - session.held_on).days > 7 or rng.random() < 0.4
        parts.append(_bulk_part(rng, session, key[3], credits.session_jp(session, settings) if confirmed else None))
        items.extend(_bulk_items(rng, today, session, key[3]))
    bulk_insert(SessionMentee, parts)
    bulk_insert(ActionItem, items)
    credits.credit_confirmed(s.pk for s in created)


def _bulk_part(rng: Any, session: MentoringSession, mentee: int, jp: Decimal | None) -> SessionMentee:
    answered = jp is not None and rng.random() < 0.5
    return SessionMentee(
        session=session,
        employee_id=mentee,
        confirmed_at=timezone.now() if jp is not None else None,
        jp_credited=jp,
        feedback={k: rng.choice([3, 4]) for k, _t in rules.FEEDBACK_ITEMS} if answered else {},
        feedback_at=timezone.now() if answered else None,
    )


def _bulk_items(rng: Any, today: dt.date, session: MentoringSession, owner: int) -> list[ActionItem]:
    items = []
    for _n in range(rng.randint(1, 2)):
        due = session.held_on + dt.timedelta(days=rng.randint(14, 60))
        done = due < today and rng.random() < 0.6
        items.append(
            ActionItem(
                session=session,
                title=rng.choice(ITEMS),
                owner_id=owner,
                due_date=due,
                status=ItemStatus.DONE if done else ItemStatus.OPEN,
                done_on=min(due, today) if done else None,
            )
        )
    return items


def _session(rng: Any, agency_id: int, coach_id: int, user_id: int, day: dt.date) -> MentoringSession:
    return MentoringSession(
        agency_id=agency_id,
        coach_id=coach_id,
        author_id=user_id,
        held_on=day,
        duration_minutes=rng.choice([30, 45, 60, 90]),
        mode=rng.choice(SessionMode.values),
        kind=rng.choice(SessionKind.values),
        topics=rng.choice(TOPICS),
        shared_notes="Disepakati langkah perbaikan dan jadwal pemantauan berikutnya.",
        private_notes="Catatan pribadi pembimbing: perlu dorongan kepercayaan diri.",
    )


def _seed_reviews(ctx: DemoContext, agency_id: int, admin_user: Any) -> None:
    """Last year's review computed from the real data (predikat + JPM) and published; the year before
    published too (for movement). Where other apps seeded no data, placements are synthesised."""
    rng, year = ctx.rng, ctx.today.year - 1
    previous = TalentReview.objects.create(agency_id=agency_id, name=f"Manajemen Talenta {year - 1}", year=year - 1)
    current = TalentReview.objects.create(agency_id=agency_id, name=f"Manajemen Talenta {year}", year=year)
    TalentReview.objects.filter(pk=current.pk).update(status=ReviewStatus.COMPUTING)
    try:
        with transaction.atomic():
            talent_services.review_compute(current.pk)
    except Exception:  # noqa: BLE001 - demo fallback when lower apps have no data or no contract yet
        TalentReview.objects.filter(pk=current.pk).update(status=ReviewStatus.COMPUTED)
    if not TalentPlacement.objects.filter(review=current).exists():
        _synthesise(rng, current)
    _synthesise(rng, previous, like=current)
    now = timezone.now()
    TalentReview.objects.filter(pk=previous.pk).update(
        status=ReviewStatus.PUBLISHED,
        published_at=now - dt.timedelta(days=365),
        published_by=admin_user,
        computed_at=now - dt.timedelta(days=366),
    )
    TalentReview.objects.filter(pk=current.pk).update(
        status=ReviewStatus.PUBLISHED, published_at=now, published_by=admin_user, computed_at=now
    )
    for r in (previous, current):
        n = TalentPlacement.objects.filter(review=r).count()
        TalentReview.objects.filter(pk=r.pk).update(counts={"placed": n})


def _synthesise(rng: Any, review: TalentReview, like: TalentReview | None = None) -> None:
    if like is not None:
        base = list(like.placements.values_list("employee_id", "unit_id", "position_id", "box"))
    else:
        base = [
            (e, u, p, 0)
            for e, u, p in Employee.objects.filter(agency_id=review.agency_id, status__in=ACTIVE_STATUSES).values_list(
                "pk", "unit_id", "position_id"
            )
        ]
    weights = [1, 6, 4, 5, 25, 4, 12, 8, 4]
    rows = []
    for emp_id, unit_id, pos_id, box in base:
        if like is not None and rng.random() < 0.7:
            new_box = box
        else:
            new_box = rng.choices(range(1, 10), weights=weights)[0]
        pb, qb = rules.bands_of(new_box)
        rows.append(
            (
                review.pk,
                emp_id,
                unit_id,
                pos_id,
                {"above": Decimal("100"), "meets": Decimal("75"), "below": Decimal("50")}[pb],
                pb,
                {"high": Decimal("92"), "medium": Decimal("82"), "low": Decimal("70")}[qb],
                qb,
                new_box,
                new_box,
            )
        )
    copy_insert(  # plain rows: one per employee, no model instances
        TalentPlacement,
        rows,
        columns=[
            "review_id",
            "employee_id",
            "unit_id",
            "position_id",
            "performance_score",
            "performance_band",
            "potential_score",
            "potential_band",
            "computed_box",
            "box",
        ],
    )


def _seed_follow_ups(ctx: DemoContext, agency_id: int, head: Employee, admin_user: Any) -> None:
    """Last year's follow-up list, drafted by the job from the final predikat, partly decided and done."""
    rng, year = ctx.rng, ctx.today.year - 1
    try:
        with transaction.atomic():
            followup_services.follow_ups_draft(agency_id=agency_id, year=year)
    except Exception:  # noqa: BLE001 - performance data may be absent in a partial seed
        logger.info("careers demo: follow-ups synthesised (no final predikat)")
    if not AppraisalFollowUp.objects.filter(agency_id=agency_id, year=year).exists():
        _synthesise_follow_ups(rng, agency_id, year)
    ids = list(
        AppraisalFollowUp.objects.filter(agency_id=agency_id, year=year).order_by("pk").values_list("pk", flat=True)
    )
    # Decide a share of the items through the real service for the head's unit (audited, written into the
    # plan), and in bulk elsewhere; then mark about half of the decided ones done.
    team = set(_team_of(head))
    head_user = User.objects.get(pk=head.user_id or 0)
    own = list(AppraisalFollowUp.objects.filter(pk__in=ids, employee_id__in=team).select_related("employee__unit"))
    for item in own[: max(1, len(own) // 2)]:
        try:
            with transaction.atomic():
                followup_services.follow_up_decide(
                    item=item, decision=FollowUpStatus.CONFIRMED, reason="", actor=head_user, today=ctx.today
                )
        except Exception:  # noqa: BLE001
            continue
    own_ids = {o.pk for o in own}
    rest = [i for i in ids if i not in own_ids]
    decided = rng.sample(rest, k=int(len(rest) * 0.6))
    AppraisalFollowUp.objects.filter(pk__in=decided).update(
        status=FollowUpStatus.CONFIRMED, decided_by=admin_user, decided_at=timezone.now()
    )
    done = rng.sample(decided, k=len(decided) // 2)
    AppraisalFollowUp.objects.filter(pk__in=done).update(status=FollowUpStatus.DONE, done_on=ctx.today)


def _synthesise_follow_ups(rng: Any, agency_id: int, year: int) -> None:
    rows = []
    emps = list(Employee.objects.filter(agency_id=agency_id, status__in=ACTIVE_STATUSES).values_list("pk", "unit_id"))
    for emp_id, unit_id in emps:
        r = rng.random()
        predikat = "sangat_baik" if r < 0.12 else ("butuh_perbaikan" if r < 0.18 else ("kurang" if r < 0.2 else ""))
        for kind in rules.follow_up_kinds(predikat) if predikat else []:
            rows.append(
                AppraisalFollowUp(
                    agency_id=agency_id,
                    unit_id=unit_id,
                    employee_id=emp_id,
                    year=year,
                    predikat=predikat,
                    kind=kind,
                    sessions_planned=rules.coaching_sessions_for(predikat),
                    opportunity="specialised_course" if kind == "development" else "",
                )
            )
    bulk_insert(AppraisalFollowUp, rows)
