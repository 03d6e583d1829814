"""“Jalankan sekarang” on the job page: global jobs are for superusers, a BKD admin runs only a job's slice
for their own agency, and without a broker no long job runs inside the web request."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings
from django_celery_beat.models import PeriodicTask

from asn_portal.models import AuditEntry, JobRun, Notification, OutboxMessage
from people.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("beat_schedules")]

WITH_BROKER = {"CELERY_BROKER_URL": "redis://127.0.0.1:6379/5", "CELERY_TASK_ALWAYS_EAGER": False}
REMINDER = "careers.tasks.remind_cadence"
JPM = "competencies.tasks.jpm_recompute_all"


class Queued:
    """What "Jalankan sekarang" handed to the worker: the durable outbox rows (asn_portal.outbox), written in
    the request's transaction and sent to the broker after commit."""

    def __eq__(self, other: object) -> bool:
        return [(m.task, m.kwargs) for m in OutboxMessage.objects.order_by("pk")] == other

    def __repr__(self) -> str:
        return repr([(m.task, m.kwargs) for m in OutboxMessage.objects.order_by("pk")])


@pytest.fixture
def sent() -> Queued:
    return Queued()


def login(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def run(client: Client, task_name: str) -> str:
    task = PeriodicTask.objects.get(task=task_name)
    r = client.post(f"/pekerjaan/{task.pk}/jalankan/", follow=True)
    assert r.status_code == 200
    return r.content.decode()


@override_settings(**WITH_BROKER)
def test_agency_admin_cannot_run_a_global_job(org: Any, sent: Queued) -> None:
    html = run(login(org.admin.user), REMINDER)
    assert "hanya superuser" in html
    assert sent == [] and not AuditEntry.objects.filter(action="job.run_now").exists()


def test_agency_admin_click_runs_nothing_for_other_agencies_without_a_broker(org: Any) -> None:
    """The reported incident: a Medan admin's click ran the global reminder job inline."""
    run(login(org.admin.user), REMINDER)
    assert not JobRun.objects.filter(job__startswith="careers.").exists()
    assert not Notification.objects.filter(user=org.foreign_staff.user).exists()


@override_settings(**WITH_BROKER)
def test_agency_admin_runs_the_jpm_job_for_their_agency_only(org: Any, sent: Queued) -> None:
    html = run(login(org.admin.user), JPM)
    assert "untuk instansi Anda" in html
    assert sent == [(JPM, {"agency_id": org.agency.pk})]
    entry = AuditEntry.objects.get(action="job.run_now")
    assert entry.agency_id == org.agency.pk and entry.actor == org.admin.user


@override_settings(**WITH_BROKER)
def test_superuser_runs_a_global_job_for_everyone(org: Any, sent: Queued) -> None:
    root = User.objects.create_superuser("root", "root@example.go.id", "x")
    run(login(root), REMINDER)
    assert sent == [(REMINDER, {})]


def test_without_a_broker_a_long_job_is_refused_not_run_in_the_request(org: Any) -> None:
    html = run(login(org.admin.user), JPM)
    assert "Worker latar belakang belum dikonfigurasi" in html
    assert not JobRun.objects.filter(job="competencies.jpm_recompute_all").exists()


def test_the_page_offers_run_now_only_where_the_admin_may(org: Any) -> None:
    html = login(org.admin.user).get("/pekerjaan/").content.decode()
    jpm = PeriodicTask.objects.get(task=JPM)
    reminder = PeriodicTask.objects.get(task=REMINDER)
    assert f'data-testid="run-{jpm.pk}"' in html
    assert f'data-testid="run-{reminder.pk}"' not in html


@override_settings(**WITH_BROKER)
def test_the_careers_follow_up_job_takes_the_agency_slice(org: Any, sent: Queued) -> None:
    from careers.tasks import draft_follow_ups

    run(login(org.admin.user), "careers.tasks.draft_follow_ups")
    assert sent == [("careers.tasks.draft_follow_ups", {"agency_id": org.agency.pk})]
    assert draft_follow_ups(year=2025, agency_id=org.agency.pk) == {"drafted": 0}
