"""Which database each read goes to (asn_portal.dbrouter), decided without a server: the real standby is in
test_read_replica.py."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import router
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings

from asn_portal import dbrouter
from asn_portal.models import ApiToken
from people.models import Employee, User
from training.models import LearningRecord

ROUTED = override_settings(DATABASE_ROUTERS=["asn_portal.dbrouter.ReplicaRouter"])


@pytest.fixture(autouse=True)
def _fresh_state() -> Iterator[None]:
    dbrouter.reset()
    yield
    dbrouter.reset()


def test_without_a_replica_nothing_is_routed_and_no_middleware_runs() -> None:
    assert "replica" not in settings.DATABASES
    assert settings.DATABASE_ROUTERS == []
    assert "asn_portal.dbrouter.ReplicaPinMiddleware" not in settings.MIDDLEWARE
    with dbrouter.using_replica():
        assert router.db_for_read(LearningRecord) == "default"


@ROUTED
def test_report_reads_go_to_the_replica_only_inside_using_replica() -> None:
    assert router.db_for_read(LearningRecord) == "default"
    with dbrouter.using_replica():
        assert router.db_for_read(LearningRecord) == "replica"
        assert router.db_for_read(Employee) == "replica"
    assert router.db_for_read(LearningRecord) == "default"


@ROUTED
@pytest.mark.parametrize("model", [Session, User, ApiToken])
def test_sessions_users_and_tokens_are_always_read_from_the_primary(model: Any) -> None:
    with dbrouter.using_replica():
        assert router.db_for_read(model) == "default"


@ROUTED
def test_after_a_write_the_same_request_reads_the_primary() -> None:
    with dbrouter.using_replica():
        assert router.db_for_write(LearningRecord) == "default"
        assert router.db_for_read(LearningRecord) == "default"
    dbrouter.reset()  # the next request or task starts unpinned
    with dbrouter.using_replica():
        assert router.db_for_read(LearningRecord) == "replica"


@ROUTED
@pytest.mark.django_db
def test_reads_inside_a_transaction_stay_on_the_primary() -> None:
    # pytest-django runs this test inside a transaction on default
    with dbrouter.using_replica():
        assert router.db_for_read(LearningRecord) == "default"


def _view(request: HttpRequest) -> HttpResponse:
    with dbrouter.using_replica():
        return HttpResponse(router.db_for_read(LearningRecord))


@ROUTED
@pytest.mark.parametrize(
    ("method", "cookie", "reads_from", "sets_pin"),
    [
        ("get", False, "replica", False),
        ("post", False, "default", True),
        ("get", True, "default", False),  # the page a form redirected to
    ],
)
def test_write_requests_and_the_page_after_them_read_the_primary(
    method: str, cookie: bool, reads_from: str, sets_pin: bool
) -> None:
    request = getattr(RequestFactory(), method)("/laporan/")
    if cookie:
        request.COOKIES[dbrouter.PIN_COOKIE] = "1"
    response = dbrouter.ReplicaPinMiddleware(_view)(request)
    assert response.content.decode() == reads_from
    assert (dbrouter.PIN_COOKIE in response.cookies) is sets_pin
    if sets_pin:
        assert response.cookies[dbrouter.PIN_COOKIE]["max-age"] == settings.DATABASE_REPLICA_PIN_SECONDS


@ROUTED
def test_a_streamed_export_reads_its_rows_from_the_replica() -> None:
    from django.http import StreamingHttpResponse

    def rows() -> Iterator[str]:
        yield router.db_for_read(LearningRecord)

    response = dbrouter.replica_reads(lambda request: StreamingHttpResponse(rows()))(HttpRequest())
    assert b"".join(response.streaming_content) == b"replica"  # type: ignore[union-attr]
