"""Complete language, item by item: the language picker names each language in its own language; texts built
by rules and services (KP reasons, merit sources, talent recommendations, calibration warnings, period
names, the legacy-import note, B.1.8 feedback) are shown in the reader's language; "Nilai" the verb (the
SKP inbox button) and "Nilai" the noun are told apart."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import Client
from django.utils import translation

from asn_portal.i18n_text import rule_text
from careers import rules as career_rules
from performance.models import EvaluationPeriod
from performance.period_names import period_display_name
from promotions import rules
from promotions.vacancies import rules as merit_rules
from tests.pagetext import main_text

D = dt.date


def _english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["id", "en"])
def test_language_picker_names_each_language_in_its_own_language(org, language):
    client = Client()
    client.force_login(org.staff.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get("/").content.decode()
    assert '<option value="id" lang="id"' in html and ">Bahasa Indonesia</option>" in html
    assert '<option value="en" lang="en"' in html and ">English</option>" in html
    assert ">Inggris<" not in html and ">Indonesian<" not in html


def test_kp_reasons_are_stored_as_message_and_params_and_read_in_english():
    result = rules.rule_years_in_rank(D(2022, 4, 1), D(2025, 4, 1), 4).as_dict()
    assert result["reason"] == (
        "Masa kerja dalam pangkat belum 4 tahun (TMT pangkat 01-04-2022, genap 4 tahun pada 01-04-2026)."
    )
    with translation.override("en"):
        text = rule_text(result)
    assert text.startswith("Less than 4 years in the current rank (rank effective ")
    assert "2026" in text and "Masa kerja" not in text
    predikat = rules.rule_predikat_last_two_years({2024: "kurang"}, D(2025, 4, 1)).as_dict()
    with translation.override("en"):
        assert rule_text(predikat) == (
            "The performance ratings of 2023 and 2024 must be at least Good "
            "(2023: no rating yet; 2024: Poor/Misconduct)."
        )
    points = rules.rule_credit_points(Decimal("46.88"), Decimal("100"), "III/b").as_dict()
    with translation.override("en"):
        assert rule_text(points) == "Cumulative credit points 46.88 of the 100.00 required for promotion."
    with translation.override("id"):
        assert rule_text(points) == "Angka kredit kumulatif 46,88 dari 100,00 yang dibutuhkan untuk kenaikan pangkat."
    # A queue entry stored before reasons carried their message is shown as it was written.
    assert rule_text({"code": "x", "reason": "Alasan lama"}) == "Alasan lama"


def test_merit_components_and_completeness_read_in_english():
    facts = merit_rules.CandidateFacts(
        employee_id=1,
        name="Calon",
        education_level="s1",
        position_kind="pelaksana",
        functional_level="",
        position_start=None,
        rank_order=9,
        rank_start=None,
        birth_date=D(1990, 1, 1),
        cpns_date=None,
        predikat={2024: "baik"},
        jpm=None,
        box=None,
    )
    comps = merit_rules.merit_components(facts, D(2026, 11, 1), "s1", merit_rules.DEFAULT_WEIGHTS)
    html = Template(
        "{% load portal %}{% for k in comps %}{{ k.label|catalogue_text }}: {{ k.source_text|rule_text }}|{% endfor %}"
    )
    with translation.override("en"):
        text = html.render(Context({"comps": comps}))
        missing = [
            str(m)
            for m in merit_rules.ranking_completeness(
                has_standard=True, candidates=3, unassessed=2, without_review=1
            ).missing
        ]
    assert "Job person match: Job person match for the post: not assessed yet|" in text
    assert "Performance (2 years): Rating 2024: Good, 2025: -|" in text
    assert "Potential (talent box): No talent review yet|" in text
    assert "Qualification: Education S1|" in text
    assert missing[0].startswith("2 of 3 candidates have not been assessed")


def test_talent_recommendations_and_feedback_scale_follow_the_language():
    with translation.override("en"):
        assert career_rules.recommendation(4) == "Rotation; competency development"
        assert [str(label) for _, label in career_rules.FEEDBACK_SCALE][0] == "Strongly disagree"
    with translation.override("id"):
        assert career_rules.recommendation(4) == "Rotasi; pengembangan kompetensi"


@pytest.mark.parametrize(
    ("kind", "number", "stored", "english"),
    [
        ("quarterly", 1, "Triwulan I", "Quarter I"),
        ("quarterly", 4, "Triwulan IV/Akhir", "Quarter IV/Final"),
        ("half_yearly", 2, "Semester II/Akhir", "Half-year II/Final"),
        ("monthly", 12, "Desember (Akhir)", "December (final)"),
        ("monthly", 3, "Maret", "March"),
        ("quarterly", 2, "Triwulan II khusus", "Triwulan II khusus"),  # renamed by the admin: as written
    ],
)
def test_period_names_follow_the_language(kind, number, stored, english):
    with translation.override("en"):
        assert period_display_name(kind, number, stored) == english
    with translation.override("id"):
        assert period_display_name(kind, number, stored) == stored
    period = EvaluationPeriod(kind=kind, number=number, name=stored, year=2026)
    with translation.override("en"):
        assert str(period) == f"{english} 2026"


def test_calibration_warnings_job_names_and_import_note_are_catalogue_texts():
    html = Template(
        "{% load portal %}{{ a|catalogue_text }}|{{ b|catalogue_text }}|{{ c|catalogue_text }}|{{ d|catalogue_text }}"
    )
    values = {
        "a": "Predikat Sangat Baik paling banyak 10%.",
        "b": "Kinerja: tutup periode dan laporan",
        "c": "Impor data lama",
        "d": "Nama yang diketik admin",
    }
    with translation.override("en"):
        assert html.render(Context(values)) == (
            "Very Good for at most 10%.|Performance: close periods and report|Import legacy data|"
            "Nama yang diketik admin"
        )


@pytest.mark.django_db
def test_skp_inbox_button_is_the_verb_appraise_in_english(org):
    from performance.choices import PlanStatus
    from tests.performance import factories as f

    f.periods(org.agency)
    f.plan(org.staff, status=PlanStatus.APPROVED)
    client = Client()
    client.force_login(org.head.user)
    text = main_text(_english(client).get("/kinerja/kotak-masuk/"))
    assert "Appraise" in text.split(), text
    assert "Value" not in text.split()
    with translation.override("en"):
        assert translation.pgettext("tombol: menilai SKP", "Nilai") == "Appraise"
