"""The shared context handed to every app's demo-data seeder (see registry.register_seeder)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

DEMO_PASSWORD = "demo-asn-2026"


@dataclass
class DemoContext:
    """What seeders share: the size asked for, a seeded RNG, 'today', logins to print and data
    earlier seeders leave for later ones (e.g. data["agencies"])."""

    employees: int
    seed: int
    today: dt.date
    rng: random.Random
    data: dict[str, Any] = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (role label, username, note)
    timings: dict[str, float] = field(default_factory=dict)
    verbosity: int = 1

    def add_login(self, role: str, username: str, note: str = "") -> None:
        self.logins.append((role, username, note))
