"""Demo data for SKP: a full year in every state, past years' predikat, unit ratings, calibration and
one objection. Bulk and set-based so it scales to 50,000 employees."""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.utils import timezone

from asn_portal.demo import copy_insert
from people.choices import ACTIVE_STATUSES
from people.models import Employee, OrgUnit
from people.selectors import supervisor_ids_for
from performance.calibration import services as calibration_services
from performance.history import services as history_services
from performance.periods import services as periods_services
from performance.plans import services as plan_services

from . import rules
from .choices import (
    Approach,
    EvaluationStatus,
    PeriodStatus,
    PlanStatus,
    PredikatImportStatus,
    PredikatSource,
)
from .loaders import ensure_all
from .models import (
    BehaviourExpectation,
    CoreValue,
    Evaluation,
    EvaluationPeriod,
    Feedback,
    Indicator,
    Objection,
    PerformancePlan,
    PerformanceSetting,
    PlannedResult,
    PredikatImport,
    PredikatRecord,
    Progress,
    UnitPerformance,
)

STORY_TEAM = 7  # the demo head's inbox: four SKPs to decide and three approved, through the services
PAST_WEIGHTS = [("sangat_baik", 12), ("baik", 70), ("butuh_perbaikan", 11), ("kurang", 6), ("sangat_kurang", 1)]
RESULT_WEIGHTS = [("above", 30), ("meets", 60), ("below", 10)]
BEHAVIOUR_WEIGHTS = [("above", 35), ("meets", 60), ("below", 5)]
UNIT_WEIGHTS = [("istimewa", 15), ("baik", 65), ("butuh_perbaikan", 15), ("kurang", 5)]

RESULT_TEXTS = [
    ("Terlaksananya pelayanan administrasi yang tepat waktu", "Jumlah dokumen layanan selesai", "dokumen", 120),
    ("Tersusunnya laporan kinerja unit", "Jumlah laporan kinerja tersusun", "laporan", 12),
    ("Meningkatnya kualitas data kepegawaian", "Jumlah data pegawai dimutakhirkan", "data", 300),
    ("Terselenggaranya koordinasi program", "Jumlah rapat koordinasi terlaksana", "kegiatan", 8),
    ("Terlaksananya monitoring dan evaluasi kegiatan", "Jumlah laporan monev", "laporan", 4),
    ("Meningkatnya kepuasan penerima layanan", "Indeks kepuasan masyarakat", "indeks", 85),
]
FEEDBACK_TEXTS = [
    "Capaian triwulan ini baik; lengkapi bukti dukung tepat waktu.",
    "Perlu percepatan pada target kuantitas; koordinasikan kendala sejak awal.",
    "Kolaborasi dengan bidang lain sudah terlihat, pertahankan.",
    "Kualitas laporan meningkat, perhatikan ketepatan data.",
]


class _Clock:
    """Accumulates step timings into ctx.timings["performance.<step>"] (shown by bench/profiling)."""

    def __init__(self, ctx: Any) -> None:
        self.ctx = ctx
        self.last = time.perf_counter()

    def __call__(self, step: str) -> None:
        now = time.perf_counter()
        key = f"performance.{step}"
        self.ctx.timings[key] = self.ctx.timings.get(key, 0.0) + now - self.last
        self.last = now


def _pick(rng: Any, weights: list[tuple[str, int]]) -> str:
    return rng.choices([w[0] for w in weights], weights=[w[1] for w in weights])[0]


def seed_performance(ctx: Any) -> None:
    ensure_all()
    people = ctx.data.get("people") or {}
    core_values = list(CoreValue.objects.all())
    for code, info in people.items():
        _seed_agency(ctx, code, info, core_values)
    # Fresh bulk-loaded tables: give the planner statistics before anyone opens a page.
    with connection.cursor() as cursor:
        for model in (PerformancePlan, PlannedResult, Indicator, Evaluation, Progress, PredikatRecord):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


@dataclass
class _Agency:
    """One agency's seeding state shared by the steps below."""

    ctx: Any
    agency_id: int
    info: dict[str, Any]
    emps: list[tuple[Any, ...]]
    sup: dict[int, int | None]
    head_pos_unit: dict[int, int]
    rich: set[int]
    layer: dict[int, int] = field(default_factory=dict)
    first_result: dict[tuple[int, int], int] = field(default_factory=dict)
    periods: dict[int, list[EvaluationPeriod]] = field(default_factory=dict)


