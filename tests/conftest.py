"""Shared fixtures: a small organisation with one user per role, API clients and the browser."""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from rest_framework.test import APIClient

from people.models import Agency, Employee, OrgUnit
from tests.people.factories import AgencyFactory, EmployeeFactory, OrgUnitFactory, make_head, make_hr_admin

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture(autouse=True)
def _working_language() -> Any:
    """Each test starts in the portal's working language: a request made in English by an earlier test on the
    same thread leaves English active (the middleware activates per request and never resets), which made
    later tests' service messages English."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Under `--dist loadgroup` pytest-xdist keeps the tests of one `xdist_group` on one worker by suffixing their
    node ids with `@<group>`. pytest 9.2 stopped reading the attribute pytest-xdist 3.8 writes that suffix to, so
    the groups were silently split (the two real-worker tests ran at once, one on each worker). A grouped test
    that lacks the suffix fails before its fixtures start, naming the cause."""
    if not getattr(item.config.option, "loadgroup", False):  # set on xdist's workers under --dist loadgroup
        return
    groups = {str(m.args[0] if m.args else m.kwargs.get("name", "default")) for m in item.iter_markers("xdist_group")}
    if groups and not item.nodeid.endswith("@" + "_".join(sorted(groups))):
        pytest.fail(
            f"--dist loadgroup is not grouping: {item.nodeid} lacks its '@group' suffix, so its xdist_group can run "
            "on two workers at once. This pytest / pytest-xdist pair does not work together (requirements-dev.txt).",
            pytrace=False,
        )


@pytest.fixture(autouse=True)
def _celery_config() -> Iterator[None]:
    """Each test starts with the portal's Celery app current and configured from the (test) Django settings.
    Undone after each test: another Celery app made current (the real-worker tests' sender app once was: the
    shared tasks then ran on it, not eager, "No result backend is configured", and an eager task's error no longer
    propagated), and values set on `app.conf` itself (the broker-down faults set the eager flag and broker URL)."""
    from celery import current_app

    from asn_portal.celery import app

    if current_app._get_current_object() is not app:
        app.set_current()
    app.conf.task_always_eager  # noqa: B018 - loads the configuration, so `changes` holds only what is set on it
    before = dict(app.conf.changes)
    yield
    if current_app._get_current_object() is not app:
        app.set_current()
    if dict(app.conf.changes) != before:
        app.conf.changes.clear()
        app.conf.changes.update(before)
        app._pool = None  # connection pools made for the test's broker URL
        app.amqp._producer_pool = None


# The data migrations that write the beat schedules (django_celery_beat rows), in migration order. Each function is
# idempotent (get_or_create / update_or_create); those of the apps' seed migrations also write the reference rows
# seeded beside their schedules.
SCHEDULE_MIGRATIONS = (
    ("asn_portal.migrations.0002_heartbeat_schedule", "create"),
    ("asn_portal.migrations.0007_outbox_and_stale_job_schedules", "create"),
    ("asn_portal.migrations.0009_summary_refresh_schedule", "create"),
    ("people.migrations.0006_privacy_job_schedules", "create"),
    ("people.migrations.0009_access_log_schedules", "create"),
    ("people.migrations.0010_access_daily_rollup", "backfill_and_schedule"),
    ("competencies.migrations.0002_seed_reference_data", "load"),
    ("performance.migrations.0002_seed_reference_data", "forward"),
    ("training.migrations.0002_defaults_and_schedules", "forwards"),
    ("careers.migrations.0002_seed_defaults", "load"),
    ("promotions.migrations.0002_reference_data", "load"),
    ("promotions.migrations.0004_rename_queue_task", "forward"),
)


