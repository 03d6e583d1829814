"""Faults (issue 12): broker down, database down, SMTP down, a worker killed mid-job.

Every action that queues work succeeds whether or not the broker answers (the task waits in the
outbox); the error pages render without the database; a failed email is retried; a killed job is
swept and its re-run repeats nothing."""

from __future__ import annotations

import datetime as dt
import smtplib
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import OperationalError, connection
from django.test import Client
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from asn_portal.celery import app
from asn_portal.models import JobRun, Notification, OutboxMessage
from asn_portal.services import notify
from asn_portal.tasks import job_runs_fail_stale, outbox_flush, send_notification_emails
from people import imports
from people.choices import ImportStatus
from people.models import Employee, User
from tests.people.test_imports import emp_row, preview, to_csv

pytestmark = pytest.mark.django_db

UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1: connection refused at once


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks: Any) -> Any:
    """Run on-commit callbacks as a real commit would (tests run inside one transaction)."""
    return django_capture_on_commit_callbacks


def _reset_broker_pools() -> None:
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker_down(settings: Any) -> Iterator[None]:
    """Celery as in production (not eager) against a broker that does not answer."""
    settings.CELERY_BROKER_URL, settings.CELERY_TASK_ALWAYS_EAGER = UNREACHABLE_BROKER, False
    app.conf.task_always_eager = False
    app.conf.broker_url = UNREACHABLE_BROKER
    _reset_broker_pools()
    yield
    # Celery reads the Django settings again (a value set on app.conf would hide them from every later test).
    app.conf.changes.pop("task_always_eager", None)
    app.conf.changes.pop("broker_url", None)
    _reset_broker_pools()


def _broker_back() -> None:
    """The broker answers again (eager in tests: the sent task runs in-process)."""
    app.conf.task_always_eager = True
    _reset_broker_pools()


def _broker_connection_attempts(monkeypatch: Any) -> list[Any]:
    """The addresses of the connections opened to the unreachable broker from now on, in order."""
    attempts: list[Any] = []
    connect = socket.socket.connect

    def counting_connect(sock: socket.socket, address: Any) -> Any:
        if isinstance(address, tuple) and address[1] == 1:  # UNREACHABLE_BROKER's port
            attempts.append(address[:2])
        return connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", counting_connect)
    return attempts


def _with_email(employee: Employee) -> Any:
    employee.user.email = f"{employee.pk}@contoh.go.id"
    employee.user.save()
    return employee.user


# ------------------------------------------------------------------------------------------ broker down


def test_notification_email_survives_a_broker_outage(org: Any, broker_down: None, on_commit: Any) -> None:
    user = _with_email(org.staff)
    with on_commit(execute=True):
        (n,) = notify(users=[user], title="Pendaftaran diklat diterima", body="Sampai jumpa.")
    # committed and answered: the notification is there, its email task waits in the outbox
    assert Notification.objects.filter(pk=n.pk).exists()
    waiting = OutboxMessage.objects.get(sent_at__isnull=True)
    assert waiting.task == "asn_portal.tasks.send_notification_emails" and waiting.attempts == 1
    assert "Connection refused" in waiting.last_error or "Error" in waiting.last_error
    assert mail.outbox == []

    _broker_back()
    assert outbox_flush.apply().get() == {"sent": 1, "pending": 0}
    n.refresh_from_db()
    assert n.emailed_at is not None
    assert [m.subject for m in mail.outbox] == ["Pendaftaran diklat diterima"]
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()


def test_run_now_answers_while_the_broker_is_down_and_the_run_happens_later(
    org: Any, beat_schedules: None, broker_down: None, on_commit: Any, monkeypatch: Any
) -> None:
    client = Client()
    client.force_login(User.objects.create_superuser("root", "root@example.go.id", "x"))  # a global job
    task = PeriodicTask.objects.get(task="asn_portal.tasks.heartbeat")
    attempts = _broker_connection_attempts(monkeypatch)
    with on_commit(execute=True):
        response = client.post(f"/pekerjaan/{task.pk}/jalankan/")
    assert response.status_code == 302
    # One refused connection attempt, no seconds of retries (counted, not timed: a loaded machine took 2.7 s for
    # the request and its single attempt).
    assert attempts == [("127.0.0.1", 1)]
    waiting = OutboxMessage.objects.get(task="asn_portal.tasks.heartbeat", sent_at__isnull=True)
    assert waiting.attempts == 1  # tried after commit; the broker refused
    assert not JobRun.objects.filter(job="asn_portal.heartbeat").exists()

    _broker_back()
    outbox_flush.apply()
    assert JobRun.objects.filter(job="asn_portal.heartbeat", status="success").count() == 1


