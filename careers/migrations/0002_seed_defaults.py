"""Seed the default talent scheme, career settings, recognition types and the periodic jobs.

The data is frozen here as it was when this migration was written (careers/defaults.py and
careers/rules.DEFAULT_SCHEME at that time): a later edit of those modules needs its own migration."""

import json

from django.db import migrations

# regulations.md §3.3, averaged over two years on a 0–100 scale; potential from JPM with the bands 90 / 78.
DEFAULT_SCHEME = {
    "name": "Skema bawaan (rata-rata predikat 2 tahun × JPM)",
    "predikat_points": {
        "sangat_baik": "100",
        "baik": "75",
        "butuh_perbaikan": "50",
        "kurang": "25",
        "sangat_kurang": "0",
    },
    "performance_above": "87.5",
    "performance_meets": "70",
    "potential_high": "90",
    "potential_medium": "78",
}

RECOGNITION_TYPES = [
    ("piagam", "Piagam penghargaan kepala daerah"),
    ("pegawai_teladan", "Pegawai teladan/berprestasi"),
    ("publikasi", "Publikasi prestasi di kanal resmi instansi"),
    ("prioritas_pengembangan", "Prioritas pengembangan kompetensi"),
]

JOBS = [
    ("Karier: hitung periode talenta yang diminta", "careers.tasks.compute_pending_reviews", "*/10", "*"),
    ("Karier: pengingat tindak lanjut sesi terlambat", "careers.tasks.remind_overdue_action_items", "0", "7"),
    ("Karier: pengingat bimbingan rutin", "careers.tasks.remind_cadence", "30", "7"),
    ("Karier: pengingat peninjauan rencana karier", "careers.tasks.remind_plan_reviews", "0", "8"),
    ("Karier: draf tindak lanjut penilaian tahunan", "careers.tasks.draft_follow_ups", "0", "2"),
]


def load(apps, schema_editor):
    apps.get_model("careers", "TalentScheme").objects.get_or_create(agency=None, defaults=DEFAULT_SCHEME)
    apps.get_model("careers", "CareerSettings").objects.get_or_create(agency=None)
    RecognitionType = apps.get_model("careers", "RecognitionType")
    for code, name in RECOGNITION_TYPES:
        RecognitionType.objects.get_or_create(agency=None, code=code, defaults={"name": name})
    Crontab = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, minute, hour in JOBS:
        cron, _ = Crontab.objects.get_or_create(
            minute=minute, hour=hour, day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Jakarta"
        )
        expires = 9 * 60 if minute.startswith("*/") else 23 * 3600
        PeriodicTask.objects.update_or_create(
            name=name,
            defaults={"task": task, "crontab": cron, "kwargs": json.dumps({}), "expire_seconds": expires,
                      "enabled": True},
        )


def unload(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task__startswith="careers.tasks.").delete()


class Migration(migrations.Migration):
    dependencies = [("careers", "0001_initial"), ("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [migrations.RunPython(load, unload)]
