"""Seed the editable JP conversion table, the questionnaire templates and the periodic job schedules."""

import json

from django.db import migrations

from training.defaults import ensure_jp_rates, ensure_questionnaires

SCHEDULES = [
    # name, task, crontab (minute, hour, day_of_month, month_of_year), expires (seconds)
    ("Pelatihan: tugas harian", "training.tasks.daily", ("15", "1", "*", "*"), 23 * 3600),
    ("Pelatihan: pengingat 20 JP bulanan (Juli–Desember)", "training.tasks.monthly_jp_reminder", ("0", "7", "1", "7-12"), 27 * 24 * 3600),
    ("Pelatihan: rekap JP tahunan", "training.tasks.yearly_summary", ("0", "2", "2", "1"), 300 * 24 * 3600),
]


def forwards(apps, schema_editor):
    ensure_jp_rates(apps.get_model("training", "JpRate"))
    ensure_questionnaires(apps.get_model("training", "QuestionnaireTemplate"), apps.get_model("training", "Question"))
    Crontab = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, (minute, hour, dom, moy), expires in SCHEDULES:
        cron, _ = Crontab.objects.get_or_create(
            minute=minute, hour=hour, day_of_month=dom, month_of_year=moy, day_of_week="*", timezone="Asia/Jakarta"
        )
        PeriodicTask.objects.update_or_create(
            name=name,
            defaults={"task": task, "crontab": cron, "kwargs": json.dumps({}), "expire_seconds": expires, "enabled": True},
        )


def backwards(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task__startswith="training.tasks.").delete()


class Migration(migrations.Migration):
    dependencies = [("training", "0001_initial"), ("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [migrations.RunPython(forwards, backwards)]
