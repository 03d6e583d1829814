"""Pages, API lists and jobs of the performance (SKP) app measured by bench/run.py."""

PAGES = [
    ("staff", "/kinerja/", "SKP Saya"),
    ("head", "/kinerja/kotak-masuk/", "Kotak masuk SKP (penilai)"),
    ("head", "/kinerja/tim/", "Kinerja tim"),
    ("head", "/kinerja/kaskade/", "Kaskade RHK"),
    ("head", "/kinerja/daftar/", "Daftar SKP (kepala)"),
    ("hr_admin", "/kinerja/daftar/", "Daftar SKP (admin)"),
    ("hr_admin", "/kinerja/kalibrasi/", "Kalibrasi distribusi (semua unit)"),
    ("hr_admin", "/kinerja/kalibrasi/?unit={head_unit_id}", "Kalibrasi: siapa di mana"),
    ("hr_admin", "/kinerja/statistik/", "Statistik kinerja"),
    ("hr_admin", "/kinerja/predikat-unit/", "Predikat unit"),
    ("hr_admin", "/kinerja/periode/", "Periode evaluasi"),
    ("hr_admin", "/api/v1/performance-plans/", "API SKP (bersarang)"),
    ("hr_admin", "/api/v1/unit-performance/", "API kinerja unit"),
    ("hr_admin", "/api/v1/employees/{staff_employee_id}/predikat-history/", "API riwayat predikat"),
]

JOBS = [
    ("Cek distribusi tahunan semua unit", "performance.jobs.distribution_check_latest_annual"),
    ("Buka periode (buat evaluasi untuk SKP disetujui)", "performance.jobs.open_periods"),
    ("Tutup periode + laporan", "performance.jobs.close_periods"),
]
