"""Demo data for competencies: agency technical competencies, a standard for every seeded post, one to
three assessments for most employees over the last three years (a few never assessed), the stored JPM and
half-yearly snapshots for the trend chart. Bulk operations only, on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.db import connection

from asn_portal.demo import DemoContext, copy_insert, indexes_built_after
from people.choices import ACTIVE_STATUSES
from people.models import Employee, Position

from . import rules
from .choices import AssessmentMethod, AssessmentPurpose, CompetencyKind
from .models import (
    AssessmentResult,
    Competency,
    CompetencyAssessment,
    CompetencyRequirement,
    DefaultRequirementLevel,
    JpmSnapshot,
)
from .seed import VALIDITY_YEARS, ensure_reference_data
from .services import _add_years, jpm_refresh

TECHNICAL = [
    ("T01", "Manajemen Kepegawaian", "Mengelola administrasi, mutasi dan pengembangan pegawai ASN."),
    ("T02", "Perencanaan dan Penganggaran", "Menyusun rencana kerja dan anggaran perangkat daerah."),
    ("T03", "Analisis Kebijakan Publik", "Menganalisis dan merumuskan rekomendasi kebijakan."),
    ("T04", "Pengelolaan Data dan Informasi", "Mengelola data, statistik sektoral dan sistem informasi."),
    ("T05", "Pengadaan Barang/Jasa Pemerintah", "Melaksanakan pengadaan sesuai peraturan."),
    ("T06", "Pengawasan dan Audit Internal", "Melaksanakan reviu, audit dan evaluasi internal."),
    ("T07", "Pelayanan Kesehatan Masyarakat", "Merencanakan dan melaksanakan program kesehatan."),
    ("T08", "Pengelolaan Pendidikan", "Mengelola satuan dan tenaga pendidikan."),
]
ASSESSORS = ["UPT Penilaian Kompetensi BKD", "Pusat Penilaian Kompetensi ASN BKN", "Kantor Regional VI BKN"]


def _clamp(v: int) -> int:
    return max(1, min(5, v))


def seed_competencies(ctx: DemoContext) -> None:
    ensure_reference_data()
    agencies = ctx.data.get("agencies") or []
    tech = _technical(agencies)
    pos_reqs, n_reqs = _standards(ctx.rng, agencies, tech)
    emps = list(
        Employee.objects.filter(agency_id__in=agencies, status__in=ACTIVE_STATUSES)
        .order_by("pk")
        .values_list("pk", "position_id", "unit_id")
    )
    plan = _assessment_plan(ctx, emps, pos_reqs)
    created = [a for a, _ in plan]
    ids = copy_insert(
        CompetencyAssessment,
        [(a.employee_id, a.assessed_on, a.purpose, a.method, a.assessor, a.valid_until) for a in created],
        columns=["employee_id", "assessed_on", "purpose", "method", "assessor", "valid_until"],
        ids=True,
    )
    for a, pk in zip(created, ids, strict=True):
        a.pk = pk
    with indexes_built_after(AssessmentResult):  # ~17 rows per assessment: indexes built once, after
        n_results = _insert_results(plan)
    with connection.cursor() as cur:
        cur.execute(f"ANALYZE {AssessmentResult._meta.db_table}")
    _snapshots(ctx.today, emps, pos_reqs, list(zip(created, (levels for _, levels in plan), strict=True)))
    jpm_refresh([e for e, _, _ in emps], on=ctx.today)
    ctx.data["competencies"] = {"assessments": len(created), "results": n_results, "requirements": n_reqs}


def _technical(agencies: list[int]) -> dict[int, list[int]]:
    """Each agency's technical competencies (its own dictionary beside the national one)."""
    tech: dict[int, list[int]] = {}
    for agency_id in agencies:
        created_tech = Competency.objects.bulk_create(
            [
                Competency(
                    agency_id=agency_id,
                    kind=CompetencyKind.TECHNICAL,
                    code=code,
                    name=name,
                    definition=definition,
                    order=100 + i,
                    **{f"level_{lv}": f"Level {lv}: {name.lower()} {desc}" for lv, desc in _LEVEL_WORDS.items()},
                )
                for i, (code, name, definition) in enumerate(TECHNICAL)
            ]
        )
        tech[agency_id] = (
            [c.pk for c in created_tech]
            if all(c.pk for c in created_tech)
            else list(Competency.objects.filter(agency_id=agency_id).order_by("order").values_list("pk", flat=True))
        )
    return tech


