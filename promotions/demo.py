"""Demo data for promotions: the current period's queue (eligible, near, blocked), proposals in every state,
a filled vacancy with its committee decision and an open one with ranked candidates. Bulk writes only;
works on the demo database of make run and on the 50,000-employee one."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any, cast

from django.core.files.base import ContentFile
from django.utils import timezone

from asn_portal.demo import DemoContext
from asn_portal.errors import ApplicationError
from careers.models import CareerPlan
from people.choices import ACTIVE_STATUSES
from people.models import Employee, Position
from performance.models import PredikatRecord
from promotions.proposals import services as proposal_services
from promotions.queue import services as queue_services
from promotions.vacancies import services as vacancy_services

from . import rules, selectors
from .choices import VacancyStatus
from .data import ensure_periods, ensure_reference_data
from .models import CivilServiceExam, PromotionPeriod

SAMPLE_CHUNK = 250
PDF = b"%PDF-1.4\n% Dokumen contoh portal demo\n%%EOF\n"


def _ensure_predikat(agency_id: int, today: dt.date, rng: Any) -> None:
    """When the performance seeder did not run (e.g. --only people,promotions), give the agency a predikat
    history so the queue shows eligible people; never overwrites existing records."""
    if PredikatRecord.objects.filter(employee__agency_id=agency_id).exists():
        return
    ids = list(Employee.objects.filter(agency_id=agency_id).values_list("pk", flat=True))
    choices = ["sangat_baik"] + ["baik"] * 7 + ["butuh_perbaikan"]
    rows = [
        PredikatRecord(employee_id=pk, year=year, predikat=rng.choice(choices), source="import", locked=True)
        for pk in ids
        for year in range(today.year - 4, today.year)
    ]
    PredikatRecord.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)


def _ensure_exams(agency_id: int, today: dt.date, rng: Any) -> None:
    """About two thirds of people at II/d and III/d have passed the ujian dinas they need."""
    rows = []
    for pk, code in Employee.objects.filter(agency_id=agency_id, rank__code__in=["II/d", "III/d"]).values_list(
        "pk", "rank__code"
    ):
        if rng.random() < 0.67:
            rows.append(
                CivilServiceExam(
                    employee_id=pk,
                    level=rules.EXAM_CROSSINGS[code],
                    exam_date=dt.date(today.year - rng.randint(1, 4), 9, 15),
                    certificate_number=f"STLUD/{today.year}/{pk:06d}",
                )
            )
    CivilServiceExam.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)


def _attach_documents(proposal: Any, actor: Any) -> None:
    for kind in proposal_services.required_documents(proposal):
        proposal_services.document_upload(
            proposal=proposal,
            kind=kind,
            upload=cast(Any, ContentFile(PDF, name=f"{kind}-{proposal.pk}.pdf")),
            actor=actor,
        )


def _sample(period: PromotionPeriod, agency_id: int, exclude: int | None) -> tuple[list[Employee], list[Employee]]:
    """Eligible and near-eligible people among a sample of the agency (cheap at 50,000 employees)."""
    ids = list(
        selectors.kp_population(agency_id=agency_id)
        .exclude(pk=exclude or 0)
        .order_by("pk")
        .values_list("pk", flat=True)[:2000]
    )
    tables = selectors.load_tables()
    near_limit_for = rules.period_dates_from(period.period_date + dt.timedelta(days=1), 2)[-1]
    eligible_ids: list[int] = []
    near_ids: list[int] = []
    # In pk order, a few hundred at a time, until seven eligible and one near are found: the same people as
    # evaluating all 2,000 at once, at a fraction of the rule evaluations.
    for start in range(0, len(ids), SAMPLE_CHUNK):
        if len(eligible_ids) >= 7 and near_ids:
            break
        bundle = selectors.load_rank_facts(employee_ids=ids[start : start + SAMPLE_CHUNK], as_of=period.period_date)
        for facts in sorted(bundle.facts, key=lambda f: f.employee_id):
            ev = rules.evaluate(facts, period.period_date, tables, window_opens=period.submission_opens)
            if ev.eligible:
                eligible_ids.append(facts.employee_id)
            elif (
                nxt := rules.next_eligible_period(facts, period.period_date, tables, now=ev)
            ) and nxt <= near_limit_for:
                near_ids.append(facts.employee_id)
    by_id = Employee.objects.select_related("unit").in_bulk(eligible_ids[:7] + near_ids[:1])
    return [by_id[i] for i in eligible_ids[:7]], [by_id[i] for i in near_ids[:1]]


def _proposals(period: PromotionPeriod, agency_id: int, actor: Any, ctx: DemoContext) -> None:
    staff_id = ctx.data.get("people", {}).get(ctx.data.get("_promo_code", ""), {}).get("staff_employee_id")
    eligible, near_people = _sample(period, agency_id, staff_id)
    made = []
    for employee in eligible:
        try:
            made.append(proposal_services.proposal_create(employee=employee, period=period, actor=actor))
        except ApplicationError:
            continue
    for person in near_people:
        with contextlib.suppress(ApplicationError):
            proposal_services.proposal_create(
                employee=person,
                period=period,
                actor=actor,
                override_reason="Prestasi kerja luar biasa (contoh pengecualian yang tercatat).",
            )
    _advance(made, period, agency_id, actor, ctx)


def _advance(made: list[Any], period: PromotionPeriod, agency_id: int, actor: Any, ctx: DemoContext) -> None:
    """States: [0] proposed (documents missing), [1] proposed with documents, [2] verified, [3] sent,
    [4] and [6] approved with a decree, [5] rejected."""
    for i, p in enumerate(made):
        if i >= 1:
            _attach_documents(p, actor)
        if i in (3, 4, 6):
            proposal_services.proposal_verify(proposal=p, actor=actor)
    if len(made) > 3:
        proposal_services.batch_send(period=period, agency_id=agency_id, actor=actor)
    for i, p in enumerate(made):
        p.refresh_from_db()
        if i in (4, 6) and p.status == "sent":
            proposal_services.proposal_approve(
                proposal=p,
                decree_number=f"823.3/{p.pk:04d}/BKD/{ctx.today.year}",
                decree_date=ctx.today,
                actor=actor,
            )
        elif i == 2:
            proposal_services.proposal_verify(proposal=p, actor=actor)
        elif i == 5:
            proposal_services.proposal_reject(
                proposal=p, reason="SKP tahun terakhir belum ditandatangani pejabat penilai.", actor=actor
            )


def _vacant_posts(agency_id: int) -> list[Position]:
    """Active managerial posts with a free place (formasi) and nobody holding them."""
    held: dict[int, int] = {}
    for pos in (
        Employee.objects.filter(agency_id=agency_id, status__in=ACTIVE_STATUSES)
        .exclude(position=None)
        .values_list("position_id", flat=True)
    ):
        held[pos] = held.get(pos, 0) + 1
    posts = Position.objects.filter(
        agency_id=agency_id, is_active=True, kind__in=["pengawas", "administrator"]
    ).order_by("code")
    return [p for p in posts if held.get(p.pk, 0) < p.headcount]


def _new_posts(agency_id: int, unit_id: int) -> list[Position]:
    """Two new pengawas posts in the demo head's unit (a reorganisation), so there is always a vacancy."""
    from people.models import OrgUnit

    unit = OrgUnit.objects.select_related("head_position").get(pk=unit_id)
    made = []
    for code, title in (("PRM-1", "Kepala Seksi Pengembangan Karier"), ("PRM-2", "Kepala Seksi Data dan Informasi")):
        post, _ = Position.objects.get_or_create(
            agency_id=agency_id,
            code=f"{code}-{unit_id}",
            defaults={
                "unit": unit,
                "title": title,
                "kind": "pengawas",
                "job_class": 9,
                "reports_to": unit.head_position,
                "headcount": 1,
            },
        )
        made.append(post)
    return made


