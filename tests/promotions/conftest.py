from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from tests.promotions.factories import reference_data

# Inside the submission window of the 1 Dec 2026 period (15 Oct – 15 Nov 2026): proposals are on time.
TODAY = dt.date(2026, 11, 13)


@pytest.fixture
def today() -> Iterator[dt.date]:
    with time_machine.travel(dt.datetime(2026, 11, 13, 9, 0, tzinfo=dt.UTC), tick=True):
        yield TODAY


@pytest.fixture
def refdata(db: Any) -> None:
    reference_data()


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
