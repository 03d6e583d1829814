"""Real Celery workers for the worker tests, started and cleaned up so that no test inherits anything.

Why the worker tests used to flake under CI load (two cores, a browser test and another pytest beside them):
- deadlines were counted from `Popen`, so the seconds a loaded machine spends importing Django and every app
  counted against "redelivered within 30 s"; here every deadline starts when the worker logs "ready";
- the worker's output went to a pipe nobody read: a worker that writes more than the pipe holds (64 KB of
  warnings, tracebacks, a "restoring unacknowledged messages" storm) blocks on `write()` and never runs the
  task; here it goes to a file, shown when a test fails;
- a worker that did not finish its warm shutdown within `wait(timeout=20)` raised in `finally` and was left
  running, consuming the next test's messages from the same queue; here every worker started is stopped,
  killed if it does not stop, and reaped;
- a killed worker's PostgreSQL session outlives it while it waits on a lock (PostgreSQL notices the closed
  socket only when it next writes), holding its locks into the next test's flush; here such sessions are
  terminated;
- both tests shared one Redis database and queue ("celery") and only the first flushed it, so a message or an
  unacknowledged delivery left by one was run by the next test's worker; here each test has its own queue and
  removes only its own keys afterwards: a FLUSHDB (as this harness did before) emptied the broker under a
  worker test running at the same time (seen: a killed delivery, the queue's bindings and the live worker's
  own keys all gone mid-test).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg2
import pytest
import redis
from celery import Celery
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_BROKER = "redis://127.0.0.1:6379/14"
READY_SECONDS = 180  # starting a worker on a loaded two-core machine; not what the tests measure


def dsn() -> dict[str, Any]:
    db = connection.settings_dict
    return {
        "host": db["HOST"] or "127.0.0.1",
        "port": db["PORT"] or 5432,
        "user": db["USER"] or "postgres",
        "dbname": db["NAME"],
    }


@dataclass
class Worker:
    process: subprocess.Popen[bytes]
    log: Path
    _handle: Any

    def output(self) -> str:
        self._handle.flush()
        return self.log.read_text(errors="replace")[-20000:]

    def wait_ready(self) -> float:
        """Block until the worker consumes (its "ready" line); returns the monotonic time it was ready."""
        deadline = time.monotonic() + READY_SECONDS
        while time.monotonic() < deadline:
            if " ready." in self.log.read_text(errors="replace"):
                return time.monotonic()
            if self.process.poll() is not None:
                pytest.fail(f"the worker exited with {self.process.returncode}:\n{self.output()}")
            time.sleep(0.2)
        pytest.fail(f"the worker was not ready within {READY_SECONDS} s:\n{self.output()}")

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        self.process.wait(timeout=30)
        self._handle.close()


@dataclass
class WorkerHarness:
    broker: str
    queue: str
    env: dict[str, str]
    tmp: Path
    workers: list[Worker] = field(default_factory=list)

    def start(self, **extra_env: str) -> Worker:
        log = self.tmp / f"worker-{len(self.workers) + 1}.log"
        handle = log.open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "asn_portal", "worker", "--pool=solo", "-l", "info",
             "-Q", self.queue, "--without-gossip", "--without-mingle", "--without-heartbeat",
             "-n", f"{self.queue}-{len(self.workers) + 1}@%h"],
            cwd=ROOT, env={**self.env, **extra_env}, stdout=handle, stderr=subprocess.STDOUT,
        )  # fmt: skip
        worker = Worker(process, log, handle)
        self.workers.append(worker)
        return worker

    def send(self, task: str, **kwargs: Any) -> None:
        # Not the current app: the portal's tasks (shared_task) run on the current app, and this bare one (not
        # eager, no result backend) would stay current for every later test in this process.
        sender = Celery(broker=self.broker, set_as_current=False)
        sender.conf.task_serializer = "json"
        try:
            sender.send_task(task, kwargs=kwargs, queue=self.queue)
        finally:
            sender.close()

    def poll(self, condition: Callable[[], bool], seconds: float) -> bool:
        """Poll `condition` for up to `seconds`; True as soon as it holds."""
        started = time.monotonic()
        while time.monotonic() - started < seconds:
            if condition():
                return True
            time.sleep(0.2)
        return False

    def broker_state(self) -> dict[str, int]:
        """What the broker holds for this test: deliveries not yet acknowledged, messages waiting in the queue,
        and whether a sweep's lock is held (a worker killed during its sweep leaves it for 5 minutes)."""
        client = redis.Redis.from_url(self.broker)
        try:
            return {
                "unacked": len(self._unacked(client)),
                "queued": int(client.llen(self.queue)),
                "sweep_lock": int(client.exists("unacked_mutex")),
            }
        finally:
            client.close()

    def restore_unacked(self) -> int:
        """Do what every worker's sweep does (kombu's `QoS.restore_visible`), without kombu's routing lookup:
        each unacknowledged delivery goes back to this test's queue and leaves the unacknowledged index, in one
        transaction. (kombu's own sweep in a fresh process routes by the exchange's binding table; when that
        lookup comes back empty the message goes to the dead-letter list "ae.undeliver", which is not what is
        tested here.) Returns how many deliveries were put back."""
        client = redis.Redis.from_url(self.broker)
        restored = 0
        try:
            for tag, payload in self._unacked(client).items():
                payload.setdefault("headers", {})["redelivered"] = True
                with client.pipeline() as pipe:
                    pipe.multi()
                    pipe.rpush(self.queue, json.dumps(payload))
                    pipe.zrem("unacked_index", tag)
                    pipe.hdel("unacked", tag)
                    pipe.execute()
                restored += 1
        finally:
            client.close()
        return restored

    def _unacked(self, client: redis.Redis) -> dict[bytes, dict[str, Any]]:
        """This test's deliveries not yet acknowledged (the broker's "unacked" hash is shared by every queue)."""
        found = {}
        for tag, raw in client.hgetall("unacked").items():
            payload, exchange, routing_key = json.loads(raw)
            if self.queue in (exchange, routing_key):
                found[tag] = payload
        return found

    def broker_keys(self) -> dict[str, str]:
        """Every key in the broker's database with its type and size: where a delivery went, when a test fails."""
        client = redis.Redis.from_url(self.broker)
        try:
            found = {}
            for key in client.scan_iter(count=1000):
                kind = client.type(key).decode()
                size = {"list": client.llen, "zset": client.zcard, "hash": client.hlen, "set": client.scard}.get(kind)
                found[key.decode(errors="replace")] = f"{kind}:{size(key) if size else '-'}"
            return found
        finally:
            client.close()

    def wait(
        self,
        condition: Callable[[], bool],
        seconds: float,
        what: str,
        worker: Worker,
        detail: Callable[[], str] = lambda: "",
    ) -> float:
        """Poll `condition` for up to `seconds`; returns how long it took, or fails with `detail()` (the state
        at the deadline) and the worker's log."""
        started = time.monotonic()
        while time.monotonic() - started < seconds:
            if condition():
                return time.monotonic() - started
            time.sleep(0.2)
        pytest.fail(f"{what} within {seconds} s {detail()}; worker output:\n{worker.output()}")

    def release_dead_sweep_lock(self) -> None:
        """A worker killed while it swept unacknowledged deliveries leaves kombu's sweep lock for its expiry (5
        minutes), and every other worker's sweep skips until then: the dead worker's lock is removed."""
        client = redis.Redis.from_url(self.broker)
        try:
            client.delete("unacked_mutex")
        finally:
            client.close()

    def end_dead_sessions(self, keep: tuple[int, ...] = ()) -> int:
        """Terminate every other session on the test database (a killed worker's, still waiting on a lock)."""
        with psycopg2.connect(**{**dsn(), "dbname": "postgres"}) as admin, admin.cursor() as cur:
            cur.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid() AND NOT (pid = ANY(%s))",
                [dsn()["dbname"], [connection.connection.info.backend_pid if connection.connection else 0, *keep]],
            )
            return cur.rowcount


