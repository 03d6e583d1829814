"""Load the rank ladder: PNS golongan/ruang I/a … IV/e with pangkat names (PP 99/2000; regulations.md §4.1)
and the PPPK grades I … XVII (a separate scale; PNS pangkat is never forced onto PPPK).

The data is frozen here as it was when this migration was written: a later edit of people/ranks.py needs
its own migration, so history never changes meaning."""

from django.db import migrations

PNS = [
    ("I/a", "Juru Muda"),
    ("I/b", "Juru Muda Tingkat I"),
    ("I/c", "Juru"),
    ("I/d", "Juru Tingkat I"),
    ("II/a", "Pengatur Muda"),
    ("II/b", "Pengatur Muda Tingkat I"),
    ("II/c", "Pengatur"),
    ("II/d", "Pengatur Tingkat I"),
    ("III/a", "Penata Muda"),
    ("III/b", "Penata Muda Tingkat I"),
    ("III/c", "Penata"),
    ("III/d", "Penata Tingkat I"),
    ("IV/a", "Pembina"),
    ("IV/b", "Pembina Tingkat I"),
    ("IV/c", "Pembina Utama Muda"),
    ("IV/d", "Pembina Utama Madya"),
    ("IV/e", "Pembina Utama"),
]
PPPK = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII"]


def load(apps, schema_editor):
    Rank = apps.get_model("people", "Rank")
    for order, (code, name) in enumerate(PNS, start=1):
        Rank.objects.update_or_create(scheme="pns", code=code, defaults={"name": name, "order": order})
    for order, code in enumerate(PPPK, start=1):
        Rank.objects.update_or_create(scheme="pppk", code=code, defaults={"name": f"Golongan {code}", "order": order})


def unload(apps, schema_editor):
    apps.get_model("people", "Rank").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
