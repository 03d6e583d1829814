"""A real Celery worker against Redis runs a task end to end and writes its JobRun."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection

from asn_portal.models import JobRun

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.celery_worker
@pytest.mark.xdist_group("celery")
@pytest.mark.django_db(transaction=True)
def test_real_worker_runs_heartbeat_and_records_jobrun():
    broker = os.environ.get("CELERY_TEST_BROKER_URL", "redis://127.0.0.1:6379/14")
    db = connection.settings_dict
    db_url = f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "asn_portal.settings.local",
        "DATABASE_URL": db_url,
        "CELERY_BROKER_URL": broker,
        "DEBUG": "0",
        "SECRET_KEY": "worker-test-secret-key-0123456789",
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "asn_portal",
            "worker",
            "--pool=solo",
            "-l",
            "warning",
            "-Q",
            "celery",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        sender = Celery(broker=broker)
        sender.conf.task_serializer = "json"
        sender.send_task("asn_portal.tasks.heartbeat")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            run = JobRun.objects.filter(job="asn_portal.heartbeat").first()
            if run and run.status == JobRun.Status.SUCCESS:
                break
            time.sleep(0.5)
        else:
            worker.terminate()
            out = worker.communicate(timeout=10)[0].decode()
            pytest.fail(f"worker did not record a JobRun in 60 s; worker output:\n{out}")
        assert run.finished_at is not None
        assert "unread_notifications" in run.counts
    finally:
        worker.terminate()
        worker.wait(timeout=20)
