"""Profile the portal's fixed cost per request (`make bench-profile`, not part of make test).

Runs N logged-in GETs of one path in-process through the full WSGI handler (every middleware, the session and
user lookups, context processors, templates) under cProfile and writes the top functions by cumulative time to
bench/profiles/<name>.txt. The database is the bench database (`bench/run.py` seeds it).

    .venv/bin/python bench/profile_shell.py --path /bench/bare/ --name bare
    .venv/bin/python bench/profile_shell.py --settings bench.plain.settings --path /bare/ --name plain
    .venv/bin/python bench/profile_shell.py --path /karier/talenta/ --user demo.admin.medan --time   # no profile

`--time` measures without cProfile: the median and 90th percentile wall time and the mean CPU time per request,
in-process (no gunicorn, no wrk), so it stays comparable on a busy machine better than a load test does.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--path", default="/bench/bare/")
    p.add_argument("--name", default="bare")
    p.add_argument("--settings", default="bench.settings")
    p.add_argument("--requests", type=int, default=500)
    p.add_argument("--user", default="demo.admin.medan")
    p.add_argument("--time", action="store_true", help="time the requests without cProfile and write nothing")
    p.add_argument(
        "--cpu",
        action="store_true",
        help="profile CPU time (time.process_time) instead of wall time, so waiting for PostgreSQL is left out",
    )
    p.add_argument("--lines", type=int, default=45, help="functions listed per sort order")
    p.add_argument("--db", default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/asn_bench"))
    p.add_argument(
        "--redis",
        default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0"),
        help="Redis for the access log's hand-off, as in make bench ('' = none: every read written at once)",
    )
    args = p.parse_args()
    # The access log hands each request's reads to Redis as make bench does (without this it would follow the
    # broker URL below, memory://, and write every read to the database: a cost make bench does not pay), under a
    # key of this run's own that is deleted at the end, so that nothing drains or keeps these reads.
    log_key = f"asn:access-log:profile:{os.getpid()}"
    os.environ.update(
        DJANGO_SETTINGS_MODULE=args.settings,
        DATABASE_URL=args.db,
        SECRET_KEY=os.environ.get("SECRET_KEY", secrets.token_urlsafe(64)),
        DEBUG="0",
        BENCH_VIEWS="1",
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        CELERY_BROKER_URL="memory://",
        LOG_LEVEL="ERROR",
        ACCESS_LOG_REDIS_URL=args.redis,
        ACCESS_LOG_REDIS_KEY=log_key,
    )
    try:
        _measure(args)
    finally:
        if args.redis:
            import redis

            redis.Redis.from_url(args.redis).delete(log_key)


def _measure(args: argparse.Namespace) -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=args.user))
    for _ in range(20):  # warm: templates, URL resolver, translations, connection
        assert client.get(args.path, secure=True).status_code == 200
    if args.time:
        walls, cpu_started = [], time.process_time()
        for _ in range(args.requests):
            t0 = time.perf_counter()
            client.get(args.path, secure=True)
            walls.append((time.perf_counter() - t0) * 1000)
        cpu_ms = (time.process_time() - cpu_started) * 1000 / args.requests
        walls.sort()
        p50, p90 = walls[len(walls) // 2], walls[int(len(walls) * 0.9)]
        print(  # noqa: T201
            f"{args.path} as {args.user}: p50 {p50:.2f} ms, p90 {p90:.2f} ms,"
            f" CPU {cpu_ms:.2f} ms per request ({args.requests} requests, in-process)"
        )
        return
    profiler = cProfile.Profile(time.process_time) if args.cpu else cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(args.requests):
        client.get(args.path, secure=True)
    profiler.disable()
    per_request_ms = (time.perf_counter() - started) * 1000 / args.requests
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("cumulative")
    stats.print_stats(args.lines)
    stats.sort_stats("tottime").print_stats(max(25, args.lines // 2))
    clock = "CPU" if args.cpu else "wall"
    text = (
        f"# {args.path} via {args.settings}: {per_request_ms:.2f} ms per request under cProfile ({args.requests},"
        f" {clock} clock)\n"
    )
    (ROOT / "bench" / "profiles").mkdir(exist_ok=True)
    (ROOT / "bench" / "profiles" / f"{args.name}.txt").write_text(text + out.getvalue())
    print(text.strip())


if __name__ == "__main__":
    main()
