"""notify(): in-app bell with unread count, mark as read, and email on commit."""

import pytest
from django.core import mail
from django.test import Client

from asn_portal.models import Notification
from asn_portal.services import notify
from tests.people.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def test_notify_shows_in_the_bell_and_emails_after_commit(django_capture_on_commit_callbacks):
    emp = EmployeeFactory()
    emp.user.email = "staf@contoh.go.id"
    emp.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[emp.user], title="SKP Anda disetujui", body="Selamat.", url="/")
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == "SKP Anda disetujui"
    client = Client()
    client.force_login(emp.user)
    page = client.get("/").content.decode()
    assert 'data-testid="unread-count">1<' in page


def test_no_email_for_users_without_address(django_capture_on_commit_callbacks):
    emp = EmployeeFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[emp.user], title="Halo")
    assert mail.outbox == []
    assert Notification.objects.filter(user=emp.user).count() == 1


def test_marking_read_clears_the_count_and_only_for_the_owner():
    emp, other = EmployeeFactory(), EmployeeFactory()
    (n,) = notify(users=[emp.user], title="Halo", email=False)
    intruder = Client()
    intruder.force_login(other.user)
    assert intruder.post(f"/notifikasi/{n.pk}/baca/").status_code == 404
    client = Client()
    client.force_login(emp.user)
    assert client.post(f"/notifikasi/{n.pk}/baca/").status_code == 302
    n.refresh_from_db()
    assert n.read_at is not None
    assert "Halo" in client.get("/notifikasi/").content.decode()


def test_admin_sees_scheduled_jobs_and_a_superuser_runs_the_quick_one_now(org, beat_schedules):
    from asn_portal.models import JobRun
    from people.models import User

    client = Client()
    client.force_login(org.admin.user)
    page = client.get("/pekerjaan/")
    assert page.status_code == 200 and "Heartbeat" in page.content.decode()
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="asn_portal.tasks.heartbeat")
    root = Client()
    root.force_login(User.objects.create_superuser("root", "root@example.go.id", "x"))
    assert root.post(f"/pekerjaan/{task.pk}/jalankan/").status_code == 302
    assert JobRun.objects.filter(job="asn_portal.heartbeat", status="success").exists()


def test_staff_cannot_open_the_job_page(org):
    client = Client()
    client.force_login(org.staff.user)
    assert client.get("/pekerjaan/").status_code == 403


def test_admin_dashboard_cards_are_cached_per_agency(org):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings

    cache.clear()
    client = Client()
    client.force_login(org.admin.user)
    foreign = Client()
    foreign.force_login(org.foreign_admin.user)
    with override_settings(AGENCY_CARD_CACHE_SECONDS=60):
        with CaptureQueriesContext(connection) as first:
            first_page = client.get("/").content.decode()
        with CaptureQueriesContext(connection) as second:
            second_page = client.get("/").content.decode()
        with CaptureQueriesContext(connection) as other_agency:
            foreign.get("/")
    assert len(second) < len(first)  # the agency aggregates come from the cache
    assert second_page.count('class="card') == first_page.count('class="card') > 0
    assert len(other_agency) > len(second)  # another agency never reads Medan's cached figures
    cache.clear()
