from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AsnPortalConfig(AppConfig):
    name = "asn_portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from . import registry

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
