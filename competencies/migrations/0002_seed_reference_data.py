"""Load the 8 managerial competencies and Perekat Bangsa (PermenPANRB 38/2017), the default standard
levels by position type (regulations.md §2.3, editable) and assessment validity per method; schedule the
nightly JPM recompute (django-celery-beat, editable by admins)."""

import json

from django.db import migrations

from competencies.seed import ensure_default_levels, ensure_national_competencies, ensure_validity

TASK = "competencies.tasks.jpm_recompute_all"


def load(apps, schema_editor):
    ensure_national_competencies(apps.get_model("competencies", "Competency"))
    ensure_default_levels(apps.get_model("competencies", "DefaultRequirementLevel"))
    ensure_validity(apps.get_model("competencies", "AssessmentValidity"))
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    nightly, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="1", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Jakarta"
    )
    PeriodicTask.objects.update_or_create(
        name="Hitung ulang JPM seluruh pegawai (malam)",
        defaults={"task": TASK, "crontab": nightly, "kwargs": json.dumps({}), "expire_seconds": 23 * 3600,
                  "enabled": True},
    )


def unload(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=TASK).delete()
    apps.get_model("competencies", "DefaultRequirementLevel").objects.all().delete()
    apps.get_model("competencies", "AssessmentValidity").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("competencies", "0001_initial"), ("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [migrations.RunPython(load, unload)]
