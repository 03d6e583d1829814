"""Pages, API lists and jobs of the competencies app measured by bench/run.py."""

PAGES = [
    ("staff", "/kompetensi/saya/", "Kompetensi Saya (radar, JPM, riwayat)"),
    ("staff", "/kompetensi/saya/?q=analis", "Kompetensi Saya: cari jabatan (what-if)"),
    ("head", "/kompetensi/tim/", "Peta kompetensi tim"),
    ("head", "/kompetensi/tim/?sort=jpm", "Peta kompetensi tim: urut JPM"),
    ("hr_admin", "/kompetensi/pegawai/{staff_employee_id}/", "Profil kompetensi pegawai"),
    ("hr_admin", "/kompetensi/analitik/", "Analitik kompetensi instansi"),
    ("hr_admin", "/kompetensi/analitik/ekspor.xlsx", "Analitik kompetensi: ekspor XLSX"),
    ("hr_admin", "/kompetensi/standar/", "Standar kompetensi jabatan"),
    ("hr_admin", "/kompetensi/asesmen/", "Daftar asesmen"),
    ("hr_admin", "/kompetensi/kamus/", "Kamus kompetensi"),
    ("hr_admin", "/api/v1/competencies/", "API kamus kompetensi"),
    ("hr_admin", "/api/v1/competency-requirements/", "API standar jabatan"),
    ("hr_admin", "/api/v1/assessments/", "API asesmen"),
    ("hr_admin", "/api/v1/employees/{staff_employee_id}/competency-profile/", "API profil kompetensi"),
]

JOBS = [
    ("Hitung ulang JPM seluruh pegawai (malam)", "competencies.services.jpm_recompute_all"),
]
