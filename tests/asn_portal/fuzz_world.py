"""The world both fuzzers run against: the deterministic demo data (every app's records, two agencies)
and one login per role. Seeding takes about two seconds on PostgreSQL."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management import call_command

# Role -> demo username (asn_portal/demo.py and each app's seeder create them).
ROLE_USERNAMES = {
    "staff": "demo.pegawai.medan",
    "head": "demo.kepala.medan",
    "admin": "demo.admin.medan",
    "superuser": "demo.superadmin",
}
ROLES = tuple(ROLE_USERNAMES)


def seed_world() -> None:
    call_command("seed_demo", employees=40, seed=3, verbosity=0, stdout=_Null(), stderr=_Null())


def user_for(role: str) -> Any:
    return get_user_model().objects.get(username=ROLE_USERNAMES[role])


class _Null:
    def write(self, *_: Any) -> None:
        pass

    def flush(self) -> None:
        pass
