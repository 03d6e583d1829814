"""Who may do what with competencies: booleans for templates and views."""

from __future__ import annotations

from typing import Any

from people.access import is_head, is_hr_admin

from .models import Competency


def can_manage_competencies(user: Any) -> bool:
    """BKD admins manage their agency's dictionary, standards and assessments."""
    return is_hr_admin(user)


def can_edit_competency(user: Any, competency: Competency) -> bool:
    if competency.agency_id is None:
        return bool(getattr(user, "is_superuser", False))
    return is_hr_admin(user, competency.agency_id)


def can_record_assessment(user: Any, agency_id: int) -> bool:
    return is_hr_admin(user, agency_id)


def can_view_team(user: Any) -> bool:
    return is_head(user)
