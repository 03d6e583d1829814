"""Read replica: report reads that opt in go to the `replica` database, everything else to `default`.

Configured by `DATABASE_REPLICA_URL` (settings/base.py adds the `replica` alias, this router and
`ReplicaPinMiddleware`); without it nothing here is installed and every query goes to `default` as before.

Explicit, not automatic: only code inside `using_replica()` (or a view decorated with `replica_reads`) reads
from the replica: the agency-wide reports and their exports, whose figures may be a second old. Even there a
read stays on `default` when

- it runs inside a transaction (`transaction.atomic`): a transaction sees its own writes and locks;
- the same request (or Celery task) has already written something (`db_for_write` pins it): read-your-writes;
- the request is a POST/PUT/PATCH/DELETE, or the browser carries the short-lived pin cookie set after one
  (`DATABASE_REPLICA_PIN_SECONDS`): the page a form redirects to shows what was just saved, whatever the lag;
- the model is one whose staleness would be felt at once (sessions, users, login lockouts, tokens).

Migrations never run on the replica (a hot standby is read-only; it receives the schema by streaming).
See docs/scaling.md.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model
from django.http import HttpRequest, HttpResponseBase, StreamingHttpResponse

REPLICA = "replica"
PIN_COOKIE = "asn_primary"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Stale rows of these would show at once (signed out, lockout missed, token still valid): always the primary.
PRIMARY_ONLY_APPS = frozenset({"sessions", "axes", "knox", "admin", "django_celery_beat"})
PRIMARY_ONLY_MODELS = frozenset({"asn_portal.ApiToken", "asn_portal.IdempotencyKey"})  # and the user model

P = ParamSpec("P")
R = TypeVar("R")


@dataclass
class _State:
    replica_depth: int = 0  # > 0 inside using_replica()
    pinned: bool = False  # this request/task has written (or is a write request): read-your-writes


_state: ContextVar[_State | None] = ContextVar("asn_replica_state", default=None)


def _current() -> _State:
    state = _state.get()
    if state is None:
        state = _State()
        _state.set(state)
    return state


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextlib.contextmanager
def using_replica() -> Iterator[None]:
    """Reads inside may go to the replica (report figures that may lag the primary by a moment)."""
    state = _current()
    state.replica_depth += 1
    try:
        yield
    finally:
        state.replica_depth -= 1


def pin_to_primary() -> None:
    """From now on this request/task reads from the primary (called on every write through the ORM)."""
    _current().pinned = True


def reset() -> None:
    """A new request or task: nothing written yet, not inside using_replica()."""
    _state.set(_State())


def reading_connection(model: type[Model]) -> BaseDatabaseWrapper:
    """The connection a raw-SQL report over `model` reads from (the router's choice, as the ORM's would be)."""
    return connections[router.db_for_read(model)]


def replica_reads(view: Callable[P, R]) -> Callable[P, R]:
    """View decorator: the report view (and, for a streamed export, its rows) reads through using_replica()."""

    @functools.wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        with using_replica():
            response = view(*args, **kwargs)
        if isinstance(response, StreamingHttpResponse) and isinstance(response.streaming_content, Iterator):
            response.streaming_content = _streamed_on_replica(response.streaming_content)
        return response

    return wrapped


def _streamed_on_replica(content: Iterator[Any]) -> Iterator[Any]:
    """A streamed export evaluates its queryset after the view returned: iterate inside using_replica()."""
    with using_replica():
        yield from content


@functools.cache
def _primary_only_models() -> frozenset[str]:
    return frozenset({str(settings.AUTH_USER_MODEL), *PRIMARY_ONLY_MODELS})


class ReplicaRouter:
    """DATABASE_ROUTERS entry, installed only when a replica is configured."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        state = _state.get()
        if state is None or state.replica_depth == 0 or state.pinned:
            return None
        if model._meta.app_label in PRIMARY_ONLY_APPS or model._meta.label in _primary_only_models():
            return None
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return None
        return REPLICA

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        pin_to_primary()
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        return db != REPLICA


class ReplicaPinMiddleware:
    """Starts each request unpinned, except write requests and those within the pin cookie's lifetime;
    after a write request, sets the cookie so the page it redirects to reads the primary."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        reset()
        write_request = request.method in UNSAFE_METHODS
        if write_request or PIN_COOKIE in request.COOKIES:
            pin_to_primary()
        response = self.get_response(request)
        if write_request:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.DATABASE_REPLICA_PIN_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response
