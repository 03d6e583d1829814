"""Talent reads: reviews, placements, the nine-box grid, movement, pool and succession."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum, Window
from django.db.models.functions import Rank, RowNumber
from django.http import Http404

from asn_portal import summaries
from asn_portal.precompiled import Param, Statement
from careers import integrations, rules
from careers.actors import visible_employee_rows_q
from careers.choices import ReviewStatus
from careers.models import TalentBoxAgencySummary, TalentBoxSummary, TalentPlacement, TalentReview
from careers.talent import summaries as talent_summaries
from people.access import employee_q, scope_for
from people.choices import PositionType
from people.models import Employee, Position

KEY_POST_KINDS = (
    PositionType.JPT_UTAMA,
    PositionType.JPT_MADYA,
    PositionType.JPT_PRATAMA,
    PositionType.ADMINISTRATOR,
)


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


def published_placements_of(employee_id: int) -> QuerySet[TalentPlacement]:
    """The employee's placements in published reviews, the latest published first, with their review."""
    return (
        TalentPlacement.objects.filter(employee_id=employee_id, review__status=ReviewStatus.PUBLISHED)
        .select_related("review")
        .order_by("-review__published_at", "-review_id")
    )


# `published_placements_of(e).first()` compiled once per process (issue #13).
_PUBLISHED_PLACEMENT = Statement(lambda e: published_placements_of(e)[:1], e=Param(-13_007_002))


def published_placement_for(employee: Employee) -> TalentPlacement | None:
    placements = _PUBLISHED_PLACEMENT.instances(e=employee.pk)
    return placements[0] if placements else None


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
        .filter(visible_employee_rows_q(user))
        .select_related("employee", "unit", "position", "employee__rank")
    )


def _summary_box_rows(
    *, user: Any, review: TalentReview, previous: TalentReview | None = None
) -> list[tuple[str, int, int | None, int]]:
    """(kind of post, box, box in the previous published review, employees) the user may see, from the summary
    rows (one grouped indexed query) plus the user's own placement when it lies outside the units and agencies
    they read by (one query; its box in `previous` when given)."""
    scope = scope_for(user)
    key = ("position_kind", "box", "previous_box")
    totals = TalentBoxAgencySummary.objects.filter(review=review).values_list(*key, "employees").order_by()
    qs: Any = totals  # superusers: every agency's totals
    own = TalentPlacement.objects.none()
    if not scope.everything:
        # administered agencies from their totals; headed units outside them from the unit rows (one query)
        parts: list[QuerySet[Any, Any]] = []
        if scope.admin_agency_ids:
            parts.append(totals.filter(agency_id__in=scope.admin_agency_ids))
        if scope.head_unit_paths:
            q = Q(pk__in=[])
            for path in scope.head_unit_paths:
                q |= Q(unit__path__startswith=path)
            units = TalentBoxSummary.objects.filter(q, review=review).exclude(agency_id__in=scope.admin_agency_ids)
            parts.append(units.values_list(*key).annotate(n=Sum("employees")).order_by())
        qs = parts[0].union(*parts[1:], all=True) if parts else []
        if scope.employee_id and scope.agency_id not in scope.admin_agency_ids:
            own = TalentPlacement.objects.filter(review=review, employee_id=scope.employee_id).exclude(
                employee__agency_id__in=scope.admin_agency_ids
            )
            for path in scope.head_unit_paths:
                own = own.exclude(employee__unit__path__startswith=path)
    rows: list[tuple[str, int, int | None, int]] = list(qs)
    before = TalentPlacement.objects.filter(review=previous, employee_id=OuterRef("employee_id")).values("box")[:1]
    own_rows = own.annotate(previous_box=Subquery(before)).values_list("position__kind", "box", "previous_box")
    rows += [(k or "", b, p if previous else None, 1) for k, b, p in own_rows]  # none(): no query
    return rows


def computed_at(review: TalentReview) -> dt.datetime | None:
    """When the grid counts and pool sizes of the review's agency were computed (None: not yet)."""
    return summaries.computed_at(talent_summaries.KIND, review.agency_id)


def grid_counts(*, user: Any, review: TalentReview) -> dict[int, int]:
    """Employees per box (1–9) that the user may see, from the summary rows."""
    counts = dict.fromkeys(range(1, 10), 0)
    for _kind, box, _previous, n in _summary_box_rows(user=user, review=review):
        counts[box] += n
    return counts


def grid_and_movement(
    *, user: Any, review: TalentReview, previous: TalentReview | None
) -> tuple[dict[int, int], dict[tuple[int, int], int]]:
    """`grid_counts` and, when there is a previous published review, `movement`, from ONE read of the summary
    rows (the 9-box page shows both)."""
    counts = dict.fromkeys(range(1, 10), 0)
    moves: dict[tuple[int, int], int] = {}
    for _kind, box, before, n in _summary_box_rows(user=user, review=review, previous=previous):
        counts[box] += n
        if previous is not None and before is not None:
            moves[(before, box)] = moves.get((before, box), 0) + n
    return counts, moves


