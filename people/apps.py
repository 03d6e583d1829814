from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = _("Kepegawaian")

    def ready(self) -> None:
        from asn_portal import registry

        from . import cards, headcount
        from .access import admin_agency_ids, resolve_roles

        headcount.register()  # summary rows of the headcount per unit (issue #13)
        registry.set_role_resolver(resolve_roles)
        registry.set_admin_agency_resolver(admin_agency_ids)
        registry.register_stale_sweep("people.imports", _import_batches_fail_stale)
        from .demo import seed_people

        registry.register_seeder(registry.Seeder(key="people", run=seed_people, order=10))
        post_migrate.connect(_fill_access_rollup, sender=self)
        post_migrate.connect(_fill_headcount, sender=self)

        managers = frozenset({registry.HEAD, registry.HR_ADMIN})
        admins = frozenset({registry.HR_ADMIN})
        registry.register_nav(
            registry.NavItem(_("Profil Saya"), "people:me", "person", frozenset({registry.STAFF}), order=10, group="me")
        )
        registry.register_nav(
            registry.NavItem(_("Pegawai"), "people:directory", "people", managers, order=20, group="org")
        )
        registry.register_nav(
            registry.NavItem(_("Organisasi"), "people:org-chart", "diagram-3", managers, order=21, group="org")
        )
        registry.register_nav(
            registry.NavItem(_("Impor data"), "people:import-list", "upload", admins, order=90, group="agency")
        )
        registry.register_nav(
            registry.NavItem(
                _("Laporan akses data"), "people:access-report", "shield-lock", admins, order=91, group="agency"
            )
        )
        registry.register_home_card(registry.Panel("people.admin", "people/cards/admin.html", cards.admin_card, 10))
        registry.register_home_card(registry.Panel("people.head", "people/cards/head.html", cards.head_card, 11))
        registry.register_home_card(registry.Panel("people.staff", "people/cards/staff.html", cards.staff_card, 12))

        # UU PDP 27/2022 (issue #16): the subject's rights on their own profile, the BKD's correction queue,
        # and the personal-data sections of this app and the shared one.
        from .data_export import sections
        from .privacy_panel import my_privacy_panel

        sections.register()
        registry.register_profile_panel(
            registry.Panel("people.privacy", "people/cards/privacy.html", my_privacy_panel, order=990)
        )
        registry.register_nav(
            registry.NavItem(
                _("Pemutakhiran data"), "people:correction-queue", "pencil-square", admins, order=85, group="agency"
            )
        )


def _import_batches_fail_stale() -> int:
    from .imports import batches_fail_stale

    return batches_fail_stale()


def _fill_access_rollup(using: str = "default", **_kwargs: object) -> None:
    """The daily access roll-up filled from the log written before it existed (once: while it is empty)."""
    from .access_rollup import fill_if_empty

    if using == "default":
        fill_if_empty()


def _fill_headcount(using: str = "default", **_kwargs: object) -> None:
    """The headcount summary rows computed for a database that has employees but none of them yet (once, after
    the migration that adds them): the org chart and the home cards read only these rows."""
    from .headcount import fill_if_empty

    if using == "default":
        fill_if_empty()
