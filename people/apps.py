from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = _("Kepegawaian")

    def ready(self) -> None:
        from asn_portal import registry

        from .access import admin_agency_ids, resolve_roles

        registry.set_role_resolver(resolve_roles)
        registry.set_admin_agency_resolver(admin_agency_ids)
        from .demo import seed_people

        registry.register_seeder(registry.Seeder(key="people", run=seed_people, order=10))
