"""promotions moved out of careers (careers/promotions → promotions, app label unchanged): the Celery task
is now registered as promotions.tasks.build_open_queues, so point the stored beat entry at that name."""

from django.db import migrations

OLD = "careers.promotions.tasks."
NEW = "promotions.tasks."


def _rename(apps, old, new):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for task in PeriodicTask.objects.filter(task__startswith=old):
        task.task = new + task.task.removeprefix(old)
        task.save(update_fields=["task"])


def forward(apps, schema_editor):
    _rename(apps, OLD, NEW)


def backward(apps, schema_editor):
    _rename(apps, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [("promotions", "0003_queue_derived_fks"), ("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [migrations.RunPython(forward, backward)]
