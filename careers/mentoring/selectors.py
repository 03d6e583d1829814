"""Mentoring reads: sessions and action items a user may see, team and unit cadence."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Case, CharField, Count, F, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.db.models.lookups import IsNull
from django.http import Http404

from asn_portal.precompiled import FIRST_DAY, Param, Statement
from careers.choices import ItemStatus
from careers.models import (
    ActionItem,
    MentorAssignment,
    MentoringCadenceSummary,
    MentoringSession,
    SessionMentee,
)
from people.access import Scope, employee_q, prefix_patterns, scope_for, team_condition, team_q
from people.choices import ACTIVE_STATUSES
from people.models import Employee, OrgUnit
from training.common import AnyOf


def mentee_ids_allowed_for(user: Any, today: dt.date) -> set[int]:
    """Whom the user may log a session with: their team (units they head) and assigned mentees."""
    scope = scope_for(user)
    ids = set(Employee.objects.filter(team_q(user)).values_list("pk", flat=True))
    if scope.employee_id:
        ids |= set(
            MentorAssignment.objects.filter(mentor_id=scope.employee_id, start_date__lte=today)
            .filter(Q(end_date=None) | Q(end_date__gte=today))
            .values_list("mentee_id", flat=True)
        )
    return ids


def session_list_visible_to(*, user: Any) -> QuerySet[MentoringSession]:
    """Sessions the user coached or attended; heads also see sessions of people in their units and
    BKD admins those of their agency."""
    return (
        session_rows_visible_to(user=user)
        .select_related("coach", "coach__position")
        .prefetch_related(Prefetch("participants", queryset=SessionMentee.objects.select_related("employee")))
    )


def session_rows_visible_to(*, user: Any) -> QuerySet[MentoringSession]:
    """The sessions of `session_list_visible_to`, nothing joined or prefetched: for `values()` lists (the API's
    rows), which would drop the joins and prefetches built for them."""
    scope = scope_for(user)
    base = MentoringSession.objects.all()
    if not scope.everything:
        q = Q(pk__in=[])
        if scope.admin_agency_ids:
            q |= Q(agency_id__in=scope.admin_agency_ids)
        if scope.employee_id:
            q |= Q(coach_id=scope.employee_id)
        base = base.filter(q | _has_visible_mentee(user, admin=bool(scope.admin_agency_ids)))
    return base


SESSION_API_ORDERING = ("-held_on", "-pk")  # the API list's order, as KeysetPagination keys it


def session_api_rows(*, user: Any) -> QuerySet[MentoringSession]:
    """The sessions API list: `session_rows_visible_to` newest first, with `own_private_notes` (the private notes
    of the reader's own sessions, "" on the others: they leave the database only for their author)."""
    return (
        session_rows_visible_to(user=user)
        .order_by(*SESSION_API_ORDERING)
        .annotate(
            own_private_notes=Case(
                When(author_id=user.pk, then=F("private_notes")), default=Value(""), output_field=CharField()
            )
        )
    )


_AGENCY_STAND_IN, _EMPLOYEE_STAND_IN, _READER_STAND_IN = -13_007_101, -13_007_102, -13_007_103  # ids no row holds


class _StandInAdmin:
    """The BKD admin of one agency who works there (`scope_for` reads the cached `_portal_scope`): the API list's
    first page is compiled with this reader's rule and run with the reader's agency, employee and user ids."""

    is_authenticated = True
    is_superuser = False
    pk = _READER_STAND_IN
    _portal_scope = Scope(
        admin_agency_ids=frozenset({_AGENCY_STAND_IN}), agency_id=_AGENCY_STAND_IN, employee_id=_EMPLOYEE_STAND_IN
    )


_API_FIRST_PAGES: dict[tuple[tuple[str, ...], int], Statement] = {}


def session_api_first_rows(*, user: Any, keys: tuple[str, ...], limit: int) -> list[dict[str, Any]] | None:
    """The first `limit` rows of `session_api_rows(user=user).values(*keys)` for the BKD admin of one agency who
    works there and heads no unit (the rule then depends on the agency and the employee alone), by a statement
    compiled once per process, keys and limit; None for anyone else (their list is built per request)."""
    scope = scope_for(user)
    if (
        scope.everything
        or scope.head_unit_paths
        or not scope.employee_id
        or scope.agency_id is None
        or scope.admin_agency_ids != {scope.agency_id}
        or user.pk is None
    ):
        return None
    statement = _API_FIRST_PAGES.get((keys, limit))
    if statement is None:
        statement = _API_FIRST_PAGES.setdefault(
            (keys, limit),
            Statement(
                lambda agency, employee, reader: session_api_rows(user=_StandInAdmin()).values_list(*keys)[:limit],
                agency=Param(_AGENCY_STAND_IN),
                employee=Param(_EMPLOYEE_STAND_IN),
                reader=Param(_READER_STAND_IN),
            ),
        )
    rows = statement.rows(agency=scope.agency_id, employee=scope.employee_id, reader=user.pk)
    return [dict(zip(keys, row, strict=True)) for row in rows]


def _has_visible_mentee(user: Any, *, admin: bool) -> Q:
    """Sessions with a mentee the user may see, in the form whose cost follows what the user sees (issue #13).

    A BKD admin sees an agency: collecting the sessions of its ~35,000 staff read every one of them. So each
    session is tested on its own mentees (the `uniq_session_mentee` index, then the employee's key), after the
    cheaper agency and coach tests, as the newest-first index walks the sessions and stops at a page (a scalar
    subquery: PostgreSQL would turn an EXISTS back into the hashed whole-agency list). A head or a staff member
    sees a few hundred people at most: their employee rows come first (the unit or key index), then their
    sessions (the (employee, session) index), never a join of every mentee to every employee."""
    if admin:
        mentee = SessionMentee.objects.filter(employee_q(user, "employee__"), session_id=OuterRef("pk"))
        return Q(IsNull(Subquery(mentee.order_by().values("pk")[:1]), False))
    seen = Employee.objects.filter(employee_q(user)).order_by().values("pk")
    return Q(pk__in=SessionMentee.objects.filter(employee_id__in=seen).order_by().values("session_id"))


def participants_of(session_ids: list[int], keys: list[str]) -> QuerySet[SessionMentee, tuple[Any, ...]]:
    """The mentees of the given sessions as `values_list("session_id", *keys)` rows in id order (the ids as one
    array parameter, `training.common.AnyOf`)."""
    return (
        SessionMentee.objects.filter(AnyOf(F("session_id"), session_ids))
        .values_list("session_id", *keys)
        .order_by("pk")
    )


_PARTICIPANTS: dict[tuple[str, ...], Statement] = {}


def participant_rows(session_ids: list[int], keys: list[str]) -> dict[int, list[dict[str, Any]]]:
    """The mentees of a page of sessions as `values(*keys)` rows (`employee__name` joined), per session id in id
    order (one query, `participants_of` compiled once per process and list of keys: issue #13)."""
    if not session_ids:
        return {}  # no query (as `session_id__in=[]` was none)
    statement = _PARTICIPANTS.get(tuple(keys))
    if statement is None:
        statement = Statement(lambda ids: participants_of(ids, keys), ids=Param([-13_007_006]))
        _PARTICIPANTS[tuple(keys)] = statement
    out: dict[int, list[dict[str, Any]]] = {}
    names = ("session_id", *keys)
    for row in statement.rows(ids=list(session_ids)):
        out.setdefault(row[0], []).append(dict(zip(names, row, strict=True)))
    return out


def session_rows_for_table(qs: QuerySet[MentoringSession]) -> QuerySet[MentoringSession]:
    """Visible sessions narrowed to what the sessions table shows (careers_tables.session_rows): the coach's name
    and the mentees' names and confirmations, not their whole records."""
    return (
        qs.select_related(None)
        .select_related("coach")
        .only("held_on", "kind", "mode", "topics", "coach__name")
        .prefetch_related(None)
        .prefetch_related(
            Prefetch(
                "participants",
                queryset=SessionMentee.objects.select_related("employee").only(
                    "session_id", "employee_id", "confirmed_at", "employee__name"
                ),
            )
        )
    )


def session_get_visible(*, user: Any, pk: int) -> MentoringSession:
    session = session_list_visible_to(user=user).filter(pk=pk).first()
    if session is None:
        raise Http404("Sesi bimbingan tidak ditemukan.")
    return session


def private_notes_for(user: Any, session: MentoringSession) -> str:
    """Private notes leave the database only for their author (pages, exports, API)."""
    return session.private_notes if user.pk == session.author_id else ""


def sessions_attended_by(employee_id: int) -> QuerySet[MentoringSession]:
    """The sessions the employee attended as a mentee, with the coach, narrowed to what "Karier Saya" shows (date,
    kind, topic, coach's name). Every one is in `session_list_visible_to` of the employee's own user (they
    attended it, and everyone may see their own record: `people.access.employee_q`), so that page reads them
    without the visibility test (tests/careers/test_my_career_reads.py holds the two equal)."""
    return (
        MentoringSession.objects.filter(participants__employee_id=employee_id)
        .select_related("coach")
        .only("held_on", "kind", "topics", "coach__name")
    )


# The latest five of `sessions_attended_by(e)` compiled once per process (issue #13); the id orders sessions of the
# same day (the later recorded first), so the page lists them in a fixed order.
_ATTENDED = Statement(lambda e: sessions_attended_by(e).order_by("-held_on", "-pk")[:5], e=Param(-13_007_004))


def latest_sessions_attended_by(employee_id: int) -> list[MentoringSession]:
    return _ATTENDED.instances(e=employee_id)


def open_items_of(owner_id: int) -> QuerySet[ActionItem]:
    """The employee's own open action items, soonest due first, narrowed to what "Karier Saya" shows (title and due
    date)."""
    return ActionItem.objects.filter(owner_id=owner_id, status=ItemStatus.OPEN).only("title", "due_date")


# The first ten of `open_items_of(e).order_by("due_date", "pk")` compiled once per process (issue #13); items due
# the same day in the order they were recorded.
_OPEN_ITEMS = Statement(lambda e: open_items_of(e).order_by("due_date", "pk")[:10], e=Param(-13_007_003))


def open_items_for(owner_id: int) -> list[ActionItem]:
    return _OPEN_ITEMS.instances(e=owner_id)


# The session list's "my open items": the owner's first twenty open items by due date with their session (the
# same statement the ORM compiled per request, compiled once per process: issue #13).
_OPEN_ITEMS_WITH_SESSION = Statement(
    lambda e: (
        ActionItem.objects.filter(owner_id=e, status=ItemStatus.OPEN)
        .select_related("session")
        .order_by("due_date", "pk")[:20]
    ),
    e=Param(-13_007_007),
)


def open_items_with_session_for(owner_id: int | None) -> list[ActionItem]:
    """None (a user without an employee record) owns no item: no query."""
    return [] if owner_id is None else _OPEN_ITEMS_WITH_SESSION.instances(e=owner_id)


def action_items_visible_to(*, user: Any) -> QuerySet[ActionItem]:
    return ActionItem.objects.filter(session__in=session_list_visible_to(user=user).values("pk")).select_related(
        "owner", "session"
    )


def team_cadence(*, user: Any, today: dt.date) -> QuerySet[Employee]:
    """The head's team: per member the last session date and open / overdue action items (one query). Each
    figure is a correlated subquery, nothing grouped: PostgreSQL sorts the team by unit and name, keeps the page
    and reads the figures of those rows only (a grouped join computed them for the whole team first, issue #13)."""
    return _team_cadence_of(team_q(user), today)


TEAM_PAGE_SIZE = 50

# `team_cadence`'s first page (one row more, to know whether there is a next) compiled once per process and
# variant (with or without the head's own record to leave out): the team condition is `people.access`'s own
# (`team_condition`, which `team_q` builds), with the head's path patterns, own id and today as parameters.
_TEAM_PATTERNS_STAND_IN = ["\x00team-cadence-stand-in%"]
_TEAM_FIRST_PAGE = {
    True: Statement(
        lambda p, e, d: _team_cadence_of(team_condition("", p, e), d)[: TEAM_PAGE_SIZE + 1],
        p=Param(_TEAM_PATTERNS_STAND_IN),
        e=Param(-13_008_001),
        d=Param(FIRST_DAY),
    ),
    False: Statement(
        lambda p, d: _team_cadence_of(team_condition("", p, None), d)[: TEAM_PAGE_SIZE + 1],
        p=Param(_TEAM_PATTERNS_STAND_IN),
        d=Param(FIRST_DAY),
    ),
}


class TeamCadenceRows:
    """`team_cadence` for `uncounted_page`: the first page from the compiled statement, any other window from
    the queryset (tests/careers/test_table_rows.py holds the two equal)."""

    def __init__(self, *, user: Any, today: dt.date) -> None:
        self.user, self.today = user, today

    def __getitem__(self, window: slice) -> list[Employee]:
        scope = scope_for(self.user)
        if window.start == 0 and window.stop == TEAM_PAGE_SIZE + 1 and scope.head_unit_paths:
            patterns = prefix_patterns(scope.head_unit_paths)
            if scope.employee_id:  # as `team_q`: the head's own record left out
                return _TEAM_FIRST_PAGE[True].instances(p=patterns, e=scope.employee_id, d=self.today)
            return _TEAM_FIRST_PAGE[False].instances(p=patterns, d=self.today)
        return list(team_cadence(user=self.user, today=self.today)[window])


def _team_cadence_of(team: Q, today: dt.date) -> QuerySet[Employee]:
    last_session = (
        SessionMentee.objects.filter(employee_id=OuterRef("pk"))
        .order_by()
        .values("employee_id")
        .annotate(d=Max("session__held_on"))
        .values("d")
    )
    open_items = (
        ActionItem.objects.filter(owner_id=OuterRef("pk"), status=ItemStatus.OPEN)
        .order_by()
        .values("owner_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    overdue_items = (
        ActionItem.objects.filter(owner_id=OuterRef("pk"), status=ItemStatus.OPEN, due_date__lt=today)
        .order_by()
        .values("owner_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Employee.objects.filter(team, status__in=ACTIVE_STATUSES)
        .select_related("unit", "position")
        .only("name", "agency_id", "unit__name", "position__title")  # what the team table shows
        .annotate(
            last_session=Subquery(last_session),
            open_items=Coalesce(Subquery(open_items), 0),
            overdue_items=Coalesce(Subquery(overdue_items), 0),
        )
        .order_by("unit__path", "name", "pk")
    )


def cadence_by_unit(*, agency_id: int, today: dt.date, days: int) -> list[dict[str, Any]]:
    """Per unit: active staff and staff met in the last `days` days, read from the agency's summary rows (staff
    per unit and date last met; `careers.summaries`): one indexed grouped query joined to the unit's name."""
    since = today - dt.timedelta(days=days)
    counts = (
        MentoringCadenceSummary.objects.filter(agency_id=agency_id)
        .values_list("unit_id", "unit__name", "unit__path")
        .annotate(n=Sum("staff"), met=Sum("staff", filter=Q(last_met__gte=since, last_met__lte=today)))
        .order_by("unit__path")
    )
    out = []
    for unit_id, name, path, total, met in counts:
        seen = min(met or 0, total)
        out.append(
            {
                "unit": OrgUnit(pk=unit_id, agency_id=agency_id, name=name, path=path),
                "staff": total,
                "met": seen,
                "not_met": total - seen,
                "percent": round(100 * seen / total) if total else 0,
            }
        )
    return out


def last_met_counts(*, agency_id: int) -> list[tuple[int, dt.date | None, int]]:
    """(unit, date last met in a session of the agency or None, active staff): the cadence summary's rows,
    counted now (one grouped query)."""
    last = (
        SessionMentee.objects.filter(employee_id=OuterRef("pk"), session__agency_id=agency_id)
        .order_by()
        .values("employee_id")
        .annotate(d=Max("session__held_on"))
        .values("d")
    )
    return list(
        Employee.objects.filter(agency_id=agency_id, status__in=ACTIVE_STATUSES)
        .annotate(last_met=Subquery(last))
        .values_list("unit_id", "last_met")
        .annotate(n=Count("pk"))
        .order_by()
    )


def cadence_by_unit_live(*, agency_id: int, today: dt.date, days: int) -> list[dict[str, Any]]:
    """Per unit: active staff, staff met in the last `days` days, and the unit head (who has not met whom),
    counted now (the summary's oracle). Two grouped queries: staff per unit, and distinct mentees per unit."""
    since = today - dt.timedelta(days=days)
    staff = dict(
        Employee.objects.filter(agency_id=agency_id, status__in=ACTIVE_STATUSES)
        .values_list("unit_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    met = dict(
        SessionMentee.objects.filter(
            session__agency_id=agency_id,
            session__held_on__gte=since,
            session__held_on__lte=today,
            employee__status__in=ACTIVE_STATUSES,
            employee__agency_id=agency_id,
        )
        .values_list("employee__unit_id")
        .annotate(n=Count("employee_id", distinct=True))
        .order_by()
    )
    return _cadence_rows(staff, met)


def _cadence_rows(staff: dict[int, int], met: dict[int, int]) -> list[dict[str, Any]]:
    units = OrgUnit.objects.filter(pk__in=staff).select_related("head_position").order_by("path")
    out = []
    for u in units:
        total, seen = staff[u.pk], min(met.get(u.pk, 0), staff[u.pk])
        out.append(
            {
                "unit": u,
                "staff": total,
                "met": seen,
                "not_met": total - seen,
                "percent": round(100 * seen / total) if total else 0,
            }
        )
    return out


def unmet_in_unit(*, unit: OrgUnit, today: dt.date, days: int) -> QuerySet[Employee]:
    since = today - dt.timedelta(days=days)
    met = SessionMentee.objects.filter(employee_id=OuterRef("pk"), session__held_on__gte=since).values("pk")[:1]
    return (
        Employee.objects.filter(unit=unit, status__in=ACTIVE_STATUSES)
        .annotate(met=Subquery(met))
        .filter(met=None)
        .select_related("position")
        .order_by("name")
    )
