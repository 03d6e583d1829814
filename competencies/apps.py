from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompetenciesConfig(AppConfig):
    name = "competencies"
    label = "competencies"
    verbose_name = _("Kompetensi")

    def ready(self) -> None:
        from . import personal_data

        personal_data.register()  # sections of an employee's copy of their data (issue #16)
        from . import summaries

        summaries.register()  # summary rows of the agency analytics (issue #13)
        from asn_portal import registry

        from . import cards, services
        from .demo import seed_competencies

        registry.register_seeder(
            registry.Seeder(key="competencies", run=seed_competencies, order=20, needs=("people",))
        )
        registry.register_agency_job("competencies.tasks.jpm_recompute_all")
        registry.register_job_part(services.JPM_JOB, services.jpm_recompute_range)
        registry.register_stale_sweep("competencies.imports", _imports_fail_stale)
        staff = frozenset({registry.STAFF})
        heads = frozenset({registry.HEAD})
        admins = frozenset({registry.HR_ADMIN})
        registry.register_nav(
            registry.NavItem(_("Kompetensi Saya"), "competencies:me", "bullseye", staff, order=30, group="me")
        )
        registry.register_nav(
            registry.NavItem(_("Peta Kompetensi Tim"), "competencies:team", "grid-3x3", heads, order=31, group="team")
        )
        registry.register_nav(
            registry.NavItem(_("Kompetensi"), "competencies:analytics", "bar-chart", admins, order=32, group="agency")
        )
        registry.register_home_card(
            registry.Panel("competencies.staff", "competencies/cards/staff.html", cards.staff_card, 30)
        )
        registry.register_home_card(
            registry.Panel("competencies.head", "competencies/cards/head.html", cards.head_card, 31)
        )
        registry.register_home_card(
            registry.Panel("competencies.admin", "competencies/cards/admin.html", cards.admin_card, 32)
        )
        registry.register_profile_panel(
            registry.Panel("competencies.profile", "competencies/profile_panel.html", cards.profile_panel, 30)
        )


def _imports_fail_stale() -> int:
    from .importer import imports_fail_stale

    return imports_fail_stale()
