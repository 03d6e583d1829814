"""Who saw my record (UU PDP 27/2022, issue #16): the one place that records reads of a person's data.

Every page, export and API endpoint that shows another person's rows calls

    access_log.record(request, subjects, part)                   # one read (or a list page)
    export_id = access_log.record_export(request, subjects, part, stated_purpose="")   # a download

`subjects` is an Employee, an employee id, an iterable of them, or an Employee QuerySet (exports: evaluated
once as `values_list("pk", "agency_id")`, never row by row). Nothing is written on the request path: entries
go to a per-request buffer (a context variable); the whole buffer is handed off in ONE operation once the
response has been sent (`request_finished`, after the last byte of a streamed export): an RPUSH of one
JSON batch to Redis, drained every few seconds by the `access_log_drain` beat task with one
INSERT … SELECT. When Redis is not configured or does not answer, the batch is written with that one
statement instead, so nothing is lost. Outside a request (Celery jobs, shell) a call writes at once. Reads
of one's own record are not logged. `ACCESS_LOG_ENABLED=False` turns recording off (used only to measure
its cost in `make bench`).
"""

from __future__ import annotations

import contextvars
import json
import logging
import os
import threading
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.signals import request_finished
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .choices import AccessPart, AccessPurpose

logger = logging.getLogger(__name__)

REDIS_KEY = "asn:access-log"  # the list (settings.ACCESS_LOG_REDIS_KEY overrides it, e.g. one per bench database)
LOCK_KEY = "asn:access-log:drain-lock"
DRAIN_BATCHES = 200  # JSON batches taken from Redis per round of the drain task

PURPOSE_BY_PART: dict[str, str] = {
    AccessPart.PROFILE: AccessPurpose.HR_SERVICE,
    AccessPart.DIRECTORY: AccessPurpose.HR_SERVICE,
    AccessPart.PROMOTION: AccessPurpose.HR_SERVICE,
    AccessPart.SKP: AccessPurpose.PERFORMANCE,
    AccessPart.COMPETENCY: AccessPurpose.DEVELOPMENT,
    AccessPart.TRAINING: AccessPurpose.DEVELOPMENT,
    AccessPart.CAREER_PLAN: AccessPurpose.COACHING,
    AccessPart.MENTORING: AccessPurpose.COACHING,
    AccessPart.TALENT: AccessPurpose.COACHING,
    AccessPart.TIMELINE: AccessPurpose.COACHING,
    AccessPart.ACCESS_LOG: AccessPurpose.SUPERVISION,
}

# Profile panels (asn_portal.registry keys) and the part of the record each shows.
PANEL_PARTS: dict[str, str] = {
    "competencies.profile": AccessPart.COMPETENCY,
    "performance.history": AccessPart.SKP,
    "training-profile": AccessPart.TRAINING,
    "promotions-outlook": AccessPart.PROMOTION,
    "careers-timeline": AccessPart.TIMELINE,
}

# Routes whose `pk` is an employee id (pages and nested API paths under /api/v1/employees/{id}/): the
# middleware records a successful GET of any of them, so these views need no call of their own.
# tests/people/test_access_coverage.py fails when a route with an employee `pk` is missing here.
EMPLOYEE_ROUTES: dict[str, str] = {
    "people:profile": AccessPart.PROFILE,  # the view records itself too (panels); duplicates are skipped
    "people:employee-edit": AccessPart.PROFILE,
    "competencies:employee": AccessPart.COMPETENCY,
    "careers:timeline": AccessPart.TIMELINE,
    "promotions:employee-outlook": AccessPart.PROMOTION,
    "employee-detail": AccessPart.PROFILE,  # the API viewset records itself (mixin)
    "employee-competency-profile": AccessPart.COMPETENCY,
    "employee-predikat-history": AccessPart.SKP,
    "employee-recommendations": AccessPart.TRAINING,
    "employee-jp-summary": AccessPart.TRAINING,
    "api-employee-timeline": AccessPart.TIMELINE,
    "employee-promotion-outlook": AccessPart.PROMOTION,
    # Reading someone's access log is recorded as a read of their log (supervision), not of their record.
    "api-employee-access-log": AccessPart.ACCESS_LOG,
}
# Routes whose view records itself (the middleware leaves them alone).
SELF_RECORDING = frozenset({"people:profile", "employee-detail"})

_buffer: contextvars.ContextVar[list[dict[str, Any]] | None] = contextvars.ContextVar("access_log", default=None)


def enabled() -> bool:
    return bool(getattr(settings, "ACCESS_LOG_ENABLED", True))


def purpose_for(part: str) -> str:
    return PURPOSE_BY_PART.get(part, AccessPurpose.HR_SERVICE)


