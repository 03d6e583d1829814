"""Competency standard writes: per-position requirements, the national defaults applied to a
post type, and the editable default table. Holders' stored JPM is refreshed in the same transaction, or as a
Celery job with progress when many people are touched."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from asn_portal.errors import ApplicationError
from asn_portal.models import JobRun
from asn_portal.outbox import enqueue
from asn_portal.services import audit, chunked
from competencies import rules
from competencies import summaries as analytics_summaries
from competencies.choices import CompetencyKind
from competencies.models import (
    Competency,
    CompetencyRequirement,
    DefaultRequirementLevel,
)
from competencies.services import jpm_refresh
from people.choices import ACTIVE_STATUSES
from people.models import Employee, Position

# More people than this touched by one bulk change: their JPM is refreshed by a background job.
SYNC_REFRESH_LIMIT = 300


def _holders(position_ids: Iterable[int]) -> list[int]:
    return list(
        Employee.objects.filter(position_id__in=list(position_ids), status__in=ACTIVE_STATUSES).values_list(
            "pk", flat=True
        )
    )


@transaction.atomic
def requirement_set(*, position: Position, levels: Mapping[int, int | None], actor: Any) -> int:
    """Set the standard of one post: {competency_id: level 1–5, or None to remove}. These rows are
    per-position overrides (bulk defaults never overwrite them). Refreshes the holders' JPM."""
    clean: dict[int, int | None] = {}
    for cid, level in levels.items():
        if level is not None and not rules.valid_level(level):
            raise ApplicationError(
                _("Level standar harus 1–5 (kompetensi %(id)s).") % {"id": cid}, {"field": "level", "competency": cid}
            )
        clean[int(cid)] = level
    allowed = set(
        Competency.objects.filter(Q(agency__isnull=True) | Q(agency_id=position.agency_id), pk__in=clean).values_list(
            "pk", flat=True
        )
    )
    foreign = sorted(set(clean) - allowed)
    if foreign:
        raise ApplicationError(
            _("Kompetensi %(ids)s bukan milik instansi jabatan ini.") % {"ids": ", ".join(map(str, foreign))},
            {"field": "competency", "competency": foreign},
        )
    existing = {r.competency_id: r for r in CompetencyRequirement.objects.filter(position=position)}
    before = {cid: r.level for cid, r in existing.items()}
    to_delete = [cid for cid, lvl in clean.items() if lvl is None and cid in existing]
    CompetencyRequirement.objects.filter(position=position, competency_id__in=to_delete).delete()
    changed = len(to_delete)
    new_rows = []
    for cid, lvl in clean.items():
        if lvl is None:
            continue
        row = existing.get(cid)
        if row is None:
            new_rows.append(CompetencyRequirement(position=position, competency_id=cid, level=lvl, is_override=True))
            changed += 1
        elif row.level != lvl or not row.is_override:
            CompetencyRequirement.objects.filter(pk=row.pk).update(
                level=lvl, is_override=True, updated_at=timezone.now()
            )
            changed += 1
    CompetencyRequirement.objects.bulk_create(new_rows)
    if changed:
        audit(
            actor=actor,
            action="competencies.requirement_set",
            obj=position,
            before={str(cid): lvl for cid, lvl in before.items()},
            after={str(cid): lvl for cid, lvl in clean.items()},
        )
        analytics_summaries.touch_agencies([position.agency_id])  # posts without a standard (admin card)
        jpm_refresh(_holders([position.pk]))
    return changed


def default_level_for(kind: str, functional_level: str, table: Mapping[tuple[str, str], int]) -> int | None:
    return table.get((kind, functional_level or ""), table.get((kind, "")))


def _positions_matching(
    agency_id: int, position_kind: str, functional_level: str, position_ids: Iterable[int] | None
) -> QuerySet[Position]:
    positions = Position.objects.filter(agency_id=agency_id, is_active=True)
    if position_kind:
        positions = positions.filter(kind=position_kind)
    if functional_level:
        positions = positions.filter(functional_level=functional_level)
    if position_ids is not None:
        positions = positions.filter(pk__in=list(position_ids))
    return positions


