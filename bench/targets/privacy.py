"""Issue #16: the busiest pages that record reads, measured with ACCESS_LOG_ENABLED=1 and =0 (see
docs/benchmarks.md), plus the employee's own log and the BKD access report."""

PAGES = [
    ("hr_admin", "/pegawai/{staff_employee_id}/", "Profil pegawai (admin)"),
    ("head", "/pegawai/{staff_employee_id}/", "Profil pegawai (kepala)"),
    ("hr_admin", "/pegawai/", "Direktori (admin)"),
    ("hr_admin", "/pegawai/ekspor.csv", "Ekspor direktori CSV (semua pegawai)"),
    ("hr_admin", "/api/v1/employees/", "API pegawai (daftar)"),
    ("hr_admin", "/api/v1/employees/{staff_employee_id}/", "API detail pegawai"),
    ("staff", "/pegawai/saya/akses/", "Siapa melihat data saya"),
    ("hr_admin", "/pegawai/akses/laporan/", "Laporan akses data (30 hari)"),
]

JOBS = [
    ("Tulis log akses dari Redis (drain)", "people.access_log.drain"),
    ("Hapus log akses lama (retensi)", "people.access_log.prune"),
]
