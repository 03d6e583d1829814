"""Vacancy writes: open, rank and rerank candidates by merit, decide and appoint."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from asn_portal.errors import ApplicationError, ConflictError
from asn_portal.services import audit, notify
from careers.talent.selectors import published_boxes
from people import decisions
from people.choices import ACTIVE_STATUSES, EmploymentType
from people.models import Employee, Position
from people.services import employee_appoint
from performance.evaluation.selectors import predikat_by_year
from promotions import permissions, rules, selectors
from promotions.actors import admins_of, require_admin
from promotions.choices import (
    VacancyStatus,
)
from promotions.models import (
    MeritWeights,
    PositionVacancy,
    VacancyCandidate,
)
from promotions.vacancies import rules as merit_rules
from training.ledger.selectors import jp_in_competencies


def weights_for(agency_id: int) -> dict[str, int]:
    row = MeritWeights.objects.filter(Q(agency_id=agency_id) | Q(agency__isnull=True)).order_by("agency_id").first()
    if row is None:
        return dict(merit_rules.DEFAULT_WEIGHTS)
    return {k: int(getattr(row, k)) for k in merit_rules.DEFAULT_WEIGHTS}


@transaction.atomic
def vacancy_open(*, position: Position, actor: Any, notes: str = "") -> PositionVacancy:
    """BKD opens a vacancy for a post that has a free place (formasi), then ranks the candidates."""
    require_admin(actor, position.agency_id)
    if not position.is_active:
        raise ApplicationError(_("Jabatan tidak aktif."), {"field": "position"})
    holders = Employee.objects.filter(position=position, status__in=ACTIVE_STATUSES).count()
    if holders >= position.headcount:
        raise ApplicationError(
            _("Jabatan ini sudah terisi penuh (%(n)d dari formasi %(h)d).") % {"n": holders, "h": position.headcount},
            {"field": "position"},
        )
    if PositionVacancy.objects.filter(
        position=position, status__in=[VacancyStatus.OPEN, VacancyStatus.DECIDED]
    ).exists():
        raise ConflictError(_("Sudah ada lowongan terbuka untuk jabatan ini."))
    vacancy = PositionVacancy.objects.create(
        agency_id=position.agency_id,
        position=position,
        notes=notes,
        opened_by=actor,
        weights=weights_for(position.agency_id),
    )
    audit(actor=actor, action="vacancy.open", obj=vacancy, after={"position": position.pk})
    vacancy_rank(vacancy=vacancy, actor=actor)
    # The BKD admin who would run the vacancy is not one of its candidates (the transaction rolls back).
    _ensure_not_conflicted(vacancy, actor)
    return vacancy


def _candidate_ids(vacancy: PositionVacancy) -> list[int]:
    return list(VacancyCandidate.objects.filter(vacancy=vacancy).values_list("employee_id", flat=True))


def _ensure_not_conflicted(vacancy: PositionVacancy, actor: Any, chosen_id: int | None = None) -> None:
    """Separation of duties on a vacancy: nobody ranks, recommends or appoints while a candidate."""
    decisions.ensure_may_decide(actor, chosen_id, conflicted=_candidate_ids(vacancy))


@transaction.atomic
def vacancy_rerank(*, vacancy: PositionVacancy, actor: Any) -> list[VacancyCandidate]:
    """BKD re-ranks an open vacancy's candidates (after new appraisals or training), never as a candidate."""
    require_admin(actor, vacancy.agency_id)
    if vacancy.status != VacancyStatus.OPEN:
        raise ApplicationError(_("Hanya lowongan terbuka yang dapat diperingkat ulang."))
    _ensure_not_conflicted(vacancy, actor)
    ranked = vacancy_rank(vacancy=vacancy, actor=actor)
    audit(actor=actor, action="vacancy.rerank", obj=vacancy, after={"candidates": len(ranked)})
    return ranked


MAX_CANDIDATES = 50


