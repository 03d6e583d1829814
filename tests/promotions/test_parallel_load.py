"""Large agencies read superiors and predikat on two connections at once; the result must be identical."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from promotions import selectors
from tests.promotions.factories import give_predikat, reference_data, set_rank

# Committed rows (the parallel loader reads on other connections); reference data comes from the idempotent
# loaders, so no serialized rollback (which collides with content types a previous flush recreated).
pytestmark = pytest.mark.django_db(transaction=True)


def test_parallel_and_serial_loading_agree(org: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    reference_data()
    set_rank(org.head, "IV/a", dt.date(2018, 4, 1))
    give_predikat([org.staff, org.staff2], [2024, 2025])
    serial = selectors.load_rank_facts(agency_id=org.agency.pk, as_of=dt.date(2026, 12, 1))
    monkeypatch.setattr(selectors, "PARALLEL_MIN_EMPLOYEES", 1)
    parallel = selectors.load_rank_facts(agency_id=org.agency.pk, as_of=dt.date(2026, 12, 1))
    assert serial.facts == parallel.facts
    by_id = {f.employee_id: f for f in parallel.facts}
    assert by_id[org.staff.pk].predikat == {2024: "baik", 2025: "baik"}
    assert by_id[org.staff.pk].supervisor_rank_order == 13  # IV/a of the head
