"""Demo data for training: a ~60-course catalogue per agency, offerings across the year in every state,
enrolments, completions with certificates, questionnaire answers and follow-ups, external learning and a
realistic JP spread (about a quarter of staff below 20 JP, the demo staff login among them).
Bulk operations only, on PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from django.db import models
from django.db.models import Q
from django.utils import timezone

from asn_portal.demo import DemoContext, bulk_insert, copy_insert
from people.choices import ACTIVE_STATUSES
from people.models import Employee, OrgUnit, Rank
from people.selectors import supervisor_ids_for
from training.ledger.services import SOURCE_ENROLLMENT, SOURCE_EXTERNAL

from . import rules
from .choices import EnrollmentStatus as S
from .choices import (
    LearningKind,
    OfferingStatus,
    QuestionKind,
    QuestionnaireKind,
    RespondentRole,
    VerificationStatus,
)
from .defaults import ensure_defaults
from .demo_catalogue import APPLICATIONS, COMMENTS, COURSES, PLACES, PREREQUISITES, TRAINERS
from .models import (
    Answer,
    Course,
    CourseCompetency,
    CourseOffering,
    Enrollment,
    LearningRecord,
    QuestionnaireResponse,
    QuestionnaireTemplate,
)

M = TypeVar("M", bound=models.Model)
SOURCE_LMS = "training.lms"
SHORT_FORMATS = {"e_learning", "seminar", "bimtek", "workshop", "manajerial", "sosial_kultural"}


def _bulk(model: type[M], objs: Sequence[M], batch: int = 5000) -> list[M]:
    """bulk_create without the ORM's per-value compilation (asn_portal.demo.bulk_insert); pks are set."""
    return bulk_insert(model, list(objs), batch=batch)


def _insert_records(records: list[dict[str, Any]]) -> None:
    """Insert ledger lines (plain rows, no model instances: 300k of them at 50,000 employees) with one COPY."""
    copy_insert(LearningRecord, records)


def _mode(fmt: str) -> str:
    return rules.mode_for_format(fmt)


def seed_training(ctx: DemoContext) -> None:
    ensure_defaults()
    people = ctx.data.get("people") or {}
    agencies = ctx.data.get("agencies") or [d["agency_id"] for d in people.values()]
    demo_by_agency = {d["agency_id"]: d for d in people.values()}
    for agency_id in agencies:
        _seed_agency(ctx, agency_id, demo_by_agency.get(agency_id, {}))
    from django.db import connection

    with connection.cursor() as cur:  # fresh bulk loads: give the planner statistics at once
        for model in (LearningRecord, Enrollment, CourseOffering, QuestionnaireResponse, Answer, Course):
            cur.execute(f"ANALYZE {model._meta.db_table}")


@dataclass
class _Agency:
    """One agency's training seed: the context, its catalogue and offerings, its people and demo logins."""

    ctx: DemoContext
    agency_id: int
    demo: dict[str, Any]
    courses: list[Course] = field(default_factory=list)
    offerings: list[CourseOffering] = field(default_factory=list)
    pool: list[int] = field(default_factory=list)

    @property
    def staff_id(self) -> int | None:
        return self.demo.get("staff_employee_id")