def _standards(
    rng: Any, agencies: list[int], tech: dict[int, list[int]]
) -> tuple[dict[int, list[tuple[int, int]]], int]:
    """A standard for every post: the national 9 at the default level (a few posts stricter), plus 2
    technical. Returns {post: [(competency, level)]} and the number of requirement rows."""
    national = list(
        Competency.objects.filter(agency__isnull=True, is_active=True).order_by("order").values_list("pk", flat=True)
    )
    table = {
        (k, f): lv
        for k, f, lv in DefaultRequirementLevel.objects.values_list("position_kind", "functional_level", "level")
    }
    reqs: list[tuple[int, int, int, bool]] = []
    pos_reqs: dict[int, list[tuple[int, int]]] = {}
    for pid, agency_id, kind, flevel in Position.objects.filter(agency_id__in=agencies).values_list(
        "pk", "agency_id", "kind", "functional_level"
    ):
        base = table.get((kind, flevel or ""), table.get((kind, ""), 2))
        items = [(cid, base) for cid in national]
        if rng.random() < 0.15:  # some posts were set individually
            idx = rng.randrange(len(items))
            items[idx] = (items[idx][0], _clamp(base + 1))
        techs = tech.get(agency_id, [])
        for cid in rng.sample(techs, min(2, len(techs))):
            items.append((cid, _clamp(base + rng.choice([0, 0, 1]))))
        pos_reqs[pid] = items
        overridden = rng.random() < 0.15
        reqs.extend((pid, c, lv, overridden) for c, lv in items)
    copy_insert(CompetencyRequirement, reqs, columns=["position_id", "competency_id", "level", "is_override"])
    return pos_reqs, len(reqs)


@dataclass(slots=True)
class _Assessment:
    """One planned assessment (a CompetencyAssessment row; `pk` once inserted)."""

    employee_id: int
    assessed_on: dt.date
    purpose: str
    method: str
    assessor: str
    valid_until: dt.date
    pk: int | None = None


Planned = list[tuple[_Assessment, dict[int, int]]]


def _assessment_plan(ctx: DemoContext, emps: list[tuple[Any, ...]], pos_reqs: dict[int, Any]) -> Planned:
    """Assessments: most employees, 1–3 each over three years; a few never assessed (two in the demo head's
    unit). The demo logins have visible gaps and a rising trend."""
    rng = ctx.rng
    demo = ctx.data.get("people") or {}
    must = {d.get("staff_employee_id") for d in demo.values()} | {d.get("head_employee_id") for d in demo.values()}
    head_units = {d.get("head_unit_id") for d in demo.values()}
    plan: Planned = []
    never_in_team = 0
    for emp_id, pos_id, unit_id in emps:
        items = pos_reqs.get(pos_id or 0, [])
        if not items:
            continue
        skip = rng.random() < 0.08
        if unit_id in head_units and emp_id not in must and never_in_team < 2:
            skip, never_in_team = True, never_in_team + 1
        if skip and emp_id not in must:
            continue
        plan.extend(_assessments_of(ctx, emp_id, items, emp_id in must))
    return plan


def _assessments_of(ctx: DemoContext, emp_id: int, items: list[tuple[int, int]], must: bool) -> Planned:
    rng, today = ctx.rng, ctx.today
    ability = rng.choice([-2, -1, -1, 0, 0, 0, 1])
    first = today - dt.timedelta(days=rng.randint(820, 1000))
    levels = {c: _clamp(lv + ability - 1 + rng.choice([0, 0, 1])) for c, lv in items}
    if must:  # the demo logins have visible gaps and a rising trend
        levels = {c: _clamp(lv - 1) for c, lv in items}
    out: Planned = [(_assessment(emp_id, first, AssessmentMethod.ASSESSMENT_CENTER, rng), levels)]
    if rng.random() < 0.7 or must:
        second = today - dt.timedelta(days=rng.randint(280, 460))
        levels2 = {c: _clamp(lv + ability + rng.choice([-1, 0, 0, 1])) for c, lv in items[:9]}
        if must:
            levels2 = {c: lv if i < 4 else _clamp(lv - 1) for i, (c, lv) in enumerate(items[:9])}
        method = rng.choice(
            [AssessmentMethod.COMPETENCY_TEST, AssessmentMethod.CAT, AssessmentMethod.ASSESSMENT_CENTER]
        )
        out.append((_assessment(emp_id, second, method, rng), levels2))
    if rng.random() < 0.3:
        third = today - dt.timedelta(days=rng.randint(15, 120))
        picked = rng.sample(items, min(3, len(items)))
        levels3 = {c: _clamp(lv + ability + 1) for c, lv in picked}
        out.append((_assessment(emp_id, third, AssessmentMethod.SUPERVISOR_AFTER_TRAINING, rng), levels3))
    return out


