"""Training catalogue, enrolment, learning hours (JP) and questionnaires."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    label = "training"
    verbose_name = _("Pelatihan")

    def ready(self) -> None:
        from . import personal_data

        personal_data.register()  # sections of an employee's copy of their data (issue #16)
        from .ledger import compliance

        compliance.register()  # the 20 JP compliance summary rows (issue #13)
        from .questionnaires import summary as questionnaire_summary

        questionnaire_summary.register()  # the questionnaire results' summary rows (issue #13)
        from asn_portal import registry
        from asn_portal.registry import HEAD, HR_ADMIN, NavItem, Panel, Seeder

        from . import jobs, panels
        from .demo import seed_training

        registry.register_nav(
            NavItem(_("Pelatihan"), "training:catalogue", "mortarboard", None, 40, group="development")
        )
        registry.register_nav(
            NavItem(_("Pelatihan tim"), "training:team", "people", frozenset({HEAD}), 42, group="team")
        )
        registry.register_nav(
            NavItem(_("Kelola pelatihan"), "training:manage", "gear", frozenset({HR_ADMIN}), 43, group="agency")
        )
        registry.register_home_card(Panel("training-staff", "training/cards/staff.html", panels.staff_card, 40))
        registry.register_home_card(Panel("training-head", "training/cards/head.html", panels.head_card, 41))
        registry.register_home_card(Panel("training-admin", "training/cards/admin.html", panels.admin_card, 42))
        registry.register_profile_panel(
            Panel("training-profile", "training/cards/profile.html", panels.profile_panel, 40)
        )
        registry.register_timeline_source(panels.timeline)
        registry.register_timeline_read(panels._VERIFIED_KEY, panels._VERIFIED_LEARNING)
        registry.register_seeder(Seeder(key="training", run=seed_training, order=40, needs=("people", "competencies")))
        registry.register_job_part(jobs.YEARLY_JOB, jobs.yearly_summary_range)
        registry.register_agency_job("training.tasks.yearly_summary")
