"""Nightly jobs fanned out per agency / per chunk of employees (asn_portal.fanout): every employee is in
exactly one part, each part writes its own run, the parent run sums them, and a redelivered part repeats
nothing."""

from __future__ import annotations

import contextlib
from collections import Counter
from typing import Any

import pytest
from django.test import Client, override_settings

from asn_portal import fanout, registry
from asn_portal.models import JobRun, OutboxMessage
from asn_portal.tasks import job_part
from competencies.models import EmployeeJpm, JpmSnapshot
from competencies.services import JPM_JOB, jpm_recompute_dispatch
from people.choices import ACTIVE_STATUSES
from people.models import Employee, User
from tests.people.factories import EmployeeFactory, OrgUnitFactory
from training import jobs as training_jobs
from training.models import YearlyJpSummary

pytestmark = pytest.mark.django_db

WITH_BROKER = {"CELERY_BROKER_URL": "redis://127.0.0.1:6379/7", "CELERY_TASK_ALWAYS_EAGER": False}


@pytest.fixture
def staffed(org: Any) -> Any:
    """The org fixture plus enough staff that chunks of 3 split each agency into several parts."""
    for i in range(7):
        EmployeeFactory(unit=org.dinas, name=f"Staf Tambahan {i}")
    EmployeeFactory(unit=OrgUnitFactory(agency=org.other_agency), name="Staf Pontianak Dua")
    return org


def _active() -> Any:
    return Employee.objects.filter(status__in=ACTIVE_STATUSES)


def _covered(parts: list[fanout.Part]) -> Counter[int]:
    """How many parts each employee falls into (the part functions' own filter: agency and pk range)."""
    seen: Counter[int] = Counter()
    for p in parts:
        lo, hi = p.params["pk_from"], p.params["pk_to"]
        for pk, agency in _active().values_list("pk", "agency_id"):
            if agency == p.params["agency_id"] and pk >= lo and (hi is None or pk <= hi):
                seen[pk] += 1
    return seen


def test_chunks_cover_every_active_employee_exactly_once(staffed: Any) -> None:
    parts = fanout.chunk_parts(_active(), 3)
    seen = _covered(parts)
    assert set(seen) == set(_active().values_list("pk", flat=True))
    assert set(seen.values()) == {1}
    assert len({p.key for p in parts}) == len(parts)  # keys are unique within a run
    assert all(1 <= sum(_covered([p]).values()) <= 3 for p in parts)
    assert {p.agency_id for p in parts} == {staffed.agency.pk, staffed.other_agency.pk}
    assert all(p.params["agency_id"] == p.agency_id for p in parts)


@override_settings(JOB_PART_SIZE=3)
def test_jpm_fan_out_without_a_broker_runs_every_part_and_sums_them(staffed: Any) -> None:
    counts = jpm_recompute_dispatch()
    parent = JobRun.objects.get(pk=counts["run_id"])
    children = list(parent.parts.all())
    assert parent.status == "success" and parent.parent is None and parent.finished_at
    assert counts["parts"] == counts["parts_done"] == len(children) > 2
    assert counts["employees"] == _active().count() == sum(c.counts["employees"] for c in children)
    assert {c.status for c in children} == {"success"}
    assert {c.agency_id for c in children} == {staffed.agency.pk, staffed.other_agency.pk}
    assert set(EmployeeJpm.objects.values_list("employee_id", flat=True)) == set(_active().values_list("pk", flat=True))


@override_settings(JOB_PART_SIZE=3)
def test_an_agency_admins_run_covers_only_their_agency(staffed: Any) -> None:
    counts = jpm_recompute_dispatch(agency_id=staffed.other_agency.pk)
    parent = JobRun.objects.get(pk=counts["run_id"])
    assert parent.agency_id == staffed.other_agency.pk
    assert set(parent.parts.values_list("agency_id", flat=True)) == {staffed.other_agency.pk}
    assert counts["employees"] == _active().filter(agency=staffed.other_agency).count()
    assert not EmployeeJpm.objects.filter(employee__agency=staffed.agency).exists()


