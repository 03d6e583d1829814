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


def test_box_rows_show_labels_scores_and_override_notes_in_both_languages(org) -> None:
    """The 9-box list reads values() rows (issue #13): the bands' labels, the localized scores, the override note
    and the post (none for a placement without one) are what the placement's own fields give."""
    from django.conf import settings
    from django.utils import translation

    review = f.review(org.agency.pk, status=ReviewStatus.COMPUTED)
    moved = f.placement(review, org.staff, 5)
    moved.computed_box, moved.override_reason, moved.potential_score = 4, NASTY, "80.5"
    moved.save()
    plain = f.placement(review, org.staff2, 5)
    plain.position = None
    plain.save()
    f.placement(review, org.bidang_staff, 6)  # another box: not listed
    c = _client(org.admin)
    for language, score, potential in (("id", "(75,00)", "(80,50)"), ("en", "(75.00)", "(80.50)")):
        c.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        html = c.get(f"/karier/talenta/{review.pk}/kotak/5/").content.decode()
        with translation.override(language):
            note = translation.gettext("Disesuaikan dari kotak %(b)s") % {"b": 4}
            labels = [str(moved.get_performance_band_display()), str(moved.get_potential_band_display())]
        assert f"{note}: Budi &lt;b&gt;&quot;&amp;&#x27;" in html, language
        assert all(f"{label} <small>" in html for label in labels), (language, labels)
        assert html.count(score) == 2 and html.count(potential) == 1, language
        assert f'value="{moved.pk}"' in html and f'value="{plain.pk}"' in html and "Staf Bidang" not in html
        assert '<div class="small text-body-secondary"></div></td>' in html  # no post: an empty line, not "None"


def test_follow_up_list_rows_offer_the_forms_the_object_permissions_allow(org) -> None:
    """The list reads its rows as values (issue #13): each row's decision form and "done" form appear exactly when
    `can_decide_follow_up` / `can_mark_follow_up_done` on the follow-up object allow them, for BKD, heads (own
    unit, sub-unit, other unit), staff (their own item among others) and another agency's admin; the rows listed
    are the visible ones."""
    from careers import permissions
    from careers.choices import FollowUpStatus
    from careers.followups import selectors

    people = [org.staff, org.staff2, org.bidang_staff, org.other_staff, org.head, org.bidang_head, org.foreign_staff]
    statuses, kinds = list(FollowUpStatus.values), list(FollowUpKind.values)
    for i, employee in enumerate(people):
        for j, kind in enumerate(kinds):  # one item per employee, year and kind; the statuses rotate
            status = statuses[(i + j) % len(statuses)]
            AppraisalFollowUp.objects.create(
                agency_id=employee.agency_id,
                unit=employee.unit,
                employee=employee,
                year=2025,
                predikat="baik",
                kind=kind,
                sessions_planned=(i + j) % 3,
                status=status,
                done_on=dt.date(2025, 3, 1 + j) if status == FollowUpStatus.DONE else None,
                head_reason="<alasan>" if status == FollowUpStatus.ADJUSTED else "",
            )
    offered = {"decide": 0, "done": 0, "none": 0}
    for viewer in (org.admin, org.head, org.bidang_head, org.other_head, org.staff, org.foreign_admin):
        html = _client(viewer).get("/karier/tindak-lanjut/", {"tahun": 2025}).content.decode()
        visible = list(selectors.follow_up_list_visible_to(user=viewer.user).filter(year=2025))
        assert visible, viewer.name
        assert html.count("<tr><td>") == len(visible)
        for item in visible:
            decide = f'name="item" value="{item.pk}"><input type="hidden" name="op" value="decide">' in html
            done = f'name="item" value="{item.pk}"><input type="hidden" name="op" value="done">' in html
            assert decide == permissions.can_decide_follow_up(viewer.user, item), (viewer.name, item.status)
            assert done == permissions.can_mark_follow_up_done(viewer.user, item), (viewer.name, item.status)
            offered["decide" if decide else "done" if done else "none"] += 1
        assert html.count("&lt;alasan&gt;") == len([x for x in visible if x.head_reason]) and "<alasan>" not in html
    assert all(offered.values()), offered  # every branch was exercised


def test_team_first_page_statement_equals_the_team_queryset(org, django_assert_num_queries) -> None:
    """The team page's first page comes from a statement compiled once per process (issue #13): the same rows,
    order and figures (last session, open and overdue items) as `team_cadence`, for heads of a unit with a
    sub-unit, of a sub-unit and of another unit; with the head's own record left out."""
    from careers.mentoring import selectors
    from careers.models import ActionItem

    today = timezone.localdate()
    s1 = f.session(org.head, [org.staff, org.bidang_staff], held_on=today - dt.timedelta(days=5), topics="a")
    f.session(org.bidang_head, [org.bidang_staff], held_on=today - dt.timedelta(days=1), topics="b")
    ActionItem.objects.create(session=s1, owner=org.staff, title="x", due_date=today - dt.timedelta(days=1))
    ActionItem.objects.create(session=s1, owner=org.staff, title="y", due_date=today + dt.timedelta(days=1))
    ActionItem.objects.create(session=s1, owner=org.bidang_staff, title="z", due_date=today + dt.timedelta(days=3))
    keys = ("pk", "name", "unit.name", "position.title", "last_session", "open_items", "overdue_items")

    def fields(e):
        return (e.pk, e.name, e.unit.name, e.position.title, e.last_session, e.open_items, e.overdue_items)

    seen = 0
    for head in (org.head, org.bidang_head, org.other_head):
        for day in (today, today + dt.timedelta(days=2)):
            rows = selectors.TeamCadenceRows(user=head.user, today=day)
            orm = list(selectors.team_cadence(user=head.user, today=day)[: selectors.TEAM_PAGE_SIZE + 1])
            got = rows[0 : selectors.TEAM_PAGE_SIZE + 1]
            assert [fields(e) for e in got] == [fields(e) for e in orm], (head.name, day, keys)
            assert head.pk not in [e.pk for e in got]
            assert rows[1:3] == orm[1:3]
            seen += sum(e.open_items + e.overdue_items for e in got) + len(got)
    assert seen
    with django_assert_num_queries(1):  # the compiled page is one statement, its objects' relations included
        got = selectors.TeamCadenceRows(user=org.head.user, today=today)[0 : selectors.TEAM_PAGE_SIZE + 1]
        assert [(e.unit.name, e.position.title) for e in got]


def test_session_rows_list_mentees_in_id_order_with_their_confirmation(org) -> None:
    """The sessions table reads a page's mentees as rows (`participant_rows`, issue #13): every mentee of each
    session in id order, a check mark after the confirmed ones only, for the head and a mentee."""
    from careers.models import SessionMentee

    today = timezone.localdate()
    s = f.session(org.head, [org.staff2, org.staff], held_on=today - dt.timedelta(days=1), topics="t")
    SessionMentee.objects.filter(session=s, employee=org.staff).update(confirmed_at=timezone.now())
    check = ' <i class="bi bi-check-circle text-success" role="img" aria-label="dikonfirmasi"></i>'
    names = {org.staff.pk: f"Staf Satu{check}", org.staff2.pk: "Staf Dua"}
    order = SessionMentee.objects.filter(session=s).order_by("pk").values_list("employee_id", flat=True)
    expected = "<td>" + ", ".join(names[e] for e in order) + "</td>"
    for viewer in (org.head, org.staff):
        assert expected in _client(viewer).get("/karier/bimbingan/").content.decode(), viewer.name
