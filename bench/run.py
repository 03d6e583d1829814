#!/usr/bin/env python
"""Benchmark harness (`make bench`): seed a separate PostgreSQL database, serve the portal with gunicorn
as in production, log in as each demo role and load-test every page listed in bench/targets/*.py.

Per page: requests/s, p50 and p95 latency (wrk, or a threaded Python client when wrk is missing), SQL
queries per request (measured once through the Django test client) and the ratio to a bare baseline view
(pages: a bare Django page of 50 joined rows; API: a bare JSON list of the same rows). Then the wall time
of every JOBS entry. Prints one table and writes it to bench/results/.

    .venv/bin/python bench/run.py --employees 50000 --seconds 10
    .venv/bin/python bench/run.py --employees 5000 --seconds 3
    .venv/bin/python bench/run.py --reuse            # skip reset/migrate/seed, measure again
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import importlib
import importlib.util
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
PY = sys.executable
BARE_PAGE = "/bench/bare/"
BARE_JSON = "/bench/bare.json"
SHELL_PAGE = "/bench/shell/"
PLAIN_PAGE = "/bare/"  # served by bench/plain (a plain Django project), not by the portal
ROLE_USERS = {"hr_admin": "demo.admin.medan", "head": "demo.kepala.medan", "staff": "demo.pegawai.medan"}

WRK_LUA = """
done = function(summary, latency, requests)
  io.write(string.format("BENCH p50=%d p95=%d requests=%d errors=%d\\n", latency:percentile(50),
    latency:percentile(95), summary.requests, summary.errors.status + summary.errors.connect
    + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""


def log(msg: str) -> None:
    print(f"[bench {dt.datetime.now():%H:%M:%S}] {msg}", flush=True)


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--employees", type=int, default=50000)
    p.add_argument("--seconds", type=float, default=10.0, help="load time per page")
    p.add_argument("--connections", type=int, default=8)
    p.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    p.add_argument("--port", type=int, default=0, help="0 = a free port")
    p.add_argument("--pg", default=os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432"))
    p.add_argument("--db", default="asn_bench")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--reuse", action="store_true", help="keep the existing bench database (no reset/seed)")
    p.add_argument("--only", default="", help="comma-separated target modules (e.g. people,training)")
    p.add_argument("--no-jobs", action="store_true")
    p.add_argument("--tool", choices=["auto", "wrk", "python"], default="auto")
    p.add_argument(
        "--redis",
        default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0"),
        help="Redis for the access log's hand-off, as in production ('' = none: every read written at once)",
    )
    return p.parse_args()


def bench_env(args: argparse.Namespace, port: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=f"{args.pg}/{args.db}",
        SECRET_KEY=secrets.token_urlsafe(64),
        DEBUG="0",
        CONN_MAX_AGE="600",
        BENCH_VIEWS="1",
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        CELERY_BROKER_URL=env.get("BENCH_CELERY_BROKER_URL", "memory://"),
        LOG_LEVEL="ERROR",
        # The access log hands each request's reads to Redis as in production (REDIS_URL is the Celery broker
        # there), under a key of this database's own so that benches of other databases never drain them.
        ACCESS_LOG_REDIS_URL=args.redis,
        ACCESS_LOG_REDIS_KEY=f"asn:access-log:{args.db}",
        PYTHONPATH=str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""),
    )
    return env


def reset_database(args: argparse.Namespace) -> None:
    import psycopg2

    conn = psycopg2.connect(f"{args.pg}/postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')
        cur.execute(f'CREATE DATABASE "{args.db}"')
    conn.close()


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, str]:
    t0 = time.perf_counter()
    out = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    if out.returncode:
        sys.stderr.write(out.stdout[-4000:] + out.stderr[-4000:])
        raise SystemExit(f"command failed: {' '.join(cmd)}")
    return time.perf_counter() - t0, out.stdout


def discover_targets(only: set[str]) -> list[tuple[str, Any]]:
    mods = []
    for path in sorted((BENCH / "targets").glob("*.py")):
        if path.stem.startswith("_") or (only and path.stem not in only):
            continue
        spec = importlib.util.spec_from_file_location(f"bench_targets_{path.stem}", path)
        assert spec and spec.loader
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        mods.append((path.stem, mod))
    return mods


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def demo_placeholders() -> dict[str, Any]:
    """{employee_id}, {unit_id}, … from the seeded demo (the demo users of Pemerintah Kota Medan)."""
    from people.models import Employee

    emps = {
        e.user.username: e
        for e in Employee.objects.select_related("user", "position").filter(user__username__in=ROLE_USERS.values())
    }
    admin, head, staff = (emps[ROLE_USERS[r]] for r in ("hr_admin", "head", "staff"))
    return {
        "agency_id": staff.agency_id,
        "admin_employee_id": admin.pk,
        "head_employee_id": head.pk,
        "staff_employee_id": staff.pk,
        "employee_id": staff.pk,
        "head_unit_id": head.unit_id,
        "unit_id": head.unit_id,
        "position_id": staff.position_id,
    }


def sessions() -> dict[str, str]:
    """Log each demo role in (a real session row, as the login page would create) and return its cookie."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    out = {}
    for role, username in ROLE_USERS.items():
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        out[role] = client.cookies["sessionid"].value
    return out


def count_queries(role: str, path: str) -> tuple[int, int]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(raise_request_exception=False)
    client.force_login(get_user_model().objects.get(username=ROLE_USERS[role]))
    try:
        client.get(path)  # warm caches (templates, content types)
        with CaptureQueriesContext(connection) as ctx:
            status = client.get(path).status_code
    except Exception:  # noqa: BLE001 - a broken page is reported, the run goes on
        return -1, 500
    return len(ctx.captured_queries), status


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_gunicorn(
    env: dict[str, str],
    port: int,
    workers: int,
    app: str = "asn_portal.wsgi:application",
    ready_path: str = "/akun/masuk/",
) -> subprocess.Popen[bytes]:
    gunicorn = str(Path(PY).parent / "gunicorn")
    proc = subprocess.Popen(
        [
            gunicorn,
            app,
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--access-logfile",
            "/dev/null",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", ready_path)
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    raise SystemExit("gunicorn did not start")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    """Stop gunicorn (on a loaded machine its workers may take longer than its graceful timeout)."""
    server.terminate()
    try:
        server.wait(30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(10)


def probe(url: str, cookie: str) -> tuple[int, bool]:
    """The status one GET of `url` gets from the server under test (wrk counts a redirect as a success, so a
    page that silently redirects to the login form would otherwise be measured as a fast page), and whether
    the answer is a download (`Content-Disposition: attachment`)."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    try:
        conn.request(
            "GET", parts.path + (f"?{parts.query}" if parts.query else ""), headers={"Cookie": f"sessionid={cookie}"}
        )
        response = conn.getresponse()
        response.read()
        disposition = response.getheader("Content-Disposition") or ""
        return response.status, disposition.lower().startswith("attachment")
    finally:
        conn.close()


DOWNLOAD_TARGET_S = 5.0  # a whole agency's download (e.g. 35,000 rows) complete within this, on an idle server


def load_download(url: str, cookie: str, seconds: float) -> dict[str, float]:
    """A download (an export) is not a page: it is measured by what its user waits for, one download at a
    time on one connection: time to the first byte and to the last, and the size. Repeated for `seconds`
    (at least twice); medians reported. Each download completes before the next starts, so nothing is left
    queued in the server for the next row's measurement."""
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    firsts: list[float] = []
    totals: list[float] = []
    size = errors = 0
    stop = time.perf_counter() + seconds
    while len(totals) < 2 or time.perf_counter() < stop:
        conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80, timeout=120)
        try:
            t0 = time.perf_counter()
            conn.request("GET", path, headers={"Cookie": f"sessionid={cookie}"})
            response = conn.getresponse()
            first = response.read(1)
            firsts.append(time.perf_counter() - t0)
            size = len(first) + len(response.read())
            totals.append(time.perf_counter() - t0)
            errors += response.status >= 400
        finally:
            conn.close()
    firsts.sort()
    totals.sort()
    return {
        "downloads": len(totals),
        "first_byte_ms": firsts[len(firsts) // 2] * 1000,
        "complete_s": totals[len(totals) // 2],
        "bytes": size,
        "mb_per_s": size / totals[len(totals) // 2] / 1e6,
        "errors": errors,
    }


def load_wrk(url: str, cookie: str, seconds: float, connections: int) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(WRK_LUA)
        script = f.name
    threads = min(2, connections)
    out = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{max(1, int(seconds))}s",
            "--timeout",
            "30s",
            "-s",
            script,
            "-H",
            f"Cookie: sessionid={cookie}",
            url,
        ],
        capture_output=True,
        text=True,
    )
    os.unlink(script)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out.stdout).group(1))  # type: ignore[union-attr]
    m = re.search(r"BENCH p50=(\d+) p95=(\d+) requests=(\d+) errors=(\d+)", out.stdout)
    assert m, out.stdout + out.stderr
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out.stdout)
    return {
        "rps": rps,
        "p50": int(m.group(1)) / 1000,
        "p95": int(m.group(2)) / 1000,
        "errors": int(m.group(4)) + (int(non2xx.group(1)) if non2xx else 0),
    }