@override_settings(JOB_PART_SIZE=3, **WITH_BROKER)
def test_with_a_broker_each_part_is_one_outbox_message_and_redelivery_repeats_nothing(staffed: Any) -> None:
    counts = jpm_recompute_dispatch()
    parent = JobRun.objects.get(pk=counts["run_id"])
    messages = list(OutboxMessage.objects.filter(task=fanout.PART_TASK).order_by("pk"))
    assert len(messages) == counts["parts"] > 2 and counts["parts_done"] == 0
    assert parent.status == "running" and not parent.parts.exists()  # nothing ran in the dispatcher

    for m in messages:  # what the worker does with each message
        job_part(*m.args, **m.kwargs)
    parent.refresh_from_db()
    assert parent.status == "success" and parent.counts["parts_done"] == len(messages)
    assert parent.counts["employees"] == _active().count()
    finished = parent.finished_at
    snapshots = JpmSnapshot.objects.count()
    runs = list(JobRun.objects.filter(parent=parent).values_list("pk", "started_at", "finished_at"))

    for m in messages:  # every message delivered again (a worker lost after the work, before the ack)
        assert job_part(*m.args, **m.kwargs) == {}
    parent.refresh_from_db()
    assert list(JobRun.objects.filter(parent=parent).values_list("pk", "started_at", "finished_at")) == runs
    assert parent.finished_at == finished and parent.counts["employees"] == _active().count()
    assert JpmSnapshot.objects.count() == snapshots


@override_settings(JOB_PART_SIZE=3)
def test_the_fanned_out_yearly_summary_equals_the_single_job(staffed: Any) -> None:
    training_jobs.yearly_summary(2025)
    single = set(YearlyJpSummary.objects.values_list("employee_id", "agency_id", "jp_total", "met_target"))
    YearlyJpSummary.objects.all().delete()
    counts = training_jobs.yearly_summary_dispatch(2025)
    assert set(YearlyJpSummary.objects.values_list("employee_id", "agency_id", "jp_total", "met_target")) == single
    assert counts["employees"] == len(single) == _active().count() and counts["parts"] > 2


@pytest.fixture
def flaky_job() -> Any:
    """A job whose second part fails until `state["broken"]` is cleared (a failure the worker retries)."""
    state = {"broken": True, "calls": 0}

    def part(n: int) -> dict[str, int]:
        state["calls"] += 1
        if n == 2 and state["broken"]:
            raise RuntimeError("database went away")
        return {"done": n}

    registry.register_job_part("tests.flaky", part)
    yield state
    registry.registry.job_parts.pop("tests.flaky", None)


@override_settings(**WITH_BROKER)
def test_a_failed_part_fails_the_run_until_its_redelivery_succeeds(org: Any, flaky_job: Any) -> None:
    parts = [fanout.Part(key=f"n{n}", params={"n": n}) for n in (1, 2, 3)]
    parent = fanout.dispatch("tests.flaky", parts)
    messages = list(OutboxMessage.objects.filter(task=fanout.PART_TASK).order_by("pk"))
    for m in messages:
        with contextlib.suppress(RuntimeError):
            job_part(*m.args, **m.kwargs)
    parent.refresh_from_db()
    assert parent.status == "failed" and parent.counts["parts_failed"] == 1 and "n2" in parent.error
    assert parent.counts["done"] == 4  # parts 1 and 3

    flaky_job["broken"] = False
    for m in messages:
        job_part(*m.args, **m.kwargs)
    parent.refresh_from_db()
    assert parent.status == "success" and parent.error == "" and parent.counts["done"] == 6
    assert flaky_job["calls"] == 4  # 1, 2 (failed), 3, then only 2 again


def test_the_jobs_page_shows_a_fanned_out_run_once_with_its_parts(org: Any) -> None:
    counts = jpm_recompute_dispatch()
    c = Client()
    c.force_login(org.admin.user)
    html = c.get("/pekerjaan/").content.decode()
    assert f'data-testid="parts-{counts["run_id"]}"' in html
    assert f"{counts['parts']} dari {counts['parts']} bagian selesai" in html
    assert html.count(JPM_JOB) == 1  # the parts' own runs are not listed
    root = User.objects.create_superuser("root", "root@example.go.id", "x")
    c.force_login(root)
    parts = c.get(f"/admin/asn_portal/jobrun/?parent__id__exact={counts['run_id']}")
    assert parts.status_code == 200
    assert all(
        key in parts.content.decode()
        for key in JobRun.objects.filter(parent_id=counts["run_id"]).values_list("part", flat=True)
    )
