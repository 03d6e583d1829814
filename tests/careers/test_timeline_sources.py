"""The career timeline composes other apps' rows through asn_portal.registry and hides none of their errors."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from asn_portal import registry
from careers.timeline.selectors import timeline_for

pytestmark = pytest.mark.django_db


def test_a_broken_timeline_source_fails_loudly_instead_of_vanishing(org: Any, monkeypatch: Any) -> None:
    def broken(employee: Any) -> list[dict[str, Any]]:
        raise LookupError("renamed field")

    monkeypatch.setattr(registry.registry, "timeline_sources", [*registry.registry.timeline_sources, broken])
    with pytest.raises(LookupError, match="renamed field"):
        timeline_for(org.staff, today=dt.date(2026, 11, 23))


def test_rows_a_source_marks_upcoming_are_next_steps_not_history(org: Any, monkeypatch: Any) -> None:
    def source(employee: Any) -> list[dict[str, Any]]:
        return [
            {"date": dt.date(2026, 3, 1), "kind": "promotion", "label": "Kenaikan pangkat", "title": "Usulan KP"},
            {"date": dt.date(2027, 2, 1), "kind": "kp", "title": "Kenaikan pangkat berikutnya", "upcoming": True},
        ]

    monkeypatch.setattr(registry.registry, "timeline_sources", [source])
    data = timeline_for(org.staff, today=dt.date(2026, 11, 23))
    assert [(e["title"], e["label"]) for e in data["events"] if e["kind"] == "promotion"] == [
        ("Usulan KP", "Kenaikan pangkat")
    ]
    assert [(u["date"], u["title"], u["overdue"]) for u in data["upcoming"]] == [
        (dt.date(2027, 2, 1), "Kenaikan pangkat berikutnya", False)
    ]


def test_plan_actions_done_are_history_and_open_ones_of_a_live_plan_are_next_steps(org: Any) -> None:
    from careers.choices import ActionStatus, PlanStatus
    from tests.careers import factories as f

    live, archived = f.plan(org.staff), f.plan(org.staff, status=PlanStatus.ARCHIVED)
    for plan, title, status, due in (
        (live, "Diklat PIM", ActionStatus.DONE, dt.date(2026, 5, 1)),
        (live, "Coaching", ActionStatus.IN_PROGRESS, dt.date(2026, 10, 1)),
        (live, "Magang", ActionStatus.PLANNED, dt.date(2027, 1, 15)),
        (live, "Batal", ActionStatus.CANCELLED, dt.date(2026, 12, 1)),
        (archived, "Lama selesai", ActionStatus.DONE, dt.date(2025, 4, 1)),
        (archived, "Lama terbuka", ActionStatus.PLANNED, dt.date(2026, 12, 1)),
    ):
        plan.actions.create(kind="training", title=title, status=status, due_date=due)
    data = timeline_for(org.staff, today=dt.date(2026, 11, 23))
    assert [e["title"] for e in data["events"] if e["kind"] == "pengembangan"] == ["Diklat PIM", "Lama selesai"]
    assert [(u["title"], u["overdue"]) for u in data["upcoming"] if u["kind"] == "rencana"] == [
        ("Coaching", True),
        ("Magang", False),
    ]


@pytest.mark.parametrize("language", ["id", "en"])
def test_timeline_rows_translated_once_per_call_equal_per_row_translation_and_reverse(org: Any, language: str) -> None:
    """The timeline's own rows and the training, SKP and promotion sources translate their fixed texts once per call
    and link with the cached reverse (issue #13): each row equals what a per-row `gettext`/`reverse()` gave, in
    both languages."""
    from decimal import Decimal

    from django.urls import reverse
    from django.utils import translation
    from django.utils.translation import gettext

    from careers.timeline.selectors import KIND_LABELS
    from performance.choices import Predikat
    from tests.careers.factories import predikat, session
    from training.models import LearningRecord

    sessions = [session(org.head, [org.staff], held_on=dt.date(2026, 2, d), topics=f"Topik {d}") for d in (2, 9)]
    records = [predikat(org.staff, year, value) for year, value in ((2024, "baik"), (2025, "sangat_baik"))]
    for day, jp in ((3, "4.50"), (10, "2")):
        LearningRecord.objects.create(
            employee=org.staff, agency=org.agency, year=2026, date=dt.date(2026, 4, day), jp=Decimal(jp),
            title=f"Diklat {day}", source_type="manual", source_id=f"t{day}", status="verified",
        )  # fmt: skip
    with translation.override(language):
        events = timeline_for(org.staff, today=dt.date(2026, 11, 23))["events"]
        got = {(e["kind"], e["title"]): (e["label"], e["detail"], e["url"]) for e in events}
        want = {}
        for s in sessions:
            title = f"{s.get_kind_display()}: {s.topics}"
            want[("bimbingan", title)] = (
                str(KIND_LABELS["bimbingan"]),
                s.coach.name,
                reverse("careers:session-detail", args=[s.pk]),
            )
        for r in records:
            title = gettext("Predikat kinerja %(y)s: %(p)s") % {"y": r.year, "p": Predikat(r.predikat).label}
            want[("performance", title)] = (str(KIND_LABELS["performance"]), r.get_source_display(), "")
        for day, jp in ((3, "4.50"), (10, "2.00")):
            detail = gettext("%(jp)s JP") % {"jp": jp}
            want[(gettext("Pelatihan"), f"Diklat {day}")] = (
                gettext("Pelatihan"),
                detail,
                reverse("training:my-learning"),
            )
    assert {k: got.get(k) for k in want} == want
    assert all(type(e["label"]) is str for e in events if e["kind"] in KIND_LABELS)


def test_registered_timeline_reads_come_in_the_timelines_round_trip_and_equal_the_sources_own_reads(org: Any) -> None:
    """The learning records and promotion proposals the training and promotion sources registered
    (`registry.register_timeline_read`) are read with the timeline's own lists (one round trip) and equal what
    each source's own statement gives, for an employee with such rows and one without; a source whose rows were
    already read (the profile's training panel) is not read again."""
    from decimal import Decimal

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from people.selectors import employee_with_histories
    from promotions.choices import PromotionKind, ProposalStatus
    from promotions.models import PromotionPeriod, PromotionProposal
    from tests.people.factories import rank
    from tests.promotions.factories import reference_data
    from training.models import LearningRecord

    reference_data()
    for day, status in ((3, "verified"), (10, "verified"), (12, "submitted")):
        LearningRecord.objects.create(
            employee=org.staff, agency=org.agency, year=2026, date=dt.date(2026, 4, day), jp=Decimal("1.25"),
            title=f"Diklat {day}", source_type="manual", source_id=f"t{day}", status=status,
        )  # fmt: skip
    for period, status in zip(PromotionPeriod.objects.order_by("period_date")[:2], ProposalStatus.values, strict=False):
        PromotionProposal.objects.create(
            period=period, agency=org.agency, employee=org.staff, kind=PromotionKind.values[0], status=status,
            current_rank=rank("III/a"), target_rank=rank("III/b"), rule_version="t", decree_number=f"SK {status}",
        )  # fmt: skip
    assert registry.registry.timeline_reads  # training's and promotions' registrations
    for person in (org.staff, org.staff2):
        employee = employee_with_histories(user=org.admin.user, pk=person.pk)
        with CaptureQueriesContext(connection) as trip:
            timeline_for(employee, today=dt.date(2026, 11, 23))
        shared = employee.__dict__["_portal_shared"]
        for key, statement in registry.registry.timeline_reads.items():
            assert shared[key] == statement.rows(employee_id=person.pk), key
            select = statement.sql().split(" FROM ")[0]  # its column list (no parameters): verbatim in the trip
            tables = [q["sql"] for q in trip.captured_queries if select in q["sql"]]
            assert len(tables) == 1 and "careers_mentoringsession" in tables[0], key  # in the timeline's own trip
        assert len(shared["training.verified_learning"]) == (2 if person == org.staff else 0)
    # Rows a source already read are not read again by the timeline's round trip.
    employee = employee_with_histories(user=org.admin.user, pk=org.staff.pk)
    registry.shared(employee, "training.verified_learning", lambda: [(dt.date(2026, 1, 5), "Dibaca", Decimal("1"))])
    with CaptureQueriesContext(connection) as trip:
        timeline_for(employee, today=dt.date(2026, 11, 23))
    assert not any("training_learningrecord" in q["sql"] for q in trip.captured_queries)