def load_python(url: str, cookie: str, seconds: float, connections: int) -> dict[str, float]:
    """Fallback load generator: `connections` threads with keep-alive connections for `seconds`."""
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def worker() -> None:
        conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80, timeout=30)
        mine: list[float] = []
        while time.perf_counter() < stop:
            t0 = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Cookie": f"sessionid={cookie}"})
                resp = conn.getresponse()
                resp.read()
                if resp.status >= 400:
                    with lock:
                        errors[0] += 1
            except (OSError, http.client.HTTPException):
                with lock:
                    errors[0] += 1
                conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80, timeout=30)
                continue
            mine.append(time.perf_counter() - t0)
        with lock:
            latencies.extend(mine)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else 0.0

    return {"rps": len(latencies) / elapsed, "p50": pct(0.5), "p95": pct(0.95), "errors": errors[0]}


def _choose_tool(requested: str) -> str:
    if requested != "auto":
        return requested
    tool = "wrk" if shutil.which("wrk") else "python"
    if tool == "python":
        log("wrk not found (apt-get install -y wrk); using the threaded Python client")
    return tool


def _prepare_database(args: Any, env: dict[str, str], report: dict[str, Any]) -> None:
    """A fresh database, migrated and seeded (timings into the report), unless --reuse."""
    if args.reuse:
        return
    log(f"reset database {args.db}")
    reset_database(args)
    took, _ = run([PY, "manage.py", "migrate", "--noinput", "-v0"], env)
    report["setup"]["migrate_s"] = round(took, 1)
    log(f"migrate: {took:.1f} s; seeding {args.employees} employees")
    took, out = run([PY, "manage.py", "seed_demo", "--employees", str(args.employees), "--seed", str(args.seed)], env)
    report["setup"]["seed_s"] = round(took, 1)
    report["setup"]["seeders"] = {k: float(v) for k, v in re.findall(r"^\s+(\w+): ([\d.]+) s$", out, re.M)}
    log(f"seed: {took:.1f} s {report['setup']['seeders']}")
    run(
        [
            PY,
            "manage.py",
            "shell",
            "-c",
            "from django.db import connection; connection.cursor().execute('VACUUM ANALYZE')",
        ],
        env,
    )


