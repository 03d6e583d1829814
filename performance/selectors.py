"""Reads for performance: scoped, N+1-safe querysets and set-based lookups other apps use."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from people.access import admin_agency_q, employee_q, scope_for, team_q, unit_q
from people.choices import ACTIVE_STATUSES
from people.models import Employee, OrgUnit

from . import rules
from .choices import EvaluationStatus, PeriodStatus, PlanStatus
from .models import (
    DistributionRule,
    Evaluation,
    EvaluationPeriod,
    Feedback,
    Indicator,
    Objection,
    PerformancePlan,
    PlannedResult,
    PredikatRecord,
    Progress,
    UnitCalibration,
    UnitPerformance,
)


def predikat_by_year(employee_ids: Iterable[int], years: Iterable[int]) -> dict[tuple[int, int], str]:
    """Final annual predikat per (employee_id, year), one query (the contract promotions/talent read)."""
    ids = list(employee_ids)
    yrs = list(years)
    if not ids or not yrs:
        return {}
    rows = PredikatRecord.objects.filter(employee_id__in=ids, year__in=yrs).values_list(
        "employee_id", "year", "predikat"
    )
    return {(e, y): p for e, y, p in rows}


# --- scoped reads for pages and the API ---------------------------------------------------------


def plan_q(user: Any) -> Q:
    """SKPs the user may read: those of people in their scope, plus those they appraise or sign above."""
    scope = scope_for(user)
    if scope.everything:
        return Q()
    q = employee_q(user, "employee__")
    if scope.employee_id:
        q |= Q(appraiser_id=scope.employee_id) | Q(appraiser_superior_id=scope.employee_id)
    return q


def plan_list_visible_to(*, user: Any) -> QuerySet[PerformancePlan]:
    return (
        PerformancePlan.objects.filter(plan_q(user))
        .select_related("employee", "unit", "appraiser", "agency")
        .order_by("-year", "employee__name")
    )


def plan_get_visible(*, user: Any, pk: int) -> PerformancePlan:
    plan = (
        PerformancePlan.objects.filter(plan_q(user), pk=pk)
        .select_related(
            "employee",
            "employee__rank",
            "employee__position",
            "unit",
            "agency",
            "appraiser",
            "appraiser__rank",
            "appraiser__position",
            "appraiser_superior",
            "appraiser_superior__position",
            "appraiser_superior__rank",
        )
        .first()
    )
    if plan is None:
        raise Http404("SKP tidak ditemukan.")
    return plan


def progress_get_visible(*, user: Any, pk: int) -> Progress:
    """A realisation row whose SKP the user may read (the same rule as the SKP page); 404 otherwise."""
    progress = (
        Progress.objects.filter(pk=pk, indicator__result__plan__in=PerformancePlan.objects.filter(plan_q(user)))
        .only("pk", "evidence_file", "evidence_name")
        .first()
    )
    if progress is None:
        raise Http404("Realisasi tidak ditemukan.")
    return progress


def plan_detail_parts(plan: PerformancePlan) -> dict[str, Any]:
    """Everything the SKP page shows, in a fixed number of queries."""
    results = list(
        PlannedResult.objects.filter(plan=plan)
        .select_related("parent_result")
        .prefetch_related(
            Prefetch(
                "indicators",
                queryset=Indicator.objects.prefetch_related(
                    Prefetch("progress", queryset=Progress.objects.select_related("period"))
                ),
            )
        )
    )
    periods = list(EvaluationPeriod.objects.filter(agency_id=plan.agency_id, year=plan.year).order_by("kind", "number"))
    evaluations = {
        e.period_id: e for e in Evaluation.objects.filter(plan=plan).select_related("evaluated_by", "period")
    }
    feedback = list(Feedback.objects.filter(plan=plan).select_related("result", "core_value", "given_by", "period"))
    behaviour = list(plan.behaviour_expectations.select_related("core_value"))
    objections = list(Objection.objects.filter(plan=plan).select_related("decided_by"))
    return {
        "main_results": [r for r in results if r.kind == "main"],
        "additional_results": [r for r in results if r.kind == "additional"],
        "results": results,
        "periods": periods,
        "evaluations": evaluations,
        "evaluation_rows": [(p, evaluations.get(p.pk)) for p in periods],
        "feedback": feedback,
        "behaviour": behaviour,
        "objections": objections,
    }


def annual_rating_gate(plan: PerformancePlan, period: EvaluationPeriod, today: Any = None) -> rules.AnnualRatingGate:
    """Whether the annual rating of `plan` may be recorded for `period` now (two counting queries)."""
    indicators = Indicator.objects.filter(result__plan=plan)
    return rules.annual_rating_gate(
        today=today or timezone.localdate(),
        period_end=period.end_date,
        indicators=indicators.count(),
        indicators_realised=indicators.filter(progress__period=period).distinct().count(),
    )


def annual_gate_message(gate: rules.AnnualRatingGate, period: EvaluationPeriod) -> str:
    """The Indonesian sentence that says why the annual rating is not open yet ("" when it is)."""
    if gate.is_open:
        return ""
    if gate.too_early:
        return _("Penilaian tahunan (%(period)s) baru dibuka mulai %(date)s, setelah tahun penilaian berakhir.") % {
            "period": period.name,
            "date": date_format(gate.opens_on, "j F Y"),
        }
    if gate.indicators == 0:
        return _("SKP ini belum memiliki indikator kinerja; penilaian tahunan tidak dapat dicatat.")
    return _(
        "Realisasi %(period)s belum diisi untuk %(n)s dari %(total)s indikator; "
        "isi realisasi sebelum penilaian tahunan."
    ) % {"period": period.name, "n": gate.missing_realisation, "total": gate.indicators}


def predikat_history(employee_id: int) -> list[Any]:
    from .models import PredikatRecord

    return list(PredikatRecord.objects.filter(employee_id=employee_id).order_by("-year"))


def current_period(agency_id: int, today: Any = None) -> EvaluationPeriod | None:
    today = today or timezone.localdate()
    return (
        EvaluationPeriod.objects.filter(agency_id=agency_id, start_date__lte=today, end_date__gte=today)
        .order_by("kind")
        .first()
    )


def inbox_for(*, user: Any) -> dict[str, list[PerformancePlan]]:
    """The appraiser's inbox: SKPs to approve, to evaluate, to finalise, objections to decide (3 queries)."""
    scope = scope_for(user)
    if not scope.employee_id:
        return {"approve": [], "evaluate": [], "finalise": [], "objections": []}
    me = scope.employee_id
    pending_eval = Evaluation.objects.filter(
        plan_id=OuterRef("pk"), status=EvaluationStatus.PENDING, period__opened_at__isnull=False
    )
    plans = list(
        PerformancePlan.objects.filter(
            Q(appraiser_id=me, status__in=[PlanStatus.SUBMITTED, PlanStatus.APPROVED, PlanStatus.EVALUATED])
            | Q(appraiser_superior_id=me, status=PlanStatus.OBJECTED)
        )
        .exclude(employee_id=me)
        .annotate(has_pending=Exists(pending_eval))
        .select_related("employee", "employee__position", "unit")
        .order_by("employee__name")
    )
    out: dict[str, list[PerformancePlan]] = {"approve": [], "evaluate": [], "finalise": [], "objections": []}
    for p in plans:
        if p.status == PlanStatus.SUBMITTED and p.appraiser_id == me:
            out["approve"].append(p)
        elif p.status == PlanStatus.APPROVED and p.appraiser_id == me:
            out["evaluate"].append(p)
        elif p.status == PlanStatus.EVALUATED and p.appraiser_id == me:
            out["finalise"].append(p)
        elif p.status == PlanStatus.OBJECTED:
            out["objections"].append(p)
    return out