def _seed_agency(ctx: Any, code: str, info: dict[str, Any], core_values: list[CoreValue]) -> None:
    tick = _Clock(ctx)
    year = ctx.today.year
    agency_id = info["agency_id"]
    PerformanceSetting.objects.get_or_create(agency_id=agency_id)
    periods = _open_periods(ctx, agency_id)
    emps = list(
        Employee.objects.filter(agency_id=agency_id, status__in=ACTIVE_STATUSES)
        .order_by("pk")
        .values_list("pk", "unit_id", "position_id", "position__title", "position__kind")
    )
    tick("periods_and_employees")
    sup = supervisor_ids_for([e[0] for e in emps])
    tick("supervisors")
    head_unit_ids = set(
        OrgUnit.objects.filter(path__startswith=OrgUnit.objects.get(pk=info["head_unit_id"]).path).values_list(
            "pk", flat=True
        )
    )
    # Rich detail (two RHK each, progress, feedback, ratings) for the demo head's unit and a 5% sample;
    # everyone else gets a lean SKP so the seeder stays fast at 50,000 employees.
    rng = ctx.rng
    a = _Agency(
        ctx=ctx,
        agency_id=agency_id,
        info=info,
        emps=emps,
        sup=sup,
        head_pos_unit=dict(
            OrgUnit.objects.filter(agency_id=agency_id)
            .exclude(head_position=None)
            .values_list("head_position_id", "pk")
        ),
        rich={e[0] for e in emps if e[1] in head_unit_ids or rng.random() < 0.05},
        periods=periods,
    )
    _past_predikat(a, year)
    _past_import(a, year - 4, head_unit_ids)
    tick("past_predikat")
    _layers(a)
    # Last year: final SKPs for everyone. This year: every state; the demo head's inbox holds one of
    # everything (SKPs to approve, a returned and a draft one), written by their owners and decided by the
    # head through the services, and last year's SKP evaluated but not yet final.
    demo_head, demo_staff = info["head_employee_id"], info["staff_employee_id"]
    team = [e[0] for e in emps if sup.get(e[0]) == demo_head and e[0] != demo_staff]
    inbox = [PlanStatus.SUBMITTED, PlanStatus.SUBMITTED, PlanStatus.RETURNED, PlanStatus.DRAFT]
    story: dict[int, str] = {demo_staff: PlanStatus.APPROVED}
    story.update({e: inbox[i] if i < len(inbox) else PlanStatus.APPROVED for i, e in enumerate(team[:STORY_TEAM])})
    forced_last: dict[int, str] = {team[-1]: PlanStatus.EVALUATED} if len(team) > 4 else {}
    last_plans = _make_plans(a, year - 1, forced_last, skip=set(), last_year=True)
    tick("plans_last_year")
    this_plans = _make_plans(a, year, {}, skip=set(story), last_year=False)
    this_plans.update(_story_plans(a, year, story))
    tick("plans_this_year")
    _behaviour_expectations(a, this_plans, core_values)
    _evaluations_and_progress(a, year, this_plans, demo_staff)
    tick("evaluations")
    _unit_ratings(a, year)
    tick("feedback_unit_ratings")
    calibration_services.distribution_check_all(period=periods[year - 1][-1], actor=None)
    tick("distribution_check")
    _objection(last_plans, team[:-1])


def _open_periods(ctx: Any, agency_id: int) -> dict[int, list[EvaluationPeriod]]:
    """Periods: three past years closed, this year's opened up to today (the last one is the annual)."""
    today, now = ctx.today, timezone.now()
    periods: dict[int, list[EvaluationPeriod]] = {}
    for y in (today.year - 3, today.year - 2, today.year - 1, today.year):
        rows = periods_services.ensure_periods(agency_id=agency_id, year=y, kind="quarterly", actor=None)
        for p in rows:
            if p.start_date > today:
                continue
            p.opened_at = now
            p.status = PeriodStatus.CLOSED if p.end_date < today else PeriodStatus.OPEN
            p.closed_at = now if p.status == PeriodStatus.CLOSED else p.closed_at
        EvaluationPeriod.objects.bulk_update(rows, ["opened_at", "status", "closed_at"])
        periods[y] = rows
    return periods