def _vacancies(agency_id: int, unit_id: int, actor: Any, committee: Any, ctx: DemoContext) -> None:
    done_filled = done_open = False
    for position in _vacant_posts(agency_id)[:12] + _new_posts(agency_id, unit_id):
        try:
            vacancy = vacancy_services.vacancy_open(position=position, actor=actor, notes="Lowongan contoh.")
        except ApplicationError:
            continue
        candidates = list(vacancy.candidates.order_by("rank")[:3])
        if not candidates:
            vacancy.status = VacancyStatus.CANCELLED
            vacancy.save(update_fields=["status"])
            continue
        if not done_filled and position.unit_id == unit_id:
            # Moving into the demo head's unit: not someone whose career plan was written elsewhere (the unit's
            # plans all go through the head, audited; that is the demo's story).
            planned = set(
                CareerPlan.objects.filter(employee_id__in=[c.employee_id for c in candidates]).values_list(
                    "employee_id", flat=True
                )
            )
            candidates = [c for c in candidates if c.employee_id not in planned] or candidates[:0]
        if not done_filled and candidates:
            pick = candidates[1] if len(candidates) > 1 and ctx.rng.random() < 0.5 else candidates[0]
            try:
                vacancy_services.vacancy_decide(
                    vacancy=vacancy,
                    employee_id=pick.employee_id,
                    justification=""
                    if pick.rank == 1
                    else "Kandidat memiliki pengalaman lapangan yang dibutuhkan unit (contoh justifikasi).",
                    actor=committee or actor,
                )
                vacancy_services.vacancy_appoint(
                    vacancy=vacancy,
                    start_date=ctx.today,
                    decree_number=f"821.2/{vacancy.pk:04d}/BKD/{ctx.today.year}",
                    decree_date=ctx.today,
                    actor=actor,
                )
            except ApplicationError:
                continue  # the committee member or the admin is a candidate here (separation of duties)
            done_filled = True
        elif not done_open:
            done_open = True
        if done_filled and done_open:
            return


def seed_promotions(ctx: DemoContext) -> None:
    from people.models import AgencyRole

    ensure_reference_data()
    ensure_periods(PromotionPeriod, [ctx.today.year - 1, ctx.today.year, ctx.today.year + 1])
    # the next period still open for proposals (a period whose window has closed takes only late proposals)
    period = PromotionPeriod.objects.filter(submission_closes__gte=ctx.today).order_by("period_date").first()
    if period is None:
        return
    people = ctx.data.get("people", {})
    for code, info in people.items():
        agency_id = info["agency_id"]
        _ensure_predikat(agency_id, ctx.today, ctx.rng)
        _ensure_exams(agency_id, ctx.today, ctx.rng)
        admin = Employee.objects.select_related("user").get(pk=info["admin_employee_id"]).user
        committee_role = AgencyRole.objects.filter(agency_id=agency_id, role="committee").select_related("user").first()
        ctx.data["_promo_code"] = code
        _proposals(period, agency_id, admin, ctx)
        _vacancies(agency_id, info["head_unit_id"], admin, committee_role.user if committee_role else None, ctx)
        # The queue is built once, after the workflow, so proposed people show as such.
        queue_services.queue_build(period=period, agency_id=agency_id, actor=None)
    ctx.data.pop("_promo_code", None)
    ctx.data["promotions"] = {"period_id": period.pk, "built_at": timezone.now().isoformat()}
