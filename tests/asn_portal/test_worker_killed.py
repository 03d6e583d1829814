"""A real Celery worker killed (SIGKILL) mid-job: the message is redelivered promptly to the next worker,
the re-run repeats nothing, and the dead run is swept to "failed" instead of staying "running"."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import psycopg2
import pytest
from celery import Celery
from django.db import connection

from asn_portal.models import JobRun, Notification
from asn_portal.services import job_runs_fail_stale

ROOT = Path(__file__).resolve().parents[2]
JOB = "training.monthly_jp_reminder"


def _worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "asn_portal", "worker", "--pool=solo", "-l", "warning",
         "-Q", "celery", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip


def _wait(condition: Any, seconds: float, what: str, worker: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.3)
    worker.kill()
    pytest.fail(f"{what} within {seconds} s; worker output:\n{worker.communicate(timeout=10)[0].decode()}")


@pytest.mark.celery_worker
@pytest.mark.xdist_group("celery")
@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_reminder_job_is_redelivered_and_sends_no_duplicates(org: Any) -> None:
    broker = os.environ.get("CELERY_TEST_BROKER_URL", "redis://127.0.0.1:6379/14")
    db = connection.settings_dict
    dsn = {
        "host": db["HOST"] or "127.0.0.1",
        "port": db["PORT"] or 5432,
        "user": db["USER"] or "postgres",
        "dbname": db["NAME"],
    }
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "asn_portal.settings.local",
        "DATABASE_URL": f"postgres://{dsn['user']}@{dsn['host']}:{dsn['port']}/{dsn['dbname']}",
        "CELERY_BROKER_URL": broker,
        "CELERY_VISIBILITY_TIMEOUT": "3",  # production: the longest job's time limit + 5 minutes
        "DEBUG": "0",
        "SECRET_KEY": "worker-test-secret-key-0123456789",
    }
    import redis

    redis.Redis.from_url(broker).flushdb()
    # Hold the job halfway: staff reminders are written, then it blocks reading the organisation chart
    # (supervisors) until this lock is released, so the worker can be killed mid-job.
    blocker = psycopg2.connect(**dsn)
    blocker.autocommit = False
    blocker.cursor().execute("LOCK TABLE people_orgunit IN ACCESS EXCLUSIVE MODE")
    first = _worker(env)
    second = None
    try:
        sender = Celery(broker=broker)
        sender.conf.task_serializer = "json"
        sender.send_task(f"training.tasks.{JOB.split('.')[1]}")
        staff_title = "JP Anda tahun ini belum mencapai 20 JP"
        _wait(
            lambda: Notification.objects.filter(title=staff_title).exists(),
            60, "the first worker did not start reminding", first,
        )  # fmt: skip
        reminded_before_kill = Notification.objects.filter(title=staff_title).count()
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        blocker.rollback()  # the dead worker's database session is gone; the organisation chart is free
        assert JobRun.objects.get(job=JOB).status == "running"

        second = _worker(env)
        started = time.monotonic()
        _wait(
            lambda: JobRun.objects.filter(job=JOB, status="success").exists(),
            60, "the message was not redelivered to the second worker", second,
        )  # fmt: skip
        redelivered_after = time.monotonic() - started
        assert redelivered_after < 30  # not the broker's default hour

        per_user = Counter(Notification.objects.values_list("user_id", "title"))
        assert per_user and max(per_user.values()) == 1  # nobody reminded twice
        assert Notification.objects.filter(title=staff_title).count() == reminded_before_kill
        assert Notification.objects.filter(title="Anggota tim Anda belum mencapai 20 JP").exists()

        # the killed run is marked failed by the sweep (here: anything older than a second)
        time.sleep(1.1)
        assert job_runs_fail_stale(older_than_seconds=1) == 1
        assert sorted(JobRun.objects.filter(job=JOB).values_list("status", flat=True)) == ["failed", "success"]
    finally:
        blocker.close()
        for w in (first, second):
            if w is not None and w.poll() is None:
                w.terminate()
                w.wait(timeout=20)
