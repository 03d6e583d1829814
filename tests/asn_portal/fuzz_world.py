"""The world both fuzzers run against: the deterministic demo data (every app's records, two agencies)
and one login per role. Seeding takes about two seconds on PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

T = TypeVar("T")

# Role -> demo username (asn_portal/demo.py and each app's seeder create them).
ROLE_USERNAMES = {
    "staff": "demo.pegawai.medan",
    "head": "demo.kepala.medan",
    "admin": "demo.admin.medan",
    "superuser": "demo.superadmin",
}
ROLES = tuple(ROLE_USERNAMES)


def seed_world() -> None:
    _reload_reference_data()
    call_command("seed_demo", employees=40, seed=3, verbosity=0, stdout=_Null(), stderr=_Null())


def _reload_reference_data() -> None:
    """The rows the data migrations seed (ranks, competencies, SKP and career defaults, promotion periods):
    a transactional test elsewhere on the same worker flushes them, and the demo seeders need them."""
    from careers.defaults import ensure_all as ensure_career_defaults
    from people.models import Rank
    from people.ranks import ensure_ranks
    from performance.loaders import ensure_all as ensure_performance_data
    from tests.competencies.factories import national
    from tests.promotions.factories import reference_data as promotion_reference_data
    from training.defaults import ensure_defaults as ensure_training_defaults

    ensure_ranks(Rank)
    national()
    ensure_performance_data()
    ensure_career_defaults()
    ensure_training_defaults()
    promotion_reference_data()


def user_for(role: str) -> Any:
    return get_user_model().objects.get(username=ROLE_USERNAMES[role])


def in_own_transaction(request: Callable[[], T]) -> tuple[T | None, str | None]:
    """Run one request as production would: in its own transaction, so a refused write cannot poison the
    next request, with deferred constraints (foreign keys) checked as COMMIT would check them.
    Returns (response, None), or (response, why COMMIT would have failed: a server error in production)."""
    response: T | None = None
    try:
        with transaction.atomic():
            response = request()
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    except IntegrityError as exc:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        return response, str(exc).splitlines()[0]
    return response, None


class _Null:
    def write(self, *_: Any) -> None:
        pass

    def flush(self) -> None:
        pass
