"""Fixtures shared by the foundation tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from asn_portal import summaries


@pytest.fixture
def register_counting() -> Iterator[Callable[[str], list[int]]]:
    """Registers a summary kind whose refresher only records the agencies it was called for."""
    registered: list[str] = []

    def register(kind: str) -> list[int]:
        calls: list[int] = []
        summaries.register(kind, calls.append)
        registered.append(kind)
        return calls

    yield register
    for kind in registered:
        summaries._REFRESHERS.pop(kind, None)