def _past_predikat(a: _Agency, year: int) -> None:
    """Y-3 and Y-2: imported predikat (riwayat from the previous system)."""
    _bulk(
        PredikatRecord,
        [
            {
                "employee_id": e[0],
                "year": y,
                "predikat": _pick(a.ctx.rng, PAST_WEIGHTS),
                "source": PredikatSource.IMPORT,
                "unit_id": e[1],
                "locked": True,
                "note": "Impor data lama",
            }
            for y in (year - 3, year - 2)
            for e in a.emps
        ],
    )


def _past_import(a: _Agency, year: int, head_unit_ids: set[int]) -> None:
    """One confirmed predikat import on the admin's import page: the demo head's unit's year-Y-4 history, uploaded
    as a file by the BKD admin and written through the same validation and confirm as an uploaded batch."""
    team = [e[0] for e in a.emps if e[1] in head_unit_ids][:8]
    nips = dict(Employee.objects.filter(pk__in=team).values_list("pk", "nip"))
    lines = [(i + 2, [nips[eid], str(year), _pick(a.ctx.rng, PAST_WEIGHTS)]) for i, eid in enumerate(team)]
    rows = history_services.validate_rows(agency_id=a.agency_id, lines=lines)
    admin = Employee.objects.select_related("user").get(pk=a.info["admin_employee_id"]).user
    batch = PredikatImport.objects.create(
        agency_id=a.agency_id,
        uploaded_by=admin,
        file_name=f"riwayat-predikat-{year}.csv",
        status=PredikatImportStatus.PREVIEW,
        rows=rows,
        error_count=sum(1 for r in rows if r["error"]),
    )
    history_services.import_confirm(batch=batch, actor=admin)


def _layers(a: _Agency) -> None:
    """Depth layers so every RHK can name its appraiser's RHK (cascading) in one bulk insert per layer."""
    known = {e[0] for e in a.emps}

    def depth(eid: int, guard: int = 0) -> int:
        if eid in a.layer:
            return a.layer[eid]
        s = a.sup.get(eid)
        d = 0 if not s or s not in known or guard > 12 else depth(s, guard + 1) + 1
        a.layer[eid] = d
        return d

    for eid in known:
        depth(eid)


def _story_plans(a: _Agency, year: int, story: dict[int, str]) -> dict[int, int]:
    """The demo staff member's and her teammates' SKPs of this year through the services: the owner drafts
    and submits, the demo head approves or returns (audited, notified, evaluation rows opened)."""
    from people.models import User

    plans: dict[int, int] = {}
    for eid, state in story.items():
        owner = User.objects.get(employee__pk=eid)
        employee = Employee.objects.select_related("position", "unit").get(pk=eid)
        plan = plan_services.plan_create(employee=employee, year=year, actor=owner)
        results = [_story_result(a, eid, k, year) for k in range(2)]
        plan_services.plan_save_content(plan=plan, approach=Approach.QUANTITATIVE, results=results, actor=owner)
        plans[eid] = plan.pk
        if state == PlanStatus.DRAFT:
            continue
        plan_services.plan_submit(plan=plan, actor=owner)
        appraiser = User.objects.get(employee__pk=plan.appraiser_id or 0)
        if state == PlanStatus.APPROVED:
            plan_services.plan_approve(plan=plan, actor=appraiser)
        elif state == PlanStatus.RETURNED:
            plan_services.plan_return(
                plan=plan, comment="Target kualitas belum terukur; lengkapi IKI aspek kualitas.", actor=appraiser
            )
    return plans


def _story_result(a: _Agency, eid: int, k: int, year: int) -> plan_services.ResultInput:
    text, ind_text, unit, target = RESULT_TEXTS[(eid + k) % len(RESULT_TEXTS)]
    return plan_services.ResultInput(
        kind="main" if k == 0 else "additional",
        text=text,
        parent_result_id=a.first_result.get((a.sup.get(eid) or 0, year)) if k == 0 else None,
        indicators=[
            plan_services.IndicatorInput("quantity", ind_text, str(target), unit),
            plan_services.IndicatorInput("time", "Waktu penyelesaian", "12", "bulan"),
        ],
    )


