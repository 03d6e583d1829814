"""The rank ladder (regulations.md §4.1): PNS golongan/ruang with pangkat names (PP 99/2000) and the
separate PPPK grades I … XVII. Loaded by a data migration; `ensure_ranks` reloads it after a test flush."""

from typing import Any

PNS = [
    ("I/a", "Juru Muda"),
    ("I/b", "Juru Muda Tingkat I"),
    ("I/c", "Juru"),
    ("I/d", "Juru Tingkat I"),
    ("II/a", "Pengatur Muda"),
    ("II/b", "Pengatur Muda Tingkat I"),
    ("II/c", "Pengatur"),
    ("II/d", "Pengatur Tingkat I"),
    ("III/a", "Penata Muda"),
    ("III/b", "Penata Muda Tingkat I"),
    ("III/c", "Penata"),
    ("III/d", "Penata Tingkat I"),
    ("IV/a", "Pembina"),
    ("IV/b", "Pembina Tingkat I"),
    ("IV/c", "Pembina Utama Muda"),
    ("IV/d", "Pembina Utama Madya"),
    ("IV/e", "Pembina Utama"),
]
PPPK = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII"]


def ensure_ranks(rank_model: Any) -> None:
    """Create or correct the 34 rank rows (idempotent)."""
    for order, (code, name) in enumerate(PNS, start=1):
        rank_model.objects.update_or_create(scheme="pns", code=code, defaults={"name": name, "order": order})
    for order, code in enumerate(PPPK, start=1):
        rank_model.objects.update_or_create(
            scheme="pppk", code=code, defaults={"name": f"Golongan {code}", "order": order}
        )
