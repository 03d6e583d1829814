"""Home cards and the employee-profile panel (registered in apps.py)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from asn_portal.precompiled import FIRST_DAY, Param, Statement, rows_together
from asn_portal.templatetags.portal_builtins import fast_reverse
from people.access import admin_agency_ids, is_head, is_hr_admin
from people.models import Employee
from people.selectors import current_employee

from . import charts, rules, selectors, summaries
from .choices import AssessmentPurpose, JpmCategory
from .models import CompetencyRequirement, EmployeeJpm
from .rules import CATEGORY_COLOURS


def _label(category: str) -> str:
    return str(JpmCategory(category).label) if category else ""


# someone never assessed has no JPM ("belum diases"): out of averages and categories, counted in coverage
ASSESSED = Q(assessed_count__gt=0, jpm__isnull=False)
_STORED_JPM_SQL = f"SELECT jpm, category, gap_count FROM {EmployeeJpm._meta.db_table} WHERE employee_id = %s LIMIT 1"


def staff_card(request: HttpRequest) -> dict[str, Any] | None:
    emp = current_employee(request.user)
    if emp is None:
        return None
    # The stored JPM row (one per employee, `selectors.stored_jpm`) in plain SQL: no query compilation.
    with connection.cursor() as cursor:
        cursor.execute(_STORED_JPM_SQL, [emp.pk])
        row = cursor.fetchone()
    if row is None:
        return {"jpm": None, "category_label": "", "colour": "secondary", "gap_count": 0}
    value, category, gap_count = row
    return {
        "jpm": value,
        "category_label": _label(category),
        "colour": CATEGORY_COLOURS.get(category, "secondary"),
        "gap_count": gap_count,
    }


def head_card(request: HttpRequest) -> dict[str, Any] | None:
    """The team's figures from the analytics summary rows (`selectors.team_averages`, the heatmap's too),
    read once per state of those rows: never the team's rows."""
    if not is_head(request.user):
        return None
    team = selectors.team_averages_cached(user=request.user)
    return {
        "avg": team.average,
        "n": team.total,
        "assessed": team.assessed,
        "kurang": team.kurang,
        "computed_at": team.computed_at,
    }


def admin_card(request: HttpRequest) -> dict[str, Any] | None:
    """The administered agencies' JPM figures from the analytics summary (`summaries.card_figures`, one indexed
    query, kept current by the JPM refresh, the standards and the people services), never their rows."""
    if not is_hr_admin(request.user):
        return None
    agencies = admin_agency_ids(request.user)  # None: every agency (superuser)
    fig = summaries.card_figures(None if agencies is None else sorted(agencies))
    assessed = int(fig["assessed"])
    agg: dict[str, Any] = {
        # AVG(jpm) over the assessed (the same value to far more digits than the card shows)
        "avg": _average(Decimal(fig["jpm_sum"]), assessed),
        "optimal": int(fig["optimal"]),
        "cukup": int(fig["cukup_optimal"]),
        "kurang": int(fig["kurang_optimal"]),
        "assessed": assessed,
        # Employees without a JPM row were never assessed: counted from the employees, so the card is not
        # "0 dari 0 pegawai" (and its chart not blank) before the first assessment.
        "n": int(fig["employees"]),
    }
    agg["unassessed"] = max(agg["n"] - agg["assessed"], 0)
    agg["no_standard"] = int(fig["no_standard"])
    chart = charts.distribution(
        [
            str(JpmCategory.OPTIMAL.label),
            str(JpmCategory.CUKUP_OPTIMAL.label),
            str(JpmCategory.KURANG_OPTIMAL.label),
            str(_("Belum diases")),
        ],
        [agg["optimal"], agg["cukup"], agg["kurang"], agg["unassessed"]],
        str(_("Pegawai")),
    )
    chart["data"]["datasets"][0]["backgroundColor"] = ["#198754", "#ffc107", "#dc3545", "#6c757d"]
    agg["chart"] = chart
    return agg


def _average(total: Decimal, n: int) -> Decimal | None:
    return total / n if n else None


def profile_panel(request: HttpRequest, employee: Employee) -> dict[str, Any] | None:
    """`selectors.profile_for(employee)`'s JPM, category and first five gaps, from its two reads (the post's
    requirements, the current levels) as plain rows in one round trip (`rows_together`): the panel shows names and
    levels only, so no model instances are built (issue #13). The same rules (`rules.jpm`, `rules.gap`) decide."""
    position_id = employee.position_id
    reads = [(_PANEL_LEVELS, {"employee_id": employee.pk, "on": timezone.localdate()})]
    if position_id is not None:
        reads.append((_PANEL_REQUIREMENTS, {"position_id": position_id}))
    levels_rows, *requirement_rows = rows_together(*reads)
    requirements = requirement_rows[0] if requirement_rows else []
    levels = dict(levels_rows)
    value = rules.jpm({cid: level for cid, level, _name in requirements}, levels)
    category = rules.jpm_category(value, AssessmentPurpose.MAPPING)
    gaps = [
        {"competency": {"name": name}, "required": level, "current": levels.get(cid)}
        for cid, level, name in requirements
        if rules.gap(level or 0, levels.get(cid)) > 0
    ]
    return {
        "jpm": value,
        "category_label": category.label if category else "",
        "colour": CATEGORY_COLOURS.get(category or "", "secondary"),
        "gaps": gaps[:5],
        "url": fast_reverse("competencies:employee", [employee.pk], None),
    }


# The panel's two reads, `profile_for`'s (`selectors._POST_REQUIREMENTS`, `selectors._CURRENT_RESULTS`) as the
# values it shows, compiled once per process.
_PANEL_REQUIREMENTS = Statement(
    lambda position_id: (
        CompetencyRequirement.objects.filter(position_id=position_id)
        .order_by("competency__kind", "competency__order", "competency__name")
        .values_list("competency_id", "level", "competency__name")
    ),
    position_id=Param(-13_000_411),
)
_PANEL_LEVELS = Statement(
    lambda employee_id, on: selectors.current_results([employee_id], on).values_list("competency_id", "level"),
    employee_id=Param(-13_000_412),
    on=Param(FIRST_DAY),
)
