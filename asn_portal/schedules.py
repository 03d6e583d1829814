"""Celery beat schedules described in words for the scheduled jobs page ("Setiap hari pukul 01.30")."""

from __future__ import annotations

from typing import Any

from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def _numbers(field: str, low: int, high: int) -> list[int] | None:
    """The values of a plain crontab field ("5", "1,15", "1-5"); None for "*" or anything fancier."""
    values: list[int] = []
    for part in str(field).split(","):
        lo, sep, hi = part.partition("-")
        if not lo.isdigit() or (sep and not hi.isdigit()):
            return None
        start, end = int(lo), int(hi) if sep else int(lo)
        if not (low <= start <= end <= high):
            return None
        values.extend(range(start, end + 1))
    return values


def _step(field: str) -> int | None:
    """N of "*/N"."""
    head, sep, n = str(field).partition("/")
    return int(n) if sep and head == "*" and n.isdigit() and int(n) > 0 else None


def _at(hours: list[int], minutes: list[int]) -> str:
    times = [_("%(hour)02d.%(minute)02d") % {"hour": h, "minute": m} for h in hours for m in minutes]
    return _("pukul %(times)s") % {"times": get_text_list(times, _("dan"))}


def describe_crontab(minute: str, hour: str, day_of_month: str, month_of_year: str, day_of_week: str) -> str:
    """A crontab in words in the active language; unusual expressions fall back to the raw fields, labelled."""
    raw = _("Jadwal khusus (cron: %(expr)s)") % {
        "expr": " ".join(str(f) for f in (minute, hour, day_of_month, month_of_year, day_of_week))
    }
    every_day = str(day_of_month) == "*" and str(month_of_year) == "*" and str(day_of_week) == "*"
    minute_step = _step(minute)
    if minute_step and str(hour) == "*" and every_day:
        return ngettext("Setiap %(n)d menit", "Setiap %(n)d menit", minute_step) % {"n": minute_step}
    minutes = _numbers(minute, 0, 59)
    if minutes is None:
        return raw
    if str(hour) == "*" and every_day:
        return _("Setiap jam pada menit ke-%(m)s") % {"m": get_text_list([str(m) for m in minutes], _("dan"))}
    hour_step = _step(hour)
    if hour_step and every_day:
        return ngettext("Setiap %(n)d jam", "Setiap %(n)d jam", hour_step) % {"n": hour_step} + (
            _(" pada menit ke-%(m)s") % {"m": minutes[0]} if minutes != [0] else ""
        )
    hours = _numbers(hour, 0, 23)
    if hours is None:
        return raw
    at = _at(hours, minutes)
    if every_day:
        return _("Setiap hari %(at)s") % {"at": at}
    return _calendar_days(day_of_month, month_of_year, day_of_week, at) or raw


def _calendar_days(day_of_month: str, month_of_year: str, day_of_week: str, at: str) -> str | None:
    """A fixed time on some weekdays, some days of every month, or some days of some months; None otherwise."""
    weekdays = _numbers(day_of_week, 0, 7)
    days = _numbers(day_of_month, 1, 31)
    months = _numbers(month_of_year, 1, 12)
    if weekdays is not None and str(day_of_month) == "*" and str(month_of_year) == "*":
        # crontab counts Sunday as 0 (and 7); Django's WEEKDAYS start at Monday = 0.
        names = [str(WEEKDAYS[(d - 1) % 7]) for d in dict.fromkeys(weekdays)]
        return _("Setiap %(days)s %(at)s") % {"days": get_text_list(names, _("dan")), "at": at}
    if days is None or str(day_of_week) != "*":
        return None
    day_list = get_text_list([str(d) for d in days], _("dan"))
    if str(month_of_year) == "*":
        return _("Setiap tanggal %(days)s %(at)s") % {"days": day_list, "at": at}
    if months is None:
        return None
    month_list = get_text_list([str(MONTHS[m]) for m in months], _("dan"))
    return _("Setiap tanggal %(days)s %(months)s %(at)s") % {"days": day_list, "months": month_list, "at": at}


def describe_interval(every: int, period: str) -> str:
    units = {
        "days": ngettext("Setiap %(n)d hari", "Setiap %(n)d hari", every),
        "hours": ngettext("Setiap %(n)d jam", "Setiap %(n)d jam", every),
        "minutes": ngettext("Setiap %(n)d menit", "Setiap %(n)d menit", every),
        "seconds": ngettext("Setiap %(n)d detik", "Setiap %(n)d detik", every),
        "microseconds": ngettext("Setiap %(n)d mikrodetik", "Setiap %(n)d mikrodetik", every),
    }
    return units.get(period, units["seconds"]) % {"n": every}


def describe_schedule(task: Any) -> str:
    """A django-celery-beat PeriodicTask's schedule in words; "–" when it has none."""
    if getattr(task, "crontab", None) is not None:
        c = task.crontab
        return describe_crontab(c.minute, c.hour, c.day_of_month, c.month_of_year, c.day_of_week)
    if getattr(task, "interval", None) is not None:
        return describe_interval(task.interval.every, task.interval.period)
    if getattr(task, "clocked", None) is not None:
        from django.utils import formats

        return _("Sekali pada %(when)s") % {"when": formats.date_format(task.clocked.clocked_time, "DATETIME_FORMAT")}
    return "–"
