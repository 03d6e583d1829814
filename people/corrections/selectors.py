"""Reads for corrections: the employee sees their own; a BKD admin their agency's. Heads see nothing (the
proposals touch personal fields and history entries, not the unit's structure)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from ..access import scope_for
from ..choices import CorrectionStatus
from ..privacy_models import CorrectionRequest


def correction_list_visible_to(*, user: Any) -> QuerySet[CorrectionRequest]:
    if not getattr(user, "pk", None):
        return CorrectionRequest.objects.none()
    scope = scope_for(user)
    q = Q(employee__user_id=user.pk)
    if scope.everything:
        q = Q()
    elif scope.admin_agency_ids:
        q |= Q(agency_id__in=scope.admin_agency_ids)
    return CorrectionRequest.objects.filter(q).select_related("employee", "agency", "decided_by")


def correction_get_visible(*, user: Any, pk: int) -> CorrectionRequest:
    c = correction_list_visible_to(user=user).filter(pk=pk).first()
    if c is None:
        raise Http404(_("Usulan tidak ditemukan."))
    return c


def correction_own_list(*, user: Any) -> QuerySet[CorrectionRequest]:
    return correction_list_visible_to(user=user).filter(employee__user_id=user.pk)


def correction_queue(*, user: Any, status: str = CorrectionStatus.SUBMITTED) -> QuerySet[CorrectionRequest]:
    """The BKD queue: proposals of the agencies the user administers (never their own)."""
    scope = scope_for(user)
    if not (scope.everything or scope.admin_agency_ids):
        return CorrectionRequest.objects.none()
    qs = correction_list_visible_to(user=user).exclude(employee__user_id=user.pk)
    if not scope.everything:
        qs = qs.filter(agency_id__in=scope.admin_agency_ids)
    return qs.filter(status=status) if status else qs


def diff_rows(correction: CorrectionRequest) -> list[dict[str, Any]]:
    """The proposal as the BKD reads it: field label, value now on record, proposed value."""
    from .services import field_label

    return [
        {"key": key, "label": field_label(key), "old": change.get("old"), "new": change.get("new")}
        for key, change in correction.changes.items()
    ]
