"""Issue #13: the home cards' HTML is kept per distinct content (asn_portal.card_html): the same values give
the same HTML without rendering again, any changed value, language or day renders anew, and a card whose
rendering reads the database (something the key does not hold) or holds an unknown object is never kept."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from asn_portal import card_html
from people.models import Employee

pytestmark = pytest.mark.django_db

TEMPLATE = "training/cards/staff.html"


def _ctx(jp: str = "12.5", due: int = 0) -> dict[str, Any]:
    return {"jp": Decimal(jp), "percent": 62, "target": Decimal("20"), "due": due, "year": 2026}


@pytest.fixture(autouse=True)
def _empty_memo() -> Any:
    card_html.clear()
    yield
    card_html.clear()


def test_same_content_is_rendered_once_and_any_change_renders_anew(monkeypatch: Any) -> None:
    renders: list[str] = []
    real = card_html.get_template

    def counting(name: str) -> Any:
        renders.append(name)
        return real(name)

    monkeypatch.setattr(card_html, "get_template", counting)
    first = card_html.card_html(TEMPLATE, _ctx())
    assert card_html.card_html(TEMPLATE, _ctx()) == first and len(renders) == 1
    changed = card_html.card_html(TEMPLATE, _ctx(due=3))
    assert changed != first and "3 kuesioner" in changed and len(renders) == 2
    # Decimal("12.50") may render differently from Decimal("12.5"): a different key
    card_html.card_html(TEMPLATE, _ctx(jp="12.50"))
    assert len(renders) == 3
    with translation.override("en"):
        english = card_html.card_html(TEMPLATE, _ctx())
    assert english != first and len(renders) == 4
    with time_machine.travel(dt.datetime(2031, 1, 2, 3, 0, tzinfo=dt.UTC)):
        card_html.card_html(TEMPLATE, _ctx())
    assert len(renders) == 5  # another day


def test_a_card_reading_the_database_or_holding_an_unknown_object_is_not_kept(org: Any) -> None:
    # A model instance without its related objects loaded: the template's lookups query, so nothing is kept.
    emp = Employee.objects.get(pk=org.staff.pk)
    ctx = {"emp": emp, "supervisor": None}
    with CaptureQueriesContext(connection) as first:
        html = card_html.card_html("people/cards/staff.html", ctx)
    assert len(first) > 0 and org.staff.name in html
    with CaptureQueriesContext(connection) as again:
        card_html.card_html(
            "people/cards/staff.html", {"emp": Employee.objects.get(pk=org.staff.pk), "supervisor": None}
        )
    assert len(again) > 1  # rendered again (not only the employee read)
    assert not card_html._memo
    card_html.card_html(TEMPLATE, {**_ctx(), "extra": {1, 2}})  # a set: no stable key
    assert not card_html._memo


def test_home_page_shows_a_change_at_once(org: Any) -> None:
    from training.ledger import services as ledger_services

    client = Client()
    client.force_login(org.staff.user)
    before = _cards(client)
    assert _cards(client) == before
    ledger_services.learning_credit(
        employee=org.staff, jp=Decimal("7"), on_date=dt.date.today(), title="Diklat", source_type="t", source_id=1,
        actor=None,
    )  # fmt: skip
    after = _cards(client)
    assert after != before and "7" in after


def _cards(client: Client) -> str:
    html = client.get("/").content.decode()
    return html.split('data-testid="home-cards"', 1)[1].split("</main>", 1)[0]
