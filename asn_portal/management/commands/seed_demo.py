"""Build deterministic demo data: every app's registered seeder runs in layer order."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import random
import time
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from asn_portal import summaries
from asn_portal.demo import (
    DEMO_PASSWORD,
    DemoContext,
    as_ready,
    foreign_key_violations,
    foreign_keys_checked_at_the_end,
)
from asn_portal.registry import Seeder, registry


def _prerequisites(seeders: list[Seeder]) -> dict[str, frozenset[str]]:
    """What each seeder waits for: the seeders it names in `needs` (those in this run), or every earlier one
    when it names none."""
    keys = [s.key for s in seeders]
    return {
        s.key: frozenset(keys[:i]) if s.needs is None else frozenset(s.needs) & frozenset(keys)
        for i, s in enumerate(seeders)
    }


class Command(BaseCommand):
    help = "Seed realistic demo data (agencies, people and every app's records) and print one login per role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--employees", type=int, default=300, help="number of employees (all agencies)")
        parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same data)")
        parser.add_argument("--if-empty", action="store_true", help="do nothing if users already exist")
        parser.add_argument("--today", type=str, default="", help="pretend today is YYYY-MM-DD")
        parser.add_argument("--only", type=str, default="", help="comma-separated seeder keys to run")

    def handle(self, *args: Any, **options: Any) -> None:
        today = dt.date.fromisoformat(options["today"]) if options["today"] else timezone.localdate()
        ctx = DemoContext(
            employees=options["employees"],
            seed=options["seed"],
            today=today,
            rng=random.Random(options["seed"]),
            verbosity=options["verbosity"],
            parallel=not connection.in_atomic_block,  # a caller's transaction (tests): one connection only
        )
        if options["if_empty"] and get_user_model().objects.exists():
            self.stdout.write("Data sudah ada; demo tidak dibuat ulang.")
            self._print_logins(self._existing_logins())
            return
        only = {k for k in options["only"].split(",") if k}
        started = time.perf_counter()
        # Demo data is rebuilt rather than recovered: its commits need not wait for the WAL flush.
        session = ["SET synchronous_commit TO OFF"]
        with connection.cursor() as cursor:
            cursor.execute(session[0])
        try:
            with foreign_keys_checked_at_the_end() as deferred, summaries.deferred():
                session += ["SET session_replication_role = replica"] if deferred else []
                self._run_seeders(ctx, only, session)
            if deferred:
                self._check_foreign_keys(ctx)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")
        self.stdout.write(self.style.SUCCESS(f"Demo data siap dalam {time.perf_counter() - started:.1f} s."))
        self._print_logins(ctx.logins)

    def _run_seeders(self, ctx: DemoContext, only: set[str], session: list[str]) -> None:
        """Seeders in layer order; when the seed owns its connection, two run at once on their own connections
        (each with this session's settings), a seeder starting as soon as the seeders it needs
        (Seeder.needs) are done."""
        seeders = [s for s in registry.seeders if not only or s.key in only]
        after = _prerequisites(seeders)
        steps = [(s.key, after[s.key], functools.partial(self._run_one, ctx, s, session)) for s in seeders]
        as_ready(steps, parallel=ctx.parallel)

    def _run_one(self, ctx: DemoContext, seeder: Seeder, session: list[str]) -> None:
        if seeder.needs is not None:  # its own random stream: the same data alone or alongside another seeder
            ctx = dataclasses.replace(ctx, rng=random.Random(f"{ctx.seed}:{seeder.key}"))
        t0 = time.perf_counter()
        with connection.cursor() as cursor:  # a no-op on this connection; a second one needs them too
            for statement in session:
                cursor.execute(statement)
        with transaction.atomic():
            seeder.run(ctx)
        ctx.timings[seeder.key] = time.perf_counter() - t0
        if ctx.verbosity:
            self.stdout.write(f"  {seeder.key}: {ctx.timings[seeder.key]:.1f} s")

    def _check_foreign_keys(self, ctx: DemoContext) -> None:
        t0 = time.perf_counter()
        broken = foreign_key_violations(parallel=ctx.parallel)
        if broken:
            raise CommandError("Data demo merujuk ke baris yang tidak ada: " + "; ".join(broken))
        ctx.timings["foreign_keys"] = time.perf_counter() - t0
        if ctx.verbosity:
            self.stdout.write(f"  foreign_keys: {ctx.timings['foreign_keys']:.1f} s")

    def _existing_logins(self) -> list[tuple[str, str, str]]:
        from asn_portal.models import JobRun  # noqa: F401  (keeps import graph inside asn_portal)

        User = get_user_model()
        return [
            (str(u.first_name or "Akun"), u.username, "") for u in User.objects.filter(username__startswith="demo.")
        ]

    def _print_logins(self, logins: list[tuple[str, str, str]]) -> None:
        if not logins:
            return
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(f"Login demo (kata sandi untuk semua: {DEMO_PASSWORD})"))
        for role, username, note in logins:
            self.stdout.write(f"  {role:<22} {username:<28} {note}")
        self.stdout.write("  Buka http://127.0.0.1:8000/")
