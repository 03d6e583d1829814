"""The BKD access report before and after the daily roll-up (issue #16).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/asn_bench_<branch> .venv/bin/python bench/access_report.py \
        --rows 300000

Needs a migrated database seeded with `seed_demo` (any size). Seeds `--rows` access-log rows for the agency of
`demo.admin.medan` over the last 30 days with generate_series (70 % exports of 1,000 people each by five admins,
30 % single reads by every 15th employee, a third of all rows outside the viewer's unit), rebuilds the roll-up,
VACUUM ANALYZE, checks the roll-up's report equals the live one, then times (median of `--repeat`):

- before: what the page ran on the raw log (the paginator's COUNT over the per-viewer aggregation, the first page
  of it, the 20 newest exports grouped by export id), i.e. `access_report_live` and the former export list;
- after: the same figures from the roll-up (`access_report`, `export_list`), and the whole page through the
  Django test client;
- the roll-up rebuild of one day and of the whole window, and the drain's write of 20,000 entries with and
  without the roll-up upsert.
Not a test; prints a small Markdown table.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "asn_portal.settings.local")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.paginator import Paginator  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Max  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from people import access_log, access_rollup  # noqa: E402
from people.access_selectors import (  # noqa: E402
    ReportWindow,
    _window_qs,
    access_report,
    access_report_live,
    export_list,
)
from people.models import Employee, User  # noqa: E402

SEED_SQL = """
WITH emp AS (SELECT array_agg(id ORDER BY id) AS ids FROM people_employee WHERE agency_id = %(agency)s),
     viewers AS (SELECT array_agg(u.id ORDER BY u.id) AS ids, array_agg(e.id ORDER BY u.id) AS emps
                 FROM people_user u JOIN people_employee e ON e.user_id = u.id
                 WHERE e.agency_id = %(agency)s AND e.id %% 15 = 0)
INSERT INTO people_recordaccess
    (viewer_id, viewer_employee_id, subject_id, agency_id, part, purpose, via, export_id, stated_purpose,
     outside_unit, at)
SELECT viewers.ids[1 + v::int], viewers.emps[1 + v::int],
       emp.ids[1 + (CASE WHEN g < %(exports)s AND %(repeated)s THEN g %% 1000
                         ELSE (g * 7919) %% cardinality(emp.ids) END)::int], %(agency)s,
       CASE WHEN g < %(exports)s THEN 'direktori'
            ELSE (ARRAY['profil','skp','kompetensi','pelatihan'])[1 + (g %% 4)::int] END,
       CASE WHEN g < %(exports)s THEN 'ekspor' ELSE 'layanan' END,
       CASE WHEN g < %(exports)s THEN 'people:directory-export' ELSE 'people:profile' END,
       CASE WHEN g < %(exports)s THEN md5('export' || (g / 1000))::uuid END,
       CASE WHEN g < %(exports)s THEN 'Rekap pegawai' ELSE '' END,
       g %% 3 = 0,
       CASE WHEN g < %(exports)s
            THEN now() - ((g / 1000) %% 30) * interval '1 day' - ((g / 1000) %% 24) * interval '1 hour'
            ELSE now() - (g %% 30) * interval '1 day' - (g %% 86400) * interval '1 second' END
FROM generate_series(0::bigint, %(rows)s - 1) g, emp, viewers,
     LATERAL (SELECT CASE WHEN g < %(exports)s THEN (g / 1000) %% 5 ELSE g %% cardinality(viewers.ids) END AS v) pick
"""


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, int]:
    """Median milliseconds over `repeat` runs, and the SQL queries of one run."""
    times = []
    queries = 0
    for _i in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            fn()
            times.append((time.perf_counter() - started) * 1000)
        queries = len(ctx.captured_queries)
    return statistics.median(times), queries


def before(agency_id: int, window: ReportWindow) -> None:
    """The page's reads on the raw log, as they were before the roll-up."""
    page = Paginator(access_report_live(agency_id=agency_id, window=window), 25).get_page(1)
    list(page.object_list)
    list(
        _window_qs(agency_id=agency_id, window=window)
        .filter(export_id__isnull=False)
        .values("export_id")
        .annotate(exporter_id=Max("viewer_id"), part=Max("part"), people=Count("subject_id"), at=Max("at"))
        .order_by("-at")[:20]
    )


def after(agency_id: int, window: ReportWindow) -> None:
    page = Paginator(access_report(agency_id=agency_id, window=window), 25).get_page(1)
    list(page.object_list)
    list(export_list(agency_id=agency_id, window=window)[:20])


