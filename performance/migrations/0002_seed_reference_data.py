"""Seed the 7 BerAKHLAK values, the SE MenPANRB 3/2023 distribution rules and the job schedules."""

from typing import Any

from django.db import migrations


def forward(apps: Any, schema_editor: Any) -> None:
    from performance.loaders import ensure_core_values, ensure_distribution_rules, ensure_schedules

    ensure_core_values(apps.get_model("performance", "CoreValue"))
    ensure_distribution_rules(apps.get_model("performance", "DistributionRule"))
    ensure_schedules(
        apps.get_model("django_celery_beat", "PeriodicTask"), apps.get_model("django_celery_beat", "CrontabSchedule")
    )


def backward(apps: Any, schema_editor: Any) -> None:
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task__startswith="performance.tasks.").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("performance", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forward, backward)]