def _snapshots(
    today: dt.date,
    emps: list[tuple[Any, ...]],
    pos_reqs: dict[int, list[tuple[int, int]]],
    assessed_levels: list[tuple[_Assessment, dict[int, int]]],
) -> None:
    """JPM history: quarterly points over the last three years computed in Python with the same rule
    (rules.jpm) from the plan above, kept only where the value changed; today's value comes from jpm_refresh."""
    pos_of = {e: p for e, p, _ in emps}
    by_emp: dict[int, list[tuple[_Assessment, dict[int, int]]]] = {}
    for a, levels in assessed_levels:
        by_emp.setdefault(a.employee_id, []).append((a, levels))
    points = [_months_before(today, m) for m in range(33, 0, -3)]
    snaps: list[tuple[int, dt.date, int | None, Any]] = []
    for emp_id, assessed in by_emp.items():
        required = dict(pos_reqs.get(pos_of.get(emp_id) or 0, []))
        assessed.sort(key=lambda x: x[0].assessed_on)
        last = None
        valid_before: tuple[int, ...] | None = None
        for day in points:
            valid = tuple(i for i, (a, _levels) in enumerate(assessed) if a.assessed_on <= day <= a.valid_until)
            if valid == valid_before:
                continue  # the same assessments in force: the same value as the point before
            valid_before = valid
            current: dict[int, int] = {}
            for i in valid:
                current.update(assessed[i][1])
            value = rules.jpm(required, current) if current else None
            if value is not None and value != last:
                snaps.append((emp_id, day, pos_of.get(emp_id), value))
                last = value
    copy_insert(JpmSnapshot, snaps, columns=["employee_id", "date", "position_id", "jpm"])


_LEVEL_WORDS: dict[int, str] = {
    1: "dasar: memahami konsep dan melaksanakan tugas rutin dengan bimbingan.",
    2: "dapat melaksanakan tugas secara mandiri sesuai prosedur.",
    3: "menerapkan secara mandiri dan membimbing rekan pada kasus yang lebih kompleks.",
    4: "mengembangkan metode dan standar pada lingkup unit kerja.",
    5: "menjadi rujukan dan merumuskan kebijakan pada lingkup instansi.",
}


def _insert_results(plan: Planned) -> int:
    """Write the inserted assessments' result rows with PostgreSQL COPY (a million rows in seconds): the
    columns shared by an assessment's rows are formatted once per assessment. Returns the number of rows."""
    fields = ["assessment_id", "competency_id", "level", "employee_id", "assessed_on", "valid_until", "evidence"]
    buf = io.StringIO()
    n = 0
    for a, levels in plan:
        evidence = "Laporan hasil asesmen" if a.method == AssessmentMethod.ASSESSMENT_CENTER else ""
        tail = f"\t{a.employee_id}\t{a.assessed_on.isoformat()}\t{a.valid_until.isoformat()}\t{evidence}\n"
        buf.writelines(f"{a.pk}\t{c}\t{lv}{tail}" for c, lv in levels.items())
        n += len(levels)
    buf.seek(0)
    with connection.cursor() as cur:
        cur.cursor.copy_from(buf, AssessmentResult._meta.db_table, columns=fields)
    return n


def _assessment(emp_id: int, day: dt.date, method: str, rng: Any) -> _Assessment:
    years = VALIDITY_YEARS.get(str(method), 1)
    return _Assessment(
        employee_id=emp_id,
        assessed_on=day,
        purpose=AssessmentPurpose.MAPPING if rng.random() < 0.8 else AssessmentPurpose.FILLING,
        method=method,
        assessor=rng.choice(ASSESSORS) if method != AssessmentMethod.SUPERVISOR_AFTER_TRAINING else "Atasan langsung",
        valid_until=_add_years(day, years),
    )


def _months_before(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.year * 12 + day.month - 1 - months, 12)
    return dt.date(y, m + 1, min(day.day, 28))
