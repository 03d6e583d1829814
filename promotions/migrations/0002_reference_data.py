"""Seed the editable reference data: rule set, education caps (§4.3), AK thresholds (§1.7), default merit
weights, the KP periods (Perban BKN 4/2023) and the daily queue-building schedule.

The data is frozen here as it was when this migration was written (careers/promotions/data.py at that
time): a later edit of promotions/data.py needs its own migration, so history never changes meaning."""

import datetime as dt
from decimal import Decimal

from django.db import migrations

RULE_VERSION = "KP-2024.1"
RULE_DESCRIPTION = (
    "PP 99/2000 jo PP 12/2002 (4 tahun, predikat ≥ Baik 2 tahun, batas ijazah, atasan, ujian dinas, "
    "hukuman disiplin); Perban BKN 3/2023 (konversi predikat ke AK); Perban BKN 4/2023 (enam periode)."
)
PERIOD_MONTHS = (2, 4, 6, 8, 10, 12)
EDUCATION_CAPS = {
    "sd": ("I/a", "II/a"),
    "sltp": ("I/c", "II/c"),
    "sltp_kejuruan": ("I/c", "II/d"),
    "slta": ("II/a", "III/b"),
    "d1": ("II/a", "III/b"),
    "d2": ("II/b", "III/b"),
    "sgplb": ("II/b", "III/c"),
    "d3": ("II/c", "III/c"),
    "d4": ("III/a", "III/d"),
    "s1": ("III/a", "III/d"),
    "profesi": ("III/b", "IV/a"),
    "s2": ("III/b", "IV/a"),
    "s3": ("III/c", "IV/b"),
}
CREDIT_THRESHOLDS = {
    "keahlian": {
        "III/a": 50, "III/b": 50, "III/c": 100, "III/d": 100,
        "IV/a": 150, "IV/b": 150, "IV/c": 150, "IV/d": 200,
    },
    "keterampilan": {"II/a": 15, "II/b": 20, "II/c": 20, "II/d": 20, "III/a": 50, "III/b": 50, "III/c": 100},
}
# The task's dotted name when this migration was written; 0004_rename_queue_task moves it to promotions.tasks.
TASK = "careers.promotions.tasks.build_open_queues"


def _add_months(day, months):
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, day.day)


def load(apps, schema_editor):
    get = lambda name: apps.get_model("promotions", name)  # noqa: E731
    get("RuleSet").objects.get_or_create(
        version=RULE_VERSION, defaults={"description": RULE_DESCRIPTION, "effective_from": dt.date(2024, 1, 1)}
    )
    for edu, (entry, cap) in EDUCATION_CAPS.items():
        get("EducationRankCap").objects.get_or_create(
            education_level=edu, defaults={"entry_rank_code": entry, "max_rank_code": cap}
        )
    for category, table in CREDIT_THRESHOLDS.items():
        for code, points in table.items():
            get("CreditPointThreshold").objects.get_or_create(
                category=category, rank_code=code, defaults={"points": Decimal(points)}
            )
    if not get("MeritWeights").objects.filter(agency__isnull=True).exists():
        get("MeritWeights").objects.create(agency=None)
    # The six periods of last, this and next year (the window: 15th two months before to 15th a month before).
    year = dt.date.today().year
    for y in (year - 1, year, year + 1):
        for month in PERIOD_MONTHS:
            day = dt.date(y, month, 1)
            first = day.replace(day=15)
            get("PromotionPeriod").objects.get_or_create(
                period_date=day,
                defaults={"submission_opens": _add_months(first, -2), "submission_closes": _add_months(first, -1)},
            )
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    cron, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="1", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Jakarta"
    )
    PeriodicTask.objects.get_or_create(
        name="promotions: antrean KP saat jendela usulan dibuka",
        defaults={"task": TASK, "crontab": cron, "expire_seconds": 23 * 3600},
    )


class Migration(migrations.Migration):
    dependencies = [("promotions", "0001_initial"), ("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
