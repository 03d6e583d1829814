"""Load the rank ladder: PNS golongan/ruang I/a … IV/e with pangkat names (PP 99/2000; regulations.md §4.1)
and the PPPK grades I … XVII (a separate scale; PNS pangkat is never forced onto PPPK)."""

from django.db import migrations

from people.ranks import ensure_ranks


def load(apps, schema_editor):
    ensure_ranks(apps.get_model("people", "Rank"))


def unload(apps, schema_editor):
    apps.get_model("people", "Rank").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
