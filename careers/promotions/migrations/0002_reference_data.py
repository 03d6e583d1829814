"""Seed the editable reference data: rule set, education caps (§4.3), AK thresholds (§1.7), default merit
weights, the KP periods (Perban BKN 4/2023) and the daily queue-building schedule."""

from django.db import migrations


def load(apps, schema_editor):
    from careers.promotions.data import ensure_reference_data, ensure_schedule

    ensure_reference_data(apps)
    ensure_schedule(apps)


class Migration(migrations.Migration):
    dependencies = [("promotions", "0001_initial"), ("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
