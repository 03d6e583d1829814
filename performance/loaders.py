"""Idempotent loaders for seeded, editable data: BerAKHLAK values, distribution rules, job schedules.

Used by data migrations and by test factories after a transactional flush."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_noop as N_

CORE_VALUES: list[tuple[str, str, str]] = [
    # PermenPANRB 6/2022 perilaku kerja = nilai dasar BerAKHLAK (UU 20/2023; SE MenPANRB 20/2021), regulations.md §1.6
    (
        "berorientasi_pelayanan",
        "Berorientasi Pelayanan",
        "Memahami dan memenuhi kebutuhan masyarakat; ramah, cekatan, solutif, dan dapat diandalkan; "
        "melakukan perbaikan tiada henti.",
    ),
    (
        "akuntabel",
        "Akuntabel",
        "Jujur, bertanggung jawab, cermat, disiplin, dan berintegritas tinggi; menggunakan barang milik "
        "negara secara bertanggung jawab, efektif, dan efisien; tidak menyalahgunakan kewenangan jabatan.",
    ),
    (
        "kompeten",
        "Kompeten",
        "Meningkatkan kompetensi diri untuk menjawab tantangan yang selalu berubah; membantu orang lain "
        "belajar; melaksanakan tugas dengan kualitas terbaik.",
    ),
    (
        "harmonis",
        "Harmonis",
        "Menghargai setiap orang apa pun latar belakangnya; suka menolong orang lain; membangun lingkungan "
        "kerja yang kondusif.",
    ),
    (
        "loyal",
        "Loyal",
        "Memegang teguh ideologi Pancasila, UUD 1945, setia kepada NKRI serta pemerintahan yang sah; menjaga "
        "nama baik sesama ASN, pimpinan, instansi, dan negara; menjaga rahasia jabatan dan negara.",
    ),
    (
        "adaptif",
        "Adaptif",
        "Cepat menyesuaikan diri menghadapi perubahan; terus berinovasi dan mengembangkan kreativitas; "
        "bertindak proaktif.",
    ),
    (
        "kolaboratif",
        "Kolaboratif",
        "Memberi kesempatan kepada berbagai pihak untuk berkontribusi; terbuka dalam bekerja sama untuk "
        "menghasilkan nilai tambah; menggerakkan pemanfaatan berbagai sumber daya untuk tujuan bersama.",
    ),
]

# SE MenPANRB 3/2023 as transcribed in regulations.md §1.5: (unit rating, predikats, comparator, percent, message)
DISTRIBUTION_RULES: list[tuple[str, list[str], str, str, str]] = [
    ("istimewa", ["sangat_baik"], "max", "70", N_("Predikat Sangat Baik paling banyak 70% pegawai unit.")),
    ("baik", ["baik"], "max", "70", N_("Predikat Baik paling banyak 70% pegawai unit.")),
    (
        "baik",
        ["butuh_perbaikan", "kurang"],
        "some",
        "0",
        N_("Harus ada pegawai dengan predikat Butuh Perbaikan dan/atau Kurang/Misconduct."),
    ),
    ("butuh_perbaikan", ["butuh_perbaikan"], "min", "60", N_("Predikat Butuh Perbaikan paling sedikit 60%.")),
    ("butuh_perbaikan", ["sangat_baik"], "max", "10", N_("Predikat Sangat Baik paling banyak 10%.")),
    ("kurang", ["kurang"], "min", "60", N_("Predikat Kurang/Misconduct paling sedikit 60%.")),
    ("kurang", ["butuh_perbaikan"], "min", "10", N_("Predikat Butuh Perbaikan paling sedikit 10%.")),
    ("kurang", ["sangat_baik"], "max", "10", N_("Predikat Sangat Baik paling banyak 10%.")),
    ("sangat_kurang", ["sangat_kurang"], "min", "60", N_("Predikat Sangat Kurang paling sedikit 60%.")),
    (
        "sangat_kurang",
        ["kurang", "butuh_perbaikan"],
        "min",
        "10",
        N_("Predikat Kurang/Misconduct dan/atau Butuh Perbaikan paling sedikit 10%."),
    ),
    ("sangat_kurang", ["sangat_baik"], "max", "0", N_("Tidak boleh ada predikat Sangat Baik.")),
]

# (task name, dotted task, crontab minute, hour, expires seconds)
SCHEDULES: list[tuple[str, str, str, str, int]] = [
    (N_("Kinerja: buka periode evaluasi"), "performance.tasks.open_periods", "15", "0", 23 * 3600),
    (N_("Kinerja: pengingat sebelum periode ditutup"), "performance.tasks.send_period_reminders", "0", "7", 23 * 3600),
    (N_("Kinerja: tutup periode dan laporan"), "performance.tasks.close_periods", "45", "23", 23 * 3600),
]


def ensure_core_values(core_value_model: Any) -> None:
    for order, (code, name, guide) in enumerate(CORE_VALUES, start=1):
        core_value_model.objects.update_or_create(code=code, defaults={"name": name, "guide": guide, "order": order})


def ensure_distribution_rules(rule_model: Any) -> None:
    """Create the rules once; later edits by BKD are kept (matched on rating + order)."""
    per_rating: dict[str, int] = {}
    for rating, predikats, comparator, percent, message in DISTRIBUTION_RULES:
        per_rating[rating] = per_rating.get(rating, 0) + 1
        rule_model.objects.get_or_create(
            unit_rating=rating,
            order=per_rating[rating],
            defaults={
                "predikats": predikats,
                "comparator": comparator,
                "percent": Decimal(percent),
                "message": message,
            },
        )


def ensure_schedules(periodic_task_model: Any, crontab_model: Any) -> None:
    for name, task, minute, hour, expires in SCHEDULES:
        crontab, _ = crontab_model.objects.get_or_create(
            minute=minute, hour=hour, day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Jakarta"
        )
        periodic_task_model.objects.get_or_create(
            name=name,
            defaults={"task": task, "crontab": crontab, "expire_seconds": expires, "kwargs": json.dumps({})},
        )


def ensure_all() -> None:
    from .models import CoreValue, DistributionRule

    ensure_core_values(CoreValue)
    ensure_distribution_rules(DistributionRule)
