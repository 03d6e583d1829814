"""Seeded editable data for careers: the default talent scheme (regulations.md §3.3), the default
career settings and the recognition types. Loaded by a data migration; `ensure_defaults` reloads them
after a transactional test flush."""

from __future__ import annotations

from typing import Any

from .rules import DEFAULT_SCHEME

RECOGNITION_TYPES = [
    ("piagam", "Piagam penghargaan kepala daerah"),
    ("pegawai_teladan", "Pegawai teladan/berprestasi"),
    ("publikasi", "Publikasi prestasi di kanal resmi instansi"),
    ("prioritas_pengembangan", "Prioritas pengembangan kompetensi"),
]


def ensure_defaults(scheme_model: Any, settings_model: Any, recognition_model: Any) -> None:
    """Create the national default rows if missing (idempotent; edits by BKD are kept)."""
    scheme_model.objects.get_or_create(
        agency=None,
        defaults={
            "name": "Skema bawaan (rata-rata predikat 2 tahun × JPM)",
            "predikat_points": {k: str(v) for k, v in DEFAULT_SCHEME.predikat_points.items()},
            "performance_above": DEFAULT_SCHEME.performance_above,
            "performance_meets": DEFAULT_SCHEME.performance_meets,
            "potential_high": DEFAULT_SCHEME.potential_high,
            "potential_medium": DEFAULT_SCHEME.potential_medium,
        },
    )
    settings_model.objects.get_or_create(agency=None)
    for code, name in RECOGNITION_TYPES:
        recognition_model.objects.get_or_create(agency=None, code=code, defaults={"name": name})


def ensure_all() -> None:
    from .models import CareerSettings, RecognitionType, TalentScheme

    ensure_defaults(TalentScheme, CareerSettings, RecognitionType)
