"""The BKD admin's agency-wide home cards read each their figures in one statement of plain SQL (no time cache,
issue #13): every card equals what the ORM selectors it replaced give, for a BKD admin, another agency's admin, an
admin of both agencies and a superuser, with and without data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.test import RequestFactory
from django.utils import timezone

from asn_portal import summaries
from careers import panels as careers_panels
from careers import rules as careers_rules
from careers import summaries as careers_summaries
from careers.choices import PlanStatus as CareerPlanStatus
from careers.models import CareerPlan, TalentPlacement
from careers.talent import selectors as talent_selectors
from people.access import employee_q
from people.choices import AgencyRoleKind
from people.models import AgencyRole
from performance import cards as performance_cards
from performance.models import UnitCalibration
from performance.reports import summaries as statistics_summaries
from promotions import panels as promotion_panels
from promotions.choices import ProposalStatus
from promotions.models import PromotionProposal
from promotions.selectors import current_period, queue_counts_for
from tests.careers import factories as careers_f
from tests.performance import factories as performance_f
from tests.promotions import factories as promotions_f
from training import panels as training_panels
from training.choices import VerificationStatus
from training.external import selectors as external_selectors
from training.ledger import selectors as ledger_selectors
from training.ledger import services as ledger_services
from training.models import LearningRecord

pytestmark = pytest.mark.django_db


def _request(user: Any) -> Any:
    request = RequestFactory().get("/")
    request.user = get_user_model().objects.get(pk=user.pk)  # a fresh user object: a request of its own
    return request


def _performance_oracle(user: Any) -> dict[str, Any] | None:
    from people.access import agency_for_request, scope_for
    from performance.choices import PlanStatus

    if not scope_for(user).admin_agency_ids:
        return None  # a superuser administers no agency by role: the card is hidden
    year = timezone.localdate().year
    agency_id = agency_for_request(user).pk
    status, _by_unit = statistics_summaries.year_counts(agency_id=agency_id, year=year)
    not_yet = {PlanStatus.DRAFT, PlanStatus.SUBMITTED, PlanStatus.RETURNED}
    return {
        "year": year,
        "counts": {
            "total": sum(status.values()),
            "approved": sum(n for s, n in status.items() if s not in not_yet),
            "final": sum(n for s, n in status.items() if s in (PlanStatus.FINAL, PlanStatus.RESOLVED)),
        },
        "breaking": UnitCalibration.objects.filter(
            period__agency_id=agency_id, breaks_rule=True, status="open"
        ).count(),
        "computed_at": statistics_summaries.computed_at(agency_id),
    }


def _training_oracle(user: Any) -> dict[str, Any]:
    from people.access import agency_for_request

    year = timezone.localdate().year
    report = ledger_selectors.compliance_report(agency_id=agency_for_request(user).pk, year=year)
    return {"total": report["total"], "pending": external_selectors.pending_external(user=user).count(), "year": year}


def _careers_oracle(user: Any) -> dict[str, Any]:
    review = talent_selectors.review_list_visible_to(user=user).order_by("-year", "-pk").first()
    pool = (
        TalentPlacement.objects.filter(review=review, box__in=careers_rules.TALENT_POOL_BOXES).count() if review else 0
    )
    plans = CareerPlan.objects.filter(employee_q(user, "employee__")).exclude(status=CareerPlanStatus.ARCHIVED).count()
    return {"review": review and (review.pk, review.name, review.status), "pool": pool, "plans": plans}


def _promotions_oracle(user: Any) -> dict[str, Any] | None:
    period = current_period()
    if period is None:
        return None
    return {
        "period": (period.pk, period.period_date, period.submission_opens, period.submission_closes),
        "counts": queue_counts_for(user=user, period=period).counts,
        "waiting": PromotionProposal.objects.filter(
            employee_q(user, "employee__"), status=ProposalStatus.PROPOSED
        ).count(),
    }


def _assert_cards_equal_the_selectors(user: Any) -> None:
    summaries.refresh_all(_agencies())
    user = get_user_model().objects.get(pk=user.pk)  # its roles as they are now
    assert performance_cards.admin_card(_request(user)) == _performance_oracle(user)
    assert training_panels.admin_card(_request(user)) == _training_oracle(user)
    card = careers_panels.admin_card(_request(user))
    assert card is not None
    review = card["review"]
    shown = {"review": review and (review.pk, review.name, review.status), "pool": card["pool"], "plans": card["plans"]}
    assert shown == _careers_oracle(user)
    card = promotion_panels.home_bkd(_request(user))
    if card is not None:
        period = card["period"]
        card = {**card, "period": (period.pk, period.period_date, period.submission_opens, period.submission_closes)}
    assert card == _promotions_oracle(user)


def _agencies() -> list[int]:
    from people.models import Agency

    return list(Agency.objects.order_by("pk").values_list("pk", flat=True))


def test_each_admin_card_equals_its_selectors_for_every_kind_of_admin(org: Any) -> None:
    root = get_user_model().objects.create_superuser("root", "root@example.go.id", "x")
    both = org.foreign_admin.user
    users = [org.admin.user, org.foreign_admin.user, root]
    for user in users:  # nothing yet: no review, no period ahead, no SKP
        _assert_cards_equal_the_selectors(user)

    year = timezone.localdate().year
    performance_f.plan(org.staff, year=year, status="approved")
    performance_f.plan(org.staff2, year=year, status="submitted")
    performance_f.plan(org.other_staff, year=year, status="draft")
    ledger_services.learning_credit(
        employee=org.staff, jp=Decimal("21"), on_date=dt.date(year, 2, 3), title="Diklat", source_type="test",
        source_id=1, actor=None,
    )  # fmt: skip
    for emp, agency in ((org.staff2, org.agency), (org.foreign_staff, org.foreign_staff.agency)):
        LearningRecord.objects.create(
            employee=emp, agency=agency, year=year, date=dt.date(year, 2, 3), jp=Decimal("5"), title="Webinar",
            source_type="external", source_id=f"p{emp.pk}", status=VerificationStatus.PENDING,
        )  # fmt: skip
    old = careers_f.review(org.agency.pk, year=2024)
    review = careers_f.review(org.agency.pk, year=2025)
    careers_f.placement(old, org.staff, 9)
    careers_f.placement(review, org.staff, 8)
    careers_f.placement(review, org.staff2, 5)
    careers_f.placement(review, org.bidang_staff, 7)
    careers_f.plan(org.staff)
    careers_f.plan(org.foreign_staff)
    promotions_f.reference_data()
    for user in users:
        _assert_cards_equal_the_selectors(user)

    # an admin of both agencies whose own record is in one of them: the agencies' figures summed
    AgencyRole.objects.create(user=both, agency=org.agency, role=AgencyRoleKind.HR_ADMIN)
    _assert_cards_equal_the_selectors(both)
    agencies = Q(employee__agency_id__in=[org.agency.pk, org.foreign_admin.agency_id])
    assert careers_panels.admin_card(_request(both))["plans"] == careers_summaries.active_plans_live(agencies) == 2
