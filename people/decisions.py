"""Separation of duties (issue #11): the one rule deciding whether an actor may decide on a subject.

Nobody decides on their own record, and nobody decides a matter in which they are themselves a candidate
or otherwise conflicted (a vacancy they are ranked for, the unit whose rating sets their own result).
Every decision service calls `ensure_may_decide`; every `can_…` helper that shows a decision button calls
`may_decide`, so a refused decision never shows as a button. The pure part is `conflict_kind`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from asn_portal.errors import ApplicationError

from .access import scope_for

SELF = "self"
CANDIDATE = "candidate"
OWN_UNIT = "own_unit"
OWN_SESSION = "own_session"
OWN_ASSESSMENT = "own_assessment"


def conflict_kind(
    actor_employee_id: int | None,
    subject_employee_ids: Iterable[int | None] = (),
    *,
    conflicted_employee_ids: Iterable[int | None] = (),
    conflict: str = CANDIDATE,
) -> str | None:
    """Pure rule: SELF when the actor is a subject of the decision; `conflict` (CANDIDATE by default) when
    the actor is among the conflicted employees (the candidates of a vacancy, the members of a unit); else
    None. An actor without an employee record (a plain superuser account) has no record to favour."""
    if actor_employee_id is None:
        return None
    if actor_employee_id in set(subject_employee_ids):
        return SELF
    if actor_employee_id in set(conflicted_employee_ids):
        return conflict
    return None


def message_for(kind: str) -> str:
    """The Indonesian refusal shown on the page and returned as the API's `message`."""
    messages = {
        SELF: _("Anda tidak dapat memutuskan atas data Anda sendiri."),
        CANDIDATE: _("Anda tidak dapat memutuskan karena Anda termasuk kandidat pada lowongan ini."),
        OWN_UNIT: _("Anda tidak dapat memutuskan atas unit kerja Anda sendiri; predikat Anda ikut ditentukan olehnya."),
        OWN_SESSION: _("Anda tidak dapat mengonfirmasi sesi bimbingan yang Anda bimbing sendiri."),
        OWN_ASSESSMENT: _("Anda tidak dapat memutus keberatan atas penilaian yang Anda berikan sendiri."),
    }
    return messages[kind]


def actor_employee_id(actor: Any) -> int | None:
    """The employee record behind a user account (a superuser may have one too; it counts the same)."""
    scope = scope_for(actor)
    if scope.employee_id is not None or not scope.everything:
        return scope.employee_id
    cached = getattr(actor, "_portal_own_employee_id", False)
    if cached is False:
        from .models import Employee

        cached = Employee.objects.filter(user_id=actor.pk).values_list("pk", flat=True).first()
        actor._portal_own_employee_id = cached
    return cached


def _ids(subject: Any) -> list[int | None]:
    if subject is None:
        return []
    if isinstance(subject, int):
        return [subject]
    if isinstance(subject, Iterable) and not isinstance(subject, str):
        return [s if isinstance(s, int) or s is None else s.pk for s in subject]
    return [subject.pk]


def conflict_reason(
    actor: Any, subject: Any, *, conflicted: Iterable[Any] = (), conflict: str = CANDIDATE
) -> str | None:
    """The conflict kind (SELF, CANDIDATE, …) stopping `actor` from deciding on `subject`, or None.

    `subject` and `conflicted` are employees, employee ids, or iterables of them."""
    return conflict_kind(
        actor_employee_id(actor), _ids(subject), conflicted_employee_ids=_ids(list(conflicted)), conflict=conflict
    )


def may_decide(actor: Any, subject: Any, *, conflicted: Iterable[Any] = (), conflict: str = CANDIDATE) -> bool:
    """For permission helpers: False hides the decision button."""
    return conflict_reason(actor, subject, conflicted=conflicted, conflict=conflict) is None


def ensure_may_decide(actor: Any, subject: Any, *, conflicted: Iterable[Any] = (), conflict: str = CANDIDATE) -> None:
    """For services: refuse (403, nothing written) a decision the actor has a conflict of interest in."""
    kind = conflict_reason(actor, subject, conflicted=conflicted, conflict=conflict)
    if kind is not None:
        raise ApplicationError(message_for(kind), {"conflict": kind}, status=403)


_OWN_UNIT: list[Any] = []


def _own_unit_statement() -> Any:
    """The unit of one employee record, compiled once per process (asn_portal.precompiled; issue #13)."""
    if not _OWN_UNIT:
        from asn_portal.precompiled import Param, Statement

        from .models import Employee

        _OWN_UNIT.append(
            Statement(
                lambda e: Employee.objects.filter(pk=e).order_by().values_list("unit_id")[:1], e=Param(-13_000_512)
            )
        )
    return _OWN_UNIT[0]


def own_unit_ids(actor: Any) -> frozenset[int]:
    """Units the actor may not decide on: the unit of their own record and the units they head. A unit's
    organisational rating sets its head's result rating (PermenPANRB 6/2022, Lampiran) and its calibration
    counts its members' predikat, so a member or head deciding on the unit decides on themselves."""
    emp_id = actor_employee_id(actor)
    if emp_id is None:
        return frozenset()
    cached = getattr(actor, "_portal_own_unit_ids", None)
    if cached is None:
        found = _own_unit_statement().rows(e=emp_id)
        own = found[0][0] if found else None
        cached = frozenset(scope_for(actor).head_unit_ids | ({own} if own else set()))
        actor._portal_own_unit_ids = cached
    return cached


def may_decide_on_unit(actor: Any, unit: Any) -> bool:
    return unit.pk not in own_unit_ids(actor)


def ensure_may_decide_on_unit(actor: Any, unit: Any) -> None:
    if not may_decide_on_unit(actor, unit):
        raise ApplicationError(message_for(OWN_UNIT), {"conflict": OWN_UNIT}, status=403)
