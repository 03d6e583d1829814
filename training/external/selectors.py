"""External learning records waiting for the BKD admin's verification."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from asn_portal.precompiled import Param
from people.access import Scope, admin_agency_q, scope_for
from training.choices import VerificationStatus
from training.common import WindowStatements
from training.models import LearningRecord


def pending_external(*, user: Any) -> QuerySet[LearningRecord]:
    return (
        LearningRecord.objects.filter(admin_agency_q(user), status=VerificationStatus.PENDING)
        .select_related("employee", "employee__unit")
        .order_by("date", "pk")
    )


class _StandInAdmin:
    """A BKD admin of one stand-in agency (`people.access.scope_for` reads the cached `_portal_scope`): the
    verification list's statements are compiled once per process from `admin_agency_q` of this user."""

    is_authenticated = True
    is_superuser = False
    _portal_scope = Scope(admin_agency_ids=frozenset({-13_016_071}))


# The list's first pages (issue #13), each compiled once per process; later pages take the ORM's path.
_PENDING_PAGES = WindowStatements(
    lambda agency: pending_external(user=_StandInAdmin()), max_rows=20 * 26, agency=Param(-13_016_071)
)


class PendingExternal:
    """`pending_external(user=...)` read one window at a time (`[a:b]`, e.g. by `uncounted_page`): a one-agency
    admin's first pages through statements compiled once per process (the same SQL with their agency); anyone
    else, and later pages, through the ORM."""

    def __init__(self, *, user: Any) -> None:
        self.user = user

    def __getitem__(self, window: slice) -> list[LearningRecord]:
        scope = scope_for(self.user)
        rows = None
        if not scope.everything and len(scope.admin_agency_ids) == 1:
            (agency,) = scope.admin_agency_ids
            rows = _PENDING_PAGES.instances(window, agency=agency)
        return list(pending_external(user=self.user)[window]) if rows is None else rows


def record_to_verify(*, user: Any, pk: int | None) -> LearningRecord | None:
    """A learning record of the BKD admin's agency, or None (another agency's is never found)."""
    return LearningRecord.objects.filter(admin_agency_q(user), pk=pk or 0).first()
