"""What makes the 50,000-employee seed fast stays correct: each seeder starts once what it needs is seeded,
foreign keys checked once at the end (a dangling row is still caught), summary touches held back until the
final refresh, and independent steps run the same one by one or side by side."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction

from asn_portal import summaries
from asn_portal.demo import (
    as_ready,
    bulk_insert,
    copy_insert,
    foreign_key_violations,
    foreign_keys_checked_at_the_end,
    in_parallel,
    indexes_built_after,
)
from asn_portal.management.commands.seed_demo import _prerequisites
from asn_portal.models import JobRun, OutboxMessage, SummaryState
from asn_portal.registry import Seeder

KIND = "tests.seed_counting"


def _seeder(key: str, needs: tuple[str, ...] | None = None) -> Seeder:
    return Seeder(key=key, run=lambda ctx: None, needs=needs)


def test_a_seeder_waits_for_what_it_needs_or_else_for_every_earlier_seeder() -> None:
    seeders = [
        _seeder("people"),
        _seeder("competencies", ("people",)),
        _seeder("performance", ("people",)),
        _seeder("training", ("people", "competencies")),
        _seeder("careers"),  # needs every earlier seeder
        _seeder("reports", ("people", "absent")),  # a seeder left out of this run is not waited for
    ]
    assert _prerequisites(seeders) == {
        "people": frozenset(),
        "competencies": {"people"},
        "performance": {"people"},
        "training": {"people", "competencies"},
        "careers": {"people", "competencies", "performance", "training"},
        "reports": {"people"},
    }


def test_a_step_starts_as_soon_as_its_own_inputs_are_done_not_when_its_neighbours_are() -> None:
    """competencies and performance start together; training (needing competencies only) starts while the
    slower performance is still running, and careers (needing both) only after both."""
    log: list[str] = []
    lock = threading.Lock()
    training_started = threading.Event()

    def step(key: str, wait_for: threading.Event | None = None) -> Callable[[], None]:
        def run() -> None:
            with lock:
                log.append(f"start {key}")
            if wait_for is not None:
                assert wait_for.wait(timeout=10), f"{key} waited for a step that never started"
            if key == "training":
                training_started.set()
            with lock:
                log.append(f"end {key}")

        return run

    steps = [
        ("people", frozenset(), step("people")),
        ("competencies", frozenset({"people"}), step("competencies")),
        ("performance", frozenset({"people"}), step("performance", wait_for=training_started)),
        ("training", frozenset({"people", "competencies"}), step("training")),
        ("careers", frozenset({"people", "competencies", "performance", "training"}), step("careers")),
    ]
    finished = as_ready(steps, parallel=True)
    assert finished[0] == "people" and finished[-1] == "careers"
    assert log.index("start training") < log.index("end performance")
    assert log.index("start careers") > log.index("end performance")
    assert as_ready(steps[:2], parallel=False) == ["people", "competencies"]


def test_steps_waiting_for_a_key_that_never_runs_are_refused() -> None:
    with pytest.raises(ValueError, match="never run"):
        as_ready([("a", frozenset({"missing"}), lambda: None)], parallel=True)


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


@pytest.mark.django_db
def test_copy_insert_writes_plain_rows_that_read_back_as_written_with_defaults_and_ids_in_order() -> None:
    ids = copy_insert(
        JobRun,
        [
            {"job": "seed.a", "error": "tab\there\nline two \\N back\\slash", "counts": {"rows": 3, "kota": "Medan"}},
            {"job": "seed.b", "agency_id": 7},
        ],
        ids=True,
    )
    runs = JobRun.objects.in_bulk(ids)
    first, second = runs[ids[0]], runs[ids[1]]
    assert (first.job, second.job) == ("seed.a", "seed.b")
    assert first.error == "tab\there\nline two \\N back\\slash"
    assert first.counts == {"rows": 3, "kota": "Medan"} and first.finished_at is None and first.agency_id is None
    # Left out: the field's default, as bulk_create would give it.
    assert second.counts == {} and second.status == JobRun.Status.RUNNING and second.started_at is not None
    assert second.agency_id == 7
    assert JobRun.objects.create(job="seed.c").pk > max(ids)  # the sequence moved past the drawn ids


@pytest.mark.django_db
def test_copy_insert_skips_rows_breaking_a_unique_constraint_only_when_asked() -> None:
    parent = JobRun.objects.create(job="seed.parent")
    rows = [("seed.part", parent.pk, "1"), ("seed.part", parent.pk, "1"), ("seed.part", parent.pk, "2")]
    columns = ["job", "parent_id", "part"]
    with pytest.raises(IntegrityError), transaction.atomic():
        copy_insert(JobRun, rows, columns=columns)
    assert not parent.parts.exists()
    copy_insert(JobRun, rows, columns=columns, skip_conflicts=True)
    assert sorted(parent.parts.values_list("part", flat=True)) == ["1", "2"]


@pytest.mark.django_db
def test_bulk_insert_sets_the_new_ids_and_writes_json_values_as_json() -> None:
    runs = bulk_insert(JobRun, [JobRun(job="seed.x", counts={"a": 1}), JobRun(job="seed.y", counts=[1, "dua"])])
    assert all(r.pk for r in runs)
    assert JobRun.objects.get(pk=runs[0].pk).counts == {"a": 1}
    assert JobRun.objects.get(pk=runs[1].pk).counts == [1, "dua"]
    assert JobRun.objects.get(pk=runs[1].pk).job == "seed.y"


@pytest.mark.django_db
def test_plain_indexes_are_dropped_for_a_bulk_load_and_built_again_after_unique_ones_stay() -> None:
    def indexes() -> set[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s", [JobRun._meta.db_table])
            return {name for (name,) in cursor.fetchall()}

    before = indexes()
    with indexes_built_after(JobRun):
        during = indexes()
        copy_insert(JobRun, [("seed.bulk",)] * 3, columns=["job"])
    assert "job_run_top_level_recent" in before and "job_run_top_level_recent" not in during
    assert {"asn_portal_jobrun_pkey", "uniq_job_run_part"} <= during  # unique ones still refuse duplicates
    assert indexes() == before
    assert JobRun.objects.filter(job="seed.bulk").count() == 3
