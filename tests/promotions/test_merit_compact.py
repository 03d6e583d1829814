"""The merit ranking of a vacancy is compact: one small bar per component with its points (and an aria label
saying what it is), the value × weight = points and the sources only on demand (a collapsed row under the
candidate, opened by its "Rincian skor" button)."""

from __future__ import annotations

import html as htmllib
import re
from typing import Any

import pytest

from promotions.vacancies import services
from tests.people.factories import PositionFactory
from tests.promotions.test_services import setup  # noqa: F401  (fixture)
from tests.promotions.test_views_api import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _indonesian_afterwards():
    """An English request leaves English active in this thread; later tests in the worker expect Indonesian."""
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


def _vacancy_page(setup: Any, lang: str = "id") -> tuple[Any, str]:  # noqa: F811
    post = PositionFactory(unit=setup.dinas, kind="pengawas", title="Kepala Seksi Gizi", headcount=1,
                           reports_to=setup.head.position)  # fmt: skip
    vacancy = services.vacancy_open(position=post, actor=setup.admin.user)
    c = client_for(setup.admin)
    if lang != "id":
        c.post("/i18n/setlang/", {"language": lang, "next": "/"})
    return vacancy, c.get(f"/kenaikan-pangkat/lowongan/{vacancy.pk}/").content.decode()


def _text(fragment: str) -> str:
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def test_each_candidate_shows_one_bar_per_component_and_the_explanation_on_demand(setup: Any) -> None:  # noqa: F811
    vacancy, html = _vacancy_page(setup)
    headers = [_text(h) for h in re.findall(r'data-testid="component-col">(.*?)</th>', html, re.S)]
    assert headers == [
        "Job person match maks. 35",  # default weights: JPM 35 of 100
        "Kinerja 2 tahun maks. 25",
        "Potensi (kotak talenta) maks. 20",
        "Pelatihan relevan maks. 10",
        "Kualifikasi maks. 10",
    ]
    rows = html.split('data-testid="candidate-row"')[1:]
    rows[-1] = rows[-1].split("</table></div></div>")[0]
    assert len(rows) == vacancy.candidates.count() >= 2
    for row, cand in zip(rows, vacancy.candidates.order_by("rank"), strict=True):
        bars = re.findall(r'<progress class="merit-bar" max="([\d.]+)" value="([\d.]+)" aria-label="([^"]+)"', row)
        assert len(bars) == 5
        points = {c["key"]: c["points"] for c in cand.components}
        assert bars[1][:2] == ("25.00", points["performance"])
        assert re.fullmatch(r"Kinerja 2 tahun: \d+,\d\d dari 25 poin", htmllib.unescape(bars[1][2]))
        # The explanation is there but folded away; the visible row no longer spells out every component.
        details = re.search(
            r'<tr class="collapse merit-explain" id="(explain-\d+)" data-testid="merit-explain">(.*?)</div></td></tr>',
            row,
            re.S,
        )
        assert details is not None  # collapsed: hidden until its button is pressed
        assert f'data-bs-target="#{details.group(1)}" aria-expanded="false"' in row
        assert "Predikat" in _text(details.group(2))  # the performance component's source
        visible = _text(row.replace(details.group(0), ""))
        assert "Predikat" not in visible and "bobot" not in visible


def test_scores_follow_the_active_language(setup: Any) -> None:  # noqa: F811
    _, html = _vacancy_page(setup)
    score = re.search(r'data-testid="merit-score">([^<]+)<', html)
    assert score and re.fullmatch(r"\d+,\d\d", score.group(1).strip())
    _, html_en = _vacancy_page(setup, "en")
    score = re.search(r'data-testid="merit-score">([^<]+)<', html_en)
    assert score and re.fullmatch(r"\d+\.\d\d", score.group(1).strip())
    assert "Score breakdown" in html_en and "30 of 35 points" not in html_en


def test_the_candidates_shown_are_in_their_access_logs(setup: Any) -> None:  # noqa: F811
    from people.models import RecordAccess

    vacancy, _html = _vacancy_page(setup)
    candidates = set(vacancy.candidates.values_list("employee_id", flat=True))
    assert candidates
    shown = RecordAccess.objects.filter(viewer=setup.admin.user, via="promotions:vacancy-detail")
    assert set(shown.values_list("subject_id", flat=True)) == candidates - {setup.admin.pk}
    assert set(shown.values_list("part", flat=True)) == {"kenaikan_pangkat"}
    from tests.conftest import api_as

    RecordAccess.objects.all().delete()
    assert api_as(setup.admin).get(f"/api/v1/vacancies/{vacancy.pk}/candidates/").status_code == 200
    assert set(RecordAccess.objects.values_list("subject_id", flat=True)) == candidates - {setup.admin.pk}