def _eligible(vacancy: PositionVacancy, today: dt.date, tables: Any) -> list[merit_rules.CandidateFacts]:
    """The agency's PNS who meet the post's formal requirements (§4.7): the cheap filters in SQL, then the
    pure rules on each row with their last two years' predikat."""
    position = vacancy.position
    req = merit_rules.POST_REQUIREMENTS.get(position.kind, {})
    qs = Employee.objects.filter(
        agency_id=vacancy.agency_id, status__in=ACTIVE_STATUSES, employment_type=EmploymentType.PNS, rank__scheme="pns"
    ).exclude(position=position)
    kinds = req.get("from")
    if isinstance(kinds, set | frozenset):
        qs = qs.filter(
            position__kind__in=kinds, position_start_date__lte=rules.add_years(today, -int(str(req["years"])))
        )
    else:
        qs = qs.filter(position__kind=position.kind)
    min_rank = tables.order_of(str(req.get("rank", ""))) if req.get("rank") else None
    if min_rank:
        qs = qs.filter(rank__order__gte=min_rank)
    minimum = str(req.get("education", ""))
    if minimum:
        qs = qs.filter(
            education_level__in=[e for e in merit_rules.EDUCATION_ORDER if merit_rules.edu_at_least(e, minimum)]
        )
    rows = list(
        qs.values_list(
            "pk",
            "name",
            "education_level",
            "position__kind",
            "position__functional_level",
            "position_start_date",
            "rank__order",
            "rank_start_date",
            "birth_date",
            "cpns_date",
        )
    )
    ids = [r[0] for r in rows]
    years = (today.year - 2, today.year - 1)
    predikat: dict[int, dict[int, str]] = {}
    for (emp, year), value in predikat_by_year(ids, years).items():
        predikat.setdefault(emp, {})[year] = value
    # Formal requirements first (cheap, pure), then the merit inputs for those who pass.
    eligible: list[merit_rules.CandidateFacts] = []
    for pk, name, edu, kind, level, pstart, rorder, rstart, birth, cpns in rows:
        facts = merit_rules.CandidateFacts(
            pk, name, edu, kind or "", level or "", pstart, rorder, rstart, birth, cpns, predikat.get(pk, {})
        )
        if all(r.passed for r in merit_rules.formal_requirements(facts, position.kind, today, tables)):
            eligible.append(facts)
    return eligible


def vacancy_rank(*, vacancy: PositionVacancy, actor: Any, today: dt.date | None = None) -> list[VacancyCandidate]:
    """Rank candidates who meet the formal requirements (§4.7) by merit score; talent-pool members (boxes 7–9
    of a published review) are drawn first. Set-based: about ten queries whatever the agency size.
    Only the agency's BKD admin ranks, and never as a candidate: a ranking that lists the actor is rolled back."""
    require_admin(actor, vacancy.agency_id)
    today = today or timezone.localdate()
    position = vacancy.position
    tables = selectors.load_tables()
    eligible = _eligible(vacancy, today, tables)
    minimum = str(merit_rules.POST_REQUIREMENTS.get(position.kind, {}).get("education", ""))
    eligible_ids = [f.employee_id for f in eligible]
    boxes = published_boxes(eligible_ids)
    pool = [f for f in eligible if (boxes.get(f.employee_id) or 0) >= 7]
    chosen = eligible if len(pool) < 3 else pool
    chosen_ids = [f.employee_id for f in chosen]
    required = selectors.post_requirements(position.pk)
    jpm = selectors.jpm_against(chosen_ids, required)
    assessed = selectors.assessed_against(chosen_ids, required)
    jp = jp_in_competencies(chosen_ids, list(required), rules.add_years(today, -3))
    weights = vacancy.weights or weights_for(vacancy.agency_id)
    scored = []
    components: dict[int, list[dict[str, str]]] = {}
    for f in chosen:
        full = merit_rules.CandidateFacts(
            **{
                **f.__dict__,
                # never assessed against the standard: no JPM ("belum diases"), scored 0 and said so
                "jpm": jpm.get(f.employee_id) if f.employee_id in assessed else None,
                "box": boxes.get(f.employee_id),
                "training_jp": jp.get(f.employee_id, Decimal("0")),
            }
        )
        comps = merit_rules.merit_components(full, today, minimum, weights, has_standard=bool(required))
        score = sum((Decimal(c["points"]) for c in comps), Decimal("0"))
        components[f.employee_id] = comps
        scored.append((full, score))
    ranked = merit_rules.rank_candidates(scored)[:MAX_CANDIDATES]
    seniority = {
        f.employee_id: i
        for i, (f, _) in enumerate(sorted(ranked, key=lambda fs: merit_rules.seniority_key(fs[0])), start=1)
    }
    objs = [
        VacancyCandidate(
            vacancy=vacancy,
            employee_id=f.employee_id,
            rank=i,
            merit_score=score,
            components=components[f.employee_id],
            seniority_rank=seniority[f.employee_id],
            from_talent_pool=(boxes.get(f.employee_id) or 0) >= 7,
        )
        for i, (f, score) in enumerate(ranked, start=1)
    ]
    with transaction.atomic():
        VacancyCandidate.objects.filter(vacancy=vacancy).delete()
        VacancyCandidate.objects.bulk_create(objs)
        _ensure_not_conflicted(vacancy, actor)
        PositionVacancy.objects.filter(pk=vacancy.pk).update(ranked_at=timezone.now())
    return objs


