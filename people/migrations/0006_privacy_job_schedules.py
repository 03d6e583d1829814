"""Schedule the privacy jobs (issue #16): expired copies of personal data hourly, former employees nightly."""

import json

from django.db import migrations

TASKS = {
    "people.tasks.data_exports_expire": ("Hapus salinan data pribadi kedaluwarsa", "15", "*"),
    "people.tasks.former_employees_pseudonymise": ("Pseudonimkan data mantan pegawai", "40", "2"),
}


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for task, (name, minute, hour) in TASKS.items():
        cron, _ = CrontabSchedule.objects.get_or_create(
            minute=minute, hour=hour, day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Jakarta"
        )
        PeriodicTask.objects.update_or_create(
            name=name,
            defaults={
                "task": task,
                "crontab": cron,
                "kwargs": json.dumps({}),
                # just under the period, so a stalled worker does not replay a backlog
                "expire_seconds": 55 * 60 if hour == "*" else 23 * 3600,
                "enabled": True,
            },
        )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task__in=list(TASKS)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0005_privacy_rights_exports_corrections_former"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(create, remove)]
