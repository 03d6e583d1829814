"""Least exposure (UU PDP 27/2022, issue #16): per personal field, which relation to the person may see it.

The one matrix used by templates (profile), serializers (employee detail API) and exports (the directory's
personal-data export). docs/privacy-exposure.md shows it as a table; tests/people/test_exposure.py checks
each role against page HTML and JSON. The portal stores no NIK and no home address (nothing to expose);
the NIP is the civil servant's official identifier and stays visible wherever the person is.

Relations, the closest first: the person themself; a BKD admin of their agency (or a superuser); a head
whose unit tree contains them; a member of their agency's committee (Tim Penilai Kinerja); anyone else.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _

from .access import scope_for


class Relation(StrEnum):
    SELF = "self"
    HR_ADMIN = "hr_admin"
    HEAD = "head"
    COMMITTEE = "committee"
    OTHER = "other"


class Field(StrEnum):
    BIRTH_DATE = "birth_date"
    BIRTH_PLACE = "birth_place"
    AGE_BAND = "age_band"  # what a head needs instead of the birth date (retirement planning, appraisal)
    EMAIL = "email"
    PHONE = "phone"
    SANCTIONS = "sanctions"  # disciplinary sanctions and their descriptions
    OBJECTION_TEXT = "objection_text"  # SKP objection reasons and decisions


S, A, H, C = Relation.SELF, Relation.HR_ADMIN, Relation.HEAD, Relation.COMMITTEE

MATRIX: dict[Field, frozenset[Relation]] = {
    Field.BIRTH_DATE: frozenset({S, A}),
    Field.BIRTH_PLACE: frozenset({S, A}),
    Field.AGE_BAND: frozenset({S, A, H, C}),
    Field.EMAIL: frozenset({S, A, H}),
    Field.PHONE: frozenset({S, A, H}),
    Field.SANCTIONS: frozenset({S, A}),
    # The objector, the appraiser who decides (a head above them) and BKD; the committee does not decide.
    Field.OBJECTION_TEXT: frozenset({S, A, H}),
}

# SKP objection texts are shown by the person's role on that SKP (performance.permissions.plan_roles): the
# objector, the appraiser, the appraiser's superior who decides (PermenPANRB 6/2022) and BKD; a head higher up
# the tree who may open the SKP sees that an objection exists, not its text.
OBJECTION_TEXT_PLAN_ROLES = frozenset({"owner", "appraiser", "appraiser_superior", "admin"})

# Not a role-based field: a mentor's private notes on a session are shown to the author only
# (careers.selectors.private_notes_for), whatever their role.
AUTHOR_ONLY = ("careers.MentoringSession.private_notes",)

# Fields an export may only hold for a BKD admin who states a purpose (logged with the export id).
SENSITIVE_EXPORT_FIELDS = (Field.BIRTH_PLACE, Field.BIRTH_DATE, Field.EMAIL, Field.PHONE)


def relation(user: Any, employee: Any) -> Relation:
    """The user's closest relation to the employee (needs `employee.unit` for heads)."""
    scope = scope_for(user)
    if scope.employee_id is not None and scope.employee_id == employee.pk:
        return Relation.SELF
    if scope.everything or employee.agency_id in scope.admin_agency_ids:
        return Relation.HR_ADMIN
    if scope.head_unit_paths:
        path = getattr(getattr(employee, "unit", None), "path", "") or ""
        if any(path.startswith(p) for p in scope.head_unit_paths):
            return Relation.HEAD
    if employee.agency_id in scope.committee_agency_ids:
        return Relation.COMMITTEE
    return Relation.OTHER


def visible_fields(user: Any, employee: Any) -> frozenset[str]:
    rel = relation(user, employee)
    return frozenset(str(f) for f, who in MATRIX.items() if rel in who)


def may_see(user: Any, employee: Any, field: Field) -> bool:
    return relation(user, employee) in MATRIX[field]


def may_export_sensitive(user: Any) -> bool:
    """Exports holding SENSITIVE_EXPORT_FIELDS: BKD admins (for their agency) only, with a stated purpose."""
    scope = scope_for(user)
    return scope.everything or bool(scope.admin_agency_ids)


def age_band(birth_date: dt.date | None, today: dt.date | None = None) -> str:
    """ "40–44 tahun": five-year bands, enough for planning without revealing the birth date."""
    if birth_date is None:
        return ""
    from django.utils import timezone

    today = today or timezone.localdate()
    age = today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))
    low = age // 5 * 5
    return _("%(low)d–%(high)d tahun") % {"low": low, "high": low + 4}


REDACTABLE_API_FIELDS = {
    Field.BIRTH_DATE: "birth_date",
    Field.BIRTH_PLACE: "birth_place",
    Field.EMAIL: "email",
    Field.PHONE: "phone",
}


def redact(data: dict[str, Any], user: Any, employee: Any) -> dict[str, Any]:
    """Drop from serialized employee data what the user may not see; add the age band where allowed."""
    fields = visible_fields(user, employee)
    for field, key in REDACTABLE_API_FIELDS.items():
        if str(field) not in fields:
            data.pop(key, None)
    if str(Field.AGE_BAND) in fields:
        data["age_band"] = age_band(getattr(employee, "birth_date", None))
    return data
