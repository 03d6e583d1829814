"""Schemathesis over the whole OpenAPI schema, once per role: no request may end in a 5xx, and every
answer must match the schema (documented status code, content type and body shape).

Bounded and deterministic: MAX_EXAMPLES requests per operation and role, drawn from valid and invalid data
with Hypothesis' derandomize (a fixed seed derived from the test), no example database, no shrinking.
The world is the seeded demo (tests/asn_portal/fuzz_world.py); path ids alternate between generated
values and a real row of the operation's model, so both the 404 paths and the real handlers run.
Failures are collected over all operations and reported together, each with the request that caused it."""

from __future__ import annotations

import functools
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import Resolver404, resolve
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.asn_portal.fuzz_world import ROLES, in_own_transaction, seed_world, user_for
from tests.conftest import ARTIFACTS, api_token_for

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 6  # per operation and role, drawn from valid and invalid data, generated and real ids
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@functools.cache
def api_schema() -> Any:
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())


def _real_id(path: str) -> int | None:
    """The pk of an existing row of the model behind `path` (a template such as /api/v1/units/{id}/)."""
    import re

    concrete = re.sub(r"\{[^}]+\}", "1", path)
    try:
        match = resolve(concrete)
    except Resolver404:
        return None
    view = getattr(match.func, "cls", None)
    model = None
    queryset = getattr(view, "queryset", None)
    if queryset is not None:
        model = queryset.model
    elif getattr(view, "serializer_class", None) is not None and hasattr(view.serializer_class, "Meta"):
        model = getattr(view.serializer_class.Meta, "model", None)
    if model is None and "/employees/{" in path:
        from people.models import Employee

        model = Employee
    if model is None:
        return None
    row = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
    return row


def _strategy(operation: Any) -> Any:
    strategies = [
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    ]
    path_params = [p.name for p in operation.path_parameters]
    if path_params:
        real = _real_id(operation.path)
        if real is not None:
            fixed = dict.fromkeys(path_params, real)
            strategies += [
                operation.as_strategy(generation_mode=GenerationMode.POSITIVE, path_parameters=fixed),
                operation.as_strategy(generation_mode=GenerationMode.NEGATIVE, path_parameters=fixed),
            ]
    return st.one_of(strategies)


def _fuzz_operation(operation: Any, headers: dict[str, str], failures: list[str]) -> int:
    calls = 0

    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=_strategy(operation))
    def run(case: Any) -> None:
        nonlocal calls
        calls += 1
        response, commit_error = in_own_transaction(lambda: case.call(headers=headers))
        assert response is not None
        if commit_error:
            failures.append(f"{operation.label}: COMMIT would fail ({commit_error})\n    {case.as_curl_command()}")
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001  (collect all, report together)
            found = exc.exceptions if isinstance(exc, BaseExceptionGroup) else (exc,)
            titles = "; ".join(
                sorted({f"{getattr(e, 'title', type(e).__name__)}: {getattr(e, 'message', '')[:300]}" for e in found})
            )
            body = response.text[:160].replace("\n", " ")
            failures.append(
                f"{operation.label} -> {response.status_code} [{titles}] {body}\n"
                f"    {case.as_curl_command(headers={'Authorization': '…'})[:300]}"
            )

    run()
    return calls


@pytest.fixture
def wsgi_keeps_test_connection():
    """The WSGI handler closes the database connection after each request; inside a test that would
    close the test transaction's connection. Django's own test client disconnects the same receivers."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.usefixtures("wsgi_keeps_test_connection")
@pytest.mark.parametrize("role", ROLES)
def test_api_answers_every_generated_request_without_server_error_and_per_schema(role):
    seed_world()
    headers = {"Authorization": api_token_for(user_for(role))}
    failures: list[str] = []
    operations = [result.ok() for result in api_schema().get_all_operations()]
    assert len(operations) > 100, "the schema should cover the whole API"
    calls = sum(_fuzz_operation(op, headers, failures) for op in operations)
    assert calls >= len(operations) * 2, "every operation should have been called"
    # One line per distinct failure (the same bug usually shows up several times).
    unique = sorted(set(failures))
    ARTIFACTS.mkdir(exist_ok=True)
    report = f"{calls} requests over {len(operations)} operations\n" + "\n".join(unique) + "\n"
    (ARTIFACTS / f"api_fuzz_{role}.txt").write_text(report, encoding="utf-8")
    assert not unique, f"{len(unique)} failing requests as {role}:\n" + "\n".join(unique[:60])
