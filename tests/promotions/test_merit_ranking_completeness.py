"""A vacancy whose post has no competency standard is not presented as a merit ranking; missing inputs are named."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from asn_portal.errors import ApplicationError
from promotions.models import PositionVacancy
from promotions.vacancies import rules as merit_rules
from promotions.vacancies import services as vacancy_services
from tests.competencies.factories import record, set_standard
from tests.conftest import api_as
from tests.people.factories import PositionFactory

from .test_services import setup  # noqa: F401  (fixture)
from .test_views_api import client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("has_standard", "candidates", "unassessed", "without_review", "is_merit", "n_missing", "first_words"),
    [
        (True, 4, 0, 0, True, 0, None),  # standard, all assessed and reviewed: a complete merit ranking
        (False, 16, 16, 0, False, 1, "Standar kompetensi jabatan belum ditetapkan"),
        (False, 16, 16, 16, False, 2, "Standar kompetensi jabatan belum ditetapkan"),
        (True, 16, 3, 0, True, 1, "3 dari 16 kandidat belum diases"),
        (True, 16, 0, 5, True, 1, "5 dari 16 kandidat belum memiliki review talenta"),
        (False, 0, 0, 0, True, 0, None),  # nobody qualifies: nothing to present
    ],
)
def test_ranking_completeness_cases(
    has_standard: bool,
    candidates: int,
    unassessed: int,
    without_review: int,
    is_merit: bool,
    n_missing: int,
    first_words: str | None,
) -> None:
    got = merit_rules.ranking_completeness(
        has_standard=has_standard, candidates=candidates, unassessed=unassessed, without_review=without_review
    )
    assert got.is_merit_ranking is is_merit
    assert len(got.missing) == n_missing
    if first_words:
        assert got.missing[0].startswith(first_words)


def _post(setup: Any) -> Any:  # noqa: F811
    return PositionFactory(unit=setup.dinas, kind="pengawas", title="Kepala Seksi Gizi", headcount=1,
                           reports_to=setup.head.position)  # fmt: skip


def test_vacancy_without_standard_says_it_is_not_a_merit_ranking(setup: Any) -> None:  # noqa: F811
    vacancy = vacancy_services.vacancy_open(position=_post(setup), actor=setup.admin.user)
    assert vacancy.candidates.count() >= 2
    html = client_for(setup.admin).get(f"/kenaikan-pangkat/lowongan/{vacancy.pk}/").content.decode()
    assert 'data-testid="ranking-incomplete"' in html
    assert "Ini belum peringkat merit" in html
    assert "Standar kompetensi jabatan belum ditetapkan" in html
    assert "Skor sementara" in html and ">Skor merit<" not in html
    r = api_as(setup.admin).get(f"/api/v1/vacancies/{vacancy.pk}/")
    assert r.status_code == 200
    assert r.json()["ranking"]["is_merit_ranking"] is False
    assert r.json()["ranking"]["missing"][0].startswith("Standar kompetensi jabatan belum ditetapkan")
    # choosing even the first of such a list needs a written justification
    top = vacancy.candidates.order_by("rank").first()
    r = api_as(setup.admin).post(
        f"/api/v1/vacancies/{vacancy.pk}/decide/", {"employee": top.employee_id, "justification": ""}, format="json"
    )
    assert r.status_code == 400 and "belum merupakan peringkat merit" in r.json()["message"]
    vacancy.refresh_from_db()
    assert vacancy.status == "open" and vacancy.chosen_id is None
    with pytest.raises(ApplicationError, match="justifikasi"):
        vacancy_services.vacancy_decide(
            vacancy=vacancy, employee_id=top.employee_id, justification="", actor=setup.admin.user
        )


def test_vacancy_with_standard_names_candidates_not_assessed(setup: Any) -> None:  # noqa: F811
    post = _post(setup)
    comps = set_standard(post, [3, 3])
    record(setup.staff2, {comps[0].pk: 3, comps[1].pk: 3}, on=dt.date(2026, 1, 10))
    vacancy = vacancy_services.vacancy_open(position=post, actor=setup.admin.user)
    total = vacancy.candidates.count()
    r = api_as(setup.admin).get(f"/api/v1/vacancies/{vacancy.pk}/").json()
    assert r["ranking"]["is_merit_ranking"] is True
    assert f"{total - 1} dari {total} kandidat belum diases" in r["ranking"]["missing"][0]
    html = client_for(setup.admin).get(f"/kenaikan-pangkat/lowongan/{vacancy.pk}/").content.decode()
    assert "Peringkat merit ini belum lengkap." in html
    staff = vacancy.candidates.get(employee=setup.staff)
    jpm = next(c for c in staff.components if c["key"] == "jpm")
    assert "belum diases" in jpm["source"]
    assert PositionVacancy.objects.get(pk=vacancy.pk).status == "open"
