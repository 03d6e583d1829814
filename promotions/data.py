"""Seeded, editable reference data (loaded by data migrations through idempotent `ensure_…` loaders).

Tests whose transactional flush removed migration data call these again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

RULE_VERSION = "KP-2024.1"
RULE_DESCRIPTION = (
    "PP 99/2000 jo PP 12/2002 (4 tahun, predikat ≥ Baik 2 tahun, batas ijazah, atasan, ujian dinas, "
    "hukuman disiplin); Perban BKN 3/2023 (konversi predikat ke AK); Perban BKN 4/2023 (enam periode)."
)

PERIOD_MONTHS = (2, 4, 6, 8, 10, 12)

# Kepka BKN 12/2002 table (regulations.md §4.3): education → (entry rank, max rank by KP Reguler).
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

# Cumulative AK needed to rise from a rank (regulations.md §1.7, model konversi/integrasi).
CREDIT_THRESHOLDS = {
    "keahlian": {
        "III/a": 50, "III/b": 50, "III/c": 100, "III/d": 100,
        "IV/a": 150, "IV/b": 150, "IV/c": 150, "IV/d": 200,
    },
    "keterampilan": {"II/a": 15, "II/b": 20, "II/c": 20, "II/d": 20, "III/a": 50, "III/b": 50, "III/c": 100},
}  # fmt: skip


def period_window(period_date: dt.date) -> tuple[dt.date, dt.date]:
    """Submission window seeded for a period (the rule lives in `rules.submission_window`)."""
    from .rules import submission_window

    return submission_window(period_date)


def _add_missing(model: Any, key: Callable[[Any], Any], wanted: dict[Any, dict[str, Any]], **existing: Any) -> int:
    """Insert the rows of `wanted` (key → field values) whose key is not there yet: two queries whatever the
    table size, instead of one get_or_create per row. Rows already present keep their (possibly edited) values."""
    present = {key(row) for row in model.objects.filter(**existing)}
    missing = [model(**fields) for k, fields in wanted.items() if k not in present]
    model.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)


def ensure_periods(period_model: Any, years: list[int]) -> int:
    wanted: dict[Any, dict[str, Any]] = {}
    for year in years:
        for month in PERIOD_MONTHS:
            day = dt.date(year, month, 1)
            opens, closes = period_window(day)
            wanted[day] = {"period_date": day, "submission_opens": opens, "submission_closes": closes}
    return _add_missing(period_model, lambda p: p.period_date, wanted, period_date__in=list(wanted))


def ensure_reference_data(apps_or_models: Any = None) -> None:
    """Rule set, education caps, AK thresholds, default merit weights and the periods of this and next year."""
    get: Callable[[str], Any]
    if apps_or_models is None:
        from . import models as m

        table: dict[str, Any] = {
            "RuleSet": m.RuleSet,
            "EducationRankCap": m.EducationRankCap,
            "CreditPointThreshold": m.CreditPointThreshold,
            "MeritWeights": m.MeritWeights,
            "PromotionPeriod": m.PromotionPeriod,
        }
        get = table.__getitem__
    else:
        get = lambda name: apps_or_models.get_model("promotions", name)  # noqa: E731
    get("RuleSet").objects.get_or_create(
        version=RULE_VERSION, defaults={"description": RULE_DESCRIPTION, "effective_from": dt.date(2024, 1, 1)}
    )
    caps = {
        edu: {"education_level": edu, "entry_rank_code": entry, "max_rank_code": cap}
        for edu, (entry, cap) in EDUCATION_CAPS.items()
    }
    _add_missing(get("EducationRankCap"), lambda c: c.education_level, caps)
    thresholds = {
        (category, code): {"category": category, "rank_code": code, "points": Decimal(points)}
        for category, table in CREDIT_THRESHOLDS.items()
        for code, points in table.items()
    }
    _add_missing(get("CreditPointThreshold"), lambda t: (t.category, t.rank_code), thresholds)
    if not get("MeritWeights").objects.filter(agency__isnull=True).exists():
        get("MeritWeights").objects.create(agency=None)
    year = dt.date.today().year
    ensure_periods(get("PromotionPeriod"), [year - 1, year, year + 1])
    if apps_or_models is None:  # rows written in bulk (no signals): every process reads the tables again
        from .reference import invalidate

        invalidate()


def ensure_schedule(apps_or_none: Any = None) -> None:
    """Daily beat entry that builds the queue of every period whose submission window has opened."""
    if apps_or_none is None:
        from django_celery_beat.models import CrontabSchedule, PeriodicTask
    else:
        CrontabSchedule = apps_or_none.get_model("django_celery_beat", "CrontabSchedule")  # noqa: N806
        PeriodicTask = apps_or_none.get_model("django_celery_beat", "PeriodicTask")  # noqa: N806
    cron, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="1", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Jakarta"
    )
    PeriodicTask.objects.get_or_create(
        name="promotions: antrean KP saat jendela usulan dibuka",
        defaults={
            "task": "promotions.tasks.build_open_queues",
            "crontab": cron,
            "expire_seconds": 23 * 3600,
        },
    )
