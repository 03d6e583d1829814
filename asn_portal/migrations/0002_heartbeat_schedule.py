"""Schedule the heartbeat job in the database (django-celery-beat), editable by admins."""

import json

from django.db import migrations


def create(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every, _ = IntervalSchedule.objects.get_or_create(every=15, period="minutes")
    PeriodicTask.objects.update_or_create(
        name="Heartbeat (pemeriksaan worker)",
        defaults={"task": "asn_portal.tasks.heartbeat", "interval": every, "kwargs": json.dumps({}),
                  "expire_seconds": 14 * 60, "enabled": True},
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task="asn_portal.tasks.heartbeat").delete()


class Migration(migrations.Migration):
    dependencies = [("asn_portal", "0001_initial"), ("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [migrations.RunPython(create, remove)]
