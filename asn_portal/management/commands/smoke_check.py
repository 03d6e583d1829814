"""Smoke check of a seeded database: one user per role opens home and every menu page (HTTP 200)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.test import Client
from django.urls import reverse

from asn_portal import registry


class Command(BaseCommand):
    help = "Log in as one user of each role and check that home and the role's menu pages answer 200."

    def handle(self, *args: Any, **options: Any) -> None:
        wanted = [registry.HR_ADMIN, registry.HEAD, registry.STAFF]
        found: dict[str, Any] = {}
        for user in get_user_model().objects.filter(is_superuser=False, is_active=True).order_by("pk")[:2000]:
            roles = registry.roles_of(user)
            for role in wanted:
                if role in roles and role not in found and (role != registry.STAFF or len(roles) == 1):
                    found[role] = user
            if len(found) == len(wanted):
                break
        missing = [r for r in wanted if r not in found]
        if missing:
            raise CommandError(f"No demo user found for role(s): {', '.join(missing)}")
        failures = []
        for role, user in found.items():
            client = Client()
            client.force_login(user)
            urls = ["/"] + [reverse(item.url_name) for item in registry.nav_for(user)]
            for url in urls:
                response = client.get(url, HTTP_HOST="127.0.0.1")
                status = response.status_code
                self.stdout.write(f"  {role:<9} {user.username:<28} {url:<40} {status}")
                if status != 200:
                    failures.append(f"{role} {url} -> {status}")
        if failures:
            raise CommandError("Smoke check failed: " + "; ".join(failures))
        self.stdout.write(self.style.SUCCESS("Smoke check: every role's pages answer 200."))