def _seed_agency(ctx: DemoContext, agency_id: int, demo: dict[str, Any]) -> None:
    a = _Agency(ctx, agency_id, demo)
    a.courses = _catalogue(agency_id)
    a.offerings = _offerings(ctx, agency_id, a.courses)
    a.pool = list(
        Employee.objects.filter(agency_id=agency_id, status__in=ACTIVE_STATUSES)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not a.pool:
        return
    enrolments = _enrolments(a)
    records, jp_year, completed_info = _completion_records(a, enrolments)
    short = [c for c in a.courses if c.format in SHORT_FORMATS and c.jp <= 40]
    for emp in a.pool:
        records.extend(_lms_records(a, emp, short, jp_year.get(emp, Decimal(0))))
        external = _external_record(a, emp)
        if external is not None:
            records.append(external)
    _insert_records(records)
    _questionnaires(a, enrolments, completed_info)
    # make sure the demo staff's top recommendation has an open offering with seats
    if a.staff_id:
        _ensure_open_offering_for_staff(ctx, a.staff_id)


def _catalogue(agency_id: int) -> list[Course]:
    """About 60 courses with their competencies and prerequisites."""
    from competencies.models import Competency

    comps = dict(Competency.objects.filter(Q(agency__isnull=True) | Q(agency_id=agency_id)).values_list("code", "pk"))
    ranks = dict(Rank.objects.filter(scheme="pns").values_list("code", "pk"))
    min_rank = {"PKP": ranks.get("III/a"), "PKA": ranks.get("III/a"), "PKN-II": ranks.get("IV/a")}
    courses = _bulk(
        Course,
        [
            Course(
                agency_id=agency_id,
                code=code,
                title=title,
                description=desc,
                mode=_mode(fmt),
                format=fmt,
                provider=provider,
                jp=Decimal(jp),
                eligible_position_kinds=kinds,
                min_rank_id=min_rank.get(code),
            )
            for code, title, fmt, provider, jp, _c, kinds, desc in COURSES
        ],
    )
    by_code = {c.code: c for c in courses}
    CourseCompetency.objects.bulk_create(
        [
            CourseCompetency(course=by_code[code], competency_id=comps[cc], target_level=lv)
            for code, _t, _f, _p, _j, items, _k, _d in COURSES
            for cc, lv in items
            if cc in comps
        ]
    )
    Through = Course.prerequisites.through
    Through.objects.bulk_create(
        [
            Through(from_course_id=by_code[c].pk, to_course_id=by_code[p].pk)
            for c, ps in PREREQUISITES.items()
            for p in ps
        ]
    )
    return courses


def _offering_status(rng: Any, today: dt.date, start: dt.date, end: dt.date, enrol: tuple[dt.date, dt.date]) -> str:
    enrol_open, enrol_close = enrol
    if rng.random() < 0.04:
        return OfferingStatus.CANCELLED
    if end < today:
        return OfferingStatus.FINISHED
    if start <= today:
        return OfferingStatus.RUNNING
    if enrol_open <= today <= enrol_close:
        return OfferingStatus.OPEN
    if today > enrol_close:
        return OfferingStatus.CLOSED
    return OfferingStatus.DRAFT if rng.random() < 0.4 else OfferingStatus.OPEN


def _offerings(ctx: DemoContext, agency_id: int, courses: list[Course]) -> list[CourseOffering]:
    """Offerings across last year and this year, in every state."""
    rng, today = ctx.rng, ctx.today
    offerings: list[CourseOffering] = []
    jan1_last = dt.date(today.year - 1, 1, 15)
    span = (dt.date(today.year, 12, 10) - jan1_last).days
    for i, course in enumerate(courses):
        for k in range(3 if course.format in SHORT_FORMATS else 2):
            start = jan1_last + dt.timedelta(days=rng.randrange(span))
            if k == 0 and i % 3 == 0:  # a third of courses: an offering open for enrolment now
                start = today + dt.timedelta(days=rng.randint(12, 45))
                enrol_open = today - dt.timedelta(days=rng.randint(3, 20))
            else:
                enrol_open = start - dt.timedelta(days=rng.randint(25, 40))
            end = start + dt.timedelta(days=max(1, min(60, int(course.jp / 8))) - 1)
            enrol_close = start - dt.timedelta(days=2)
            status = _offering_status(rng, today, start, end, (enrol_open, enrol_close))
            online = course.format in ("e_learning", "jarak_jauh")
            offerings.append(
                CourseOffering(
                    course=course,
                    agency_id=agency_id,
                    name=f"Angkatan {k + 1} Tahun {start.year}",
                    start_date=start,
                    end_date=end,
                    location="" if online else rng.choice(PLACES),
                    online_url="https://lms.asn.go.id/kelas/" + course.code.lower() if online else "",
                    capacity=rng.choice([20, 25, 30, 30, 40]) if not online else 200,
                    enrol_open=enrol_open,
                    enrol_close=enrol_close,
                    trainer=rng.choice(TRAINERS),
                    requires_approval=course.format not in ("e_learning", "seminar"),
                    status=status,
                )
            )
    return _bulk(CourseOffering, offerings)


SEATED = (S.ENROLLED, S.ATTENDED, S.COMPLETED, S.FAILED, S.NO_SHOW)


def _enrolment_state(rng: Any, off: CourseOffering, e: Enrollment, seats: int, behind: int) -> None:
    """Set an enrolment's status from its offering's state (`seats` taken so far, `behind` later picks)."""
    now = timezone.now()
    if off.status == OfferingStatus.FINISHED:
        r = rng.random()
        e.status = S.COMPLETED if r < 0.85 else S.FAILED if r < 0.9 else S.NO_SHOW if r < 0.95 else S.CANCELLED
        if e.status == S.COMPLETED:
            e.completed_on = off.end_date
            e.score = Decimal(rng.randint(70, 98))
    elif off.status == OfferingStatus.RUNNING:
        e.status = S.ATTENDED if rng.random() < 0.8 else S.ENROLLED
    elif off.status == OfferingStatus.CANCELLED:
        e.status, e.reason = S.CANCELLED, "Angkatan dibatalkan."
    elif seats < off.capacity:
        e.status = S.ENROLLED
        if off.status == OfferingStatus.OPEN and off.requires_approval and rng.random() < 0.1:
            e.status = S.REQUESTED
    else:
        e.status = S.WAITLISTED
        e.waitlisted_at = now - dt.timedelta(minutes=behind)


def _enrolments(a: _Agency) -> list[Enrollment]:
    """About two classroom trainings per person a year; the demo staff completed one short course this year
    (its reaction questionnaire still due); a few of the demo head's team wait for the head's approval."""
    rng, now, year = a.ctx.rng, timezone.now(), a.ctx.today.year
    others = [p for p in a.pool if p != a.staff_id]
    scale = min(1.0, 2 * len(a.pool) / max(1, sum(o.capacity for o in a.offerings if o.capacity < 200)))
    enrolments: list[Enrollment] = []
    seats: dict[int, int] = {}
    staff_done = False
    for off in a.offerings:
        if off.status == OfferingStatus.DRAFT:
            continue
        chosen = rng.sample(others, _class_size(rng, off, scale, len(others)))
        for j, emp in enumerate(chosen):
            e = Enrollment(offering=off, employee_id=emp, agency_id=a.agency_id, decided_at=now)
            _enrolment_state(rng, off, e, seats.get(off.pk, 0), len(chosen) - j)
            if e.status in SEATED:
                seats[off.pk] = seats.get(off.pk, 0) + 1
            enrolments.append(e)
        if a.staff_id and not staff_done and _staff_course(off, year):
            enrolments.append(
                Enrollment(
                    offering=off,
                    employee_id=a.staff_id,
                    agency_id=a.agency_id,
                    status=S.COMPLETED,
                    completed_on=off.end_date,
                    decided_at=now,
                )
            )
            seats[off.pk] = seats.get(off.pk, 0) + 1
            staff_done = True
    enrolments.extend(_team_requests(a, enrolments))
    for e in enrolments:
        if e.status == S.COMPLETED:
            done_year = e.completed_on.year if e.completed_on else year
            e.certificate_number = f"{e.offering.course.code}/{e.offering.pk}/{e.employee_id}/{done_year}"
    enrolments = _bulk(Enrollment, enrolments)
    for off in a.offerings:
        off.seats_taken = min(off.capacity, seats.get(off.pk, 0))
    CourseOffering.objects.bulk_update(a.offerings, ["seats_taken"], batch_size=2000)
    return enrolments


def _class_size(rng: Any, off: CourseOffering, scale: float, available: int) -> int:
    fill = rng.uniform(0.5, 1.0) if off.status != OfferingStatus.OPEN else rng.uniform(0.2, 1.3)
    if off.status != OfferingStatus.OPEN:
        fill *= scale  # about two classroom trainings per person a year
    if off.capacity >= 200:
        return min(available, max(3, int(rng.randint(20, 60) * scale)))
    return min(available, max(2, int(off.capacity * fill)))


def _staff_course(off: CourseOffering, year: int) -> bool:
    return (
        off.status == OfferingStatus.FINISHED
        and off.start_date.year == year
        and off.course.format in ("seminar", "bimtek")
    )


def _team_requests(a: _Agency, enrolments: list[Enrollment]) -> list[Enrollment]:
    """Requests waiting for the demo head's decision."""
    rng = a.ctx.rng
    head_id = a.demo.get("head_employee_id")
    head_unit = OrgUnit.objects.filter(pk=a.demo.get("head_unit_id") or 0).values_list("path", flat=True).first()
    if not head_unit:
        return []
    team = list(
        Employee.objects.filter(unit__path__startswith=head_unit, status__in=ACTIVE_STATUSES)
        .exclude(pk__in=[head_id or 0, a.staff_id or 0])
        .values_list("pk", flat=True)[:50]
    )
    open_req = [o for o in a.offerings if o.status == OfferingStatus.OPEN and o.requires_approval]
    taken = {(e.offering.pk, e.employee_id) for e in enrolments}
    out = []
    for emp in team[:4] if open_req else []:
        off = rng.choice(open_req)
        if (off.pk, emp) in taken:
            continue
        taken.add((off.pk, emp))
        out.append(Enrollment(offering=off, employee_id=emp, agency_id=a.agency_id, status=S.REQUESTED))
    return out


def _completion_records(
    a: _Agency, enrolments: list[Enrollment]
) -> tuple[list[dict[str, Any]], dict[int, Decimal], dict[int, tuple[CourseOffering, dt.date]]]:
    """JP ledger lines of completions (source: the enrolment), this year's JP per person, completions."""
    now, year = timezone.now(), a.ctx.today.year
    records: list[dict[str, Any]] = []
    jp_year: dict[int, Decimal] = {}
    completed_info: dict[int, tuple[CourseOffering, dt.date]] = {}
    for e in enrolments:
        if e.status != S.COMPLETED or e.completed_on is None:
            continue
        c = e.offering.course
        completed_info[e.pk] = (e.offering, e.completed_on)
        records.append(
            {
                "employee_id": e.employee_id,
                "agency_id": a.agency_id,
                "year": e.completed_on.year,
                "date": e.completed_on,
                "jp": c.jp,
                "title": c.title,
                "kind": LearningKind.COURSE,
                "format": c.format,
                "provider": c.provider,
                "course_id": c.pk,
                "source_type": SOURCE_ENROLLMENT,
                "source_id": str(e.pk),
                "status": VerificationStatus.VERIFIED,
                "verified_at": now,
                "certificate_number": e.certificate_number,
            }
        )
        if e.completed_on.year == year:
            jp_year[e.employee_id] = jp_year.get(e.employee_id, Decimal(0)) + c.jp
    return records, jp_year, completed_info


def _lms_records(a: _Agency, emp: int, short: list[Course], have_this_year: Decimal) -> list[dict[str, Any]]:
    """Self-paced learning (LMS, seminars) giving a realistic spread: about a quarter below 20 JP this year,
    the demo staff at 14 JP."""
    rng, today, now = a.ctx.rng, a.ctx.today, timezone.now()
    year = today.year
    day_of_year = max(1, (today - dt.date(year, 1, 1)).days)
    records = []
    for yr, span_days, share_below in ((year - 1, 360, 0.12), (year, day_of_year, 0.28)):
        have = have_this_year if yr == year else Decimal(0)
        goal = Decimal(rng.randint(0, 19) if rng.random() < share_below else rng.randint(20, 56))
        if emp == a.staff_id and yr == year:
            goal = Decimal(14)
        limit = 2 if yr == year else 1
        n = 0
        while have < goal and n < limit:
            c = rng.choice(short)
            rest = max(Decimal(2), goal - have)
            jp = rest if n == limit - 1 else min(c.jp, rest)  # the last line tops up (LMS hours)
            records.append(
                {
                    "employee_id": emp,
                    "agency_id": a.agency_id,
                    "year": yr,
                    "date": dt.date(yr, 1, 1) + dt.timedelta(days=rng.randrange(span_days)),
                    "jp": jp,
                    "title": c.title,
                    "kind": LearningKind.COURSE,
                    "format": c.format,
                    "provider": c.provider,
                    "course_id": c.pk,
                    "source_type": SOURCE_LMS,
                    "source_id": f"{c.pk}-{yr}-{n}",
                    "status": VerificationStatus.VERIFIED,
                    "verified_at": now,
                    "certificate_number": f"LMS-{c.code}-{emp}-{yr}{n}",
                }
            )
            have += jp
            n += 1
    return records


def _external_record(a: _Agency, emp: int) -> dict[str, Any] | None:
    """A few report external learning (pending or verified)."""
    rng, today = a.ctx.rng, a.ctx.today
    r = rng.random()
    if r >= 0.04 or emp == a.staff_id:
        return None
    d = today - dt.timedelta(days=rng.randint(3, 60))
    return {
        "employee_id": emp,
        "agency_id": a.agency_id,
        "year": d.year,
        "date": d,
        "jp": Decimal(rng.choice([4, 6, 8, 12])),
        "hours": Decimal(rng.choice([3, 6, 8, 9])),
        "title": rng.choice(
            [
                "Webinar Kebijakan Publik Universitas Sumatera Utara",
                "Kursus Daring Manajemen Proyek",
                "Seminar Nasional Kesehatan Masyarakat",
            ]
        ),
        "kind": LearningKind.EXTERNAL,
        "format": rng.choice(["seminar", "e_learning", "kursus"]),
        "provider": rng.choice(["Universitas Sumatera Utara", "Coursera", "Ikatan Ahli Kesehatan Masyarakat"]),
        "source_type": SOURCE_EXTERNAL,
        "source_id": f"demo-{emp}",
        "status": VerificationStatus.PENDING if r < 0.025 else VerificationStatus.VERIFIED,
        "verified_at": None if r < 0.025 else timezone.now(),
        "certificate_number": f"SERT/{rng.randint(1000, 9999)}/{d.year}",
    }


Templates = dict[tuple[str, str], tuple[QuestionnaireTemplate, list[Any]]]


def _questionnaires(
    a: _Agency, enrolments: list[Enrollment], completed_info: dict[int, tuple[CourseOffering, dt.date]]
) -> None:
    """A reaction questionnaire for each completion, follow-ups (participant and supervisor) after 90 days."""
    rng, today = a.ctx.rng, a.ctx.today
    templates: Templates = {
        (t.kind, t.respondent_role): (t, list(t.questions.all()))
        for t in QuestionnaireTemplate.objects.filter(agency=None, is_active=True).prefetch_related("questions")
    }
    followup_ids = {pk for pk, (_o, d) in completed_info.items() if (today - d).days >= 90}
    emp_of = {e.pk: e.employee_id for e in enrolments}
    sups = supervisor_ids_for({emp_of[pk] for pk in followup_ids}) if followup_ids else {}
    responses: list[QuestionnaireResponse] = []
    for pk, (off, done) in completed_info.items():
        emp = emp_of[pk]
        plan: list[tuple[str, str, int, dt.date]] = [
            (QuestionnaireKind.REACTION, RespondentRole.PARTICIPANT, emp, done)
        ]
        if pk in followup_ids:
            due = done + dt.timedelta(days=90)
            plan.append((QuestionnaireKind.FOLLOWUP, RespondentRole.PARTICIPANT, emp, due))
            sup = sups.get(emp)
            if sup:
                plan.append((QuestionnaireKind.FOLLOWUP, RespondentRole.SUPERVISOR, sup, due))
        for kind, role, respondent, issued in plan:
            tpl = templates.get((str(kind), str(role)))
            if tpl is not None:
                staff_reaction = emp == a.staff_id and kind == QuestionnaireKind.REACTION
                responses.append(
                    _response(rng, today, tpl[0], pk, off, (kind, role, respondent, issued), staff_reaction)
                )
    _answers(rng, _bulk(QuestionnaireResponse, responses), templates)


def _response(
    rng: Any,
    today: dt.date,
    template: QuestionnaireTemplate,
    enrolment_id: int,
    off: CourseOffering,
    what: tuple[str, str, int, dt.date],
    unanswered: bool,
) -> QuestionnaireResponse:
    kind, role, respondent, issued = what
    answered = rng.random() < (0.85 if kind == QuestionnaireKind.REACTION else 0.6) and not unanswered
    return QuestionnaireResponse(
        template=template,
        enrollment_id=enrolment_id,
        offering_id=off.pk,
        respondent_id=respondent,
        kind=kind,
        respondent_role=role,
        issued_on=issued,
        answered_at=timezone.make_aware(
            dt.datetime.combine(min(today, issued + dt.timedelta(days=rng.randint(0, 10))), dt.time(10))
        )
        if answered
        else None,
        reminded_at=None if answered or (today - issued).days < 7 else timezone.now(),
        applied=(rng.random() < 0.8) if answered and role == RespondentRole.SUPERVISOR else None,
    )


def _answers(rng: Any, responses: list[QuestionnaireResponse], templates: Templates) -> None:
    answers: list[tuple[int, int, int | None, bool | None, str]] = []
    for resp in responses:
        if resp.answered_at is None:
            continue
        quality = rng.choice([3, 4, 4, 4, 5, 5])
        for q in templates[(resp.kind, resp.respondent_role)][1]:
            if q.kind == QuestionKind.LIKERT:
                answers.append((resp.pk, q.pk, max(1, min(5, quality + rng.choice([-1, 0, 0, 1]))), None, ""))
            elif q.kind == QuestionKind.YES_NO:
                answers.append((resp.pk, q.pk, None, bool(resp.applied), ""))
            elif rng.random() < 0.5:
                pool_text = COMMENTS if resp.kind == QuestionnaireKind.REACTION else APPLICATIONS
                answers.append((resp.pk, q.pk, None, None, rng.choice(pool_text)))
    copy_insert(Answer, answers, columns=["response_id", "question_id", "likert", "yes_no", "text"])


def _ensure_open_offering_for_staff(ctx: DemoContext, staff_id: int) -> None:
    from training.needs.selectors import recommended_courses

    today = ctx.today
    staff = Employee.objects.select_related("position", "rank").get(pk=staff_id)
    try:
        recs = recommended_courses(employee=staff, limit=3)
    except Exception:  # noqa: BLE001 - competencies not seeded: nothing to recommend
        return
    for course in recs:
        has = CourseOffering.objects.filter(
            course=course,
            status=OfferingStatus.OPEN,
            enrol_open__lte=today,
            enrol_close__gte=today,
            seats_taken__lt=models.F("capacity"),
        ).exists()
        if not has:
            start = today + dt.timedelta(days=21)
            CourseOffering.objects.create(
                course=course,
                agency_id=course.agency_id,
                name=f"Angkatan Khusus Tahun {start.year}",
                start_date=start,
                end_date=start + dt.timedelta(days=max(0, min(30, int(course.jp / 8)) - 1)),
                location="Aula BKD",
                capacity=30,
                enrol_open=today - dt.timedelta(days=5),
                enrol_close=start - dt.timedelta(days=2),
                trainer=TRAINERS[0],
                requires_approval=False,
                status=OfferingStatus.OPEN,
            )