def _behaviour_expectations(a: _Agency, this_plans: dict[int, int], core_values: list[CoreValue]) -> None:
    """Ekspektasi khusus pimpinan for the rich sample of this year (plans made by the service have rows)."""
    _bulk(
        BehaviourExpectation,
        [
            BehaviourExpectation(plan_id=pid, core_value=cv, text=f"Menunjukkan perilaku {cv.name.lower()} dalam tugas")
            for eid, pid in this_plans.items()
            if eid in a.rich
            for cv in core_values
        ],
    )


def _evaluations_and_progress(a: _Agency, year: int, this_plans: dict[int, int], demo_staff: int) -> None:
    """Progress, feedback and evaluations on approved plans of this year."""
    rng, now = a.ctx.rng, timezone.now()
    statuses = dict(PerformancePlan.objects.filter(agency_id=a.agency_id, year=year).values_list("pk", "status"))
    approved = [pid for pid, st in statuses.items() if st == PlanStatus.APPROVED]
    opened = [p for p in a.periods[year] if p.opened_at]
    closed = [p for p in opened if p.status == PeriodStatus.CLOSED]
    rich_plan_ids = {
        this_plans[e] for e in a.rich if e in this_plans and statuses.get(this_plans[e]) == PlanStatus.APPROVED
    }
    appraiser_of = dict(
        PerformancePlan.objects.filter(agency_id=a.agency_id, year=year, status=PlanStatus.APPROVED).values_list(
            "pk", "appraiser_id"
        )
    )
    demo_plan = this_plans.get(demo_staff)
    evaluations = []
    for pid in approved:
        for p in opened:
            if pid not in rich_plan_ids and p.status != PeriodStatus.OPEN:
                continue
            ev: dict[str, Any] = {"plan_id": pid, "period_id": p.pk}
            # Rated: the rich sample's closed quarters, except the demo staff's last closed quarter,
            # which the demo head still has to rate.
            if pid in rich_plan_ids and p in closed and not (pid == demo_plan and p is closed[-1]):
                r, b = _pick(rng, RESULT_WEIGHTS), _pick(rng, BEHAVIOUR_WEIGHTS)
                ev.update(status=EvaluationStatus.EVALUATED, result_rating=r, behaviour_rating=b)
                ev["predikat"] = rules.derive_predikat(result=r, behaviour=b)
                ev.update(evaluated_by_id=appraiser_of.get(pid), evaluated_at=now)
            evaluations.append(ev)
    _bulk(Evaluation, evaluations)
    _progress(a, rich_plan_ids, opened)
    _bulk(
        Feedback,
        [
            Feedback(
                plan_id=pid,
                period=opened[-1] if opened else None,
                text=rng.choice(FEEDBACK_TEXTS),
                given_by_id=appraiser_of.get(pid),
            )
            for pid in rich_plan_ids
        ],
    )


def _progress(a: _Agency, rich_plan_ids: set[int], opened: list[EvaluationPeriod]) -> None:
    rng = a.ctx.rng
    inds = list(
        Indicator.objects.filter(result__plan_id__in=rich_plan_ids).values_list("pk", "target_value", "result__plan_id")
    )
    progress = []
    for ind_id, target, plan_id in inds:
        for p in opened:
            if p.status == PeriodStatus.OPEN and rng.random() < 0.5:
                continue  # half have not reported yet in the running period
            share = (p.number / 4) * rng.uniform(0.7, 1.15)
            value = round(float(target or 1) * share, 0)
            progress.append(
                {
                    "indicator_id": ind_id,
                    "period_id": p.pk,
                    "value": f"{value:g}",
                    "value_number": value,
                    "evidence_link": f"https://drive.contoh.go.id/bukti/{plan_id}/{p.number}",
                    "note": "",
                }
            )
    _bulk(Progress, progress)


