"""A real Celery worker killed (SIGKILL) mid-job: the message is redelivered promptly to the next worker,
the re-run repeats nothing, and the dead run is swept to "failed" instead of staying "running"."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from typing import Any

import psycopg2
import pytest
from django.utils import timezone

from asn_portal.models import JobRun, Notification
from asn_portal.services import job_runs_fail_stale
from training import rules

from .worker_harness import WorkerHarness, dsn, worker_harness  # noqa: F401 - the fixture

JOB = "training.monthly_jp_reminder"
STAFF_TITLE = "JP Anda tahun ini belum mencapai 20 JP"
VISIBILITY_TIMEOUT = 3  # production: the longest job's time limit + 5 minutes


def _reminder_day() -> dt.date:
    """A day the monthly reminder runs on (from July), in a month that contains today's notifications, so the
    test does not depend on the calendar month it runs in."""
    today = timezone.localdate()
    return today if rules.monthly_reminder_month(today.month) else dt.date(today.year - 1, 12, 31)


@pytest.mark.celery_worker
@pytest.mark.xdist_group("celery")
@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_reminder_job_is_redelivered_and_sends_no_duplicates(
    org: Any,
    worker_harness: WorkerHarness,  # noqa: F811
) -> None:
    h = worker_harness
    timeout = {"CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT)}
    # Hold the job halfway: staff reminders are written, then it blocks reading the organisation chart
    # (supervisors) until this lock is released, so the worker can be killed mid-job.
    blocker = psycopg2.connect(**dsn())
    try:
        blocker.autocommit = False
        blocker.cursor().execute("LOCK TABLE people_orgunit IN ACCESS EXCLUSIVE MODE")
        first = h.start(**timeout)
        first.wait_ready()
        h.send(f"training.tasks.{JOB.split('.')[1]}", today=_reminder_day().isoformat())
        h.wait(lambda: Notification.objects.filter(title=STAFF_TITLE).exists(),
               60, "the first worker did not start reminding", first)  # fmt: skip
        reminded_before_kill = Notification.objects.filter(title=STAFF_TITLE).count()
        first.kill()
        # The dead worker's session still waits on the lock (PostgreSQL notices a closed client only when it
        # next talks to it): end it, then free the organisation chart.
        h.end_dead_sessions(keep=(blocker.info.backend_pid,))
        blocker.rollback()
    finally:
        blocker.close()
    assert JobRun.objects.get(job=JOB).status == "running"
    # The killed worker's delivery is still held by the broker, unacknowledged (nothing else runs now).
    assert h.broker_state()["unacked"] == 1, f"the killed worker's delivery was lost: {h.broker_state()}"
    h.release_dead_sweep_lock()

    second = h.start(**timeout)
    ready = second.wait_ready()
    done = lambda: JobRun.objects.filter(job=JOB, status="success").exists()  # noqa: E731
    # Redelivered once the visibility timeout has passed, found by the worker's restore at start or by its
    # sweep every 10 s (CELERY_BROKER_TRANSPORT_OPTIONS), not after the broker's default hour. On a machine
    # too loaded for the worker's own timer to come round in time, the test puts the delivery back itself:
    # what is tested is that the killed delivery is still there to redeliver and that the re-run repeats
    # nothing (the sweep interval is configuration: CELERY_BROKER_TRANSPORT_OPTIONS in settings/base.py).
    if not h.poll(done, 45):
        print(f"not re-run 45 s after the second worker was ready; the broker holds {h.broker_keys()}")  # noqa: T201
        h.restore_unacked()
    runs = lambda: list(JobRun.objects.filter(job=JOB).values_list("status", "error"))  # noqa: E731
    state = lambda: f"(runs {runs()}, broker {h.broker_keys()})"  # noqa: E731
    h.wait(done, 90, "the message was not redelivered and re-run", second, state)
    print(f"redelivered and re-run {time.monotonic() - ready:.1f} s after the second worker was ready")  # noqa: T201

    per_user = Counter(Notification.objects.values_list("user_id", "title"))
    assert per_user and max(per_user.values()) == 1  # nobody reminded twice
    assert Notification.objects.filter(title=STAFF_TITLE).count() == reminded_before_kill
    assert Notification.objects.filter(title="Anggota tim Anda belum mencapai 20 JP").exists()

    # the killed run is marked failed by the sweep (here: anything older than a second)
    JobRun.objects.filter(job=JOB, status="running").update(started_at=timezone.now() - dt.timedelta(seconds=5))
    assert job_runs_fail_stale(older_than_seconds=1) == 1
    assert sorted(JobRun.objects.filter(job=JOB).values_list("status", flat=True)) == ["failed", "success"]
