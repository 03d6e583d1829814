"""Summary rows are refreshed once per burst of changes, after commit, and say when they were computed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction

from asn_portal import summaries
from asn_portal.models import OutboxMessage, SummaryState

KIND = "tests.counting"


@pytest.fixture
def counting(register_counting: Callable[[str], list[int]]) -> list[int]:
    return register_counting(KIND)


@pytest.mark.django_db
def test_many_changes_in_one_burst_queue_one_refresh_after_commit(
    counting: list[int], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for _ in range(5):
            summaries.touch(KIND, 7)
        assert counting == []  # nothing before commit
    assert counting == [7]
    assert OutboxMessage.objects.filter(task=summaries.REFRESH_TASK).count() == 1
    state = SummaryState.objects.get(kind=KIND, agency_id=7)
    assert state.dirty_since is None and state.computed_at == summaries.computed_at(KIND, 7)

    with django_capture_on_commit_callbacks(execute=True):
        summaries.touch(KIND, 7)
    assert counting == [7, 7]  # the next change refreshes again


@pytest.mark.django_db
def test_a_rolled_back_change_queues_nothing(counting: list[int], django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        summaries.touch(KIND, 3)
        raise RuntimeError
    assert counting == [] and not OutboxMessage.objects.exists()
    assert summaries.computed_at(KIND, 3) is None


@pytest.mark.django_db
def test_a_change_while_stale_does_not_queue_again_until_refreshed(counting: list[int]) -> None:
    summaries.touch(KIND, 4)  # not committed in this test: the refresh stays queued
    summaries.touch(KIND, 4)
    summaries.touch(KIND, None)
    assert OutboxMessage.objects.filter(task=summaries.REFRESH_TASK).count() == 1
    summaries.refresh(KIND, 4)
    summaries.touch(KIND, 4)
    assert OutboxMessage.objects.filter(task=summaries.REFRESH_TASK).count() == 2


@pytest.mark.django_db
def test_an_edit_in_the_django_admin_marks_that_agencys_summaries_stale(client: Any) -> None:
    """The admin bypasses the services: its adds, changes and deletes must still queue a refresh of the agency's
    summary rows (every kind), not wait for the nightly job; another agency's rows stay as they were."""
    from people.models import AgencyRole, AgencyRoleKind, User
    from tests.people.factories import AgencyFactory, UserFactory

    medan, pontianak = AgencyFactory(), AgencyFactory()
    client.force_login(User.objects.create_superuser("root", "root@example.go.id", "x"))
    person = UserFactory()

    response = client.post(
        "/admin/people/agencyrole/add/", {"user": person.pk, "agency": medan.pk, "role": AgencyRoleKind.HR_ADMIN}
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    stale = set(SummaryState.objects.filter(dirty_since__isnull=False).values_list("kind", "agency_id"))
    assert stale == {(kind, medan.pk) for kind in summaries.kinds()}
    assert OutboxMessage.objects.filter(task=summaries.REFRESH_TASK).count() == len(summaries.kinds())
    assert not SummaryState.objects.filter(agency_id=pontianak.pk).exists()

    role = AgencyRole.objects.get(user=person)
    SummaryState.objects.update(dirty_since=None)
    response = client.post(f"/admin/people/agencyrole/{role.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not AgencyRole.objects.filter(pk=role.pk).exists()
    assert SummaryState.objects.filter(agency_id=medan.pk, dirty_since__isnull=False).count() == len(summaries.kinds())


@pytest.mark.django_db
def test_a_refreshers_figures_are_kept_and_read_summed_over_agencies() -> None:
    """A kind registered with figures keeps what its refresher returns on its state row (decimals exact);
    `figures` sums them over the agencies asked for; `fill_missing_figures` computes an agency refreshed before
    its refresher returned figures (an upgraded database), once."""
    from decimal import Decimal

    kind = "tests.figures"
    calls: list[int] = []

    def refresh(agency_id: int) -> dict[str, int | Decimal]:
        calls.append(agency_id)
        return {"n": agency_id, "jp": Decimal("1.25") * agency_id}

    summaries.register(kind, refresh, figures=True)
    try:
        summaries.refresh(kind, 1)
        summaries.refresh(kind, 2)
        assert summaries.figures(kind, [1, 2]) == {"n": 3, "jp": Decimal("3.75")}
        assert summaries.figures(kind, [2, 9]) == {"n": 2, "jp": Decimal("2.50")}  # 9: never computed, adds nothing
        assert summaries.figures(kind, None) == {"n": 3, "jp": Decimal("3.75")}
        assert summaries.figures(kind, []) == {}
        SummaryState.objects.filter(kind=kind, agency_id=2).update(figures={})  # computed before figures existed
        calls.clear()
        assert summaries.fill_missing_figures() == 1 and calls == [2]
        assert summaries.figures(kind, [2]) == {"n": 2, "jp": Decimal("2.50")}
        assert summaries.fill_missing_figures() == 0
    finally:
        summaries._REFRESHERS.pop(kind, None)
        summaries._WITH_FIGURES.discard(kind)


@pytest.mark.django_db
def test_figures_read_together_answer_every_kind_of_the_same_agencies_from_one_read(
    django_assert_num_queries: Any,
) -> None:
    """Inside `figures_read_together` (the home page's cards), the first `figures` call reads every figures kind
    of its agencies at once and the later calls for those agencies (or fewer) read nothing, with the same sums
    as separate reads; agencies the read does not cover are read again; nothing outlives the block."""
    from decimal import Decimal

    kinds = ("tests.figures_a", "tests.figures_b")
    for k, kind in enumerate(kinds, start=1):
        summaries.register(
            kind, lambda agency_id, k=k: {"n": agency_id * k, "jp": Decimal("0.25") * agency_id}, figures=True
        )
    try:
        for kind in kinds:
            summaries.refresh(kind, 1)
            summaries.refresh(kind, 2)
        asked: list[tuple[str, tuple[int, ...] | None]] = [
            (kind, ids) for kind in kinds for ids in ((1, 2), (1,), (2,), None)
        ]
        separate = {(kind, ids): summaries.figures(kind, ids) for kind, ids in asked}
        assert separate[(kinds[1], (1, 2))] == {"n": 6, "jp": Decimal("0.75")}
        with summaries.figures_read_together():
            with django_assert_num_queries(1):
                for kind, ids in asked[:3] + asked[4:7]:  # agencies 1 and 2, or one of them
                    assert summaries.figures(kind, ids) == separate[(kind, ids)]
            with django_assert_num_queries(1):  # every agency: not what was read
                assert summaries.figures(kinds[0], None) == separate[(kinds[0], None)]
                assert summaries.figures(kinds[1], None) == separate[(kinds[1], None)]
        with django_assert_num_queries(1):
            assert summaries.figures(kinds[0], (1, 2)) == separate[(kinds[0], (1, 2))]
    finally:
        for kind in kinds:
            summaries._REFRESHERS.pop(kind, None)
            summaries._WITH_FIGURES.discard(kind)
