"""The careers tables written in one pass (careers.templatetags.careers_tables): each row shows what the template
loop showed, escaped, with its links and forms."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from careers.choices import FollowUpKind, ReviewStatus
from careers.models import AppraisalFollowUp
from tests.careers import factories as f

pytestmark = pytest.mark.django_db

NASTY = "Budi <b>\"&'"


def _client(employee) -> Client:
    c = Client()
    c.force_login(employee.user)
    return c


def test_team_and_session_rows_escape_names_and_link_their_rows(org) -> None:
    org.staff.name = NASTY
    org.staff.save()
    session = f.session(org.head, [org.staff], held_on=timezone.localdate() - dt.timedelta(days=2), topics="<i>x")
    team = _client(org.head).get("/karier/tim/").content.decode()
    assert "Budi &lt;b&gt;&quot;&amp;&#x27;" in team and "<b>" not in team
    assert f'href="/karier/pegawai/{org.staff.pk}/linimasa/"' in team
    sessions = _client(org.head).get("/karier/bimbingan/").content.decode()
    assert f'<a href="/karier/bimbingan/{session.pk}/">&lt;i&gt;x</a>' in sessions
    assert "Budi &lt;b&gt;" in sessions and "<i>x" not in sessions


def test_plan_follow_up_and_box_rows(org) -> None:
    plan = f.plan(org.staff, target_family="<Analis>")
    plans = _client(org.head).get("/karier/rencana/").content.decode()
    assert f'<a href="/karier/rencana/{plan.pk}/">Staf Satu</a>' in plans and "&lt;Analis&gt;" in plans
    item = AppraisalFollowUp.objects.create(
        agency_id=org.agency.pk,
        unit=org.staff.unit,
        employee=org.staff,
        year=2025,
        predikat="sangat_baik",
        kind=FollowUpKind.COACHING,
        sessions_planned=3,
    )
    follow = _client(org.head).get("/karier/tindak-lanjut/", {"tahun": 2025}).content.decode()
    assert f'<input type="hidden" name="item" value="{item.pk}">' in follow
    assert f'id="s-{item.pk}" type="number"' in follow and "3 sesi bimbingan" in follow
    assert 'name="csrfmiddlewaretoken"' in follow
    review = f.review(org.agency.pk, status=ReviewStatus.COMPUTED)
    placement = f.placement(review, org.staff, 5)
    box = _client(org.admin).get(f"/karier/talenta/{review.pk}/kotak/5/").content.decode()
    assert f'<input type="hidden" name="placement" value="{placement.pk}">' in box
    assert f'href="/karier/pegawai/{org.staff.pk}/linimasa/">Staf Satu</a>' in box and "(75,00)" in box
