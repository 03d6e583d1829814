"""Seed the editable JP conversion table, the questionnaire templates and the periodic job schedules.

The data is frozen here as it was when this migration was written (training/defaults.py at that time):
a later edit of that module needs its own migration, so history never changes meaning."""

import json
from decimal import Decimal

from django.db import migrations

# regulations.md §5: JP per hour of each nonklasikal form (defaults BKD edits): (format, JP/hour, max JP, note)
JP_RATES = [('e_learning', '1.00', '20', 'Default: 1 JP per jam belajar terverifikasi (LMS).'),
 ('jarak_jauh', '1.33', '40', 'Setara jam tatap muka (1 JP = 45 menit).'),
 ('coaching', '1.00', '10', 'Default: 1 JP per jam sesi coaching, maks. 10 JP per kegiatan.'),
 ('mentoring', '1.00', '10', 'Default: 1 JP per jam sesi mentoring, maks. 10 JP per kegiatan.'),
 ('magang', '0.50', '40', 'Default: 4 JP per hari kerja magang (8 jam).'),
 ('benchmarking', '0.75', '20', 'Default: 6 JP per hari studi lapangan.'),
 ('detasering', '0.25', '40', 'Default: 2 JP per hari detasering.'),
 ('pertukaran', '0.25', '40', 'Default: 2 JP per hari pertukaran.'),
 ('belajar_mandiri', '0.50', '10', 'Default: belajar mandiri dihargai separuh.'),
 ('komunitas_belajar', '0.50', '10', 'Default: komunitas belajar dihargai separuh.'),
 ('team_building', '0.50', '8', 'Default.'),
 ('lainnya', '0.50', '10', 'Default.')]

# (kind, respondent role, title, days after completion, [(question kind, dimension, text)])
TEMPLATES = [('reaction',
  'participant',
  'Evaluasi Reaksi Peserta Pelatihan',
  0,
  [('likert', 'relevance', 'Materi pelatihan relevan dengan tugas jabatan saya.'),
   ('likert', 'applicability', 'Materi pelatihan dapat saya terapkan di tempat kerja.'),
   ('likert', 'trainer', 'Pengajar/fasilitator menguasai materi dan menyampaikannya dengan jelas.'),
   ('likert', 'material', 'Bahan ajar tersusun baik dan mutakhir.'),
   ('likert', 'organisation', 'Penyelenggaraan (jadwal, tempat/platform, layanan) berjalan baik.'),
   ('text', 'general', 'Saran untuk perbaikan pelatihan berikutnya.')]),
 ('followup',
  'participant',
  'Evaluasi Pascapelatihan (Peserta)',
  90,
  [('likert', 'application', 'Saya telah menerapkan hasil pelatihan dalam pekerjaan sehari-hari.'),
   ('likert', 'application', 'Penerapan hasil pelatihan meningkatkan kinerja saya.'),
   ('text', 'application', 'Jelaskan contoh penerapan hasil pelatihan dan kendalanya.')]),
 ('followup',
  'supervisor',
  'Evaluasi Pascapelatihan (Atasan Langsung)',
  90,
  [('yes_no', 'application', 'Pegawai menerapkan hasil pelatihan di tempat kerja.'),
   ('likert', 'application', 'Kinerja pegawai meningkat setelah pelatihan.'),
   ('text', 'application', 'Bagaimana hasil pelatihan diterapkan? (bukti/contoh)')])]

TEXT = 'text'
YES_NO = 'yes_no'

SCHEDULES = [
    # name, task, crontab (minute, hour, day_of_month, month_of_year), expires (seconds)
    ("Pelatihan: tugas harian", "training.tasks.daily", ("15", "1", "*", "*"), 23 * 3600),
    ("Pelatihan: pengingat 20 JP bulanan (Juli–Desember)", "training.tasks.monthly_jp_reminder", ("0", "7", "1", "7-12"), 27 * 24 * 3600),
    ("Pelatihan: rekap JP tahunan", "training.tasks.yearly_summary", ("0", "2", "2", "1"), 300 * 24 * 3600),
]


def forwards(apps, schema_editor):
    JpRate = apps.get_model("training", "JpRate")
    for fmt, per_hour, max_jp, note in JP_RATES:
        JpRate.objects.get_or_create(
            format=fmt, defaults={"jp_per_hour": Decimal(per_hour), "max_jp": Decimal(max_jp), "note": note}
        )
    QuestionnaireTemplate = apps.get_model("training", "QuestionnaireTemplate")
    Question = apps.get_model("training", "Question")
    for kind, role, title, days, items in TEMPLATES:
        tpl, created = QuestionnaireTemplate.objects.get_or_create(
            agency=None, kind=kind, respondent_role=role, defaults={"title": title, "days_after_completion": days}
        )
        if created:
            Question.objects.bulk_create(
                [
                    Question(
                        template=tpl,
                        order=i,
                        kind=qk,
                        dimension=dim,
                        text=text,
                        required=qk != TEXT,
                        confirms_application=qk == YES_NO,
                    )
                    for i, (qk, dim, text) in enumerate(items, start=1)
                ]
            )
    Crontab = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, (minute, hour, dom, moy), expires in SCHEDULES:
        cron, _ = Crontab.objects.get_or_create(
            minute=minute, hour=hour, day_of_month=dom, month_of_year=moy, day_of_week="*", timezone="Asia/Jakarta"
        )
        PeriodicTask.objects.update_or_create(
            name=name,
            defaults={"task": task, "crontab": cron, "kwargs": json.dumps({}), "expire_seconds": expires, "enabled": True},
        )


def backwards(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task__startswith="training.tasks.").delete()


class Migration(migrations.Migration):
    dependencies = [("training", "0001_initial"), ("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [migrations.RunPython(forwards, backwards)]