def _flushes_database(item: pytest.Item) -> bool:
    """Whether pytest-django ran the test as a TransactionTestCase, whose teardown empties every table."""
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    names = getattr(item, "fixturenames", ())
    return any(n in names for n in ("transactional_db", "live_server", "django_db_reset_sequences"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Any:
    """After a transactional test has emptied the tables, write back what the data migrations wrote (ranks,
    reference data, questionnaire templates, beat schedules), so the next test on this worker starts from the
    migrated database whatever order xdist gives it (under `--dist loadgroup` the grouped transactional tests
    run first)."""
    result = yield
    # After the last test (nextitem None) the session fixtures are gone and the connection names the configured
    # database again, not the test database: nothing runs after it, so nothing is written back.
    if nextitem is not None and _flushes_database(item):
        from django.apps import apps
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            for module, function in (("people.migrations.0002_seed_ranks", "load"), *SCHEDULE_MIGRATIONS):
                getattr(importlib.import_module(module), function)(apps, None)
    return result


@pytest.fixture
def beat_schedules(db: Any) -> None:
    """The beat schedules as the data migrations wrote them. A test that reads them asks for this fixture rather
    than trusting the migrated rows: a transactional test flushes every table at its end, and under
    `--dist loadgroup` the grouped transactional tests run first on their worker (pytest-xdist schedules the
    largest groups first), so the tests after them on that worker would find no schedules."""
    from django.apps import apps

    for module, function in SCHEDULE_MIGRATIONS:
        getattr(importlib.import_module(module), function)(apps, None)


@dataclass
class Org:
    """Agency A with a Dinas (head + 2 staff) containing a Bidang (head + 1 staff), a sibling Dinas
    (head + 1 staff) and a BKD admin; agency B with its own admin and staff."""

    agency: Agency
    dinas: OrgUnit
    bidang: OrgUnit
    other_dinas: OrgUnit
    head: Employee  # heads dinas (and so bidang below it)
    staff: Employee
    staff2: Employee
    bidang_head: Employee
    bidang_staff: Employee
    other_head: Employee
    other_staff: Employee
    admin: Employee
    other_agency: Agency
    foreign_admin: Employee
    foreign_staff: Employee


@pytest.fixture
def org(db: Any) -> Org:
    agency = AgencyFactory(name="Pemerintah Kota Medan", code="medan")
    dinas = OrgUnitFactory(agency=agency, name="Dinas Kesehatan")
    bidang = OrgUnitFactory(agency=agency, parent=dinas, name="Bidang Pelayanan", kind="bidang")
    other_dinas = OrgUnitFactory(agency=agency, name="Dinas Pendidikan")
    head = make_head(dinas, name="Kepala Dinkes")
    bidang_head = make_head(bidang, name="Kabid Pelayanan")
    bidang.head_position.reports_to = head.position
    bidang.head_position.save()
    staff = EmployeeFactory(unit=dinas, name="Staf Satu", position__reports_to=head.position)
    staff2 = EmployeeFactory(unit=dinas, name="Staf Dua", position=staff.position)
    bidang_staff = EmployeeFactory(unit=bidang, name="Staf Bidang", position__reports_to=bidang_head.position)
    other_head = make_head(other_dinas, name="Kepala Disdik")
    other_staff = EmployeeFactory(unit=other_dinas, name="Staf Disdik", position__reports_to=other_head.position)
    admin = make_hr_admin(agency, name="Admin BKD")
    other_agency = AgencyFactory(name="Pemerintah Kota Pontianak", code="pontianak")
    foreign_admin = make_hr_admin(other_agency, name="Admin Pontianak")
    foreign_staff = EmployeeFactory(unit=OrgUnitFactory(agency=other_agency), name="Staf Pontianak")
    return Org(
        agency,
        dinas,
        bidang,
        other_dinas,
        head,
        staff,
        staff2,
        bidang_head,
        bidang_staff,
        other_head,
        other_staff,
        admin,
        other_agency,
        foreign_admin,
        foreign_staff,
    )


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def api_token_for(user: Any) -> str:
    """The `Authorization` header value an API client of `user` sends. The one place that knows the token
    scheme (personal tokens through django-rest-knox), so a switch of token library changes only this function."""
    from asn_portal.services import api_token_create

    _token, text = api_token_create(user=getattr(user, "user", user), name="tes", days=30)
    return f"Token {text}"


def api_as(employee_or_user: Any) -> APIClient:
    client = APIClient()
    user = getattr(employee_or_user, "user", employee_or_user)
    client.force_authenticate(user=user)
    return client


@pytest.fixture(scope="session")
def browser_instance() -> Any:
    """Headless Debian Chromium driven by Playwright (never Playwright's own browser download)."""
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-dev-shm-usage",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser_instance: Any, request: pytest.FixtureRequest) -> Any:
    context = browser_instance.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    finally:
        context.close()
