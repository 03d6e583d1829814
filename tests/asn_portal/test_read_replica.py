"""The read-replica router against a real streaming replica: a throw-away primary and a hot standby made with
`pg_basebackup -R` (tests/asn_portal/replica_cluster.py), holding a copy of the test database.

A BKD admin's 20 JP compliance report is read from the standby; a write request and the page after it read
the primary (read-your-writes), as does anything inside a transaction; the standby refuses writes; migrations
never target it. The standby's replay is paused in the middle so that "read from the replica" is visible in
the figures themselves, not only in which connection ran the query.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.db import DatabaseError, connections, router, transaction
from django.db.utils import load_backend
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from asn_portal import dbrouter
from people.models import Employee
from tests.asn_portal.replica_cluster import Cluster, new_cluster
from tests.people.factories import AgencyFactory, EmployeeFactory, OrgUnitFactory, make_hr_admin
from training.defaults import ensure_defaults
from training.ledger import selectors as ledger_selectors
from training.ledger import services as ledger_services

pytestmark = pytest.mark.xdist_group("replica")  # its own servers, ports and a session-wide fixture

log = logging.getLogger(__name__)  # figures for docs/scaling.md: pytest -o log_cli=true --log-cli-level=INFO
DB_NAME = "asn_replica_test"
TODAY = dt.date.today()
YEAR = TODAY.year
REPLICA_MIDDLEWARE = "asn_portal.dbrouter.ReplicaPinMiddleware"


@pytest.fixture(scope="session")
def streaming_replica(django_db_setup: Any) -> Iterator[Cluster]:
    """Primary with a copy of the (migrated) test database, then a hot standby streaming from it."""
    cluster = new_cluster()
    try:
        cluster.start_with_copy_of(connections["default"].settings_dict, DB_NAME)
        cluster.create_standby()
        log.info("replica cluster seconds: %s", {k: round(v, 2) for k, v in cluster.timings.items()})
        yield cluster
    finally:
        cluster.stop()


@contextlib.contextmanager
def portal_on(cluster: Cluster) -> Iterator[None]:
    """`default` = the throw-away primary, `replica` = its standby, the router and its middleware installed.
    The wrappers are put in place for this thread only; `connections.settings` is left alone."""
    from django.conf import settings

    saved = {alias: getattr(connections._connections, alias, None) for alias in ("default", "replica")}
    base = connections["default"].settings_dict
    for alias, name in (("default", "primary"), ("replica", "standby")):
        settings_dict = {**base, **cluster.settings(name, DB_NAME), "TEST": {**base["TEST"], "MIRROR": None}}
        connections[alias] = load_backend(base["ENGINE"]).DatabaseWrapper(settings_dict, alias)
    middleware = list(settings.MIDDLEWARE)
    middleware.insert(middleware.index("django.contrib.sessions.middleware.SessionMiddleware"), REPLICA_MIDDLEWARE)
    try:
        with override_settings(DATABASE_ROUTERS=["asn_portal.dbrouter.ReplicaRouter"], MIDDLEWARE=middleware):
            yield
    finally:
        for alias, wrapper in saved.items():
            connections[alias].close()
            if wrapper is None:
                delattr(connections._connections, alias)
            else:
                connections[alias] = wrapper
        dbrouter.reset()


def credit(emp: Employee, jp: str, n: int) -> None:
    ledger_services.learning_credit(
        employee=emp,
        jp=Decimal(jp),
        on_date=TODAY,
        title=f"Pelatihan {n}",
        source_type="test",
        source_id=f"replica-{n}",
        actor=None,
    )


def met_on_page(client: Client) -> int:
    response = client.get(reverse("training:report-compliance"), {"year": YEAR})
    assert response.status_code == 200
    return int(response.context["report"]["total"]["met"])


def replay(cluster: Cluster, *, paused: bool) -> None:
    with contextlib.closing(cluster.connect("standby", DB_NAME)) as conn:
        conn.cursor().execute("SELECT pg_wal_replay_pause()" if paused else "SELECT pg_wal_replay_resume()")


@pytest.mark.django_db  # creates the test database the fixture copies; the test itself runs on the copy
def test_reports_read_the_standby_and_writes_read_the_primary(streaming_replica: Cluster) -> None:
    cluster = streaming_replica
    with portal_on(cluster):
        ensure_defaults()
        agency = AgencyFactory(name="Pemerintah Provinsi Replika", code="replika")
        dinas = OrgUnitFactory(agency=agency, name="Dinas Replika")
        admin = make_hr_admin(agency, name="Admin Replika")
        staff = EmployeeFactory(unit=dinas, name="Staf Replika")
        credit(staff, "25", 1)  # one of two employees reaches 20 JP
        lag = cluster.wait_for_replay(DB_NAME)
        log.info("standby replayed the writes %.0f ms after commit", lag * 1000)

        client = Client()
        client.force_login(admin.user)
        with CaptureQueriesContext(connections["replica"]) as on_replica:
            assert met_on_page(client) == 1
        sql = " ".join(q["sql"] for q in on_replica.captured_queries)
        assert "training_jpcompliancesummary" in sql  # the report's figures came from the standby...
        assert "django_session" not in sql  # ...the session (just written) from the primary

        # A streamed export fetches its rows after the view has returned: still from the standby.
        response = client.get(reverse("people:directory-export", kwargs={"fmt": "csv"}))
        with CaptureQueriesContext(connections["replica"]) as on_replica:
            csv_text = b"".join(response.streaming_content).decode()
        assert "Staf Replika" in csv_text
        assert any("people_employee" in q["sql"] for q in on_replica.captured_queries)

        replay(cluster, paused=True)
        try:
            credit(admin, "30", 2)  # now two of two on the primary; the standby does not replay it yet
            assert met_on_page(client) == 1  # a report may lag the primary by a moment: it reads the standby

            # The admin saves a form: that request and the page it redirects to read the primary.
            response = client.post(reverse("training:report-compliance") + f"?year={YEAR}")
            assert response.status_code == 200
            assert response.context["report"]["total"]["met"] == 2
            assert client.cookies[dbrouter.PIN_COOKIE]["max-age"] == 5
            assert met_on_page(client) == 2

            # Within one request or task: once it has written, it reads its writes.
            dbrouter.reset()
            with dbrouter.using_replica():
                assert ledger_selectors.compliance_report(agency_id=agency.pk, year=YEAR)["total"]["met"] == 1
                with transaction.atomic():  # a transaction reads the primary
                    assert ledger_selectors.compliance_report(agency_id=agency.pk, year=YEAR)["total"]["met"] == 2
                credit(EmployeeFactory(unit=dinas, name="Staf Baru"), "20", 3)
                assert ledger_selectors.compliance_report(agency_id=agency.pk, year=YEAR)["total"]["met"] == 3
            dbrouter.reset()
        finally:
            replay(cluster, paused=False)

        cluster.wait_for_replay(DB_NAME)
        fresh = Client()  # another browser, no pin cookie
        fresh.force_login(admin.user)
        with CaptureQueriesContext(connections["replica"]) as on_replica:
            assert met_on_page(fresh) == 3  # caught up: read from the standby again
        assert any("training_jpcompliancesummary" in q["sql"] for q in on_replica.captured_queries)

        # The standby is read-only, whatever asks it to write.
        with pytest.raises(DatabaseError, match="read-only"), connections["replica"].cursor() as cursor:
            cursor.execute("UPDATE people_employee SET name = 'X' WHERE id = %s", [staff.pk])
        with pytest.raises(DatabaseError, match="read-only"):
            Employee.objects.using("replica").filter(pk=staff.pk).update(name="X")


def test_migrations_never_target_the_replica() -> None:
    with override_settings(DATABASE_ROUTERS=["asn_portal.dbrouter.ReplicaRouter"]):
        assert router.allow_migrate("replica", "training") is False
        assert router.allow_migrate("default", "training") is True
