"""The daily roll-up of the access log (issue #16) that the BKD access report reads instead of the raw log.

Two summary tables (people.privacy_models):

- `AccessDaily`: per (agency, local day, viewer, part, purpose) the number of reads, the last read, and the
  sorted distinct ids of the people read and of those read outside the viewer's unit. Counts of reads add up
  over days; "how many people" does not (the same person read on two days is one person), so the ids are
  kept and counted distinct over the window: `count(DISTINCT unnest(subjects))`, exact.
- `AccessExport`: one row per (export, agency): who, which part, the stated purpose, how many people, when.
  "Outside office hours" is decided when the report is read, so a change of ACCESS_LOG_OFFICE_HOURS shows at
  once.

Kept current by the statement that writes the log (`access_log.write_entries`: the INSERT of the entries and
both upserts are ONE statement, see `rollup_ctes`); rebuilt from the raw log for given days by
`rebuild` (the nightly `access_rollup_rebuild` job re-derives yesterday, the retention prune the day it cut
into). The writer's statement takes a shared advisory lock (`LOCK`) and a rebuild an exclusive one, so a rebuild
never counts a batch twice or misses one that lands while it runs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

LOCK = 160_016  # pg advisory lock id of the roll-up (issue 16)


def _tables() -> tuple[str, str, str]:
    from .models import AccessDaily, AccessExport, RecordAccess

    return RecordAccess._meta.db_table, AccessDaily._meta.db_table, AccessExport._meta.db_table


def _daily_insert(source: str, where: str = "") -> str:
    """INSERT into AccessDaily the aggregate of `source` rows (a table or the writer's CTE); one %s: the zone."""
    daily = _tables()[1]
    return f"""
        INSERT INTO {daily} AS d
            (agency_id, day, viewer_id, part, purpose, reads, last_at, subjects, outside_subjects)
        SELECT agency_id, (at AT TIME ZONE %s)::date, COALESCE(viewer_id, 0), part, purpose, count(*), max(at),
               array_agg(DISTINCT subject_id ORDER BY subject_id),
               COALESCE(array_agg(DISTINCT subject_id ORDER BY subject_id) FILTER (WHERE outside_unit), '{{}}')
        FROM {source} {where}
        GROUP BY 1, 2, 3, 4, 5
        ORDER BY 1, 2, 3, 4, 5
    """  # noqa: S608 (table names from the models)


def _export_insert(source: str, where: str = "") -> str:
    exports = _tables()[2]
    cond = f"{where} AND export_id IS NOT NULL" if where else "WHERE export_id IS NOT NULL"
    return f"""
        INSERT INTO {exports} AS x (export_id, agency_id, viewer_id, part, stated_purpose, people, at)
        SELECT export_id, agency_id, COALESCE(max(viewer_id), 0), max(part), max(stated_purpose), count(*), max(at)
        FROM {source} {cond}
        GROUP BY export_id, agency_id
        ORDER BY export_id, agency_id
    """  # noqa: S608


_MERGE_DAILY = """
    ON CONFLICT (agency_id, day, viewer_id, part, purpose) DO UPDATE SET
        reads = d.reads + EXCLUDED.reads,
        last_at = GREATEST(d.last_at, EXCLUDED.last_at),
        subjects = ARRAY(SELECT DISTINCT s FROM unnest(d.subjects || EXCLUDED.subjects) s ORDER BY 1),
        outside_subjects = ARRAY(
            SELECT DISTINCT s FROM unnest(d.outside_subjects || EXCLUDED.outside_subjects) s ORDER BY 1
        )
"""
_MERGE_EXPORT = """
    ON CONFLICT (export_id, agency_id) DO UPDATE SET
        people = x.people + EXCLUDED.people,
        at = GREATEST(x.at, EXCLUDED.at)
"""


def _pairs_table() -> str:
    from .models import AccessViewerSubject

    return AccessViewerSubject._meta.db_table


def _pairs_insert(source: str, where: str = "") -> str:
    """INSERT into AccessViewerSubject the last day (and last day outside the unit) per (agency, viewer, person)
    of `source` rows; two %s: the zone twice."""
    return f"""
        INSERT INTO {_pairs_table()} AS vs (agency_id, viewer_id, subject_id, last_day, last_outside_day)
        SELECT agency_id, COALESCE(viewer_id, 0), subject_id, max((at AT TIME ZONE %s)::date),
               max((at AT TIME ZONE %s)::date) FILTER (WHERE outside_unit)
        FROM {source} {where}
        GROUP BY 1, 2, 3
        ORDER BY 1, 2, 3
    """  # noqa: S608 (table names from the models)


# Only a later day changes a row: the repeated reads of a day (lists opened again, a second export) write nothing.
_MERGE_PAIRS = """
    ON CONFLICT (agency_id, viewer_id, subject_id) DO UPDATE SET
        last_day = GREATEST(vs.last_day, EXCLUDED.last_day),
        last_outside_day = GREATEST(vs.last_outside_day, EXCLUDED.last_outside_day)
    WHERE vs.last_day < EXCLUDED.last_day
       OR vs.last_outside_day IS DISTINCT FROM GREATEST(vs.last_outside_day, EXCLUDED.last_outside_day)
"""


def pairs_horizon() -> dt.date:
    """The oldest day AccessViewerSubject must know: the start of the longest report window ending today."""
    return timezone.localdate() - dt.timedelta(days=settings.ACCESS_LOG_REPORT_MAX_DAYS + 1)


def rollup_ctes() -> tuple[str, list[Any]]:
    """CTEs (and their parameters) that add the rows of the writer's `ins` CTE (its INSERT … RETURNING) to the
    three summaries, so the entries and the roll-up are written by one statement."""
    zone = settings.TIME_ZONE
    return (
        f""", daily AS ({_daily_insert("ins")} {_MERGE_DAILY} RETURNING 1),
        exported AS ({_export_insert("ins")} {_MERGE_EXPORT} RETURNING 1),
        pairs AS ({_pairs_insert("ins")} {_MERGE_PAIRS} RETURNING 1)""",
        [zone, zone, zone],
    )


def _bounds(since: dt.date, until: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_default_timezone()
    start = dt.datetime.combine(since, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start, end


def rebuild(*, since: dt.date, until: dt.date | None = None) -> int:
    """Re-derive both summaries for the local days since…until (inclusive) from the raw log, set-based.
    Returns the number of daily rows written."""
    until = until or since
    raw, daily, exports = _tables()
    start, end = _bounds(since, until)
    zone = settings.TIME_ZONE
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK])
        cursor.execute(f"DELETE FROM {daily} WHERE day BETWEEN %s AND %s", [since, until])  # noqa: S608
        cursor.execute(f"DELETE FROM {exports} WHERE at >= %s AND at < %s", [start, end])  # noqa: S608
        cursor.execute(_daily_insert(raw, "WHERE at >= %s AND at < %s"), [zone, start, end])
        written = int(cursor.rowcount)
        cursor.execute(_export_insert(raw, "WHERE at >= %s AND at < %s"), [start, end])
        _rebuild_pairs(cursor)
    return written


def _rebuild_pairs(cursor: Any) -> None:
    """Re-derive AccessViewerSubject from the raw log of the days since `pairs_horizon()` (a pair's last day
    depends on every later day, so it is recomputed whole; the older pairs are dropped). Under the exclusive
    roll-up lock of the caller's transaction."""
    raw = _tables()[0]
    zone = settings.TIME_ZONE
    start, _end = _bounds(pairs_horizon(), pairs_horizon())
    cursor.execute(f"DELETE FROM {_pairs_table()}")  # noqa: S608
    cursor.execute(_pairs_insert(raw, "WHERE at >= %s"), [zone, zone, start])


def rebuild_pairs() -> None:
    """Re-derive AccessViewerSubject alone (after installing it)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK])
        _rebuild_pairs(cursor)


def rebuild_all() -> int:
    """Rebuild every day the raw log holds (after installing the roll-up, or to repair it)."""
    from .models import RecordAccess

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT min(at AT TIME ZONE %s)::date, max(at AT TIME ZONE %s)::date FROM {RecordAccess._meta.db_table}",  # noqa: S608
            [settings.TIME_ZONE, settings.TIME_ZONE],
        )
        first, last = cursor.fetchone()
    return rebuild(since=first, until=last) if first else 0


def fill_if_empty() -> int:
    """After `migrate`: the roll-up is filled from the log when it is still empty while the log is not (the
    upgrade that added it). Run from people's post_migrate handler, not from the migration itself (migrations
    never import application code)."""
    from .models import AccessDaily, AccessViewerSubject, RecordAccess

    if not RecordAccess.objects.exists():
        return 0
    if not AccessDaily.objects.exists():
        return rebuild_all()
    if not AccessViewerSubject.objects.exists():  # the upgrade that added the (viewer, person) roll-up
        rebuild_pairs()
    return 0


def after_prune(cutoff: dt.datetime) -> None:
    """The prune removed raw rows before `cutoff`: drop the summaries of the days before it, re-derive its day."""
    _raw, daily, exports = _tables()
    day = timezone.localtime(cutoff).date()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK])
        cursor.execute(f"DELETE FROM {daily} WHERE day < %s", [day])  # noqa: S608
        cursor.execute(f"DELETE FROM {exports} WHERE at < %s", [cutoff])  # noqa: S608
    rebuild(since=day)


# --- Reads for the report ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportFilter:
    agency_id: int
    since: dt.date
    until: dt.date
    viewer_ids: list[int] | None = None  # None: every viewer; a list: only these (the name/account filter)
    part: str = ""
    unusual_only: bool = False


def _conditions(f: ReportFilter, *, on_day: bool) -> tuple[str, list[Any]]:
    if on_day:
        sql, params = "agency_id = %s AND day BETWEEN %s AND %s", [f.agency_id, f.since, f.until]
    else:
        start, end = _bounds(f.since, f.until)
        sql, params = "agency_id = %s AND at >= %s AND at < %s", [f.agency_id, start, end]
    if f.part:
        sql, params = f"{sql} AND part = %s", [*params, f.part]
    if f.viewer_ids is not None:
        sql, params = f"{sql} AND viewer_id = ANY(%s)", [*params, f.viewer_ids]
    return sql, params


def _off_hours_sql() -> tuple[str, list[Any]]:
    start, end = settings.ACCESS_LOG_OFFICE_HOURS
    local = "(at AT TIME ZONE %s)"
    zone = settings.TIME_ZONE
    return (
        f"(extract(hour FROM {local}) < %s OR extract(hour FROM {local}) >= %s OR extract(isodow FROM {local}) >= 6)",
        [zone, start, zone, end, zone],
    )


def _people_ctes(f: ReportFilter) -> tuple[str, list[Any]]:
    """CTEs `p` (viewer_id, people) and `o` (viewer_id, outside): the distinct people each viewer read in the
    window, and of them those read outside the viewer's unit. A window that ends today (the report's default)
    without a part filter counts AccessViewerSubject rows (read since the window's first day); any other
    counts the distinct ids of the daily rows' arrays in `w`."""
    if not f.part and f.until >= timezone.localdate() and f.since >= pairs_horizon():
        where, params = "agency_id = %s AND last_day >= %s", [f.agency_id, f.since]
        if f.viewer_ids is not None:
            where, params = f"{where} AND viewer_id = ANY(%s)", [*params, f.viewer_ids]
        return (
            f"""p AS (SELECT viewer_id, count(*) AS people, count(*) FILTER (WHERE last_outside_day >= %s) AS outside
              FROM {_pairs_table()} WHERE {where} GROUP BY viewer_id),
        o AS (SELECT viewer_id, outside FROM p)""",  # noqa: S608 (table name from the model)
            [f.since, *params],
        )
    return (
        """p AS (SELECT viewer_id, count(DISTINCT s) AS people FROM w, unnest(w.subjects) s GROUP BY viewer_id),
        o AS (SELECT viewer_id, count(DISTINCT s) AS outside FROM w, unnest(w.outside_subjects) s
              GROUP BY viewer_id)""",
        [],
    )


REPORT_COLUMNS = ("viewer_id", "reads", "people", "outside", "exports", "night_exports", "last")


def report_rows(f: ReportFilter) -> list[dict[str, Any]]:
    """Per viewer over the window: reads, distinct people, distinct people outside the viewer's unit, exports
    and exports outside office hours, last read; the most unusual first. One query on the summaries."""
    _raw, daily, exports = _tables()
    day_where, day_params = _conditions(f, on_day=True)
    at_where, at_params = _conditions(f, on_day=False)
    night, night_params = _off_hours_sql()
    having, having_params = "", []
    if f.unusual_only:
        having = "WHERE COALESCE(x.night_exports, 0) > 0 OR COALESCE(o.outside, 0) >= %s"
        having_params = [settings.ACCESS_LOG_OUTSIDE_UNIT_THRESHOLD]
    people, people_params = _people_ctes(f)
    sql = f"""
        WITH w AS (SELECT viewer_id, reads, last_at, subjects, outside_subjects FROM {daily} WHERE {day_where}),
        g AS (SELECT viewer_id, sum(reads)::int AS reads, max(last_at) AS last FROM w GROUP BY viewer_id),
        {people},
        x AS (SELECT viewer_id, count(*) AS exports, count(*) FILTER (WHERE {night}) AS night_exports
              FROM {exports} WHERE {at_where} GROUP BY viewer_id)
        SELECT NULLIF(g.viewer_id, 0), g.reads, COALESCE(p.people, 0), COALESCE(o.outside, 0),
               COALESCE(x.exports, 0), COALESCE(x.night_exports, 0), g.last
        FROM g LEFT JOIN p USING (viewer_id) LEFT JOIN o USING (viewer_id) LEFT JOIN x USING (viewer_id)
        {having}
        ORDER BY 4 DESC, 6 DESC, 2 DESC, 1
    """  # noqa: S608 (table names from the models, values as parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*day_params, *people_params, *night_params, *at_params, *having_params])
        return [dict(zip(REPORT_COLUMNS, row, strict=True)) for row in cursor.fetchall()]