def _forget(broker: str, queue: str) -> None:
    """Remove what this test left in the broker: its queue (and kombu's priority lists of it), its binding
    tables, and its unacknowledged deliveries. Nothing else: the broker database is shared, and flushing it
    (as this harness once did) wiped a concurrently running test's delivery, bindings and all."""
    client = redis.Redis.from_url(broker)
    try:
        mine = list(client.scan_iter(match=f"*{queue}*", count=1000))
        if mine:
            client.delete(*mine)
        for tag, raw in client.hgetall("unacked").items():
            _payload, exchange, routing_key = json.loads(raw)
            if queue in (exchange, routing_key):
                client.zrem("unacked_index", tag)
                client.hdel("unacked", tag)
    finally:
        client.close()


@pytest.fixture
def worker_harness(tmp_path: Path) -> Iterator[WorkerHarness]:
    broker = os.environ.get("CELERY_TEST_BROKER_URL", DEFAULT_BROKER)
    db = dsn()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "asn_portal.settings.local",
        "DATABASE_URL": f"postgres://{db['user']}@{db['host']}:{db['port']}/{db['dbname']}",
        "CELERY_BROKER_URL": broker,
        "DEBUG": "0",
        "SECRET_KEY": "worker-test-secret-key-0123456789",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("CELERY_VISIBILITY_TIMEOUT", None)
    harness = WorkerHarness(broker=broker, queue=f"test-{uuid.uuid4().hex[:12]}", env=env, tmp=tmp_path)
    try:
        yield harness
    finally:
        for worker in harness.workers:
            worker.stop()
        harness.end_dead_sessions()
        _forget(broker, harness.queue)
