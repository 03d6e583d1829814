"""Summary rows are refreshed once per burst of changes, after commit, and say when they were computed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from asn_portal import summaries
from asn_portal.models import OutboxMessage, SummaryState

KIND = "tests.counting"


@pytest.fixture
def counting() -> Iterator[list[int]]:
    calls: list[int] = []
    summaries.register(KIND, calls.append)
    yield calls
    summaries._REFRESHERS.pop(KIND, None)


@pytest.mark.django_db
def test_many_changes_in_one_burst_queue_one_refresh_after_commit(
    counting: list[int], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for _ in range(5):
            summaries.touch(KIND, 7)
        assert counting == []  # nothing before commit
    assert counting == [7]
    assert OutboxMessage.objects.filter(task=summaries.REFRESH_TASK).count() == 1
    state = SummaryState.objects.get(kind=KIND, agency_id=7)
    assert state.dirty_since is None and state.computed_at == summaries.computed_at(KIND, 7)

    with django_capture_on_commit_callbacks(execute=True):
        summaries.touch(KIND, 7)
    assert counting == [7, 7]  # the next change refreshes again


@pytest.mark.django_db
def test_a_rolled_back_change_queues_nothing(counting: list[int], django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        summaries.touch(KIND, 3)
        raise RuntimeError
    assert counting == [] and not OutboxMessage.objects.exists()
    assert summaries.computed_at(KIND, 3) is None


@pytest.mark.django_db
def test_a_change_while_stale_does_not_queue_again_until_refreshed(counting: list[int]) -> None:
    summaries.touch(KIND, 4)  # not committed in this test: the refresh stays queued
    summaries.touch(KIND, 4)
    summaries.touch(KIND, None)
    assert OutboxMessage.objects.filter(task=summaries.REFRESH_TASK).count() == 1
    summaries.refresh(KIND, 4)
    summaries.touch(KIND, 4)
    assert OutboxMessage.objects.filter(task=summaries.REFRESH_TASK).count() == 2
