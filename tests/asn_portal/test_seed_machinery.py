"""What makes the 50,000-employee seed fast stays correct: seeders grouped into waves only by what they need,
foreign keys checked once at the end (a dangling row is still caught), summary touches held back until the
final refresh, and independent steps run the same one by one or side by side."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from asn_portal import summaries
from asn_portal.demo import foreign_key_violations, foreign_keys_checked_at_the_end, in_parallel
from asn_portal.management.commands.seed_demo import _waves
from asn_portal.models import OutboxMessage, SummaryState
from asn_portal.registry import Seeder

KIND = "tests.seed_counting"


def _seeder(key: str, needs: tuple[str, ...] | None = None) -> Seeder:
    return Seeder(key=key, run=lambda ctx: None, needs=needs)


def test_a_seeder_joins_a_wave_only_when_what_it_needs_is_already_seeded() -> None:
    seeders = [
        _seeder("people"),
        _seeder("competencies", ("people",)),
        _seeder("performance", ("people",)),
        _seeder("training"),  # needs every earlier seeder
        _seeder("careers", ("training",)),
        _seeder("reports", ("people", "careers")),  # careers is in the current wave: next wave
    ]
    assert [[s.key for s in wave] for wave in _waves(seeders)] == [
        ["people"],
        ["competencies", "performance"],
        ["training"],
        ["careers"],
        ["reports"],
    ]


def test_in_parallel_returns_each_steps_result_in_order_either_way() -> None:
    steps = [lambda i=i: i * i for i in range(5)]
    assert in_parallel(steps, parallel=False) == [0, 1, 4, 9, 16]
    assert in_parallel(steps, parallel=True) == [0, 1, 4, 9, 16]


@pytest.mark.django_db
def test_a_row_pointing_nowhere_is_caught_by_the_set_based_check(org: Any) -> None:
    assert foreign_key_violations() == []
    with foreign_keys_checked_at_the_end() as deferred:
        assert deferred  # the test database user is a superuser, like the bench's and `make run`'s
        with connection.cursor() as cursor:
            cursor.execute("UPDATE people_employee SET unit_id = 987654321 WHERE id = %s", [org.staff.pk])
    broken = foreign_key_violations()
    assert len(broken) == 1
    assert "people_employee → people_orgunit): 1" in broken[0]


@pytest.fixture
def counting(register_counting: Callable[[str], list[int]]) -> list[int]:
    return register_counting(KIND)


@pytest.mark.django_db
def test_touches_held_back_during_the_seed_are_dropped_once_refreshed_and_kept_otherwise(
    counting: list[int],
) -> None:
    with summaries.deferred():
        summaries.touch(KIND, 1)
        summaries.touch(KIND, 1)
        summaries.touch(KIND, 2)
        assert not SummaryState.objects.filter(kind=KIND).exists()  # nothing marked, nothing queued
        summaries.refresh(KIND, 1)  # the seed's final refresh, for agency 1 only
    assert counting == [1]
    state_1 = SummaryState.objects.get(kind=KIND, agency_id=1)
    state_2 = SummaryState.objects.get(kind=KIND, agency_id=2)
    assert state_1.dirty_since is None and state_1.computed_at is not None
    assert state_2.dirty_since is not None  # not refreshed inside: touched as usual on leaving
    assert OutboxMessage.objects.filter(task=summaries.REFRESH_TASK, args=[KIND, 2]).count() == 1
    assert not OutboxMessage.objects.filter(task=summaries.REFRESH_TASK, args=[KIND, 1]).exists()
