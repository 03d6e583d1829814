from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PromotionsConfig(AppConfig):
    name = "promotions"
    label = "promotions"
    verbose_name = _("Kenaikan pangkat & promosi")

    def ready(self) -> None:
        from . import personal_data

        personal_data.register()  # sections of an employee's copy of their data (issue #16)
        from . import reference

        reference.connect_signals()  # an edited rank ladder, cap, threshold or rule set is read again
        from asn_portal import registry

        from . import panels
        from .demo import seed_promotions
        from .queue import services as queue_services

        # One menu entry per role (the index sends each role to its own page) keeps the shared navbar short.
        registry.register_nav(
            registry.NavItem(
                _("Kenaikan pangkat"),
                "promotions:index",
                "arrow-up-circle",
                frozenset({registry.STAFF, registry.HEAD, registry.HR_ADMIN}),
                order=60,
                group="promotion",
            )
        )
        registry.register_nav(
            registry.NavItem(
                _("Promosi jabatan"),
                "promotions:vacancy-list",
                "award",
                frozenset({registry.COMMITTEE}),
                order=61,
                group="promotion",
            )
        )
        registry.register_home_card(
            registry.Panel("promotions-outlook", "promotions/cards/outlook.html", panels.home_outlook, order=60)
        )
        registry.register_home_card(
            registry.Panel("promotions-bkd", "promotions/cards/bkd.html", panels.home_bkd, order=61)
        )
        registry.register_profile_panel(
            registry.Panel("promotions-outlook", "promotions/panels/outlook.html", panels.profile_outlook, order=60)
        )
        registry.register_timeline_source(panels.timeline)
        registry.register_timeline_read(panels.PROPOSALS_KEY, panels._PROPOSALS)
        registry.register_seeder(registry.Seeder(key="promotions", run=seed_promotions, order=60))
        registry.register_job_part(queue_services.OPEN_QUEUES_JOB, queue_services.queue_build_part)
        registry.register_agency_job("promotions.tasks.build_open_queues")