def _unit_ratings(a: _Agency, year: int) -> None:
    """Unit ratings: last year's annual and this year's closed quarters."""
    unit_ids = list(OrgUnit.objects.filter(agency_id=a.agency_id, is_active=True).values_list("pk", flat=True))
    closed = [p for p in a.periods[year] if p.opened_at and p.status == PeriodStatus.CLOSED]
    _bulk(
        UnitPerformance,
        [
            UnitPerformance(
                unit_id=u, period=p, rating=_pick(a.ctx.rng, UNIT_WEIGHTS), note="Capaian rencana aksi unit"
            )
            for p in [a.periods[year - 1][-1], *closed]
            for u in unit_ids
        ],
    )


def _objection(last_plans: dict[int, int], team: list[int]) -> None:
    """One objection in the demo head's team on last year's (final) predikat."""
    team_last = [last_plans[e] for e in team if e in last_plans]
    if not team_last:
        return
    plan = PerformancePlan.objects.get(pk=team_last[0])
    PerformancePlan.objects.filter(pk=plan.pk).update(status=PlanStatus.OBJECTED)
    Objection.objects.create(
        plan=plan,
        reason="Realisasi triwulan IV belum diperhitungkan; bukti dukung terlampir.",
        original_predikat=plan.predikat,
    )


def _plan_status(a: _Agency, eid: int, *, last_year: bool) -> tuple[str | None, str, str, str]:
    """(status or None for no SKP, result rating, behaviour rating, predikat) of one bulk plan."""
    rng = a.ctx.rng
    if last_year:
        r, b = _pick(rng, RESULT_WEIGHTS), _pick(rng, BEHAVIOUR_WEIGHTS)
        return str(PlanStatus.FINAL), r, b, rules.derive_predikat(result=r, behaviour=b)
    roll = rng.random()
    status: str | None = PlanStatus.APPROVED
    for limit, st in (
        (0.06, None),
        (0.12, PlanStatus.DRAFT),
        (0.20, PlanStatus.SUBMITTED),
        (0.23, PlanStatus.RETURNED),
    ):
        if roll < limit:
            status = st
            break
    if eid == a.info["head_employee_id"] or a.sup.get(eid) is None:
        status = PlanStatus.APPROVED
    return status, "", "", ""


def _make_plans(a: _Agency, year: int, forced: dict[int, str], *, skip: set[int], last_year: bool) -> dict[int, int]:
    """Create one year's plans (except `skip`) with results and indicators; returns {employee_id: plan_id}."""
    now = timezone.now()
    plans: list[dict[str, Any]] = []
    for eid, unit_id, pos_id, title, kind in a.emps:
        if eid in skip:
            continue
        status, r, b, predikat = _plan_status(a, eid, last_year=last_year)
        status = forced.get(eid, status)
        if status is None:
            continue
        appraiser = a.sup.get(eid)
        plans.append(
            {
                "agency_id": a.agency_id,
                "employee_id": eid,
                "unit_id": unit_id,
                "position_title": title or "",
                "is_jpt": bool(kind and str(kind).startswith("jpt")),
                "is_unit_head": a.head_pos_unit.get(pos_id) == unit_id,
                "year": year,
                "appraiser_id": appraiser,
                "appraiser_superior_id": a.sup.get(appraiser) if appraiser else None,
                "approach": Approach.QUANTITATIVE,
                "status": status,
                "expectations": "Mencapai target RHK tepat waktu dengan kualitas data yang akurat."
                if eid in a.rich
                else "",
                "return_comment": "Target kualitas belum terukur; lengkapi IKI aspek kualitas."
                if status == PlanStatus.RETURNED
                else "",
                "submitted_at": now if status != PlanStatus.DRAFT else None,
                "approved_at": now if status in (PlanStatus.APPROVED, PlanStatus.EVALUATED, PlanStatus.FINAL) else None,
                "evaluated_at": now if last_year else None,
                "finalised_at": now - dt.timedelta(days=300) if status == PlanStatus.FINAL else None,
                "result_rating": r,
                "behaviour_rating": b,
                "predikat": predikat,
            }
        )
    _bulk(PerformancePlan, plans)
    plan_of = dict(
        PerformancePlan.objects.filter(agency_id=a.agency_id, year=year)
        .exclude(employee_id__in=skip)
        .values_list("employee_id", "pk")
    )
    _results(a, year, plan_of, last_year=last_year)
    if last_year:
        _final_predikat(a, year, forced)
    return plan_of


