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


def test_admin_home_cards_show_every_change_at_once_from_the_summary_rows(org, django_capture_on_commit_callbacks):
    """No time cache: the BKD admin's agency-wide cards read the summary figures kept current on change, so a
    change shows on the next page (its refresh runs after its commit, as in production), and equals the live
    counts; another agency's admin sees their own agency's figures."""
    from django.db.models import Q

    from asn_portal import summaries
    from careers import summaries as careers_summaries
    from careers.plans import services as plan_services
    from competencies import summaries as competency_summaries
    from people import headcount
    from people import services as people_services

    summaries.refresh_all([org.agency.pk, org.other_agency.pk])
    client = Client()
    client.force_login(org.admin.user)
    foreign = Client()
    foreign.force_login(org.foreign_admin.user)

    def cards(c):
        return dict(c.get("/").context["cards"])

    def assert_cards_are_live(c, agency_id):
        shown = cards(c)
        assert shown["people/cards/admin.html"]["stats"] == headcount.agency_figures_live(agency_id)
        live = competency_summaries.card_figures_live([agency_id])
        jpm = shown["competencies/cards/admin.html"]
        assert (jpm["n"], jpm["assessed"], jpm["kurang"], jpm["no_standard"]) == (
            live["employees"],
            live["assessed"],
            live["kurang_optimal"],
            live["no_standard"],
        )
        plans = careers_summaries.active_plans_live(Q(employee__agency_id=agency_id))
        assert shown["careers/card_admin.html"]["plans"] == plans
        return shown

    before = assert_cards_are_live(client, org.agency.pk)
    assert_cards_are_live(foreign, org.other_agency.pk)
    with django_capture_on_commit_callbacks(execute=True):
        plan_services.plan_create(employee=org.staff, target_family="Analis", actor=org.staff.user)
    with django_capture_on_commit_callbacks(execute=True):
        people_services.employee_update(employee=org.staff2, data={"status": "retired"}, actor=org.admin.user)
    after = assert_cards_are_live(client, org.agency.pk)
    assert after["careers/card_admin.html"]["plans"] == before["careers/card_admin.html"]["plans"] + 1
    assert after["people/cards/admin.html"]["stats"]["total"] == before["people/cards/admin.html"]["stats"]["total"] - 1
    assert_cards_are_live(foreign, org.other_agency.pk)