def team_progress(*, user: Any, year: int, period: EvaluationPeriod | None) -> QuerySet[Employee]:
    """The head's team with their SKP status this year and whether they reported this period (1 query)."""
    plan_sq = PerformancePlan.objects.filter(employee_id=OuterRef("pk"), year=year)
    qs = (
        Employee.objects.filter(team_q(user), status__in=ACTIVE_STATUSES)
        .select_related("position", "unit")
        .annotate(
            plan_id=Subquery(plan_sq.values("pk")[:1]),
            plan_status=Subquery(plan_sq.values("status")[:1]),
        )
        .order_by("unit__path", "name")
    )
    if period is not None:
        qs = qs.annotate(
            reported=Exists(
                Progress.objects.filter(period=period, indicator__result__plan__employee_id=OuterRef("pk"))
            ),
            period_predikat=Subquery(
                Evaluation.objects.filter(period=period, plan__employee_id=OuterRef("pk")).values("predikat")[:1]
            ),
        )
    return qs


def parent_result_choices(plan: PerformancePlan) -> list[tuple[int, str]]:
    """The appraiser's RHK of the same year that the plan's RHK may cascade from (one query)."""
    rows = PlannedResult.objects.filter(plan__employee_id=plan.appraiser_id or 0, plan__year=plan.year).order_by(
        "kind", "order"
    )
    return [(r.pk, r.text[:120]) for r in rows.only("pk", "text")]