def _all_ids(qs: QuerySet[Any]) -> list[Any]:
    """Every id of an (unsliced) employee QuerySet, as plain ints, with one single-row query."""
    from django.contrib.postgres.aggregates import ArrayAgg

    return list(qs.order_by().aggregate(ids=ArrayAgg("pk", default=[]))["ids"])


def _subject_pairs(subjects: Any) -> list[Any]:
    """[[employee_id, agency_id or None], …] of the subjects (agency filled in when written if unknown); a
    whole QuerySet (an export) gives bare ids instead (the writer accepts both)."""
    if subjects is None:
        return []
    if isinstance(subjects, QuerySet) and not subjects.query.is_sliced:
        # A whole list (exports): the ids as ONE array in one row (`array_agg`), never the rows themselves nor
        # a Python object per row; the writer fills in the agencies (it joins the employee table anyway).
        return _all_ids(subjects)
    # A page (a sliced QuerySet): iterating fills its result cache, which the template then reuses.
    if isinstance(subjects, int) or hasattr(subjects, "pk"):
        subjects = [subjects]
    # One row per person per call: a list showing someone twice (two sessions, two SKPs) is one read.
    pairs: dict[int, list[int | None]] = {}
    for s in subjects:
        if s is None:
            continue
        if isinstance(s, int):
            pairs.setdefault(s, [s, None])
        elif isinstance(s, dict):  # a lean list's `values()` row of an employee
            pairs.setdefault(s["id"], [s["id"], s.get("agency_id")])
        else:
            # Never load a deferred agency_id row by row (lists use .only()): unknown agencies are filled in
            # with one query when the batch is written.
            pairs.setdefault(s.pk, [s.pk, s.__dict__.get("agency_id")])
    return list(pairs.values())


def _via(request: Any) -> str:
    match = getattr(request, "resolver_match", None)
    if match is not None and match.view_name:
        name = str(match.view_name)
        return f"api:{name}" if str(getattr(request, "path", "")).startswith("/api/") else name
    return str(getattr(request, "path", ""))[:120]


def _viewer(request_or_user: Any) -> tuple[Any, Any]:
    user = getattr(request_or_user, "user", request_or_user)
    request = request_or_user if hasattr(request_or_user, "user") else None
    return user, request


def record(
    request_or_user: Any,
    subjects: Any,
    part: str,
    *,
    via: str | None = None,
    export_id: uuid.UUID | None = None,
    stated_purpose: str = "",
    purpose: str | None = None,
) -> None:
    """Note that the request's user read `part` of the subjects' records (self-reads are skipped)."""
    if not enabled():
        return
    user, request = _viewer(request_or_user)
    if user is None or not getattr(user, "is_authenticated", False):
        return
    from .access import scope_for

    own = scope_for(user).employee_id
    pairs = [p for p in _subject_pairs(subjects) if (p if isinstance(p, int) else p[0]) != own]
    if not pairs:
        return
    entry = {
        "v": user.pk,
        "ve": own,
        "p": str(part),
        "u": str(purpose or (AccessPurpose.EXPORT if export_id else purpose_for(part))),
        "via": (via or (_via(request) if request is not None else "job"))[:120],
        "x": str(export_id) if export_id else None,
        "n": stated_purpose[:300],
        "at": timezone.now().isoformat(),
        "s": pairs,
    }
    buf = _buffer.get()
    if buf is None:
        write_entries([entry])
    else:
        buf.append(entry)


def record_panels(request: Any, employee: Any, rendered_templates: list[str]) -> None:
    """One entry per part shown by the profile panels that rendered (a panel that answered None showed nothing)."""
    from asn_portal import registry

    rendered = set(rendered_templates)
    for panel in registry.registry.profile_panels:
        part = PANEL_PARTS.get(panel.key)
        if part and panel.template in rendered:
            record(request, employee, part)


def record_export(
    request_or_user: Any, subjects: Any, part: str, *, stated_purpose: str = "", via: str | None = None
) -> uuid.UUID:
    """Record a download of a list: one row per subject, all with the same new export id (returned)."""
    export_id = uuid.uuid4()
    record(request_or_user, subjects, part, via=via, export_id=export_id, stated_purpose=stated_purpose)
    return export_id


# --- Hand-off and writing ----------------------------------------------------------------------------------


_redis_client: Any = None


def _redis() -> Any:
    """A Redis client for the hand-off (short timeouts: a page never waits for a Redis that is down)."""
    global _redis_client
    url = getattr(settings, "ACCESS_LOG_REDIS_URL", "")
    if not url:
        return None
    if _redis_client is None or getattr(_redis_client, "_asn_url", None) != url:
        import redis

        _redis_client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        _redis_client._asn_url = url
    return _redis_client


def _keys() -> tuple[str, str]:
    """(list key, drain-lock key) in Redis."""
    key = getattr(settings, "ACCESS_LOG_REDIS_KEY", "") or REDIS_KEY
    return key, (LOCK_KEY if key == REDIS_KEY else f"{key}:drain-lock")