def _clear_access_log_queue(args: Any, env: dict[str, str]) -> None:
    """Start with an empty access-log queue for this database (what a run with --no-jobs left is bench noise),
    so that the drain job measures this run's reads."""
    if not args.redis:
        return
    import redis

    try:
        redis.Redis.from_url(args.redis, socket_timeout=2).delete(env["ACCESS_LOG_REDIS_KEY"])
    except redis.RedisError as exc:
        log(f"Redis {args.redis} not reachable ({exc}): the access log writes every read at once")


def _page_list(targets: list[tuple[str, Any]], values: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    pages: list[tuple[str, str, str, str]] = [
        ("hr_admin", BARE_PAGE, "Baseline: halaman polos lewat middleware portal", "bench"),
        ("hr_admin", BARE_JSON, "Baseline: JSON polos", "bench"),
        ("staff", SHELL_PAGE, "Kerangka portal: halaman kosong (menu, notifikasi)", "shell"),
    ]
    for name, mod in targets:
        for role, path, label in getattr(mod, "PAGES", []):
            pages.append((role, path.format(**values), label, name))

    return pages


def _load_pages(
    args: Any,
    env: dict[str, str],
    port: int,
    tool: str,
    pages: list[tuple[str, str, str, str]],
    report: dict[str, Any],
) -> None:
    """Each page under load through gunicorn (requests/s, p50, p95, queries), the plain Django project, then
    each page's ratio to the bare page (or bare JSON for the API)."""
    cookies = sessions()
    log(f"gunicorn: {args.workers} workers on :{port}, {tool}, {args.seconds:g} s per page")
    server = start_gunicorn(env, port, args.workers)
    try:
        load = load_wrk if tool == "wrk" else load_python
        base = f"http://127.0.0.1:{port}"
        load(base + BARE_PAGE, cookies["hr_admin"], 1, args.connections)  # warm both workers
        for role, path, label, app in pages:
            queries, status = count_queries(role, path)
            served, download = probe(base + path, cookies[role])
            if served != status:
                log(f"{label}: gunicorn answered {served}, the test client {status}")
                status = served
            if download:
                dl = {"app": app, "role": role, "path": path, "label": label, "status": status, "queries": queries}
                dl.update({k: round(v, 4) for k, v in load_download(base + path, cookies[role], args.seconds).items()})
                report["downloads"].append(dl)
                log(f"{label:<40} download: first byte {dl['first_byte_ms']} ms, complete {dl['complete_s']} s")
                continue
            try:
                result = load(base + path, cookies[role], args.seconds, args.connections)
            except Exception as exc:  # noqa: BLE001 - report and continue
                log(f"{label}: load failed: {exc!r}")
                result = {"rps": 0.0, "p50": 0.0, "p95": 0.0, "errors": -1}
            row = {"app": app, "role": role, "path": path, "label": label, "status": status, "queries": queries}
            row.update({k: round(v, 1) for k, v in result.items()})
            report["pages"].append(row)
            log(f"{label:<40} {row['rps']:>7} req/s  p50 {row['p50']} ms  p95 {row['p95']} ms  {queries} q")
    finally:
        stop_server(server)
    report["pages"].append(measure_plain(args, env, cookies["hr_admin"], load))

    bare_page = next(r["rps"] for r in report["pages"] if r["path"] == BARE_PAGE)
    bare_json = next(r["rps"] for r in report["pages"] if r["path"] == BARE_JSON)
    plain = next((r["rps"] for r in report["pages"] if r["path"] == PLAIN_PAGE), 0)
    report["shell_ratio"] = round(bare_page / plain, 2) if plain else None
    for r in report["pages"]:
        if r["path"] == PLAIN_PAGE:
            r["ratio"] = round(plain / bare_page, 2) if bare_page else None
            continue
        baseline = bare_json if r["path"].startswith("/api/") or r["path"] == BARE_JSON else bare_page
        r["ratio"] = round(r["rps"] / baseline, 2) if baseline else None


def _run_jobs(targets: list[tuple[str, Any]], report: dict[str, Any]) -> None:
    for name, mod in targets:
        for label, dotted in getattr(mod, "JOBS", []):
            module, _, attr = dotted.rpartition(".")
            fn = getattr(importlib.import_module(module), attr)
            t0 = time.perf_counter()
            try:
                detail = fn()
                error = ""
            except Exception as exc:  # noqa: BLE001 - a failing job is reported, not fatal
                detail, error = None, repr(exc)
            took = time.perf_counter() - t0
            report["jobs"].append(
                {
                    "app": name,
                    "label": label,
                    "job": dotted,
                    "seconds": round(took, 2),
                    "detail": detail,
                    "error": error,
                }
            )
            log(f"job {label}: {took:.2f} s {error}")


def _write(report: dict[str, Any]) -> None:
    table = render(report)
    print(table)
    RESULTS.mkdir(exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    (RESULTS / f"bench-{stamp}.md").write_text(table)
    (RESULTS / f"bench-{stamp}.json").write_text(json.dumps(report, indent=2, default=str))
    log(f"written to bench/results/bench-{stamp}.md")


def main() -> None:
    args = parse_args()
    port = args.port or free_port()
    env = bench_env(args, port)
    only = {m for m in args.only.split(",") if m}
    tool = _choose_tool(args.tool)
    report: dict[str, Any] = {
        "started": dt.datetime.now().isoformat(timespec="seconds"),
        "employees": args.employees,
        "seconds": args.seconds,
        "connections": args.connections,
        "workers": args.workers,
        "tool": tool,
        "setup": {},
        "pages": [],
        "downloads": [],
        "jobs": [],
    }
    _prepare_database(args, env, report)
    _clear_access_log_queue(args, env)
    run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], env)

    setup_django(env)
    targets = discover_targets(only)
    values = demo_placeholders()
    for _name, mod in targets:
        extra = getattr(mod, "placeholders", None)
        if callable(extra):
            values.update(extra())
    _load_pages(args, env, port, tool, _page_list(targets, values), report)
    if not args.no_jobs:
        _run_jobs(targets, report)
    _write(report)