def plan_results(plan: PerformancePlan) -> list[PlannedResult]:
    """The plan's RHK with their IKI (two queries), in the editor's order."""
    return list(PlannedResult.objects.filter(plan=plan).prefetch_related("indicators"))


def periods_of(*, agency_id: int, year: int) -> list[EvaluationPeriod]:
    """An agency's evaluation periods of a year, annual last."""
    return list(EvaluationPeriod.objects.filter(agency_id=agency_id, year=year).order_by("kind", "number"))


def cascade_tree(plan: PerformancePlan) -> list[PlannedResult]:
    """The head's results with the subordinates' results that support them, two levels down."""
    child_qs = PlannedResult.objects.select_related("plan__employee").prefetch_related(
        Prefetch("children", queryset=PlannedResult.objects.select_related("plan__employee"))
    )
    return list(
        PlannedResult.objects.filter(plan=plan)
        .select_related("parent_result__plan__employee")
        .prefetch_related(Prefetch("children", queryset=child_qs))
    )


def periods_for_admin(*, user: Any, year: int) -> QuerySet[EvaluationPeriod]:
    return (
        EvaluationPeriod.objects.filter(admin_agency_q(user), year=year)
        .select_related("agency")
        .order_by("agency__name", "kind", "number")
    )


def period_get_visible(*, user: Any, pk: int) -> EvaluationPeriod:
    scope = scope_for(user)
    qs = EvaluationPeriod.objects.all()
    if not scope.everything:
        qs = qs.filter(agency_id__in=scope.agency_ids)
    period = qs.filter(pk=pk).first()
    if period is None:
        raise Http404("Periode tidak ditemukan.")
    return period


def units_for_rating(*, user: Any) -> QuerySet[OrgUnit]:
    """Units whose rating the user may set: BKD admins' agencies, heads' subtrees."""
    return OrgUnit.objects.filter(unit_q(user), is_active=True).select_related("agency", "parent")


def rule_specs() -> dict[str, list[rules.RuleSpec]]:
    out: dict[str, list[rules.RuleSpec]] = defaultdict(list)
    for r in DistributionRule.objects.filter(is_active=True).order_by("unit_rating", "order"):
        out[r.unit_rating].append(rules.RuleSpec(tuple(r.predikats), r.comparator, Decimal(r.percent), r.message))
    return out


