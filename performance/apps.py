"""Results-based performance appraisal (SKP) per PermenPANRB 6/2022."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PerformanceConfig(AppConfig):
    name = "performance"
    label = "performance"
    verbose_name = _("Kinerja (SKP)")

    def ready(self) -> None:
        from . import personal_data

        personal_data.register()  # sections of an employee's copy of their data (issue #16)
        from .calibration import summaries

        summaries.register()  # summary rows of the calibration distribution (issue #13)
        from .reports import summaries as statistics_summaries

        statistics_summaries.register()  # summary rows of the SKP statistics and the admin's home card (issue #13)
        post_migrate.connect(_fill_statistics, sender=self)
        from asn_portal import registry
        from asn_portal.registry import HEAD, HR_ADMIN, STAFF, NavItem, Panel, Seeder

        from . import cards
        from .demo import seed_performance
        from .evaluation import selectors as evaluation_selectors

        staff = frozenset({STAFF})
        heads = frozenset({HEAD})
        admins = frozenset({HR_ADMIN})
        registry.register_nav(
            NavItem(_("SKP Saya"), "performance:my-skp", "clipboard-check", staff, order=35, group="me")
        )
        registry.register_nav(
            NavItem(_("Kotak masuk SKP"), "performance:inbox", "inbox", heads, order=36, group="team")
        )
        registry.register_nav(
            NavItem(_("Kinerja instansi"), "performance:statistics", "graph-up", admins, order=60, group="agency")
        )
        registry.register_home_card(Panel("performance.staff", "performance/cards/staff.html", cards.staff_card, 30))
        registry.register_home_card(Panel("performance.head", "performance/cards/head.html", cards.head_card, 31))
        registry.register_home_card(Panel("performance.admin", "performance/cards/admin.html", cards.admin_card, 32))
        registry.register_profile_panel(
            Panel("performance.history", "performance/cards/profile.html", cards.profile_panel, 30)
        )
        registry.register_timeline_source(cards.timeline)
        # the predikat the SKP source lists comes in the timeline's own round trip (issue #13)
        registry.register_timeline_read(evaluation_selectors.PREDIKAT_KEY, evaluation_selectors.PREDIKAT_ROWS)
        registry.register_seeder(Seeder(key="performance", run=seed_performance, order=30, needs=("people",)))
        registry.register_stale_sweep("performance.predikat_imports", _predikat_imports_fail_stale)


def _predikat_imports_fail_stale() -> int:
    from .history.services import imports_fail_stale

    return imports_fail_stale()


def _fill_statistics(using: str = "default", **_kwargs: object) -> None:
    """The SKP statistics rows computed for agencies that have SKPs but never had them computed (once, after
    the migration that adds them)."""
    from .reports.summaries import fill_if_empty

    if using == "default":
        fill_if_empty()