@transaction.atomic
def vacancy_decide(*, vacancy: PositionVacancy, employee_id: int, justification: str, actor: Any) -> PositionVacancy:
    """The Tim Penilai Kinerja recommends a candidate; anyone but the top-ranked needs a written justification."""
    if not (
        permissions.is_committee(actor, vacancy.agency_id)
        or permissions.can_manage_promotions(actor, vacancy.agency_id)
    ):
        raise ApplicationError(
            _("Hanya Tim Penilai Kinerja atau admin BKD yang dapat mencatat rekomendasi."), status=403
        )
    _ensure_not_conflicted(vacancy, actor, employee_id)
    candidate = VacancyCandidate.objects.filter(vacancy=vacancy, employee_id=employee_id).first()
    if candidate is None:
        raise ApplicationError(_("Pegawai ini bukan kandidat lowongan."), {"field": "employee"})
    justification = (justification or "").strip()
    if vacancy.status != VacancyStatus.OPEN:
        raise ConflictError(_("Lowongan sudah diputuskan."))
    status = selectors.vacancy_ranking_status(vacancy)
    if not status.is_merit_ranking and not justification:
        raise ApplicationError(
            _(
                "Daftar kandidat ini belum merupakan peringkat merit (standar kompetensi jabatan belum ditetapkan): "
                "justifikasi tertulis wajib diisi untuk kandidat mana pun."
            ),
            {"field": "justification", "missing": status.missing},
        )
    if candidate.rank != 1 and not justification:
        raise ApplicationError(
            _("Kandidat yang dipilih bukan peringkat pertama: justifikasi tertulis wajib diisi."),
            {"field": "justification", "rank": candidate.rank},
        )
    updated = PositionVacancy.objects.filter(pk=vacancy.pk, status=VacancyStatus.OPEN).update(
        status=VacancyStatus.DECIDED,
        chosen_id=employee_id,
        chosen_rank=candidate.rank,
        justification=justification,
        decided_by=actor,
        decided_at=timezone.now(),
        updated_at=timezone.now(),
    )
    if not updated:
        raise ConflictError(_("Lowongan sudah diputuskan."))
    vacancy.refresh_from_db()
    audit(
        actor=actor,
        action="vacancy.decide",
        obj=vacancy,
        after={"chosen": employee_id, "rank": candidate.rank, "merit_score": candidate.merit_score},
        reason=justification,
    )
    url = reverse("promotions:vacancy-detail", args=[vacancy.pk])
    admins = admins_of(vacancy.agency_id)
    transaction.on_commit(lambda: notify(users=admins, title=_("Rekomendasi Tim Penilai Kinerja tercatat"), url=url))
    return vacancy


@transaction.atomic
def vacancy_appoint(
    *, vacancy: PositionVacancy, start_date: dt.date | None, decree_number: str, decree_date: dt.date | None, actor: Any
) -> PositionVacancy:
    """Appoint the recommended candidate: writes the position history and closes the vacancy."""
    require_admin(actor, vacancy.agency_id)
    _ensure_not_conflicted(vacancy, actor, vacancy.chosen_id)
    decree_number = (decree_number or "").strip()
    if not decree_number or start_date is None:
        raise ApplicationError(_("Nomor SK dan TMT wajib diisi."), {"field": "decree_number"})
    updated = PositionVacancy.objects.filter(pk=vacancy.pk, status=VacancyStatus.DECIDED).update(
        status=VacancyStatus.FILLED, appointed_on=start_date, decree_number=decree_number, updated_at=timezone.now()
    )
    if not updated:
        raise ConflictError(_("Lowongan belum direkomendasikan atau sudah terisi."))
    vacancy.refresh_from_db()
    assert vacancy.chosen is not None
    employee_appoint(
        employee=vacancy.chosen,
        position=vacancy.position,
        start_date=start_date,
        decree_number=decree_number,
        decree_date=decree_date,
        actor=actor,
        reason=_("Promosi jabatan, lowongan #%(pk)s") % {"pk": vacancy.pk},
    )
    audit(
        actor=actor,
        action="vacancy.appoint",
        obj=vacancy,
        after={"employee": vacancy.chosen_id, "decree": decree_number},
    )
    chosen = vacancy.chosen
    transaction.on_commit(
        lambda: notify(
            users=[chosen.user] if chosen.user_id else [],
            title=_("Pengangkatan dalam jabatan %(post)s") % {"post": vacancy.position.title},
            url=reverse("promotions:my-outlook"),
        )
    )
    return vacancy
