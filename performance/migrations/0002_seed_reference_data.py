"""Seed the 7 BerAKHLAK values, the SE MenPANRB 3/2023 distribution rules and the job schedules.

The data is frozen here as it was when this migration was written (performance/loaders.py at that time):
a later edit of that module needs its own migration, so history never changes meaning."""

import json
from decimal import Decimal
from typing import Any

from django.db import migrations

# PermenPANRB 6/2022 perilaku kerja = nilai dasar BerAKHLAK (regulations.md §1.6): (code, name, guide)
CORE_VALUES = [('berorientasi_pelayanan',
  'Berorientasi Pelayanan',
  'Memahami dan memenuhi kebutuhan masyarakat; ramah, cekatan, solutif, dan dapat diandalkan; melakukan perbaikan '
  'tiada henti.'),
 ('akuntabel',
  'Akuntabel',
  'Jujur, bertanggung jawab, cermat, disiplin, dan berintegritas tinggi; menggunakan barang milik negara secara '
  'bertanggung jawab, efektif, dan efisien; tidak menyalahgunakan kewenangan jabatan.'),
 ('kompeten',
  'Kompeten',
  'Meningkatkan kompetensi diri untuk menjawab tantangan yang selalu berubah; membantu orang lain belajar; '
  'melaksanakan tugas dengan kualitas terbaik.'),
 ('harmonis',
  'Harmonis',
  'Menghargai setiap orang apa pun latar belakangnya; suka menolong orang lain; membangun lingkungan kerja yang '
  'kondusif.'),
 ('loyal',
  'Loyal',
  'Memegang teguh ideologi Pancasila, UUD 1945, setia kepada NKRI serta pemerintahan yang sah; menjaga nama baik '
  'sesama ASN, pimpinan, instansi, dan negara; menjaga rahasia jabatan dan negara.'),
 ('adaptif',
  'Adaptif',
  'Cepat menyesuaikan diri menghadapi perubahan; terus berinovasi dan mengembangkan kreativitas; bertindak '
  'proaktif.'),
 ('kolaboratif',
  'Kolaboratif',
  'Memberi kesempatan kepada berbagai pihak untuk berkontribusi; terbuka dalam bekerja sama untuk menghasilkan '
  'nilai tambah; menggerakkan pemanfaatan berbagai sumber daya untuk tujuan bersama.')]

# SE MenPANRB 3/2023 (regulations.md §1.5): (unit rating, predikats, comparator, percent, message)
DISTRIBUTION_RULES = [('istimewa', ['sangat_baik'], 'max', '70', 'Predikat Sangat Baik paling banyak 70% pegawai unit.'),
 ('baik', ['baik'], 'max', '70', 'Predikat Baik paling banyak 70% pegawai unit.'),
 ('baik',
  ['butuh_perbaikan', 'kurang'],
  'some',
  '0',
  'Harus ada pegawai dengan predikat Butuh Perbaikan dan/atau Kurang/Misconduct.'),
 ('butuh_perbaikan', ['butuh_perbaikan'], 'min', '60', 'Predikat Butuh Perbaikan paling sedikit 60%.'),
 ('butuh_perbaikan', ['sangat_baik'], 'max', '10', 'Predikat Sangat Baik paling banyak 10%.'),
 ('kurang', ['kurang'], 'min', '60', 'Predikat Kurang/Misconduct paling sedikit 60%.'),
 ('kurang', ['butuh_perbaikan'], 'min', '10', 'Predikat Butuh Perbaikan paling sedikit 10%.'),
 ('kurang', ['sangat_baik'], 'max', '10', 'Predikat Sangat Baik paling banyak 10%.'),
 ('sangat_kurang', ['sangat_kurang'], 'min', '60', 'Predikat Sangat Kurang paling sedikit 60%.'),
 ('sangat_kurang',
  ['kurang', 'butuh_perbaikan'],
  'min',
  '10',
  'Predikat Kurang/Misconduct dan/atau Butuh Perbaikan paling sedikit 10%.'),
 ('sangat_kurang', ['sangat_baik'], 'max', '0', 'Tidak boleh ada predikat Sangat Baik.')]

# (task name, dotted task, crontab minute, hour, expires seconds)
SCHEDULES = [('Kinerja: buka periode evaluasi', 'performance.tasks.open_periods', '15', '0', 82800),
 ('Kinerja: pengingat sebelum periode ditutup', 'performance.tasks.send_period_reminders', '0', '7', 82800),
 ('Kinerja: tutup periode dan laporan', 'performance.tasks.close_periods', '45', '23', 82800)]


def forward(apps: Any, schema_editor: Any) -> None:
    CoreValue = apps.get_model("performance", "CoreValue")
    for order, (code, name, guide) in enumerate(CORE_VALUES, start=1):
        CoreValue.objects.update_or_create(code=code, defaults={"name": name, "guide": guide, "order": order})
    DistributionRule = apps.get_model("performance", "DistributionRule")
    per_rating: dict[str, int] = {}
    for rating, predikats, comparator, percent, message in DISTRIBUTION_RULES:
        per_rating[rating] = per_rating.get(rating, 0) + 1
        DistributionRule.objects.get_or_create(
            unit_rating=rating,
            order=per_rating[rating],
            defaults={"predikats": predikats, "comparator": comparator, "percent": Decimal(percent), "message": message},
        )
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    for name, task, minute, hour, expires in SCHEDULES:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute, hour=hour, day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Jakarta"
        )
        PeriodicTask.objects.get_or_create(
            name=name,
            defaults={"task": task, "crontab": crontab, "expire_seconds": expires, "kwargs": json.dumps({})},
        )


def backward(apps: Any, schema_editor: Any) -> None:
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task__startswith="performance.tasks.").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("performance", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forward, backward)]