def grid_counts_live(*, user: Any, review: TalentReview) -> dict[int, int]:
    """Employees per box (1–9) that the user may see, computed now (one grouped query): the tests' oracle."""
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
    """{(box in the previous published review, box now): employees} for people placed in both that the user may
    see, from the summary rows (`_summary_box_rows`)."""
    moves: dict[tuple[int, int], int] = {}
    for _kind, box, before, n in _summary_box_rows(user=user, review=review, previous=previous):
        if before is not None:
            moves[(before, box)] = moves.get((before, box), 0) + n
    return moves


def movement_live(*, user: Any, review: TalentReview, previous: TalentReview) -> dict[tuple[int, int], int]:
    """{(box before, box now): employees} for people placed in both reviews, computed now (one grouped join):
    the tests' oracle."""
    rows = (
        TalentPlacement.objects.filter(review=review, employee__talent_placements__review=previous)
        .filter(employee_q(user, "employee__"))
        .values_list("employee__talent_placements__box", "box")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(before, now): n for before, now, n in rows}


POOL_ROWS_PER_FAMILY = 25


POOL_ORDER = ("-box", "-potential_score", "employee__name", "pk")


def _pool_family(qs: QuerySet[TalentPlacement], kind: str | None) -> list[TalentPlacement]:
    family = qs.filter(position__kind=kind) if kind else qs.filter(position=None)
    return list(family.order_by(*POOL_ORDER)[:POOL_ROWS_PER_FAMILY])


def _pool_members(qs: QuerySet[TalentPlacement]) -> dict[str, list[TalentPlacement]]:
    """The best `POOL_ROWS_PER_FAMILY` members of every family ("" = no post) in one query. Each family's
    members are first ranked by box and potential only (numbers: a cheap sort of the whole pool), and only
    those within the first places, ties included, are then numbered by name as well; the first ones are read
    with their joins."""
    family = [F("position__kind")]
    by_score = [F("box").desc(), F("potential_score").desc()]
    contenders = (
        qs.order_by()
        .annotate(score_rank=Window(Rank(), partition_by=family, order_by=by_score))
        .filter(score_rank__lte=POOL_ROWS_PER_FAMILY)
        .values("pk")
    )
    best = (
        qs.order_by()
        .filter(pk__in=contenders)
        .annotate(
            rank_in_family=Window(
                RowNumber(), partition_by=family, order_by=[*by_score, F("employee__name").asc(), F("pk").asc()]
            )
        )
        .filter(rank_in_family__lte=POOL_ROWS_PER_FAMILY)
        .values("pk")
    )
    out: dict[str, list[TalentPlacement]] = {}
    for p in qs.filter(pk__in=best).order_by(*POOL_ORDER):
        out.setdefault(p.position.kind if p.position else "", []).append(p)
    return out


def talent_pool(*, user: Any, review: TalentReview) -> list[dict[str, Any]]:
    """Boxes 7–9 grouped by position family (the kind of post held): the size of each family from the summary
    rows, and its best members (box, then potential) read directly, at most 25 per family (one query for all
    families, numbering each family's members)."""
    sizes: dict[str, int] = {}
    for kind, box, _previous, n in _summary_box_rows(user=user, review=review):
        if box in rules.TALENT_POOL_BOXES:
            sizes[kind] = sizes.get(kind, 0) + n
    members = _pool_members(placements_visible(user=user, review=review).filter(box__in=rules.TALENT_POOL_BOXES))
    labels = dict(PositionType.choices)
    return [
        {"family": str(labels.get(kind, "—")), "count": n, "rows": members.get(kind, [])}
        for kind, n in sorted(sizes.items(), key=lambda kv: (kv[0] == "", kv[0]))
        if n
    ]


def talent_pool_live(*, user: Any, review: TalentReview) -> list[dict[str, Any]]:
    """The talent pool computed now (one grouped query plus one per family): the tests' oracle."""
    qs = placements_visible(user=user, review=review).filter(box__in=rules.TALENT_POOL_BOXES)
    sizes = list(qs.values_list("position__kind").annotate(n=Count("pk")).order_by("position__kind"))
    labels = dict(PositionType.choices)
    return [{"family": str(labels.get(kind, "—")), "count": n, "rows": _pool_family(qs, kind)} for kind, n in sizes]


def key_positions_visible_to(*, user: Any) -> QuerySet[Position]:
    """Key posts (JPT and administrator, or marked key) of the agencies the user administers."""
    scope = scope_for(user)
    qs = Position.objects.filter(Q(kind__in=KEY_POST_KINDS) | Q(is_key=True), is_active=True)
    if not scope.everything:
        qs = qs.filter(agency_id__in=scope.admin_agency_ids)
    return qs.select_related("unit").order_by("unit__path", "title", "pk")


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
