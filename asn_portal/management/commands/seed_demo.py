"""Build deterministic demo data: every app's registered seeder runs in layer order."""

from __future__ import annotations

import datetime as dt
import random
import time
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from asn_portal import summaries
from asn_portal.demo import DEMO_PASSWORD, DemoContext
from asn_portal.registry import registry


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
        )
        if options["if_empty"] and get_user_model().objects.exists():
            self.stdout.write("Data sudah ada; demo tidak dibuat ulang.")
            self._print_logins(self._existing_logins())
            return
        only = {k for k in options["only"].split(",") if k}
        started = time.perf_counter()
        for seeder in registry.seeders:
            if only and seeder.key not in only:
                continue
            t0 = time.perf_counter()
            with transaction.atomic():
                seeder.run(ctx)
            ctx.timings[seeder.key] = time.perf_counter() - t0
            if ctx.verbosity:
                self.stdout.write(f"  {seeder.key}: {ctx.timings[seeder.key]:.1f} s")
        t0 = time.perf_counter()
        # Last step, once: every report's summary rows computed over the seeded agencies (issue #13).
        summaries.refresh_all(apps.get_model("people", "Agency").objects.order_by("pk").values_list("pk", flat=True))
        ctx.timings["summaries"] = time.perf_counter() - t0
        if ctx.verbosity:
            self.stdout.write(f"  summaries: {ctx.timings['summaries']:.1f} s")
        self.stdout.write(self.style.SUCCESS(f"Demo data siap dalam {time.perf_counter() - started:.1f} s."))
        self._print_logins(ctx.logins)

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
