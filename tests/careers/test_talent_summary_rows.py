"""The nine-box grid counts, its movement and the talent pool sizes read summary rows kept current by the
services; after every kind of change they equal the live computation (`grid_counts_live`, `movement_live`,
`talent_pool_live`) for each role."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from asn_portal import summaries
from careers.choices import ReviewStatus
from careers.models import TalentPlacement, TalentReview
from careers.talent import selectors as talent_selectors
from careers.talent import services as talent_services
from careers.talent import summaries as talent_summaries
from people import services as people_services
from tests.careers import factories as f
from tests.pagetext import main_text

pytestmark = pytest.mark.django_db(transaction=False)


def _pool(groups: list[dict[str, Any]]) -> list[tuple[str, int, list[int]]]:
    return [(g["family"], g["count"], [p.pk for p in g["rows"]]) for g in groups]


def _assert_summary_equals_live(org: Any, review: TalentReview) -> dict[int, int]:
    for who in (org.admin, org.head, org.bidang_head, org.staff, org.foreign_admin):
        user = who.user
        assert talent_selectors.grid_counts(user=user, review=review) == talent_selectors.grid_counts_live(
            user=user, review=review
        ), who.name
        assert _pool(talent_selectors.talent_pool(user=user, review=review)) == _pool(
            talent_selectors.talent_pool_live(user=user, review=review)
        ), who.name
        previous = talent_selectors.previous_review(review)
        if previous is not None:
            assert talent_selectors.movement(
                user=user, review=review, previous=previous
            ) == talent_selectors.movement_live(user=user, review=review, previous=previous), who.name
        # the 9-box page reads both from one query
        assert talent_selectors.grid_and_movement(user=user, review=review, previous=previous) == (
            talent_selectors.grid_counts_live(user=user, review=review),
            talent_selectors.movement_live(user=user, review=review, previous=previous) if previous else {},
        ), who.name
    # the BKD admin's home card: the review's talent pool size, kept with the rows
    stored = summaries.figures(talent_summaries.KIND, [review.agency_id])
    assert stored.get(talent_summaries.pool_figure_key(review.pk), 0) == talent_summaries.pool_size_live(review.pk)
    return talent_selectors.grid_counts(user=org.admin.user, review=review)


def _rated(org: Any) -> None:
    """Two years of predikat and a JPM for four people (two units, two agencies)."""
    for emp, values, jpm in (
        (org.staff, ("sangat_baik", "sangat_baik"), "93"),
        (org.staff2, ("baik", "baik"), "80"),
        (org.bidang_staff, ("sangat_baik", "baik"), "91"),
        (org.other_staff, ("baik", "sangat_baik"), "95"),
    ):
        f.predikat(emp, 2024, values[0])
        f.predikat(emp, 2025, values[1])
        f.jpm(emp, jpm)


def test_summary_equals_live_after_every_kind_of_change(org: Any, django_capture_on_commit_callbacks: Any) -> None:
    _rated(org)
    review = f.review(org.agency.pk, 2025, status=ReviewStatus.COMPUTING)
    with django_capture_on_commit_callbacks(execute=True):  # placements computed by the review job
        talent_services.review_compute(review.pk)
    grid = _assert_summary_equals_live(org, review)
    assert sum(grid.values()) == 4
    placement = TalentPlacement.objects.get(review=review, employee=org.staff2)
    with django_capture_on_commit_callbacks(execute=True):  # the Komite moves someone to another box
        talent_services.placement_override(placement=placement, box=9, reason="Keputusan Komite", actor=org.admin.user)
    assert _assert_summary_equals_live(org, review)[9] >= 2
    with django_capture_on_commit_callbacks(execute=True):  # someone moves out of a head's units
        people_services.employee_update(employee=org.bidang_staff, data={"unit": org.other_dinas}, actor=org.admin.user)
    _assert_summary_equals_live(org, review)
    assert sum(talent_selectors.grid_counts(user=org.bidang_head.user, review=review).values()) == 0
    with django_capture_on_commit_callbacks(execute=True):  # published: the figures stay
        talent_services.review_publish(review=review, actor=org.admin.user)
    _assert_summary_equals_live(org, review)


def test_grid_and_pool_pages_show_the_summary_and_when(org: Any) -> None:
    review = f.review(org.agency.pk, 2025)
    for emp, box in ((org.staff, 9), (org.staff2, 8), (org.other_staff, 3)):
        f.placement(review, emp, box)
    c = Client()
    c.force_login(org.admin.user)
    assert "Data belum dihitung" in c.get(f"/karier/talenta/{review.pk}/").content.decode()
    summaries.refresh(talent_summaries.KIND, org.agency.pk)  # the factory wrote no summary rows
    html = c.get(f"/karier/talenta/{review.pk}/").content.decode()
    assert "Data dihitung pada" in html and "3 pegawai ditempatkan" in html
    pool = c.get(f"/karier/talenta/{review.pk}/pool/").content.decode()
    assert "Data dihitung pada" in pool and "Staf Satu" in pool and "Staf Disdik" not in pool


def test_movement_equals_live_after_every_kind_of_change(org: Any, django_capture_on_commit_callbacks: Any) -> None:
    _rated(org)
    earlier = f.review(org.agency.pk, 2024, status=ReviewStatus.COMPUTED)
    for emp, box in ((org.staff, 5), (org.staff2, 8), (org.bidang_staff, 9)):
        f.placement(earlier, emp, box)
    review = f.review(org.agency.pk, 2025, status=ReviewStatus.COMPUTING)
    with django_capture_on_commit_callbacks(execute=True):  # computed while nothing earlier is published
        talent_services.review_compute(review.pk)
    _assert_summary_equals_live(org, review)
    assert talent_selectors.previous_review(review) is None
    with django_capture_on_commit_callbacks(execute=True):  # the earlier review is published: it becomes previous
        talent_services.review_publish(review=earlier, actor=org.admin.user)
    _assert_summary_equals_live(org, review)
    moves = talent_selectors.movement(user=org.admin.user, review=review, previous=earlier)
    assert sum(moves.values()) == 3 and moves.get((5, 9)) == 1, moves
    placement = TalentPlacement.objects.get(review=review, employee=org.staff2)
    with django_capture_on_commit_callbacks(execute=True):  # an override changes a box now
        talent_services.placement_override(placement=placement, box=2, reason="Keputusan Komite", actor=org.admin.user)
    _assert_summary_equals_live(org, review)
    assert talent_selectors.movement(user=org.admin.user, review=review, previous=earlier).get((8, 2)) == 1
    with django_capture_on_commit_callbacks(execute=True):  # someone moves out of a head's units
        people_services.employee_update(employee=org.bidang_staff, data={"unit": org.other_dinas}, actor=org.admin.user)
    _assert_summary_equals_live(org, review)
    assert talent_selectors.movement(user=org.bidang_head.user, review=review, previous=earlier) == {}
    with django_capture_on_commit_callbacks(execute=True):  # the review itself published: the figures stay
        talent_services.review_publish(review=review, actor=org.admin.user)
    _assert_summary_equals_live(org, review)


def test_pool_page_follows_an_override_and_shows_each_reader_only_their_scope(
    org: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """The pool's tables are built once per summary computation and reader's scope (careers.talent.views)."""
    review = f.review(org.agency.pk, 2025, status=ReviewStatus.COMPUTED)
    for emp, box in ((org.staff, 9), (org.staff2, 5), (org.bidang_staff, 8)):
        f.placement(review, emp, box)
    summaries.refresh(talent_summaries.KIND, org.agency.pk)  # the factory wrote no summary rows
    url = f"/karier/talenta/{review.pk}/pool/"
    admin, bidang_head = Client(), Client()
    admin.force_login(org.admin.user)
    bidang_head.force_login(org.bidang_head.user)
    page = main_text(admin.get(url))
    assert org.staff.name in page and org.bidang_staff.name in page and org.staff2.name not in page
    placement = TalentPlacement.objects.get(review=review, employee=org.staff2)
    with django_capture_on_commit_callbacks(execute=True):  # the Komite moves Staf Dua into the pool
        talent_services.placement_override(placement=placement, box=8, reason="Keputusan Komite", actor=org.admin.user)
    assert org.staff2.name in main_text(admin.get(url))
    with django_capture_on_commit_callbacks(execute=True):  # published: heads read it too
        talent_services.review_publish(review=review, actor=org.admin.user)
    assert org.staff2.name in main_text(admin.get(url))
    # the head of the bidang reads the same computation and sees only their unit's people
    page = main_text(bidang_head.get(url))
    assert org.bidang_staff.name in page and org.staff.name not in page and org.staff2.name not in page