def flush(entries: list[dict[str, Any]]) -> str:
    """Hand a request's entries off in one operation: RPUSH to Redis, else one bulk insert. Returns how."""
    if not entries:
        return "none"
    client = _redis()
    if client is not None:
        try:
            _push(client, _keys()[0], json.dumps(entries, separators=(",", ":")))
            return "redis"
        except Exception as exc:  # noqa: BLE001  (Redis down or slow: write now rather than lose the entries)
            logger.warning("Access log: Redis hand-off failed, writing directly: %s", exc)
    write_entries(entries)
    return "database"


_pusher = threading.local()


def _push(client: Any, key: str, payload: str) -> None:
    """RPUSH on a connection this thread keeps (issue #13): `client.rpush` checks a connection out of the pool and
    health-checks it on every call, about 2.5x the CPU of the command itself (~0.2 ms vs ~0.07 ms). The reply is
    still awaited (an error reply raises), so a push that did not happen is never taken for done; a connection
    that failed is dropped (the caller writes the entries directly) and the next push opens a new one."""
    pool = client.connection_pool
    conn = getattr(_pusher, "conn", None)
    if conn is not None and _pusher.pool is pool and _pusher.pid == os.getpid() and _closed_by_server(conn):
        conn.disconnect()  # Redis restarted or dropped the idle connection: nothing was sent on it, open a new one
        conn = None
    if conn is None or _pusher.pool is not pool or _pusher.pid != os.getpid():
        conn = pool.make_connection()
        _pusher.conn, _pusher.pool, _pusher.pid = conn, pool, os.getpid()
    try:
        conn.send_command("RPUSH", key, payload)
        conn.read_response()
    except BaseException:
        _pusher.conn = None
        conn.disconnect()
        raise


def _closed_by_server(conn: Any) -> bool:
    """Whether an idle kept connection has something to read: between two pushes Redis sends nothing, so data or
    the end of the stream means the server closed it (a restart, `CLIENT KILL`, an idle timeout). One poll of the
    socket, no round trip."""
    try:
        return bool(conn.can_read(timeout=0))
    except Exception:  # noqa: BLE001  (redis-py raises ConnectionError on the end of the stream)
        return True


def write_entries(entries: list[dict[str, Any]]) -> int:
    """Insert entries in ONE statement: `INSERT … SELECT FROM unnest(arrays) JOIN employee`, which also fills
    each subject's agency and drops subjects deleted in the meantime (about 3x faster than bulk_create, measured),
    and adds them to the daily roll-up of the access report (`people.access_rollup`) in the same statement."""
    from django.db import connection

    from . import access_rollup
    from .models import Employee, OrgUnit, RecordAccess

    cols: list[list[Any]] = [[] for _i in range(9)]
    for e in entries:
        at = parse_datetime(e["at"]) or timezone.now()
        export_id = e.get("x") or None
        for subject in e["s"]:
            subject_id = subject if isinstance(subject, int) else subject[0]  # an export's bare ids, or pairs
            for i, value in enumerate(
                (e["v"], e["ve"], subject_id, e["p"], e["u"], e["via"], export_id, e.get("n", ""), at)
            ):
                cols[i].append(value)
    if not cols[0]:
        return 0
    table, employees, units = RecordAccess._meta.db_table, Employee._meta.db_table, OrgUnit._meta.db_table
    ctes, cte_params = access_rollup.rollup_ctes()
    sql = f"""
        WITH ins AS (
            INSERT INTO {table}
                (viewer_id, viewer_employee_id, subject_id, agency_id, part, purpose, via, export_id, stated_purpose,
                 outside_unit, at)
            SELECT v.viewer, v.viewer_employee, e.id, e.agency_id, v.part, v.purpose, v.via, v.export_id, v.stated,
                   COALESCE(left(su.path, length(vu.path)) <> vu.path, false), v.at
            FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[], %s::text[], %s::text[], %s::text[], %s::uuid[],
                        %s::text[], %s::timestamptz[])
                 AS v(viewer, viewer_employee, subject, part, purpose, via, export_id, stated, at)
            -- the roll-up's shared lock, taken by this statement (a rebuild of a day holds it exclusively)
            CROSS JOIN pg_advisory_xact_lock_shared(%s) AS rollup_lock
            JOIN {employees} e ON e.id = v.subject
            JOIN {units} su ON su.id = e.unit_id
            LEFT JOIN {employees} ve ON ve.id = v.viewer_employee
            LEFT JOIN {units} vu ON vu.id = ve.unit_id
            RETURNING agency_id, viewer_id, subject_id, part, purpose, export_id, stated_purpose, outside_unit, at
        ){ctes}
        SELECT count(*) FROM ins
    """  # noqa: S608 (table names from the models, values as parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*cols, access_rollup.LOCK, *cte_params])
        return int(cursor.fetchone()[0])


