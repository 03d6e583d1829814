"""Schedule the access-log drain (every 10 seconds) and the retention prune (daily 02.15), editable by admins."""

import json

from django.db import migrations

DRAIN = ("people.tasks.access_log_drain", "Tulis log akses data pribadi")
PRUNE = ("people.tasks.access_log_prune", "Hapus log akses data pribadi yang melewati masa simpan")


def create(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every, _ = IntervalSchedule.objects.get_or_create(every=10, period="seconds")
    PeriodicTask.objects.update_or_create(
        name=DRAIN[1],
        defaults={"task": DRAIN[0], "interval": every, "kwargs": json.dumps({}), "expire_seconds": 9, "enabled": True},
    )
    daily, _ = CrontabSchedule.objects.get_or_create(
        minute="15", hour="2", day_of_month="*", month_of_year="*", day_of_week="*", timezone="Asia/Jakarta"
    )
    PeriodicTask.objects.update_or_create(
        name=PRUNE[1],
        defaults={
            "task": PRUNE[0],
            "crontab": daily,
            "kwargs": json.dumps({}),
            "expire_seconds": 23 * 3600,
            "enabled": True,
        },
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task__in=[DRAIN[0], PRUNE[0]]).delete()


class Migration(migrations.Migration):
    dependencies = [("people", "0008_record_access"), ("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [migrations.RunPython(create, remove)]
