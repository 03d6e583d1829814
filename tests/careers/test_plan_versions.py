"""Changing an agreed career plan makes a new version that needs the head's agreement again; history is kept."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client

from asn_portal.models import AuditEntry
from careers import rules
from careers.choices import PlanStatus
from careers.models import CareerPlan, CareerPlanVersion
from careers.plans import services as plan_services
from tests.competencies.factories import record, set_standard
from tests.conftest import api_as
from tests.people.factories import PositionFactory

TODAY = dt.date(2026, 6, 15)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 6, 15, 9, 0, tzinfo=dt.UTC), tick=True):
        yield


@pytest.mark.parametrize(
    ("status", "new_version", "after"),
    [
        ("draft", False, "draft"),
        ("submitted", False, "submitted"),
        ("revision", False, "revision"),
        ("agreed", True, "draft"),  # an agreed plan changed: new version, back to draft for a new agreement
    ],
)
def test_plan_change_effect_cases(status: str, new_version: bool, after: str) -> None:
    effect = rules.plan_change_effect(status)
    assert (effect.new_version, effect.status_after) == (new_version, after)


def _agreed_plan_with_gap(org: Any) -> CareerPlan:
    target = PositionFactory(unit=org.dinas, kind="pengawas", title="Kepala Seksi Pelayanan")
    comps = set_standard(target, [3, 3])
    record(org.staff, {comps[0].pk: 1, comps[1].pk: 1})
    plan = plan_services.plan_create(employee=org.staff, target_position=target, actor=org.staff.user)
    plan_services.action_add(plan=plan, kind="training", title="Diklat pengawas", due_date=TODAY, actor=org.staff.user)
    plan_services.plan_submit(plan=plan, actor=org.staff.user)
    plan_services.plan_review(plan=plan, agree=True, comment="Sepakat", actor=org.head.user, today=TODAY)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.AGREED and plan.version == 1
    return plan


def _client(emp: Any) -> Client:
    c = Client()
    c.force_login(emp.user)
    return c


def test_drafting_from_gaps_on_an_agreed_plan_opens_version_2_through_the_page(org: Any) -> None:
    plan = _agreed_plan_with_gap(org)
    r = _client(org.staff).post(f"/karier/rencana/{plan.pk}/", {"op": "draft"})
    assert r.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and plan.version == 2
    assert plan.agreed_by is None and plan.agreed_on is None
    kept = CareerPlanVersion.objects.get(plan=plan, version=1)
    assert kept.agreed_by == org.head and kept.agreed_on == TODAY
    assert [a["title"] for a in kept.snapshot["actions"]] == ["Diklat pengawas"]
    entry = AuditEntry.objects.get(action="career_plan.new_version", object_id=str(plan.pk))
    assert entry.after == {"status": "draft", "version": 2}
    html = _client(org.staff).get(f"/karier/rencana/{plan.pk}/").content.decode()
    assert "Versi 2" in html and "Draf" in html
    assert 'data-testid="plan-versions"' in html and "Versi 1: disepakati Kepala Dinkes" in html
    # the head must agree again: resubmit, agree, version 2 is the agreed one
    plan_services.plan_submit(plan=plan, actor=org.staff.user)
    plan_services.plan_review(plan=plan, agree=True, comment="Sepakat v2", actor=org.head.user, today=TODAY)
    plan.refresh_from_db()
    assert (plan.status, plan.version) == (PlanStatus.AGREED, 2)


def test_adding_an_activity_to_an_agreed_plan_through_the_api_opens_a_new_version(org: Any) -> None:
    plan = _agreed_plan_with_gap(org)
    api = api_as(org.staff)
    r = api.post(
        f"/api/v1/career-plans/{plan.pk}/actions/",
        {"kind": "self_study", "title": "Membaca regulasi", "due_date": "2026-12-01"},
        format="json",
    )
    assert r.status_code == 201, r.json()
    body = api.get(f"/api/v1/career-plans/{plan.pk}/").json()
    assert body["status"] == "draft" and body["version"] == 2 and body["agreed_by"] is None
    assert body["versions"][0]["version"] == 1 and body["versions"][0]["agreed_by"] == org.head.pk
    r = api.post(f"/api/v1/career-plans/{plan.pk}/draft-from-gaps/")
    assert r.status_code == 201
    plan.refresh_from_db()
    assert plan.version == 2  # changes to the new draft stay in that version
    assert CareerPlanVersion.objects.filter(plan=plan).count() == 1


def test_saving_the_plan_unchanged_keeps_the_agreement_and_a_real_edit_opens_a_version(org: Any) -> None:
    plan = _agreed_plan_with_gap(org)
    same = {"target_position": plan.target_position, "horizon_years": plan.horizon_years, "aspiration": ""}
    plan_services.plan_update(plan=plan, actor=org.staff.user, **same)
    plan.refresh_from_db()
    assert (plan.status, plan.version) == (PlanStatus.AGREED, 1)
    plan_services.plan_update(plan=plan, actor=org.staff.user, aspiration="Menjadi kepala seksi dalam 2 tahun")
    plan.refresh_from_db()
    assert (plan.status, plan.version) == (PlanStatus.DRAFT, 2)
    assert CareerPlanVersion.objects.get(plan=plan).reason == "Rencana diubah oleh pegawai"
