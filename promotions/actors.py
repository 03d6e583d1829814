"""Who may act in promotions' services: an agency's HR admins."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from asn_portal.errors import ApplicationError
from people.choices import AgencyRoleKind
from people.models import User
from promotions import permissions


def admins_of(agency_id: int) -> list[User]:
    return list(User.objects.filter(agency_roles__agency_id=agency_id, agency_roles__role=AgencyRoleKind.HR_ADMIN))


def require_admin(actor: Any, agency_id: int) -> None:
    if not permissions.can_manage_promotions(actor, agency_id):
        raise ApplicationError(_("Hanya admin BKD instansi ini yang dapat melakukan tindakan ini."), status=403)
