"""How a confirmed mentoring session reaches the JP ledger, shared by `mentoring.services.session_confirm` (one mentee
at a time) and set-based callers (the demo's background population): the same JP rule (agency settings,
`rules.session_jp`), the same ledger title and source id, so a participation is credited at most once."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from . import agency_settings, integrations, rules
from .models import MentoringSession, SessionMentee

SOURCE_MENTORING = "careers.mentoring"


def session_jp(session: MentoringSession, settings: Any = None) -> Decimal:
    """JP a confirmed session earns each mentee, by the agency's settings (pass them when crediting many)."""
    settings = settings or agency_settings.settings_for(session.agency_id)
    return rules.session_jp(session.duration_minutes, settings.session_jp_per_hour, settings.session_jp_max)


def ledger_title(session: MentoringSession) -> str:
    return str(_("%(k)s: %(t)s") % {"k": session.get_kind_display(), "t": session.topics})[:200]


def ledger_source_id(session_id: int, employee_id: int) -> str:
    return f"{session_id}-{employee_id}"


def credit_confirmed(session_ids: Iterable[int]) -> int:
    """Set-based: every confirmed participation with JP in these sessions gets its ledger line (once; lines
    already credited are kept). Returns the number of participations considered."""
    parts = list(
        SessionMentee.objects.filter(
            session_id__in=list(session_ids), confirmed_at__isnull=False, jp_credited__gt=0
        ).select_related("session")
    )
    return integrations.learning_credit_many(
        [
            {
                "employee_id": p.employee_id,
                "agency_id": p.session.agency_id,
                "jp": p.jp_credited or Decimal(0),
                "on_date": p.session.held_on,
                "title": ledger_title(p.session),
                "source_type": SOURCE_MENTORING,
                "source_id": ledger_source_id(p.session_id, p.employee_id),
            }
            for p in parts
        ]
    )