def _default_changes(
    pos_rows: list[tuple[int, str, str]],
    national: list[int],
    existing: Mapping[tuple[int, int], tuple[int, int, bool]],
    *,
    level: int | None,
    table: Mapping[tuple[str, str], int],
) -> tuple[list[CompetencyRequirement], dict[int, list[int]], int]:
    """Rows to create, row ids to update by target level, and how many posts have no default level.
    Per-position overrides are left alone."""
    create: list[CompetencyRequirement] = []
    update: dict[int, list[int]] = {}
    skipped = 0
    for pid, kind, flevel in pos_rows:
        target = level if level is not None else default_level_for(kind, flevel, table)
        if target is None:
            skipped += 1
            continue
        for cid in national:
            found = existing.get((pid, cid))
            if found is None:
                create.append(CompetencyRequirement(position_id=pid, competency_id=cid, level=target))
            elif not found[2] and found[1] != target:
                update.setdefault(target, []).append(found[0])
    return create, update, skipped


@transaction.atomic
def requirements_apply_defaults(
    *,
    agency_id: int,
    actor: Any,
    position_kind: str = "",
    functional_level: str = "",
    level: int | None = None,
    position_ids: Iterable[int] | None = None,
) -> dict[str, Any]:
    """Apply the national managerial and socio-cultural standard to every post of a type (and functional
    level) of an agency: the level given, or the editable default table (regulations.md §2.3). Rows marked
    as per-position overrides are kept. Returns counts and, when many people are touched, the JobRun of
    the background JPM refresh."""
    if level is not None and not rules.valid_level(level):
        raise ApplicationError(_("Level standar harus 1–5."), {"field": "level"})
    positions = _positions_matching(agency_id, position_kind, functional_level, position_ids)
    pos_rows = list(positions.values_list("pk", "kind", "functional_level"))
    if not pos_rows:
        raise ApplicationError(_("Tidak ada jabatan yang cocok dengan pilihan ini."), {"field": "position_kind"})
    table = {
        (k, f): lv
        for k, f, lv in DefaultRequirementLevel.objects.values_list("position_kind", "functional_level", "level")
    }
    national = list(
        Competency.objects.filter(
            agency__isnull=True, is_active=True, kind__in=[CompetencyKind.MANAGERIAL, CompetencyKind.SOCIOCULTURAL]
        ).values_list("pk", flat=True)
    )
    pos_ids = [p for p, _k, _f in pos_rows]
    existing = {
        (p, c): (pk, lvl, ov)
        for pk, p, c, lvl, ov in CompetencyRequirement.objects.filter(
            position_id__in=pos_ids, competency_id__in=national
        ).values_list("pk", "position_id", "competency_id", "level", "is_override")
    }
    create, update, skipped = _default_changes(pos_rows, national, existing, level=level, table=table)
    CompetencyRequirement.objects.bulk_create(create, batch_size=2000)
    now = timezone.now()
    for target, ids in update.items():
        for chunk in chunked(ids, 2000):
            CompetencyRequirement.objects.filter(pk__in=chunk).update(level=target, updated_at=now)
    counts = {
        "positions": len(pos_rows),
        "created": len(create),
        "updated": sum(len(v) for v in update.values()),
        "skipped_positions": skipped,
    }
    audit(
        actor=actor,
        action="competencies.requirements_apply_defaults",
        obj=Position.objects.get(pk=pos_ids[0]).agency,
        after={"position_kind": position_kind, "functional_level": functional_level, "level": level, **counts},
    )
    if counts["created"]:
        analytics_summaries.touch_agencies([agency_id])  # posts without a standard (admin card)
    touched = _holders(pos_ids) if counts["created"] or counts["updated"] else []
    counts["people"] = len(touched)
    run: JobRun | None = None
    if len(touched) > SYNC_REFRESH_LIMIT:
        run = JobRun.objects.create(job="competencies.jpm_refresh_positions", agency_id=agency_id)
        run.counts = {"total": len(touched), "done": 0}
        JobRun.objects.filter(pk=run.pk).update(counts=run.counts)
        enqueue("competencies.tasks.jpm_refresh_job", run.pk, touched)
    elif touched:
        jpm_refresh(touched)
    return {"counts": counts, "job_run": run}


def default_level_update(*, row: DefaultRequirementLevel, level: int, actor: Any) -> DefaultRequirementLevel:
    if not rules.valid_level(level):
        raise ApplicationError(_("Level standar harus 1–5."), {"field": "level"})
    before = {"level": row.level}
    row.level = level
    row.save(update_fields=["level"])
    audit(actor=actor, action="competencies.default_level_update", obj=row, before=before, after={"level": level})
    return row
