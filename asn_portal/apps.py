from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AsnPortalConfig(AppConfig):
    name = "asn_portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from . import registry, schema  # noqa: F401 - schema registers the OpenAPI token scheme

        registry.register_quick_job("asn_portal.tasks.heartbeat")
        # The demo's last step: every summary computed once for the seeded agencies, so pages show figures.
        registry.register_seeder(registry.Seeder(key="summaries", run=_seed_summaries, order=1000))
        _name_the_length_limit()
        from . import api_serializers

        api_serializers.install()  # DRF's per-request field building and time zone look-ups, cut (issue #13)
        _reset_replica_routing_per_task()
        from django.db.models.signals import post_migrate

        post_migrate.connect(_fill_summary_figures, sender=self)

        registry.register_nav(registry.NavItem(label=_("Beranda"), url_name="home", icon="house", roles=None, order=0))
        registry.register_nav(
            registry.NavItem(
                label=_("Pekerjaan terjadwal"),
                url_name="jobs",
                icon="clock-history",
                roles=frozenset({registry.HR_ADMIN}),
                order=900,
                group="agency",
            )
        )


def _seed_summaries(ctx: Any) -> None:
    """Every summary kind of every agency, once, after all the data is in (the seeders' own writes do not
    refresh them): independent set-based refreshes, two at a time when the seed owns its connection."""
    import functools

    from django.db import connection

    from . import summaries
    from .demo import in_parallel

    # Statistics for the tables just filled first: without them the planner takes the fresh tables for empty
    # (a correlated subquery run per employee, seconds per agency instead of a fraction of one).
    # This database's own tables only: a bare ANALYZE also locks the server's shared catalogs (pg_authid,
    # pg_database, ...) until the transaction ends, so a seed held open in a transaction (a test module's seeded
    # world) made every other database's ANALYZE on the server wait for it (the other xdist worker's seed).
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(name) for name in tables))

    pairs = [(kind, agency_id) for agency_id in ctx.data.get("agencies", []) for kind in summaries.kinds()]
    in_parallel([functools.partial(summaries.refresh, kind, a) for kind, a in pairs], parallel=ctx.parallel)


def _fill_summary_figures(using: str = "default", **_kwargs: object) -> None:
    """Agencies whose summaries were computed before their refreshers returned the admin cards' figures get
    them once after migrate (`summaries.fill_missing_figures`; nothing to do on a fresh database)."""
    from . import summaries

    if using == "default":
        summaries.fill_missing_figures()


def _name_the_length_limit() -> None:
    """Too-long text is refused with the limit named, the same words on every page and API field
    (forms and models use Django's MaxLengthValidator; serializers use DRF's CharField message)."""
    from django.core import validators
    from django.utils.translation import ngettext_lazy
    from rest_framework import fields

    validators.MaxLengthValidator.message = ngettext_lazy(
        "Maksimal %(limit_value)d karakter (sekarang %(show_value)d).",
        "Maksimal %(limit_value)d karakter (sekarang %(show_value)d).",
        "limit_value",
    )
    fields.CharField.default_error_messages["max_length"] = _("Maksimal {max_length} karakter.")


def _reset_replica_routing_per_task() -> None:
    """A worker process runs task after task: each starts unpinned (read-your-writes is per task)."""
    from celery.signals import task_prerun

    from . import dbrouter

    if dbrouter.replica_configured():
        task_prerun.connect(_reset_routing, weak=False, dispatch_uid="asn_replica_reset")


def _reset_routing(**kwargs: object) -> None:
    from . import dbrouter

    dbrouter.reset()
