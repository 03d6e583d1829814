"""Writes for competencies: assessments, the dictionary and the stored JPM.

Every HR decision is audited; the stored JPM (EmployeeJpm) of the people touched is refreshed in the same
transaction (standards: competencies.standards.services)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from asn_portal import fanout
from asn_portal.errors import ApplicationError, require_max_length
from asn_portal.models import JobRun
from asn_portal.services import audit, chunked, job_run, notify
from competencies import rules, summaries
from competencies.choices import AssessmentMethod, AssessmentPurpose, CompetencyKind
from competencies.models import (
    AssessmentResult,
    AssessmentValidity,
    Competency,
    CompetencyAssessment,
)
from people import decisions
from people.access import is_hr_admin
from people.choices import ACTIVE_STATUSES
from people.models import Employee

DEFAULT_VALIDITY_YEARS = 3


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def validity_years(method: str) -> int:
    row = AssessmentValidity.objects.filter(method=method).values_list("years", flat=True).first()
    return row if row is not None else DEFAULT_VALIDITY_YEARS


def _check_choice(value: str, choices: Any, field: str, label: str) -> None:
    if value not in choices.values:
        raise ApplicationError(
            _("%(label)s tidak dikenal: %(value)s.") % {"label": label, "value": value}, {"field": field}
        )


def _clean_levels(levels: Mapping[int, Any], agency_id: int | None) -> dict[int, int]:
    if not levels:
        raise ApplicationError(_("Isi level sedikitnya satu kompetensi."), {"field": "levels"})
    clean: dict[int, int] = {}
    for cid, level in levels.items():
        if not rules.valid_level(level):
            raise ApplicationError(
                _("Level harus bilangan 1–5 (kompetensi %(id)s: %(level)s).") % {"id": cid, "level": level},
                {"field": "levels", "competency": cid},
            )
        clean[int(cid)] = int(level)
    known = set(
        Competency.objects.filter(
            Q(agency__isnull=True) | Q(agency_id=agency_id), pk__in=clean, is_active=True
        ).values_list("pk", flat=True)
    )
    unknown = sorted(set(clean) - known)
    if unknown:
        raise ApplicationError(
            _("Kompetensi tidak dikenal untuk instansi pegawai: %(ids)s.") % {"ids": ", ".join(map(str, unknown))},
            {"field": "levels", "competency": unknown},
        )
    return clean


@transaction.atomic
def assessment_record(
    *,
    employee: Employee,
    assessed_on: dt.date,
    purpose: str,
    method: str,
    assessor: str = "",
    levels: Mapping[int, int],
    evidence: str | Mapping[int, str] = "",
    actor: Any,
    notes: str = "",
    notify_employee: bool = True,
) -> CompetencyAssessment:
    """Record one assessment (asesmen/uji kompetensi/penilaian atasan …) with a level 1–5 per competency.
    Valid for the configured number of years for its method; refreshes the employee's stored JPM.
    Refused: a level outside 1–5, a date in the future, a competency of another agency, and one's own
    assessment (it sets one's own JPM, which ranks vacancies and places the talent box; issue #11)."""
    decisions.ensure_may_decide(actor, employee)
    if assessed_on > timezone.localdate():
        raise ApplicationError(_("Tanggal asesmen tidak boleh di masa depan."), {"field": "assessed_on"})
    _check_choice(purpose, AssessmentPurpose, "purpose", _("Tujuan asesmen"))
    _check_choice(method, AssessmentMethod, "method", _("Metode asesmen"))
    assessor = require_max_length(assessor, limit=200, field="assessor", label=_("Asesor/lembaga"))
    clean = _clean_levels(levels, employee.agency_id)
    valid_until = _add_years(assessed_on, validity_years(method))
    assessment = CompetencyAssessment.objects.create(
        employee=employee,
        assessed_on=assessed_on,
        purpose=purpose,
        method=method,
        assessor=assessor,
        valid_until=valid_until,
        notes=notes,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    AssessmentResult.objects.bulk_create(
        [
            AssessmentResult(
                assessment=assessment,
                competency_id=cid,
                level=level,
                evidence=(evidence.get(cid, "") if isinstance(evidence, Mapping) else evidence),
                employee=employee,
                assessed_on=assessed_on,
                valid_until=valid_until,
            )
            for cid, level in clean.items()
        ]
    )
    audit(
        actor=actor,
        action="competencies.assessment_record",
        obj=assessment,
        after={"employee": employee.pk, "assessed_on": assessed_on, "method": method, "levels": clean},
        agency_id=employee.agency_id,
    )
    jpm_refresh([employee.pk])
    user = getattr(employee, "user", None)
    if notify_employee and user is not None and getattr(actor, "pk", None) != user.pk:
        notify(
            users=[user],
            title=_("Hasil asesmen kompetensi baru dicatat"),
            body=_("%(method)s tanggal %(date)s.") % {"method": assessment.get_method_display(), "date": assessed_on},
            url="/kompetensi/saya/",
        )
    return assessment


@transaction.atomic
def assessment_delete(*, assessment: CompetencyAssessment, actor: Any, reason: str) -> None:
    """Remove a wrongly entered assessment (audited with its levels) and refresh the JPM."""
    decisions.ensure_may_decide(actor, assessment.employee_id)
    if not reason.strip():
        raise ApplicationError(_("Alasan penghapusan wajib diisi."), {"field": "reason"})
    before = {
        "employee": assessment.employee_id,
        "assessed_on": assessment.assessed_on,
        "levels": {r.competency_id: r.level for r in assessment.results.all()},
    }
    emp_id = assessment.employee_id
    audit(
        actor=actor,
        action="competencies.assessment_delete",
        obj=assessment,
        before=before,
        reason=reason,
        agency_id=assessment.employee.agency_id,
    )
    assessment.delete()
    jpm_refresh([emp_id])


COMPETENCY_FIELDS = (
    "code",
    "name",
    "definition",
    "level_1",
    "level_2",
    "level_3",
    "level_4",
    "level_5",
    "order",
    "is_active",
)


def competency_create(*, actor: Any, agency: Any, data: Mapping[str, Any]) -> Competency:
    """BKD adds a technical competency to its agency's dictionary (the page and the API both call this)."""
    if not is_hr_admin(actor, agency.pk):
        raise ApplicationError(_("Instansi tidak ditemukan."), status=404)
    competency = Competency(
        agency_id=agency.pk, kind=CompetencyKind.TECHNICAL, **{f: data[f] for f in COMPETENCY_FIELDS if f in data}
    )
    return competency_save(competency=competency, actor=actor, is_new=True)


def competency_update(*, actor: Any, competency: Competency, data: Mapping[str, Any]) -> Competency:
    """Edit a dictionary entry: an agency's own by its BKD admin, a national one by a superuser. The audit
    entry records what changed, before and after."""
    if competency.agency_id is not None and not is_hr_admin(actor, competency.agency_id):
        raise ApplicationError(_("Kompetensi tidak ditemukan."), status=404)
    current = Competency.objects.get(pk=competency.pk)  # the stored row, not a form-modified copy
    before = {f: getattr(current, f) for f in COMPETENCY_FIELDS}
    for f in COMPETENCY_FIELDS:
        if f in data:
            setattr(current, f, data[f])
    changed = {f: getattr(current, f) for f in COMPETENCY_FIELDS if getattr(current, f) != before[f]}
    return competency_save(
        competency=current, actor=actor, is_new=False, before={f: before[f] for f in changed}, after=changed
    )


@transaction.atomic
def competency_save(
    *,
    competency: Competency,
    actor: Any,
    is_new: bool,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> Competency:
    """Create or update a dictionary entry. National competencies (no agency) are edited only by superusers;
    agency competencies are technical and their code is unique in the agency."""
    if competency.agency_id is None and not getattr(actor, "is_superuser", False):
        raise ApplicationError(_("Kompetensi nasional hanya dapat diubah oleh administrator pusat."), status=403)
    if competency.agency_id is not None and competency.kind != CompetencyKind.TECHNICAL:
        raise ApplicationError(
            _("Kompetensi instansi harus berjenis teknis; manajerial dan sosial kultural ditetapkan nasional."),
            {"field": "kind"},
        )
    same_owner = Q(agency__isnull=True) if competency.agency_id is None else Q(agency_id=competency.agency_id)
    dup = Competency.objects.filter(same_owner, code=competency.code).exclude(pk=competency.pk)
    if dup.exists():
        raise ApplicationError(_("Kode kompetensi sudah dipakai."), {"field": "code"})
    competency.save()
    audit(
        actor=actor,
        action="competencies.competency_create" if is_new else "competencies.competency_update",
        obj=competency,
        before=before,
        after=after
        if after is not None
        else {"code": competency.code, "name": competency.name, "kind": competency.kind},
    )
    return competency


def _category_case(column: str, bands: tuple[tuple[Any, Any], ...]) -> str:
    """SQL CASE mirroring rules.jpm_category, generated from the same band table."""
    parts = " ".join(f"WHEN {column} >= {float(lower)} THEN '{cat.value}'" for lower, cat in bands[:-1])
    return f"CASE WHEN {column} IS NULL THEN '' {parts} ELSE '{bands[-1][1].value}' END"


def _levels_sql(n_ids: int) -> str:
    """Rebuild the stored current profile (CurrentLevel) of the given employees: the latest valid level per
    competency (window function) against each required competency of their post."""
    placeholders = ",".join(["%s"] * n_ids)
    return f"""
        INSERT INTO competencies_currentlevel (employee_id, competency_id, required_level, current_level, gap)
        SELECT e.id, q.competency_id, q.level, c.level,
               CASE WHEN COALESCE(c.level, 0) < q.level THEN q.level - COALESCE(c.level, 0) ELSE 0 END
        FROM people_employee e
        JOIN competencies_competencyrequirement q ON q.position_id = e.position_id
        LEFT JOIN (
            SELECT employee_id, competency_id, level FROM (
                SELECT r.employee_id, r.competency_id, r.level,
                       ROW_NUMBER() OVER (PARTITION BY r.employee_id, r.competency_id
                                          ORDER BY r.assessed_on DESC, r.id DESC) AS rn
                FROM competencies_assessmentresult r
                WHERE r.employee_id IN ({placeholders}) AND r.valid_until >= %s AND r.assessed_on <= %s
            ) x WHERE rn = 1
        ) c ON c.employee_id = e.id AND c.competency_id = q.competency_id
        WHERE e.id IN ({placeholders})
        ON CONFLICT (employee_id, competency_id) DO UPDATE SET
            required_level = excluded.required_level, current_level = excluded.current_level, gap = excluded.gap
        WHERE competencies_currentlevel.required_level <> excluded.required_level
           OR competencies_currentlevel.gap <> excluded.gap
           OR COALESCE(competencies_currentlevel.current_level, 0) <> COALESCE(excluded.current_level, 0)
    """


def _stale_levels_sql(n_ids: int) -> str:
    """Delete stored profile rows of competencies the employee's post no longer requires."""
    placeholders = ",".join(["%s"] * n_ids)
    return f"""
        DELETE FROM competencies_currentlevel
        WHERE employee_id IN ({placeholders}) AND NOT EXISTS (
            SELECT 1 FROM people_employee e
            JOIN competencies_competencyrequirement q ON q.position_id = e.position_id
            WHERE e.id = competencies_currentlevel.employee_id
              AND q.competency_id = competencies_currentlevel.competency_id
        )
    """


def _jpm_sql(n_ids: int) -> str:
    """Upsert EmployeeJpm from the stored current profile: rules.jpm (capped sum-ratio) and both category
    scales, generated from the same band tables as rules.jpm_category."""
    placeholders = ",".join(["%s"] * n_ids)
    jpm_expr = (
        "CASE WHEN req_sum > 0 THEN (CASE WHEN ach_sum >= req_sum THEN 100.0 "
        "ELSE ROUND(100.0 * ach_sum / req_sum, 2) END) END"
    )
    conflict_update = ", ".join(
        f"{c} = excluded.{c}"
        for c in (
            "position_id",
            "jpm",
            "category",
            "filling_category",
            "required_count",
            "assessed_count",
            "gap_count",
            "computed_at",
        )
    )
    return f"""
        WITH agg AS (
            SELECT e.id AS employee_id, e.position_id AS position_id,
                   COALESCE(SUM(l.required_level), 0) AS req_sum,
                   COALESCE(SUM(COALESCE(l.current_level, 0)), 0) AS ach_sum,
                   COUNT(l.id) AS req_count,
                   COUNT(l.current_level) AS assessed_count,
                   SUM(CASE WHEN l.gap > 0 THEN 1 ELSE 0 END) AS gap_count
            FROM people_employee e
            LEFT JOIN competencies_currentlevel l ON l.employee_id = e.id
            WHERE e.id IN ({placeholders})
            GROUP BY e.id, e.position_id
        ), val AS (
            SELECT employee_id, position_id, {jpm_expr} AS jpm, req_count, assessed_count,
                   COALESCE(gap_count, 0) AS gap_count
            FROM agg
        )
        INSERT INTO competencies_employeejpm
            (employee_id, position_id, jpm, category, filling_category, required_count, assessed_count,
             gap_count, computed_at)
        SELECT employee_id, position_id, jpm, {_category_case("jpm", rules.MAPPING_BANDS)},
               {_category_case("jpm", rules.FILLING_BANDS)}, req_count, assessed_count, gap_count, %s
        FROM val WHERE true
        ON CONFLICT (employee_id) DO UPDATE SET {conflict_update}
    """


def _snapshot_sql(n_ids: int) -> str:
    placeholders = ",".join(["%s"] * n_ids)
    return f"""
        INSERT INTO competencies_jpmsnapshot (employee_id, date, position_id, jpm)
        SELECT j.employee_id, %s, j.position_id, j.jpm
        FROM competencies_employeejpm j
        WHERE j.employee_id IN ({placeholders}) AND j.jpm IS NOT NULL
          AND COALESCE((SELECT s.jpm FROM competencies_jpmsnapshot s WHERE s.employee_id = j.employee_id
                        ORDER BY s.date DESC LIMIT 1), -1) <> j.jpm
        ON CONFLICT (employee_id, date) DO UPDATE SET jpm = excluded.jpm, position_id = excluded.position_id
    """


def jpm_refresh(employee_ids: Iterable[int], *, on: dt.date | None = None, snapshot: bool = True) -> int:
    """Recompute and store the JPM of these employees for their current post (rules.jpm in SQL, set-based,
    chunks of 5,000 on PostgreSQL), and add a dated snapshot when the value changed. Returns the number of
    employees."""
    ids = sorted(set(employee_ids))
    if not ids:
        return 0
    on = on or timezone.localdate()
    now = timezone.now()
    for chunk in chunked(ids, 5000):
        with transaction.atomic(), connection.cursor() as cur:
            summaries.touch_agencies(
                Employee.objects.filter(pk__in=chunk).values_list("agency_id", flat=True).distinct()
            )
            cur.execute(_stale_levels_sql(len(chunk)), chunk)
            cur.execute(_levels_sql(len(chunk)), [*chunk, on, on, *chunk])
            cur.execute(_jpm_sql(len(chunk)), [*chunk, now])
            if snapshot:
                cur.execute(_snapshot_sql(len(chunk)), [on, *chunk])
    return len(ids)


def jpm_recompute_all(*, agency_id: int | None = None, on: dt.date | None = None) -> dict[str, int]:
    """Nightly safety net: recompute every active employee's stored JPM in chunks; records a JobRun."""
    with job_run("competencies.jpm_recompute_all", agency_id=agency_id) as run:
        qs = Employee.objects.filter(status__in=ACTIVE_STATUSES)
        if agency_id:
            qs = qs.filter(agency_id=agency_id)
        ids = list(qs.order_by("pk").values_list("pk", flat=True))
        done = 0
        for chunk in chunked(ids, 10000):
            with transaction.atomic():
                done += jpm_refresh(chunk, on=on)
        run.counts["employees"] = done
        run.counts["chunks"] = (len(ids) + 9999) // 10000
    return dict(run.counts)


JPM_JOB = "competencies.jpm_recompute"


def jpm_recompute_dispatch(*, agency_id: int | None = None) -> dict[str, Any]:
    """Nightly: the JPM recompute fanned out into one task per chunk of each agency's active employees
    (asn_portal.fanout; settings.JOB_PART_SIZE). Returns the parent run's counts and id."""
    from django.conf import settings

    qs = Employee.objects.filter(status__in=ACTIVE_STATUSES)
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    parent = fanout.dispatch(JPM_JOB, fanout.chunk_parts(qs, settings.JOB_PART_SIZE), agency_id=agency_id)
    return {**parent.counts, "run_id": parent.pk}


def jpm_recompute_range(*, agency_id: int, pk_from: int, pk_to: int | None = None) -> dict[str, int]:
    """One part of the nightly recompute: the agency's active employees with pk_from <= pk <= pk_to."""
    qs = Employee.objects.filter(status__in=ACTIVE_STATUSES, agency_id=agency_id, pk__gte=pk_from)
    if pk_to is not None:
        qs = qs.filter(pk__lte=pk_to)
    with transaction.atomic():
        return {"employees": jpm_refresh(list(qs.values_list("pk", flat=True)))}


def jpm_refresh_with_progress(run_id: int, employee_ids: list[int]) -> None:
    """Background refresh after a bulk standard change: updates JobRun.counts["done"] after each chunk."""
    run = JobRun.objects.filter(pk=run_id).first()
    if run is None:
        return
    total = len(employee_ids)
    done = 0
    try:
        for chunk in chunked(sorted(employee_ids), 2000):
            with transaction.atomic():
                done += jpm_refresh(chunk)
            JobRun.objects.filter(pk=run_id).update(counts={"total": total, "done": done})
    except Exception as exc:
        JobRun.objects.filter(pk=run_id).update(
            status=JobRun.Status.FAILED, finished_at=timezone.now(), error=repr(exc)[:4000]
        )
        raise
    JobRun.objects.filter(pk=run_id).update(
        status=JobRun.Status.SUCCESS, finished_at=timezone.now(), counts={"total": total, "done": done}
    )
