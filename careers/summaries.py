"""Summary rows of the careers reports, kept current on change (asn_portal.summaries).

- `careers.plan_coverage` (`PlanCoverageSummary`): per OPD staff, plans, agreed plans, actions and done actions;
- `careers.mentoring_cadence` (`MentoringCadenceSummary`): per unit and date last met, the active staff;
- `careers.follow_ups` (`FollowUpSummary`): per year and unit the appraisal follow-ups by status.

Every service that changes a report's inputs calls the matching `touch_*` inside its transaction; each refresher
replaces the agency's rows from grouped queries (the same ones the `*_live` selectors, the tests' oracle, use)
with one bulk insert, inside `summaries.refresh`'s transaction. The plan coverage refresh also returns the agency's
career plans not archived (every employee, whatever their unit), the BKD admin's home card (`active_plans`).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from asn_portal import summaries
from careers.choices import PlanStatus
from careers.followups.selectors import follow_up_counts
from careers.mentoring.selectors import last_met_counts
from careers.models import CareerPlan, FollowUpSummary, MentoringCadenceSummary, PlanCoverageSummary
from careers.plans.selectors import plan_coverage_counts

PLAN_COVERAGE = "careers.plan_coverage"
MENTORING_CADENCE = "careers.mentoring_cadence"
FOLLOW_UPS = "careers.follow_ups"


def touch_plans(*agency_ids: int | None) -> None:
    summaries.touch_all([PLAN_COVERAGE], agency_ids)


def touch_cadence(*agency_ids: int | None) -> None:
    summaries.touch_all([MENTORING_CADENCE], agency_ids)


def touch_follow_ups(*agency_ids: int | None) -> None:
    summaries.touch_all([FOLLOW_UPS], agency_ids)


def refresh_plan_coverage(agency_id: int) -> dict[str, int]:
    units, stats = plan_coverage_counts(agency_id=agency_id)
    PlanCoverageSummary.objects.filter(agency_id=agency_id).delete()
    PlanCoverageSummary.objects.bulk_create(
        [
            PlanCoverageSummary(
                agency_id=agency_id,
                unit=u,
                staff=stats[u.path]["staff"],
                plans=stats[u.path]["plans"],
                agreed=stats[u.path]["agreed"],
                actions=stats[u.path]["actions"],
                done=stats[u.path]["done"],
            )
            for u in units
        ],
        batch_size=2000,
    )
    return {"plans": active_plans_live(Q(employee__agency_id=agency_id))}


def active_plans_live(employees: Q) -> int:
    """Career plans not archived of the employees `employees` selects (a Q on the plan), counted now."""
    return CareerPlan.objects.filter(employees).exclude(status=PlanStatus.ARCHIVED).count()


def active_plans(agency_ids: Iterable[int] | None) -> int:
    """Career plans not archived of these agencies' employees (None: every agency) as of the last plan coverage
    refresh, in one indexed query."""
    return int(summaries.figures(PLAN_COVERAGE, agency_ids).get("plans", 0))


def refresh_mentoring_cadence(agency_id: int) -> None:
    rows = last_met_counts(agency_id=agency_id)
    MentoringCadenceSummary.objects.filter(agency_id=agency_id).delete()
    MentoringCadenceSummary.objects.bulk_create(
        [
            MentoringCadenceSummary(agency_id=agency_id, unit_id=unit_id, last_met=last_met, staff=n)
            for unit_id, last_met, n in rows
        ],
        batch_size=5000,
    )


def refresh_follow_ups(agency_id: int) -> None:
    rows = follow_up_counts(agency_id=agency_id)
    FollowUpSummary.objects.filter(agency_id=agency_id).delete()
    FollowUpSummary.objects.bulk_create(
        [FollowUpSummary(agency_id=agency_id, **r) for r in rows],
        batch_size=2000,
    )


def register() -> None:
    summaries.register(PLAN_COVERAGE, refresh_plan_coverage, figures=True)
    summaries.register(MENTORING_CADENCE, refresh_mentoring_cadence)
    summaries.register(FOLLOW_UPS, refresh_follow_ups)
