"""The merit ranking of a vacancy shown compactly: per candidate one small bar per component (its weighted
points against the most it can give), the value × weight = points and the sources on demand."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from .vacancies.rules import DEFAULT_WEIGHTS


@dataclass(frozen=True)
class ComponentCell:
    key: str
    label: str
    value: Decimal
    weight: int
    points: Decimal
    max_points: Decimal  # what this component gives at value 100: weight / total weight × 100
    source: str
    source_text: Any = None  # the translatable form of the source, when the ranking stored one


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    weight: int
    max_points: Decimal


def _decimal(raw: Any) -> Decimal:
    try:
        return Decimal(str(raw))
    except (InvalidOperation, ValueError):
        return Decimal("0")


def _max_points(weight: int, total: int) -> Decimal:
    return (Decimal(weight) * 100 / (total or 1)).quantize(Decimal("0.01"))


def columns(weights: Mapping[str, Any] | None, first_components: Iterable[Mapping[str, Any]]) -> list[Column]:
    """The table's component columns, in the order the ranking stored them."""
    used = {k: int(v) for k, v in (weights or DEFAULT_WEIGHTS).items()}
    total = sum(used.values())
    return [
        Column(c["key"], str(c["label"]), int(used.get(c["key"], 0)), _max_points(int(used.get(c["key"], 0)), total))
        for c in first_components
    ]


def cells(components: Iterable[Mapping[str, Any]], weights: Mapping[str, Any] | None) -> list[ComponentCell]:
    used = {k: int(v) for k, v in (weights or DEFAULT_WEIGHTS).items()}
    total = sum(used.values())
    out = []
    for c in components:
        weight = int(_decimal(c.get("weight", used.get(c["key"], 0))))
        out.append(
            ComponentCell(
                key=c["key"],
                label=str(c["label"]),
                value=_decimal(c.get("value")),
                weight=weight,
                points=_decimal(c.get("points")),
                max_points=_max_points(weight, total),
                source=str(c.get("source", "")),
                source_text=c.get("source_text"),
            )
        )
    return out


def ranking_rows(candidates: Iterable[Any], weights: Mapping[str, Any] | None) -> list[tuple[Any, list[ComponentCell]]]:
    return [(c, cells(c.components, weights)) for c in candidates]