def measure_plain(args: argparse.Namespace, env: dict[str, str], cookie: str, load: Any) -> dict[str, Any]:
    """The same 50 joined rows behind login in a plain Django project (bench/plain: startproject's middleware,
    same database, same session row), served by its own gunicorn with the same workers right after the portal:
    the portal's bare page must reach ≥ 85 % of it (issue #13)."""
    port = free_port()
    plain_env = {**env, "DJANGO_SETTINGS_MODULE": "bench.plain.settings"}
    server = start_gunicorn(plain_env, port, args.workers, "bench.plain.wsgi:application", "/ready/")
    try:
        url = f"http://127.0.0.1:{port}{PLAIN_PAGE}"
        status, _download = probe(url, cookie)
        if status != 200:
            raise SystemExit(f"the plain Django baseline answered {status}, not 200: its figure would be meaningless")
        load(url, cookie, 1, args.connections)  # warm both workers
        result = load(url, cookie, args.seconds, args.connections)
    finally:
        stop_server(server)
    row: dict[str, Any] = {"app": "bench", "role": "hr_admin", "path": PLAIN_PAGE, "status": 200, "queries": 3}
    row["label"] = "Baseline: proyek Django polos (startproject)"
    row.update({k: round(v, 1) for k, v in result.items()})
    log(f"{row['label']:<40} {row['rps']:>7} req/s  p50 {row['p50']} ms  p95 {row['p95']} ms")
    return row


