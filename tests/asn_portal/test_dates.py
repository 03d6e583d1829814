"""Dates follow the active language: "1 Okt 2021" in Indonesian, "1 Oct 2021" in English, never the fixed
"01-10-2021"; the formats live in asn_portal/formats."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import formats, translation

from people.models import Employee
from tests.pagetext import main_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _indonesian_afterwards():
    """An English request leaves English active in this thread; later tests in the worker expect Indonesian."""
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


def _client(employee, lang):
    c = Client()
    c.force_login(employee.user)
    if lang != "id":
        c.post("/i18n/setlang/", {"language": lang, "next": "/"})
    return c


@pytest.mark.parametrize(
    ("lang", "long", "short"),
    [("id", "1 Okt 2021", "01/10/2021"), ("en", "1 Oct 2021", "01/10/2021")],
)
def test_locale_date_formats(lang, long, short):
    day = dt.date(2021, 10, 1)
    with translation.override(lang):
        assert formats.date_format(day) == long
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == short


@pytest.mark.parametrize(("lang", "expected"), [("id", "1 Okt 2021"), ("en", "1 Oct 2021")])
def test_profile_dates_follow_the_active_language(org, lang, expected):
    Employee.objects.filter(pk=org.staff.pk).update(rank_start_date=dt.date(2021, 10, 1))
    text = main_text(_client(org.staff, lang).get("/pegawai/saya/"))
    assert expected in text
    assert "01-10-2021" not in text


def test_no_template_prints_a_fixed_day_month_year():
    from pathlib import Path

    templates = Path(__file__).resolve().parents[2] / "templates"
    fixed = ('date:"d-m-Y', 'date:"d M Y', 'date:"j N Y"')  # use DATE_FORMAT / DATETIME_FORMAT
    offenders = [str(p) for p in templates.rglob("*.html") if any(f in p.read_text() for f in fixed)]
    assert not offenders, offenders
