"""Helpers for careers tests: sessions, plans, final predikat and JPM rows for the 9-box."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from careers.choices import ReviewStatus
from careers.defaults import ensure_all
from careers.models import CareerPlan, MentoringSession, SessionMentee, TalentPlacement, TalentReview
from people.models import Employee


def predikat(employee: Employee, year: int, value: str) -> Any:
    from performance.models import PredikatRecord

    return PredikatRecord.objects.create(employee=employee, year=year, predikat=value, source="import", locked=True)


def jpm(employee: Employee, value: str | Decimal) -> Any:
    from competencies.models import EmployeeJpm

    return EmployeeJpm.objects.update_or_create(
        employee=employee, defaults={"position": employee.position, "jpm": Decimal(value)}
    )[0]


def session(coach: Employee, mentees: list[Employee], held_on: dt.date | None = None, **kw: Any) -> MentoringSession:
    s = MentoringSession.objects.create(
        agency_id=coach.agency_id,
        coach=coach,
        author=coach.user,
        held_on=held_on or dt.date(2026, 3, 2),
        duration_minutes=kw.pop("duration_minutes", 60),
        topics=kw.pop("topics", "Capaian RHK"),
        shared_notes=kw.pop("shared_notes", "Catatan bersama"),
        private_notes=kw.pop("private_notes", "RAHASIA-PEMBIMBING"),
        **kw,
    )
    for m in mentees:
        SessionMentee.objects.create(session=s, employee=m)
    return s


def plan(employee: Employee, **kw: Any) -> CareerPlan:
    kw.setdefault("target_family", "Analis kebijakan")
    return CareerPlan.objects.create(employee=employee, **kw)


def review(agency_id: int, year: int = 2025, status: str = ReviewStatus.COMPUTED, **kw: Any) -> TalentReview:
    ensure_all()
    return TalentReview.objects.create(agency_id=agency_id, name=f"Talenta {year}", year=year, status=status, **kw)


def placement(review: TalentReview, employee: Employee, box: int) -> TalentPlacement:
    from careers.rules import bands_of

    pb, qb = bands_of(box)
    return TalentPlacement.objects.create(
        review=review,
        employee=employee,
        unit=employee.unit,
        position=employee.position,
        performance_score=Decimal("75"),
        performance_band=pb,
        potential_score=Decimal("80"),
        potential_band=qb,
        computed_box=box,
        box=box,
    )