def test_import_confirm_answers_while_the_broker_is_down_and_can_still_be_cancelled(
    org: Any, broker_down: None, on_commit: Any
) -> None:
    batch = preview(org, to_csv([emp_row(i, org.dinas.code) for i in range(3)]))
    client = Client()
    client.force_login(org.admin.user)
    with on_commit(execute=True):
        response = client.post(f"/pegawai/impor/{batch.pk}/konfirmasi/")
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportStatus.QUEUED
    assert OutboxMessage.objects.filter(task="people.tasks.import_batch_apply", args=[batch.pk]).exists()
    # the admin gives up waiting: a queued batch is cancelled, and the late task then writes nothing
    imports.batch_cancel(batch=batch, actor=org.admin.user)
    _broker_back()
    outbox_flush.apply()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CANCELLED
    assert not Employee.objects.filter(name__startswith="Pegawai Impor").exists()


def test_beat_keeps_a_run_due_during_the_outage_in_the_outbox(
    beat_schedules: None, broker_down: None, monkeypatch: Any
) -> None:
    from django_celery_beat import schedulers
    from django_celery_beat.schedulers import ModelEntry

    # beat closes idle database connections between ticks; in a test that would end the test's transaction
    monkeypatch.setattr(schedulers, "close_old_connections", lambda: None)

    from asn_portal.beat import OutboxScheduler

    task = PeriodicTask.objects.get(task="asn_portal.tasks.heartbeat")
    scheduler = OutboxScheduler(app=app, lazy=True)
    entry = ModelEntry(task, app=app)
    assert scheduler.apply_async(entry, advance=False, retry=False) is None
    assert OutboxMessage.objects.filter(task="asn_portal.tasks.heartbeat", sent_at__isnull=True).count() == 1
    _broker_back()
    outbox_flush.apply()
    assert JobRun.objects.filter(job="asn_portal.heartbeat", status="success").count() == 1


def test_an_outage_leaves_one_waiting_access_log_drain_not_six_a_minute(
    beat_schedules: None, broker_down: None, monkeypatch: Any
) -> None:
    """The drain is due every 10 s: a minute of outage is six beat runs, and they wait as ONE outbox row."""
    from django_celery_beat import schedulers
    from django_celery_beat.schedulers import ModelEntry

    monkeypatch.setattr(schedulers, "close_old_connections", lambda: None)
    from asn_portal.beat import OutboxScheduler

    drain = PeriodicTask.objects.get(task="people.tasks.access_log_drain")
    heartbeat = PeriodicTask.objects.get(task="asn_portal.tasks.heartbeat")
    scheduler = OutboxScheduler(app=app, lazy=True)
    for _tick in range(6):
        assert scheduler.apply_async(ModelEntry(drain, app=app), advance=False, retry=False) is None
    assert scheduler.apply_async(ModelEntry(heartbeat, app=app), advance=False, retry=False) is None
    unsent = OutboxMessage.objects.filter(sent_at__isnull=True)
    assert list(unsent.order_by("task").values_list("task", flat=True)) == [
        "asn_portal.tasks.heartbeat",  # another entry still keeps its own run
        "people.tasks.access_log_drain",
    ]
    _broker_back()
    assert outbox_flush.apply().get() == {"sent": 2, "pending": 0}
    assert not unsent.exists()
    # The next outage waits again (the row sent before does not hide a new run).
    app.conf.task_always_eager = False
    assert scheduler.apply_async(ModelEntry(drain, app=app), advance=False, retry=False) is None
    assert scheduler.apply_async(ModelEntry(drain, app=app), advance=False, retry=False) is None
    assert OutboxMessage.objects.filter(task="people.tasks.access_log_drain", sent_at__isnull=True).count() == 1


# ------------------------------------------------------------------------------------ Hitung antrean


