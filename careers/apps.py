"""Career plans, mentoring, talent management, appraisal follow-up and the career timeline."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareersConfig(AppConfig):
    name = "careers"
    label = "careers"
    verbose_name = _("Karier")

    def ready(self) -> None:
        from . import personal_data

        personal_data.register()  # sections of an employee's copy of their data (issue #16)
        from . import summaries
        from .talent import summaries as talent_summaries

        summaries.register()  # plan coverage, mentoring cadence and follow-up summary rows (issue #13)
        talent_summaries.register()  # summary rows of the nine-box grid and the talent pool (issue #13)
        from asn_portal import registry as r

        from . import panels
        from .demo import seed_careers

        r.register_agency_job("careers.tasks.draft_follow_ups")
        everyone = frozenset({r.STAFF, r.HEAD, r.HR_ADMIN})
        head_admin = frozenset({r.HEAD, r.HR_ADMIN})
        r.register_nav(
            r.NavItem(_("Karier Saya"), "careers:my", "signpost-2", frozenset({r.STAFF}), order=50, group="me")
        )
        r.register_nav(
            r.NavItem(_("Bimbingan"), "careers:sessions", "chat-square-text", everyone, order=51, group="development")
        )
        r.register_nav(
            r.NavItem(_("Talenta"), "careers:reviews", "grid-3x3", head_admin, order=52, group="development")
        )
        r.register_home_card(r.Panel("careers-staff", "careers/card_staff.html", panels.staff_card, order=50))
        r.register_home_card(r.Panel("careers-head", "careers/card_head.html", panels.head_card, order=51))
        r.register_home_card(r.Panel("careers-admin", "careers/card_admin.html", panels.admin_card, order=52))
        r.register_profile_panel(
            r.Panel("careers-timeline", "careers/panel_timeline.html", panels.profile_panel, order=90)
        )
        r.register_seeder(r.Seeder(key="careers", run=seed_careers, order=50))
