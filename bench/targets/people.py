"""Pages and API lists of the people app measured by bench/run.py (placeholders come from the demo)."""

PAGES = [
    ("hr_admin", "/", "Beranda admin"),
    ("head", "/", "Beranda kepala"),
    ("staff", "/", "Beranda pegawai"),
    ("hr_admin", "/pegawai/", "Direktori (admin, 35k)"),
    ("hr_admin", "/pegawai/?q=siregar&ordering=-rank", "Direktori: cari + urut"),
    ("hr_admin", "/pegawai/?unit={head_unit_id}", "Direktori: filter unit"),
    ("head", "/pegawai/", "Direktori (kepala)"),
    ("hr_admin", "/pegawai/{staff_employee_id}/", "Profil pegawai"),
    ("staff", "/pegawai/saya/", "Profil Saya"),
    ("hr_admin", "/pegawai/organisasi/", "Struktur organisasi"),
    ("hr_admin", "/pegawai/unit/{head_unit_id}/", "Anggota unit"),
    ("hr_admin", "/api/v1/employees/", "API pegawai"),
    ("hr_admin", "/api/v1/employees/?q=siregar&ordering=-rank", "API pegawai: cari"),
    ("hr_admin", "/api/v1/employees/{staff_employee_id}/", "API detail pegawai"),
    ("hr_admin", "/api/v1/units/", "API unit"),
    ("hr_admin", "/api/v1/positions/", "API jabatan"),
]

JOBS = [
    ("Impor 10.000 pegawai (pratinjau + konfirmasi)", "bench.jobs.import_10k"),
]
