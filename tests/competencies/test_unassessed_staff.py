"""Staff never assessed show as "belum diases", stay out of JPM averages, and coverage is shown."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from competencies import rules, selectors, services
from tests.competencies.factories import record, set_standard

from .test_views import client_for

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.mark.parametrize(
    ("rows", "average", "assessed", "total"),
    [
        ([], None, 0, 0),
        ([(None, 0), (Decimal("0"), 0)], None, 0, 2),  # nobody assessed: no average at all
        ([(Decimal("80"), 3), (Decimal("0"), 0)], Decimal("80.00"), 1, 2),  # 0% of the unassessed is not a score
        ([(Decimal("80"), 3), (Decimal("0"), 2)], Decimal("40.00"), 2, 2),  # assessed at level 0 does count
        ([(Decimal("70"), 1), (Decimal("75"), 2), (None, 0)], Decimal("72.50"), 2, 3),
    ],
)
def test_jpm_coverage_cases(rows: list[Any], average: Decimal | None, assessed: int, total: int) -> None:
    cov = rules.jpm_coverage(rows)
    assert (cov.average, cov.assessed, cov.total) == (average, assessed, total)


def _half_assessed(org: Any) -> None:
    comps = set_standard(org.staff.position, [4, 4])  # staff and staff2 share the post
    record(org.staff, {comps[0].pk: 4, comps[1].pk: 2})  # JPM 75%
    services.jpm_recompute_all()


def test_team_page_shows_unassessed_staff_and_averages_only_the_assessed(
    org: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # the averages are summary rows refreshed after commit
        _half_assessed(org)
    heat = selectors.team_heatmap(user=org.head.user)
    rows = {r["employee"].pk: r for r in heat.people}
    assert rows[org.staff2.pk]["jpm"] is None and not rows[org.staff2.pk]["assessed"]
    assert heat.average_jpm == Decimal("75.00")
    html = client_for(org.head).get(reverse("competencies:team")).content.decode()
    assert 'data-testid="team-avg">75,00%' in html
    assert "belum diases" in html
    assert f"{heat.assessed} dari {heat.total} pegawai sudah diases" in html
    assert heat.assessed == 1 and heat.total >= 2


def test_agency_analytics_leave_unassessed_out_of_the_average(
    org: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # the page reads summary rows refreshed after commit
        _half_assessed(org)
    data = selectors.analytics_live(user=org.admin.user)
    assert data["totals"]["avg"] == Decimal("75.00")
    assert data["totals"]["assessed"] == 1
    html = client_for(org.admin).get(reverse("competencies:analytics")).content.decode()
    assert 'data-testid="agency-avg">75,00%' in html
