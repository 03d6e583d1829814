"""The mentoring session page: one view per operation (confirm, feedback, action item, item status,
competency observation), each a POST endpoint of its own; the page's forms post to them."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from careers import rules
from careers.models import ActionItem, SessionMentee
from tests.careers import factories as f
from tests.pagetext import main_text

pytestmark = pytest.mark.django_db


def client_for(employee) -> Client:
    c = Client()
    c.force_login(employee.user)
    return c


def test_the_page_forms_post_to_their_own_operation(org) -> None:
    session = f.session(org.head, [org.staff])
    html = client_for(org.head).get(f"/karier/bimbingan/{session.pk}/").content.decode()
    actions = set(re.findall(r'<form method="post" action="([^"]+)"', html))
    assert f"/karier/bimbingan/{session.pk}/tindak-lanjut/" in actions
    assert 'name="op"' not in html
    mentee_html = client_for(org.staff).get(f"/karier/bimbingan/{session.pk}/").content.decode()
    assert f'action="/karier/bimbingan/{session.pk}/konfirmasi/"' in mentee_html


def test_mentee_confirms_from_the_confirm_endpoint_and_is_credited(org) -> None:
    session = f.session(org.head, [org.staff])
    r = client_for(org.staff).post(f"/karier/bimbingan/{session.pk}/konfirmasi/", follow=True)
    assert r.redirect_chain[-1][0] == f"/karier/bimbingan/{session.pk}/"
    assert "Sesi dikonfirmasi" in main_text(r)
    assert SessionMentee.objects.get(session=session).confirmed_at is not None


def test_coach_adds_an_action_item_and_marks_it_done(org) -> None:
    session = f.session(org.head, [org.staff])
    client = client_for(org.head)
    due = (dt.date.today() + dt.timedelta(days=7)).isoformat()
    r = client.post(
        f"/karier/bimbingan/{session.pk}/tindak-lanjut/",
        {"i-title": "Susun ringkasan kebijakan", "i-owner": str(org.staff.pk), "i-due_date": due},
        follow=True,
    )
    assert "Tindak lanjut ditambahkan." in main_text(r)
    assert "Susun ringkasan kebijakan" in main_text(r)
    item = ActionItem.objects.get(session=session)
    r = client.post(f"/karier/bimbingan/{session.pk}/tindak-lanjut/{item.pk}/status/", {"status": "done"}, follow=True)
    assert "Status tindak lanjut diperbarui." in main_text(r)
    item.refresh_from_db()
    assert item.status == "done"


def test_an_invalid_item_shows_its_error_on_the_session_page(org) -> None:
    session = f.session(org.head, [org.staff])
    r = client_for(org.head).post(f"/karier/bimbingan/{session.pk}/tindak-lanjut/", {"i-title": ""})
    assert r.status_code == 200
    text = main_text(r)
    assert "Coaching: Capaian RHK" in text
    assert "Tindak lanjut * Bidang ini harus diisi." in text
    assert not ActionItem.objects.exists()


def test_feedback_from_the_mentee(org) -> None:
    session = f.session(org.head, [org.staff])
    data = {f"f-q{key}": "4" for key, _text in rules.FEEDBACK_ITEMS}
    r = client_for(org.staff).post(f"/karier/bimbingan/{session.pk}/umpan-balik/", {**data, "f-comment": "Jelas"})
    assert r.status_code == 302
    assert SessionMentee.objects.get(session=session).feedback_comment == "Jelas"


def test_operations_are_post_only_and_the_page_is_get_only(org) -> None:
    session = f.session(org.head, [org.staff])
    client = client_for(org.head)
    for op in ("konfirmasi", "umpan-balik", "tindak-lanjut", "evaluasi"):
        assert client.get(f"/karier/bimbingan/{session.pk}/{op}/").status_code == 405
    assert client.post(f"/karier/bimbingan/{session.pk}/", {"op": "confirm"}).status_code == 405


def test_another_agencys_session_is_404_for_every_operation(org) -> None:
    foreign = f.session(org.foreign_admin, [org.foreign_staff])
    client = client_for(org.head)
    for op in ("konfirmasi", "umpan-balik", "tindak-lanjut", "evaluasi"):
        assert client.post(f"/karier/bimbingan/{foreign.pk}/{op}/").status_code == 404
    item = ActionItem.objects.create(session=foreign, title="x", owner=org.foreign_staff, due_date=dt.date(2026, 5, 1))
    assert client.post(f"/karier/bimbingan/{foreign.pk}/tindak-lanjut/{item.pk}/status/").status_code == 404
