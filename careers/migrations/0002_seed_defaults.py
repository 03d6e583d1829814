"""Seed the default talent scheme, career settings, recognition types and the periodic jobs."""

import json

from django.db import migrations

from careers.defaults import ensure_defaults

JOBS = [
    ("Karier: hitung periode talenta yang diminta", "careers.tasks.compute_pending_reviews", "*/10", "*"),
    ("Karier: pengingat tindak lanjut sesi terlambat", "careers.tasks.remind_overdue_action_items", "0", "7"),
    ("Karier: pengingat bimbingan rutin", "careers.tasks.remind_cadence", "30", "7"),
    ("Karier: pengingat peninjauan rencana karier", "careers.tasks.remind_plan_reviews", "0", "8"),
    ("Karier: draf tindak lanjut penilaian tahunan", "careers.tasks.draft_follow_ups", "0", "2"),
]


def load(apps, schema_editor):
    ensure_defaults(
        apps.get_model("careers", "TalentScheme"),
        apps.get_model("careers", "CareerSettings"),
        apps.get_model("careers", "RecognitionType"),
    )
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
