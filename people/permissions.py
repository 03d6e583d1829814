"""Booleans for templates and views: who may do what in the people app."""

from __future__ import annotations

from typing import Any

from .access import is_head, is_hr_admin, scope_for


def can_view_directory(user: Any) -> bool:
    """Heads (their units) and BKD admins (their agency) browse the employee directory."""
    return is_hr_admin(user) or is_head(user)


def can_view_org_chart(user: Any) -> bool:
    return is_hr_admin(user) or is_head(user)


def can_import(user: Any) -> bool:
    return is_hr_admin(user)


def can_view_sanctions(user: Any, employee: Any) -> bool:
    """Disciplinary sanctions and their descriptions: the person and their agency's BKD admins only
    (people.exposure matrix)."""
    from .exposure import Field, may_see

    return may_see(user, employee, Field.SANCTIONS)


def can_edit_employee(user: Any, employee: Any) -> bool:
    return is_hr_admin(user, employee.agency_id)


def admin_agency_ids(user: Any) -> frozenset[int] | None:
    """Agencies the user administers; None means every agency (superuser)."""
    scope = scope_for(user)
    return None if scope.everything else scope.admin_agency_ids