def test_hitung_antrean_builds_the_queue_and_says_so_without_a_result_backend(org: Any, broker_down: None) -> None:
    from promotions.models import QueueEntry
    from tests.promotions.factories import period, reference_data

    reference_data()
    dec = period(dt.date(2026, 12, 1))
    client = Client()
    client.force_login(org.admin.user)
    response = client.post(f"/kenaikan-pangkat/periode/{dec.pk}/hitung/", {"agency": org.agency.pk}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "dihitung:" in page and "memenuhi syarat" in page
    assert QueueEntry.objects.filter(period=dec, agency_id=org.agency.pk).count() >= 1


# ------------------------------------------------------------------------------------- database down


class _DatabaseGone:
    """Every query fails the way psycopg fails when PostgreSQL is stopped."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.calls += 1
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')


def test_html_page_names_a_temporary_fault_when_the_database_is_down(org: Any, caplog: Any) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(org.staff.user)
    gone = _DatabaseGone()
    with connection.execute_wrapper(gone):
        response = client.get("/")
    assert gone.calls == 1  # the first query failed; the error page itself asked nothing
    assert response.status_code == 503 and response["Retry-After"] == "60"
    page = response.content.decode()
    assert "Layanan sementara terganggu" in page and "gangguan sementara" in page
    assert "Traceback" not in caplog.text and "Connection refused" in caplog.text


def test_api_answers_json_naming_a_temporary_fault_when_the_database_is_down(org: Any) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(org.staff.user)
    with connection.execute_wrapper(_DatabaseGone()):
        response = client.get("/api/v1/employees/")
    assert response.status_code == 503
    body = response.json()
    assert "sementara" in body["message"] and body["extra"] == {"temporary": True}


# -------------------------------------------------------------------------------------------- SMTP down


class _SmtpDown(BaseEmailBackend):
    def send_messages(self, email_messages: Any) -> int:
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def test_a_failed_email_is_not_counted_as_sent_and_the_retry_sends_it(org: Any, settings: Any) -> None:
    user = _with_email(org.staff)
    (n,) = notify(users=[user], title="SKP Anda disetujui", email=False)
    settings.EMAIL_BACKEND = f"{__name__}._SmtpDown"
    with pytest.raises((smtplib.SMTPException, Retry)):  # the task fails and is scheduled for a retry
        send_notification_emails.apply(args=[[n.pk]])
    n.refresh_from_db()
    assert n.emailed_at is None  # still owed

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_notification_emails.apply(args=[[n.pk]]).get() == 1
    n.refresh_from_db()
    assert n.emailed_at is not None and [m.subject for m in mail.outbox] == ["SKP Anda disetujui"]
    assert send_notification_emails.apply(args=[[n.pk]]).get() == 0  # sent once only


# -------------------------------------------------------------------------------------- killed worker


def test_a_job_run_left_running_by_a_dead_worker_is_marked_failed() -> None:
    dead = JobRun.objects.create(job="training.monthly_jp_reminder")
    JobRun.objects.filter(pk=dead.pk).update(started_at=timezone.now() - dt.timedelta(hours=2))
    alive = JobRun.objects.create(job="asn_portal.heartbeat")
    assert job_runs_fail_stale.apply().get() == 1
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.status == "failed" and dead.finished_at is not None and "Worker berhenti" in dead.error
    assert alive.status == "running"


def test_rerun_of_the_jp_reminder_reminds_nobody_twice(org: Any) -> None:
    from training import jobs

    day = dt.date(2026, 11, 10)
    first = jobs.monthly_jp_reminder(day)
    assert first["staff_reminded"] >= 5
    before = Notification.objects.count()
    again = jobs.monthly_jp_reminder(day)  # the redelivered task after a kill, or "Jalankan sekarang"
    assert again["staff_reminded"] == 0 and again["heads_reminded"] == 0
    assert Notification.objects.count() == before
    per_user = Notification.objects.values_list("user_id", "title")
    assert len(list(per_user)) == len(set(per_user))


def test_an_import_killed_mid_write_is_written_by_the_redelivered_task(org: Any) -> None:
    batch = preview(org, to_csv([emp_row(i, org.dinas.code) for i in range(4)]))
    # the first worker claimed the batch ("running") and was killed: its write transaction rolled back
    type(batch).objects.filter(pk=batch.pk).update(status=ImportStatus.RUNNING)
    done = imports.batch_apply(batch.pk)
    assert done is not None and done.status == ImportStatus.DONE
    assert Employee.objects.filter(name__startswith="Pegawai Impor").count() == 4
    assert imports.batch_apply(batch.pk) is None  # a further delivery does nothing