def distribution_counts(
    *, period: EvaluationPeriod, unit_ids: Iterable[int] | None = None
) -> dict[int, dict[str, int]]:
    """Per unit: how many employees hold each predikat in the period (one grouped query).

    For the annual period the SKP's annual predikat counts; for other periods the period evaluation."""
    if period.is_annual:
        qs = PerformancePlan.objects.filter(agency_id=period.agency_id, year=period.year).exclude(predikat="")
        if unit_ids is not None:
            qs = qs.filter(unit_id__in=list(unit_ids))
        rows: Any = qs.values_list("unit_id", "predikat").annotate(n=Count("pk")).order_by()
    else:
        eqs = Evaluation.objects.filter(period=period, status=EvaluationStatus.EVALUATED)
        if unit_ids is not None:
            eqs = eqs.filter(plan__unit_id__in=list(unit_ids))
        rows = eqs.values_list("plan__unit_id", "predikat").annotate(n=Count("pk")).order_by()
    out: dict[int, dict[str, int]] = defaultdict(dict)
    for unit_id, predikat, n in rows:
        out[unit_id][predikat] = n
    return out


def calibration_rows(*, user: Any, period: EvaluationPeriod) -> list[dict[str, Any]]:
    """Per unit: rating, predikat counts, warnings and finalisation (4 queries whatever the unit count)."""
    units = list(units_for_rating(user=user).filter(agency_id=period.agency_id).order_by("path"))
    ids = [u.pk for u in units]
    counts = distribution_counts(period=period, unit_ids=ids)
    ratings = {
        r.unit_id: r for r in UnitPerformance.objects.filter(period=period, unit_id__in=ids).select_related("set_by")
    }
    cals = {
        c.unit_id: c
        for c in UnitCalibration.objects.filter(period=period, unit_id__in=ids).select_related("finalised_by")
    }
    specs = rule_specs()
    rows = []
    for u in units:
        c = counts.get(u.pk, {})
        r = ratings.get(u.pk)
        warnings = rules.check_distribution(c, specs.get(r.rating, [])) if r else []
        if not c and not r:
            continue
        rows.append(
            {
                "unit": u,
                "rating": r,
                "counts": c,
                "total": sum(c.values()),
                "warnings": warnings,
                "calibration": cals.get(u.pk),
            }
        )
    return rows


def unit_people(*, period: EvaluationPeriod, unit_id: int) -> list[Any]:
    """Who is where: the unit's SKPs with their predikat for the period (1 query)."""
    if period.is_annual:
        return list(
            PerformancePlan.objects.filter(agency_id=period.agency_id, year=period.year, unit_id=unit_id)
            .select_related("employee")
            .order_by("predikat", "employee__name")
        )
    return list(
        Evaluation.objects.filter(period=period, plan__unit_id=unit_id)
        .select_related("plan__employee")
        .order_by("predikat", "plan__employee__name")
    )


def agency_statistics(*, agency_id: int, year: int) -> dict[str, Any]:
    """Predikat distribution by unit for a year and SKP completion rates (3 grouped queries)."""
    from .models import PredikatRecord

    by_unit: dict[int, dict[str, int]] = defaultdict(dict)
    for unit_id, predikat, n in (
        PredikatRecord.objects.filter(year=year, employee__agency_id=agency_id)
        .values_list("unit_id", "predikat")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        by_unit[unit_id or 0][predikat] = n
    status_counts = dict(
        PerformancePlan.objects.filter(agency_id=agency_id, year=year)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("status", "n")
    )
    employees = Employee.objects.filter(agency_id=agency_id, status__in=ACTIVE_STATUSES).count()
    units = {u.pk: u for u in OrgUnit.objects.filter(pk__in=list(by_unit))}
    return {
        "by_unit": [
            (units.get(uid), c)
            for uid, c in sorted(by_unit.items(), key=lambda kv: getattr(units.get(kv[0]), "path", ""))
        ],
        "status_counts": status_counts,
        "employees": employees,
    }


def open_periods(agency_id: int, year: int) -> list[EvaluationPeriod]:
    return list(
        EvaluationPeriod.objects.filter(agency_id=agency_id, year=year, status=PeriodStatus.OPEN)
        .exclude(opened_at=None)
        .order_by("number")
    )