def drain_write(entries: list[dict[str, Any]], *, rollup: bool) -> float:
    original = access_rollup.rollup_ctes
    if not rollup:
        access_rollup.rollup_ctes = lambda: ("", [])  # type: ignore[assignment]
    try:
        started = time.perf_counter()
        access_log.write_entries(entries)
        return (time.perf_counter() - started) * 1000
    finally:
        access_rollup.rollup_ctes = original


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--rows", type=int, default=300_000)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--reuse", action="store_true", help="keep the rows seeded by a previous run")
    p.add_argument(
        "--pattern",
        choices=["spread", "repeated"],
        default="spread",
        help="spread: every export holds other people (worst case for the roll-up); repeated: every export is "
        "the same 1,000 people (the load test's repeated directory export)",
    )
    args = p.parse_args()
    admin = User.objects.get(username="demo.admin.medan")
    agency_id = Employee.objects.get(user=admin).agency_id
    today = timezone.localdate()
    window = ReportWindow(today - timezone.timedelta(days=29), today)
    with connection.cursor() as cursor:
        if not args.reuse:
            cursor.execute("TRUNCATE people_recordaccess, people_accessdaily, people_accessexport")
            started = time.perf_counter()
            cursor.execute(
                SEED_SQL,
                {
                    "agency": agency_id,
                    "rows": args.rows,
                    "exports": int(args.rows * 0.7),
                    "repeated": args.pattern == "repeated",
                },
            )
            print(f"seeded {args.rows} rows in {time.perf_counter() - started:.1f} s")
            started = time.perf_counter()
            access_rollup.rebuild_all()
            print(f"roll-up rebuilt (all days) in {time.perf_counter() - started:.1f} s")
            cursor.execute("VACUUM ANALYZE people_recordaccess")
            cursor.execute("VACUUM ANALYZE people_accessdaily")
            cursor.execute("VACUUM ANALYZE people_accessexport")
        cursor.execute("SELECT count(*) FROM people_recordaccess WHERE agency_id = %s", [agency_id])
        raw = cursor.fetchone()[0]
        cursor.execute("SELECT count(*), sum(cardinality(subjects)) FROM people_accessdaily")
        daily, elements = cursor.fetchone()
    assert access_report(agency_id=agency_id, window=window) == [
        dict(r) for r in access_report_live(agency_id=agency_id, window=window)
    ], "the roll-up differs from the live aggregation"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(admin)
    client.get("/pegawai/akses/laporan/")  # warm up
    rows = [
        ("before: raw log (count + page + exports)", *timed(lambda: before(agency_id, window), args.repeat)),
        ("after: roll-up (page + exports)", *timed(lambda: after(agency_id, window), args.repeat)),
        ("after: whole page (test client)", *timed(lambda: client.get("/pegawai/akses/laporan/"), args.repeat)),
        (
            "after: API /api/v1/access-report/",
            *timed(lambda: client.get("/api/v1/access-report/"), args.repeat),
        ),
        ("rebuild one day", *timed(lambda: access_rollup.rebuild(since=today - timezone.timedelta(days=3)), 3)),
        ("rebuild 30 days", *timed(lambda: access_rollup.rebuild(since=window.since, until=window.until), 1)),
    ]
    viewers = list(Employee.objects.filter(agency_id=agency_id).exclude(user=None)[:5])
    subjects = list(Employee.objects.filter(agency_id=agency_id).values_list("pk", flat=True)[:20_000])
    batch = [
        {
            "v": v.user_id,
            "ve": v.pk,
            "p": "direktori",
            "u": "ekspor",
            "via": "bench",
            "x": str(uuid.uuid4()),
            "n": "",
            "at": timezone.now().isoformat(),
            "s": [[s, None] for s in subjects[i::5]],
        }
        for i, v in enumerate(viewers)
    ]
    n = sum(len(e["s"]) for e in batch)
    without = statistics.median(drain_write(batch, rollup=False) for _i in range(3))
    with_rollup = statistics.median(drain_write(batch, rollup=True) for _i in range(3))
    print(f"\npattern {args.pattern}; raw rows of the agency: {raw:,}; roll-up rows: {daily:,} ({elements:,} ids)\n")
    print("| measurement | ms (median) | SQL queries |\n|---|---|---|")
    for label, ms, queries in rows:
        print(f"| {label} | {ms:,.0f} | {queries} |")
    print(f"| drain write of {n:,} entries without roll-up | {without:,.0f} | 1 |")
    print(f"| drain write of {n:,} entries with roll-up | {with_rollup:,.0f} | 1 |")
    print(f"\nsettings: office hours {settings.ACCESS_LOG_OFFICE_HOURS}")


if __name__ == "__main__":
    main()
