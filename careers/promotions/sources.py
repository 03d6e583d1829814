"""Set-based reads from the other apps' contracts (docs/architecture.md), in one place.

Each call is one or a few queries for any number of employees. While a sibling app is still being built
(its selector not importable yet) the input counts as missing, so the rules say "belum ada …"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any


def predikat_by_year(employee_ids: Iterable[int], years: Iterable[int]) -> dict[tuple[int, int], str]:
    try:
        from performance.selectors import predikat_by_year as source
    except ImportError:  # pragma: no cover - performance app not installed yet
        return {}
    return source(list(employee_ids), list(years))


def published_boxes(employee_ids: Iterable[int]) -> dict[int, int]:
    try:
        from careers.selectors import published_boxes as source  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return {}
    return dict(source(list(employee_ids)))


def post_requirements(position_id: int) -> dict[int, int]:
    """competency_id → required level of a post (Standar kompetensi jabatan)."""
    try:
        from competencies.models import CompetencyRequirement
    except ImportError:  # pragma: no cover
        return {}
    return dict(CompetencyRequirement.objects.filter(position_id=position_id).values_list("competency_id", "level"))


def jpm_against(employee_ids: list[int], required: dict[int, int]) -> dict[int, Decimal | None]:
    """JPM of each employee against a post's standard (competencies.rules.jpm), set-based."""
    if not required:
        return {}
    try:
        from competencies.rules import jpm
        from competencies.selectors import current_levels
    except ImportError:  # pragma: no cover
        return {}
    levels = current_levels(employee_ids)
    by_emp: dict[int, dict[int, int | None]] = {}
    for (emp, comp), level in levels.items():
        by_emp.setdefault(emp, {})[comp] = level
    return {emp: jpm(required, by_emp.get(emp, {})) for emp in employee_ids}


def assessed_against(employee_ids: list[int], required: dict[int, int]) -> set[int]:
    """The employees with an assessed level in at least one competency of a post's standard."""
    if not required or not employee_ids:
        return set()
    try:
        from competencies.selectors import current_levels
    except ImportError:  # pragma: no cover
        return set()
    return {emp for (emp, comp) in current_levels(employee_ids) if comp in required}


def jp_in_competencies(employee_ids: list[int], competency_ids: list[int], since: dt.date) -> dict[int, Decimal]:
    if not competency_ids:
        return {}
    try:
        from training.selectors import jp_in_competencies as source  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return {}
    result: dict[int, Any] = source(employee_ids, competency_ids, since)
    return {k: Decimal(str(v)) for k, v in result.items()}
