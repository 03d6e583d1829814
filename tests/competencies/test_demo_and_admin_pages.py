"""The seeder (standards for every post, most people assessed, JPM + snapshots) and the smaller admin pages."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from django.test import Client

from asn_portal.demo import DemoContext
from asn_portal.models import JobRun
from competencies.demo import seed_competencies
from competencies.models import Competency, CompetencyRequirement, EmployeeJpm, JpmSnapshot
from people.demo import seed_people
from people.models import Employee, Position, Rank
from people.ranks import ensure_ranks
from tests.competencies.factories import national

pytestmark = [pytest.mark.django_db]


def client_for(emp: Any) -> Client:
    c = Client()
    c.force_login(emp.user)
    return c


def test_seeder_gives_every_post_a_standard_and_most_people_a_jpm() -> None:
    national()
    ensure_ranks(Rank)  # a transactional test may have flushed the migration's rows
    ctx = DemoContext(employees=150, seed=7, today=dt.date(2026, 6, 1), rng=random.Random(7))
    seed_people(ctx)
    seed_competencies(ctx)
    assert not Position.objects.filter(competency_requirements__isnull=True).exists()
    active = Employee.objects.count()
    assessed = EmployeeJpm.objects.filter(assessed_count__gt=0).count()
    assert 0.8 * active <= assessed < active  # most, but a few never assessed
    staff_id = ctx.data["people"]["medan"]["staff_employee_id"]
    assert EmployeeJpm.objects.get(employee_id=staff_id).gap_count > 0
    assert JpmSnapshot.objects.filter(employee_id=staff_id).count() >= 2  # a trend to chart
    assert CompetencyRequirement.objects.filter(competency__kind="technical").exists()


def test_admin_creates_technical_competency_but_not_a_national_one(org) -> None:
    comps = national()
    c = client_for(org.admin)
    resp = c.post(
        "/kompetensi/kamus/tambah/", {"code": "TK1", "name": "Pengelolaan Arsip", "order": 100, "is_active": "on"}
    )
    assert resp.status_code == 302
    created = Competency.objects.get(code="TK1")
    assert created.agency == org.agency and created.kind == "technical"
    assert c.get(f"/kompetensi/kamus/{comps[0].pk}/ubah/").status_code == 403
    assert client_for(org.foreign_admin).get(f"/kompetensi/kamus/{created.pk}/").status_code == 404


def test_progress_page_shows_a_job_of_own_agency_only(org) -> None:
    run = JobRun.objects.create(
        job="competencies.jpm_refresh_positions", agency_id=org.agency.pk, counts={"total": 400, "done": 100}
    )
    html = client_for(org.admin).get(f"/kompetensi/standar/progres/{run.pk}/").content.decode()
    assert "25%" in html and "100 dari 400" in html
    assert client_for(org.foreign_admin).get(f"/kompetensi/standar/progres/{run.pk}/").status_code == 404


def test_default_level_table_is_readable_by_admins(org) -> None:
    national()
    html = client_for(org.admin).get("/kompetensi/standar/bawaan/").content.decode()
    assert "JPT Pratama" in html and "keyakinan RENDAH" in html
