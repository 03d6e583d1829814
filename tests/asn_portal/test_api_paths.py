"""One naming rule for nested API paths: the parent object is `{id}`, a child is `{<noun>_id}`."""

from __future__ import annotations

import re

from drf_spectacular.generators import SchemaGenerator


def _paths() -> list[str]:
    return sorted(SchemaGenerator().get_schema(request=None, public=True)["paths"])


def test_every_path_under_an_employee_names_the_employee_id() -> None:
    nested = [p for p in _paths() if p.startswith("/api/v1/employees/{") and p.count("/") > 5]
    assert "/api/v1/employees/{id}/predikat-history/" in nested
    assert [p for p in nested if not p.startswith("/api/v1/employees/{id}/")] == []


def test_child_parameters_are_named_after_their_noun() -> None:
    params = {name for p in _paths() for name in re.findall(r"\{(\w+)\}", p)}
    assert {name for name in params if name != "id" and not name.endswith("_id")} == set()