def render(report: dict[str, Any]) -> str:
    lines = [
        f"# Benchmark {report['started']}",
        "",
        f"{report['employees']} employees · gunicorn {report['workers']} workers · {report['tool']} "
        f"{report['connections']} connections · {report['seconds']:g} s per page",
        "",
    ]
    setup = report["setup"]
    if setup:
        seeders = ", ".join(f"{k} {v:.1f} s" for k, v in setup.get("seeders", {}).items())
        lines += [f"Seeding: {setup.get('seed_s')} s ({seeders}); migrate {setup.get('migrate_s')} s", ""]
    if report.get("shell_ratio") is not None:
        flag = "" if report["shell_ratio"] >= 0.85 else " ⚠"
        lines += [
            f"Bare page through the portal's middleware vs a plain Django project: "
            f"{report['shell_ratio'] * 100:.0f}% (target ≥ 85 %){flag}",
            "",
        ]
    lines += [
        "| app | role | page | status | req/s | p50 ms | p95 ms | errors | SQL | vs bare |",
        "|---|---|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in report["pages"]:
        ratio = f"{r['ratio'] * 100:.0f}%" if r.get("ratio") is not None else "–"
        flag = "" if r["app"] == "bench" or (r.get("ratio") or 0) >= 0.5 else " ⚠"
        lines.append(
            f"| {r['app']} | {r['role']} | {r['label']} (`{r['path']}`) | {r['status']} | {r['rps']} | "
            f"{r['p50']} | {r['p95']} | {r.get('errors', 0):g} | {r['queries']} | {ratio}{flag} |"
        )
    if report.get("downloads"):
        lines += [
            "",
            f"Downloads (a response with `Content-Disposition: attachment`), one at a time on one connection: what "
            f"the user waits for (target: complete ≤ {DOWNLOAD_TARGET_S:g} s).",
            "",
            "| app | role | download | status | first byte ms | complete s | MB | MB/s | errors | SQL |",
            "|---|---|---|---|---:|---:|---:|---:|---:|---:|",
        ]
        for d in report["downloads"]:
            flag = "" if d["complete_s"] <= DOWNLOAD_TARGET_S else " ⚠"
            lines.append(  # small files: three significant digits, not 0.0
                f"| {d['app']} | {d['role']} | {d['label']} (`{d['path']}`) | {d['status']} | "
                f"{d['first_byte_ms']:.3g} | {d['complete_s']:.3g}{flag} | {d['bytes'] / 1e6:.3g} | "
                f"{d['mb_per_s']:.3g} | {d['errors']:g} | {d['queries']} |"
            )
    if report["jobs"]:
        lines += ["", "| app | job | wall s | detail |", "|---|---|---:|---|"]
        for j in report["jobs"]:
            detail = j["error"] or json.dumps(j["detail"], default=str)
            lines.append(f"| {j['app']} | {j['label']} (`{j['job']}`) | {j['seconds']} | {detail} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
