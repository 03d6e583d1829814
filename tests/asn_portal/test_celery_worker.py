"""A real Celery worker against Redis runs a task end to end and writes its JobRun."""

from __future__ import annotations

import pytest

from asn_portal.models import JobRun

from .worker_harness import WorkerHarness, worker_harness  # noqa: F401 - the fixture


@pytest.mark.celery_worker
@pytest.mark.xdist_group("celery")
@pytest.mark.django_db(transaction=True)
def test_real_worker_runs_heartbeat_and_records_jobrun(worker_harness: WorkerHarness) -> None:  # noqa: F811
    worker = worker_harness.start()
    worker.wait_ready()
    worker_harness.send("asn_portal.tasks.heartbeat")
    worker_harness.wait(
        lambda: JobRun.objects.filter(job="asn_portal.heartbeat", status=JobRun.Status.SUCCESS).exists(),
        60,
        "the worker did not record a JobRun",
        worker,
    )
    run = JobRun.objects.get(job="asn_portal.heartbeat")
    assert run.finished_at is not None
    assert "unread_notifications" in run.counts
