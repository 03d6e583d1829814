"""Schedule the outbox sweep and the stale job-run sweep every minute (editable by admins)."""

import json

from django.db import migrations

TASKS = {
    "asn_portal.tasks.outbox_flush": "Kirim antrean tugas tertunda (outbox)",
    "asn_portal.tasks.job_runs_fail_stale": "Tandai pekerjaan macet sebagai gagal",
}


def create(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    for task, name in TASKS.items():
        PeriodicTask.objects.update_or_create(
            name=name,
            defaults={"task": task, "interval": every, "kwargs": json.dumps({}), "expire_seconds": 50,
                      "enabled": True},
        )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task__in=list(TASKS)).delete()


class Migration(migrations.Migration):
    dependencies = [("asn_portal", "0006_outbox_message"), ("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [migrations.RunPython(create, remove)]
