"""What users read: labels instead of raw codes, numbers in the active language, schedules in words,
the admin home's competency chart, the heatmap's level text."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.test import Client
from django.utils import translation
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from asn_portal.schedules import describe_crontab
from performance.models import PredikatRecord
from promotions.rules import rule_credit_points
from tests.competencies.factories import record, set_standard

pytestmark = pytest.mark.django_db


def _client(employee, lang="id"):
    c = Client()
    c.force_login(employee.user)
    if lang != "id":
        c.post("/i18n/setlang/", {"language": lang, "next": "/"})
    return c


def test_percentages_follow_the_active_language():
    tpl = Template("{% load portal %}{{ v|percent:1 }}")
    with translation.override("id"):
        assert tpl.render(Context({"v": Decimal("71.43")})) == "71,4%"
    with translation.override("en"):
        assert tpl.render(Context({"v": Decimal("71.43")})) == "71.4%"


def test_credit_point_reason_uses_one_number_format():
    reason = rule_credit_points(Decimal("46.88"), Decimal("100"), "III/b").reason
    assert "46,88 dari 100,00" in reason


def test_profile_timeline_badges_show_labels_not_internal_keys(org):
    PredikatRecord.objects.create(employee=org.staff, year=2025, predikat="baik", source="import", unit=org.dinas)
    html = _client(org.staff).get("/pegawai/saya/", follow=True).content.decode()
    assert "Predikat kinerja 2025" in html
    assert ">performance<" not in html and ">kp<" not in html
    assert '<span class="badge text-bg-secondary">SKP</span>' in html


def test_directory_export_shows_labels_not_codes(org):
    body = b"".join(_client(org.admin).get("/pegawai/ekspor.csv").streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    status = rows[0].index("Status")
    kind = rows[0].index("Jenis jabatan")
    assert {r[status] for r in rows[1:]} == {"Aktif"}
    assert not {r[kind] for r in rows[1:]} & {"managerial", "administrator", "pelaksana", "fungsional", "struktural"}


@pytest.mark.parametrize(
    ("fields", "lang", "expected"),
    [
        (("30", "1", "*", "*", "*"), "id", "Setiap hari pukul 01.30"),
        (("30", "1", "*", "*", "*"), "en", "Every day at 01:30"),
        (("0", "6", "*", "*", "1"), "id", "Setiap Senin pukul 06.00"),
        (("0", "6", "*", "*", "1"), "en", "Every Monday at 06:00"),
        (("0", "2", "1", "*", "*"), "id", "Setiap tanggal 1 pukul 02.00"),
        (("*/15", "*", "*", "*", "*"), "en", "Every 15 minutes"),
    ],
)
def test_crontab_in_words(fields, lang, expected):
    with translation.override(lang):
        assert describe_crontab(*fields) == expected


def test_jobs_page_describes_schedules_in_words(org):
    cron = CrontabSchedule.objects.create(minute="30", hour="1", day_of_month="*", month_of_year="*", day_of_week="*")
    PeriodicTask.objects.create(name="Uji jadwal", task="asn_portal.tasks.heartbeat", crontab=cron)
    html = _client(org.admin).get("/pekerjaan/").content.decode()
    assert "Setiap hari pukul 01.30" in html
    assert "m/h/dM/MY/d" not in html
    english = _client(org.admin, "en").get("/pekerjaan/").content.decode()
    assert "Every day at 01:30" in english


def test_admin_home_competency_card_counts_unassessed_staff_and_draws_a_chart(org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the summary refresh runs after commit (its figures)
        comps = set_standard(org.staff.position, [3, 3])
        record(org.staff, {comps[0].pk: 3, comps[1].pk: 2}, on=dt.date.today())
    html = _client(org.admin).get("/").content.decode()
    card = html[html.index('data-testid="card-agency-gaps"') :]
    card = card[: card.index("</section>")]
    assert 'data-chart="card-agap-chart"' in card
    assert "0 dari 0 pegawai" not in card
    assert "belum pernah diases" in card
    assert 'id="card-agap-chart"' in html


def test_heatmap_cells_say_the_gap_in_words(org):
    comps = set_standard(org.staff.position, [3, 3])
    record(org.staff, {comps[0].pk: 3, comps[1].pk: 1}, on=dt.date.today())
    html = _client(org.head).get("/kompetensi/tim/").content.decode()
    assert 'data-level="heat-0"' in html and 'data-level="heat-2"' in html
    assert "(memenuhi)" in html and "(kurang 2 level)" in html