def _results(a: _Agency, year: int, plan_of: dict[int, int], *, last_year: bool) -> None:
    """Results layer by layer (top first) so each names its appraiser's first RHK, with their indicators."""
    employee_of_plan = {plan: emp for emp, plan in plan_of.items()}
    by_layer: dict[int, list[int]] = defaultdict(list)
    for eid in plan_of:
        by_layer[a.layer.get(eid, 0)].append(eid)
    for d in sorted(by_layer):
        results = []
        for eid in by_layer[d]:
            if last_year and eid not in a.rich:
                continue  # last year's lean SKPs carry only the final predikat
            parent = a.first_result.get((a.sup.get(eid) or 0, year))
            for k in range(2 if eid in a.rich and not last_year else 1):
                results.append(
                    PlannedResult(
                        plan_id=plan_of[eid],
                        kind="main" if k == 0 or eid % 5 else "additional",
                        text=RESULT_TEXTS[(eid + k) % len(RESULT_TEXTS)][0],
                        parent_result_id=parent if k == 0 else None,
                        order=k,
                    )
                )
        _bulk(PlannedResult, results, returning=True)
        for res in results:
            if res.order == 0 and res.pk:
                a.first_result[(employee_of_plan[res.plan_id], year)] = res.pk
        _bulk(Indicator, _indicators(a, results, employee_of_plan, last_year=last_year))


def _indicators(
    a: _Agency, results: list[PlannedResult], employee_of_plan: dict[int, int], *, last_year: bool
) -> list[Indicator]:
    indicators = []
    for res in results:
        eid = employee_of_plan[res.plan_id]
        _t, ind_text, unit, target = RESULT_TEXTS[(eid + res.order) % len(RESULT_TEXTS)]
        indicators.append(
            Indicator(
                result_id=res.pk,
                aspect="quantity",
                text=ind_text,
                target=str(target),
                target_value=target,
                unit=unit,
                order=0,
            )
        )
        if not last_year and eid in a.rich:
            indicators.append(
                Indicator(
                    result_id=res.pk,
                    aspect="time",
                    text="Waktu penyelesaian",
                    target="12",
                    target_value=12,
                    unit="bulan",
                    order=1,
                )
            )
    return indicators


def _final_predikat(a: _Agency, year: int, forced: dict[int, str]) -> None:
    """Last year's final predikat in the riwayat (not for the one SKP still awaiting finalisation)."""
    rows = PerformancePlan.objects.filter(agency_id=a.agency_id, year=year).values_list(
        "pk", "employee_id", "unit_id", "predikat"
    )
    _bulk(
        PredikatRecord,
        [
            {
                "employee_id": e,
                "year": year,
                "predikat": p,
                "source": PredikatSource.APPRAISAL,
                "plan_id": pk,
                "unit_id": u,
                "locked": True,
            }
            for pk, e, u, p in rows
            if e not in forced
        ],
    )


def _bulk(model: Any, objs: list[Any], *, returning: bool = False) -> None:
    """Insert many rows fast with one PostgreSQL COPY (asn_portal.demo.copy_insert; Django's per-field
    preparation is the bottleneck at 50,000 employees). `objs` are model instances or plain dicts by field
    attname (cheaper: no model __init__). Conflicts are skipped unless ids are needed, in which case the ids
    are set on the instances in insertion order."""
    if not objs:
        return
    from django.db.models.fields.files import FieldFile

    if isinstance(objs[0], dict):
        copy_insert(model, objs, skip_conflicts=True)
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    names = [f.attname for f in fields]

    def value(o: Any, name: str) -> Any:
        v = getattr(o, name)
        return (v.name or "") if isinstance(v, FieldFile) else v

    now = timezone.now()
    for f in fields:  # as bulk_create's pre_save on add: "now" where not set
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            for o in objs:
                if getattr(o, f.attname) is None:
                    setattr(o, f.attname, now)
    rows = [tuple(value(o, n) for n in names) for o in objs]
    ids = copy_insert(model, rows, columns=names, ids=returning, skip_conflicts=not returning)
    for o, pk in zip(objs, ids, strict=False):
        o.pk = pk