def drain(max_rounds: int = 50) -> int:
    """Move the batches waiting in Redis into the table (the beat task). At-least-once: a batch leaves
    Redis only after its rows are committed; a lock keeps two drains from writing the same batch."""
    client = _redis()
    if client is None:
        return 0
    key, lock = _keys()
    if not client.set(lock, "1", nx=True, ex=120):
        return 0
    written = 0
    try:
        for _round in range(max_rounds):
            raw = client.lrange(key, 0, DRAIN_BATCHES - 1)
            if not raw:
                break
            entries: list[dict[str, Any]] = []
            for item in raw:
                try:
                    entries.extend(json.loads(item))
                except ValueError:
                    logger.error("Access log: dropped an unreadable batch")
            written += write_entries(entries)
            client.ltrim(key, len(raw), -1)
    finally:
        client.delete(lock)
    return written


def prune(*, retention_days: int | None = None, chunk: int = 50_000) -> int:
    """Delete entries older than the retention period, set-based in bounded chunks. Returns how many."""
    import datetime as dt

    from django.db import connection

    from .models import RecordAccess

    days = retention_days if retention_days is not None else settings.ACCESS_LOG_RETENTION_DAYS
    cutoff = timezone.now() - dt.timedelta(days=days)
    table = RecordAccess._meta.db_table
    deleted = 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(
                f"DELETE FROM {table} WHERE id IN (SELECT id FROM {table} WHERE at < %s LIMIT %s)",  # noqa: S608
                [cutoff, chunk],
            )
            deleted += cursor.rowcount
            if cursor.rowcount < chunk:
                break
    from . import access_rollup

    access_rollup.after_prune(cutoff)
    return deleted


class AccessLogMiddleware:
    """Gives each request an empty buffer, records successful reads of EMPLOYEE_ROUTES, and hands what was
    recorded off in one operation."""

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response

    @staticmethod
    def _record_route(request: HttpRequest, response: Any) -> None:
        match = request.resolver_match
        if match is None or request.method not in ("GET", "HEAD") or response.status_code != 200:
            return
        part = EMPLOYEE_ROUTES.get(str(match.view_name))
        pk = str(match.kwargs.get("pk", ""))
        if part and match.view_name not in SELF_RECORDING and pk.isdecimal():
            record(request, int(pk), part)

    def __call__(self, request: HttpRequest) -> Any:
        buf: list[dict[str, Any]] = []
        token = _buffer.set(buf)
        try:
            response = self.get_response(request)
            self._record_route(request, response)
        finally:
            _buffer.reset(token)
            if buf:
                # Handed off when the response is closed (`request_finished`), i.e. after the server has sent
                # the page (and after a streamed export's last row): the user never waits for the round trip.
                pending = getattr(_pending, "entries", None)
                _pending.entries = (pending or []) + buf
        return response


_pending = threading.local()


def _flush_pending(**_kwargs: Any) -> None:
    entries = getattr(_pending, "entries", None)
    if not entries:
        return
    _pending.entries = None
    try:
        flush(entries)
    except Exception:  # noqa: BLE001  (the log must never break the request cycle)
        logger.exception("Access log: could not hand off %d entries", len(entries))


request_finished.connect(_flush_pending, dispatch_uid="people.access_log.flush")


# --- API: one mixin for every viewset that returns a person's rows -------------------------------------------


class AccessLoggedMixin:
    """DRF viewset mixin: retrieve records the object's subject, list records every subject of the page.

    `access_part` is an AccessPart; `access_subject` the attribute path from the object to the employee
    ("employee" → `obj.employee_id`; "" → the object is the Employee)."""

    access_part: str = AccessPart.PROFILE
    access_list_part: str | None = None  # the part a list records (default: access_part)
    access_subject: str = "employee"
    request: Any

    def access_subjects_of(self, obj: Any) -> list[Any]:
        """The people whose data the object shows (override for objects about several people)."""
        if not self.access_subject:
            return [obj]
        *path, last = self.access_subject.split("__")
        for attr in path:
            obj = getattr(obj, attr, None)
            if obj is None:
                return []
        subject = getattr(obj, f"{last}_id", None)
        return [] if subject is None else [subject]

    def _record(self, objs: Iterable[Any], part: str) -> None:
        if self.request.method in ("GET", "HEAD"):
            record(self.request, [s for o in objs for s in self.access_subjects_of(o)], part)

    def get_object(self) -> Any:
        obj = super().get_object()  # type: ignore[misc]
        self._record([obj], self.access_part)
        return obj

    def paginate_queryset(self, queryset: Any) -> Any:
        page = super().paginate_queryset(queryset)  # type: ignore[misc]
        if page is not None:
            self._record(page, self.access_list_part or self.access_part)
        return page
