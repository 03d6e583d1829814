"""One golongan floor for JPT Pratama (regulations.md §4.6: eselon II.b starts at IV/b), read by both the
vacancy eligibility (promotions) and the import placement check (people): IV/a is refused, IV/b accepted."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from people.models import ImportBatch
from promotions import selectors
from promotions.vacancies import services as vacancy_services
from tests.people.factories import EmployeeFactory, PositionFactory
from tests.people.test_imports import emp_row, preview, to_csv
from tests.promotions.factories import give_predikat, set_rank

pytestmark = pytest.mark.django_db


def _administrator(org: Any, name: str, golongan: str) -> Any:
    post = PositionFactory(unit=org.dinas, kind="administrator", title=f"Kepala Bagian {name}", headcount=1)
    person = EmployeeFactory(
        unit=org.dinas, position=post, name=name, birth_date=dt.date(1975, 3, 1), education_level="s1"
    )
    return set_rank(person, golongan, dt.date(2020, 4, 1), position_start_date=dt.date(2020, 1, 2))


def test_a_jpt_pratama_vacancy_ranks_the_iv_b_administrator_and_not_the_iv_a_one(
    org: Any, today: dt.date, refdata: None
) -> None:
    at_iv_a = _administrator(org, "Administrator Empat A", "IV/a")
    at_iv_b = _administrator(org, "Administrator Empat B", "IV/b")
    give_predikat([at_iv_a, at_iv_b], [2024, 2025])
    post = PositionFactory(unit=org.dinas, kind="jpt_pratama", title="Kepala Badan Uji", headcount=1)
    vacancy = vacancy_services.vacancy_open(position=post, actor=org.admin.user)
    candidates = {c.employee_id for c in selectors.candidates_of(vacancy)}
    assert at_iv_b.pk in candidates
    assert at_iv_a.pk not in candidates


def _import_into_jpt(org: Any, golongan: str) -> ImportBatch:
    PositionFactory(unit=org.dinas, code="P00077", title="Kepala Badan Uji", kind="jpt_pratama", headcount=1)
    return preview(org, to_csv([emp_row(1, org.dinas.code, "P00077", golongan=golongan)]))


def test_importing_a_iv_a_into_a_jpt_pratama_post_needs_a_decision(org: Any) -> None:
    decisions = _import_into_jpt(org, "IV/a").rows[0]["decisions"]
    assert len(decisions) == 1
    assert "Golongan IV/a di bawah golongan terendah untuk jabatan JPT Pratama (IV/b)" in decisions[0]


def test_importing_a_iv_b_into_a_jpt_pratama_post_needs_no_decision(org: Any) -> None:
    assert _import_into_jpt(org, "IV/b").rows[0]["decisions"] == []
