#!/usr/bin/env python
"""Nightly jobs with 1 and then 2 real Celery workers: wall time and speed-up (issue #13).

    .venv/bin/python bench/worker_scaling.py --db asn_bench_<branch> --employees 10000
    .venv/bin/python bench/worker_scaling.py --db asn_bench_<branch> --reuse          # keep the seeded database

Seeds a separate database (unless --reuse) with `seed_demo` (several agencies), then for each worker count
(`--workers 1,2`) starts that many `celery -A asn_portal worker --concurrency 1` processes on a private Redis
database (`--broker`, flushed first), sends the fanned-out nightly dispatchers as beat would (JPM recompute,
yearly JP summary, KP queues of the open periods), and waits until every parent JobRun has ended. Wall time
= last parent's `finished_at` - the moment the dispatchers were sent. Each job is an idempotent upsert, so
every round does the same work; `--warmup` runs one unmeasured round first (caches, the first JPM snapshots).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import PY, bench_env, reset_database, run, setup_django  # noqa: E402

# Sent in this order; the KP build first: its largest part (one agency's whole queue) is the longest task.
NIGHTLY = [
    ("promotions.tasks.build_open_queues", "promotions.build_open_queues"),
    ("competencies.tasks.jpm_recompute_all", "competencies.jpm_recompute"),
    ("training.tasks.yearly_summary", "training.yearly_summary"),
]


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--employees", type=int, default=10000)
    p.add_argument("--pg", default=os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432"))
    p.add_argument("--db", required=True, help="a private database, e.g. asn_bench_<branch>")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--reuse", action="store_true", help="keep the seeded database")
    p.add_argument("--broker", default="redis://127.0.0.1:6379/7", help="a Redis database of your own (flushed)")
    p.add_argument("--workers", default="1,2", help="worker counts to measure, in order")
    p.add_argument("--part-size", type=int, default=5000, help="JOB_PART_SIZE: employees per part")
    p.add_argument("--warmup", action="store_true", help="one unmeasured round with the largest worker count")
    p.add_argument("--timeout", type=float, default=1800)
    return p.parse_args()


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)  # noqa: T201


def start_workers(n: int, env: dict[str, str], tmp: Path) -> list[tuple[subprocess.Popen[bytes], Path]]:
    workers = []
    for i in range(1, n + 1):
        path = tmp / f"worker-{n}-{i}.log"
        process = subprocess.Popen(
            [PY, "-m", "celery", "-A", "asn_portal", "worker", "--concurrency", "1", "-l", "info",
             "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"scaling{i}@%h"],
            cwd=ROOT, env=env, stdout=path.open("wb"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        workers.append((process, path))
    deadline = time.monotonic() + 300
    while not all(b" ready." in path.read_bytes() for _, path in workers):
        if time.monotonic() > deadline or any(p.poll() is not None for p, _ in workers):
            stop_workers(workers)
            raise SystemExit(f"workers did not start; see {tmp}")
        time.sleep(0.5)
    return workers


def stop_workers(workers: list[tuple[subprocess.Popen[bytes], Path]]) -> None:
    for process, _ in workers:
        process.terminate()
    for process, _ in workers:
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            process.kill()


def one_round(broker: str, timeout: float) -> dict[str, Any]:
    """Send the nightly dispatchers, wait for every parent run; returns wall seconds and per-job figures."""
    from celery import Celery
    from django.utils import timezone

    from asn_portal.models import JobRun

    sender = Celery(broker=broker)
    sender.conf.task_serializer = "json"
    started = timezone.now()
    for task, _job in NIGHTLY:
        sender.send_task(task)
    sender.close()
    jobs = [job for _task, job in NIGHTLY]
    deadline = time.monotonic() + timeout
    while True:
        parents = list(JobRun.objects.filter(job__in=jobs, parent__isnull=True, started_at__gte=started))
        if len(parents) == len(jobs) and all(p.status != JobRun.Status.RUNNING for p in parents):
            break
        if time.monotonic() > deadline:
            raise SystemExit(f"jobs did not finish in {timeout} s: {[(p.job, p.counts) for p in parents]}")
        time.sleep(0.2)
    wall = (max(p.finished_at for p in parents if p.finished_at) - started).total_seconds()
    return {
        "wall_s": round(wall, 2),
        "jobs": {
            p.job: {"status": p.status, "s": round(p.duration_seconds or 0, 2), "counts": p.counts} for p in parents
        },
    }


def main() -> None:
    args = parse_args()
    env = bench_env(args, 0)
    if not args.reuse:  # seeded like make bench (in-memory broker: nothing reaches the workers' Redis)
        reset_database(args)
        took, _ = run([PY, "manage.py", "migrate", "--noinput", "-v0"], env)
        log(f"migrate {took:.1f} s; seeding {args.employees} employees")
        took, _ = run([PY, "manage.py", "seed_demo", "--employees", str(args.employees), "--seed", str(args.seed)], env)
        log(f"seed {took:.1f} s")
    env.update(CELERY_BROKER_URL=args.broker, JOB_PART_SIZE=str(args.part_size), LOG_LEVEL="WARNING")
    setup_django(env)
    import redis

    counts = [int(n) for n in args.workers.split(",")]
    rounds = ([max(counts)] if args.warmup else []) + counts
    results: list[tuple[int, dict[str, Any]]] = []
    with tempfile.TemporaryDirectory(prefix="worker-scaling-") as tmp:
        for i, n in enumerate(rounds):
            redis.Redis.from_url(args.broker).flushdb()
            workers = start_workers(n, env, Path(tmp))
            try:
                result = one_round(args.broker, args.timeout)
            finally:
                stop_workers(workers)
            measured = not (args.warmup and i == 0)
            log(f"{n} worker(s){'' if measured else ' (warm-up)'}: {result['wall_s']} s {result['jobs']}")
            if measured:
                results.append((n, result))
    base = results[0][1]["wall_s"]
    print(f"\nWorker scaling, {args.employees} employees, JOB_PART_SIZE={args.part_size}, {os.cpu_count()} CPUs\n")  # noqa: T201
    print("| workers | wall s | speed-up | " + " | ".join(job for _t, job in NIGHTLY) + " |")  # noqa: T201
    print("|---:|---:|---:|" + "---:|" * len(NIGHTLY))  # noqa: T201
    for n, r in results:
        per_job = " | ".join(str(r["jobs"].get(job, {}).get("s", "–")) for _t, job in NIGHTLY)
        print(f"| {n} | {r['wall_s']} | {base / r['wall_s']:.2f}× | {per_job} |")  # noqa: T201


if __name__ == "__main__":
    main()
