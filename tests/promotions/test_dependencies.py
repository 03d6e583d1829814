"""promotions reads the lower apps directly: a missing contract is an import error, never "belum ada …"."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from promotions import selectors
from tests.conftest import api_as
from tests.promotions.factories import give_predikat, set_rank

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]

# Start Django, then take the performance contract away and import promotions' selectors again, as a
# start-up after someone renamed performance.evaluation.selectors.predikat_by_year would.
RENAMED_CONTRACT = """
import sys
import django
django.setup()
import performance.evaluation.selectors
del performance.evaluation.selectors.predikat_by_year
del sys.modules["promotions.selectors"]
import promotions.selectors
"""


def test_a_renamed_performance_selector_stops_the_start_not_the_answer() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "asn_portal.settings.test"}
    result = subprocess.run(
        [sys.executable, "-c", RENAMED_CONTRACT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "ImportError: cannot import name 'predikat_by_year'" in result.stderr


def test_outlook_reads_the_predikat_recorded_in_performance(org: Any, today: dt.date, refdata: None) -> None:
    set_rank(org.staff, "III/b", dt.date(2019, 4, 1))
    set_rank(org.head, "IV/a", dt.date(2018, 4, 1))
    give_predikat([org.staff], [2024], "baik")
    give_predikat([org.staff], [2025], "butuh_perbaikan")
    outlook = selectors.promotion_outlook(org.staff)
    reasons = " ".join(f["reason"] for f in outlook.failing)
    assert not outlook.eligible_now
    assert "2025: Butuh Perbaikan" in reasons
    assert "belum ada predikat" not in reasons


def test_career_timeline_shows_the_next_promotion_as_a_next_step(org: Any, today: dt.date, refdata: None) -> None:
    """careers never imports promotions: the step arrives through the timeline registry."""
    set_rank(org.head, "IV/a", dt.date(2018, 4, 1))
    set_rank(org.staff, "III/b", dt.date(2023, 1, 15))  # 4 years on 15-01-2027 → period 1 Feb 2027
    give_predikat([org.staff], [2024, 2025])
    body = api_as(org.staff).get(f"/api/v1/employees/{org.staff.pk}/timeline/").json()
    steps = [u for u in body["upcoming"] if u["kind"] == "kp"]
    assert [(u["date"], u["title"]) for u in steps] == [("2027-02-01", "Kenaikan pangkat berikutnya Penata (III/c)")]
    assert all(e["date"] <= today.isoformat() for e in body["events"])
